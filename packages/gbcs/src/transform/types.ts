// The transform side of packages/gbcs: a DUIS Service Request (already parsed and checked by the
// gateway) in, the GBCS General-Signing APDU for its device out. One encoder per use case; the
// bytes are written by the kernel (GbcsWriter), the mapping from DUIS fields is data and code here.
import type { GbcsWriter } from "@opendcc/kernel";
import type { ServiceFields } from "./fields.js";

/** Device types of the Smart Metering Inventory that receive GBCS commands. */
export type DeviceType = "ESME" | "GSME" | "CHF" | "GPF" | "PPMID" | "HCALCS" | "IHD";

/** A request as the transform needs it: what DUIS says plus what the inventory knows. */
export interface TransformInput {
  /** Service Reference Variant, e.g. "4.1.1". */
  readonly srv: string;
  /** EUI-64s as 16 hex digits; the counter becomes the GBCS originator counter. */
  readonly requestId: { readonly originator: string; readonly target: string; readonly counter: bigint };
  readonly commandVariant: number;
  /** The request's ExecutionDateTime (xs:dateTime text), when future dated. */
  readonly executionDateTime?: string | undefined;
  /** The body's service element, e.g. `{ name: "ReadInstantaneousImportRegisters" }` (a DuisNode). */
  readonly body: ServiceNode;
  /** The target device's type, from the inventory: it picks the use case (ECS17b vs GCS13a). */
  readonly deviceType: DeviceType;
  /**
   * The Access Control Broker's own originator counter, for commands the ACB originates on the
   * user's behalf (the request's counter then goes in the supplementary remote-party counter).
   */
  readonly acbCounter?: bigint | undefined;
  /**
   * Where the SRV has several GBCS use cases for this device type, the one to use: the device's
   * variant (twin element, polyphase), its GBCS version or the sender's role decide, which the
   * inventory or the caller knows. Absent or unknown: the default (the first registered).
   */
  readonly useCase?: string | undefined;
  /** An electricity meter's build, where the command differs by it (the inventory knows). Default: single element. */
  readonly meterVariant?: "single-element" | "twin-element" | "polyphase" | undefined;
  /**
   * The device a join names (OtherDeviceID), or the device an 8.11 Add puts on the CHF device log
   * (DeviceID), as the DCC knows it: its type from the Smart Metering Inventory and, for a Method C
   * join, its certificate from the SMKI repository. DUIS carries only the ID, GBCS the type (and
   * certificate) too (CS03A1/A2/B/C, CCS01).
   */
  readonly otherDevice?: OtherDevice | undefined;
  /**
   * The Customer Identification Number the DCC generated for a Request Customer Identification
   * Number (SRV 9.1): the command carries it, the DUIS request does not.
   */
  readonly customerIdentificationNumber?: string | undefined;
  /**
   * Restore HAN Device Log (SRV 8.12): the old hub's device log as the DCC stored it (seed 003
   * paragraphs 188-190). DUIS names only the old CHF or GPF; the command carries its devices.
   */
  readonly restoredDeviceLog?: RestoredDeviceLog | undefined;
}

/**
 * A device log the DCC holds for a hub. CCS03 (a CHF, DLMS restore_PAN) carries the HAN's
 * extended PAN ID and each device's link key, as the CHF's backup (CCS07, backup_PAN) reported
 * them; GCS59 (a GPF, ASN.1) carries each device's GBCS device type.
 */
export interface RestoredDeviceLog {
  /** CHF only: the old HAN's extended PAN ID (8 bytes). */
  readonly extendedPanId?: Uint8Array | undefined;
  readonly devices: readonly RestoredDevice[];
}

export interface RestoredDevice {
  /** EUI-64, 16 hex digits. */
  readonly deviceId: string;
  /** GPF log: the device's type, from the inventory. */
  readonly deviceType?: OtherDevice["deviceType"] | undefined;
  /** CHF log: the device's 16-byte link key, from the CHF's backup. */
  readonly linkKey?: Uint8Array | undefined;
}

/** Another device named in a command, as the inventory and SMKI know it. */
export interface OtherDevice {
  /** CAD: a Consumer Access Device, a Type 2 device as the IHD is. */
  readonly deviceType: DeviceType | "CAD";
  /** Its Device Certificate (DER), where the command carries it (Method C joins). */
  readonly certificate?: Uint8Array | undefined;
}

/** One element of a DUIS body: the shape of @opendcc/duis's DuisNode. */
export interface ServiceNode {
  readonly name: string;
  readonly attributes?: Readonly<Record<string, string>>;
  readonly children?: readonly ServiceNode[];
  readonly text?: string;
}

export interface TransformResult {
  /** GBCS use case, e.g. "ECS17b". */
  readonly useCase: string;
  readonly messageCode: number;
  /** Critical commands go back to the user as a Pre-Command to sign (Command Variant 4). */
  readonly critical: boolean;
  /**
   * The General-Signing APDU without its signature field: for a critical command this is the
   * Pre-Command; otherwise append the empty signature (00) and MAC it (protectApdu).
   */
  readonly apdu: Uint8Array;
  /**
   * Set where the Access Control Broker signs the command itself (a non-critical join or unjoin
   * it sends to a PPMID or HCALCS): append the ACB's signature (40 + 64 bytes), not the empty
   * field, before the MAC.
   */
  readonly signedByAcb?: true;
}

/** What an encoder sees: the request's fields and the values derived from its header. */
export interface EncodeContext {
  readonly input: TransformInput;
  readonly fields: ServiceFields;
  /** The GBCS originator counter of the command (DLMS invoke-ids derive from it). */
  readonly counter: bigint;
  /** GBCS originator and recipient of the command (8 bytes each). */
  readonly originator: Uint8Array;
  readonly recipient: Uint8Array;
  /** The ExecutionDateTime, or null for an immediate request. */
  readonly executionDateTime: Date | null;
}

/** GBCS header fields an encoder can set when they differ from the defaults. */
export interface HeaderChoice {
  /** Default: the user (RequestID originator). CS07/CS08 are originated by the ACB. */
  readonly originator?: string;
  /** Default: the RequestID target. */
  readonly recipient?: string;
  /** Default: the RequestID counter. The ACB's own counter when it originates (see onBehalfOfUser). */
  readonly counter?: bigint;
  /** Supplementary remote party (and counter) in the other-information (gbcs.md 2b). */
  readonly supplementaryRemoteParty?: string;
  readonly supplementaryRemotePartyCounter?: bigint;
  /** A remote party's key-agreement certificate (DER), for unknown-remote-party commands. */
  readonly remotePartyCertificate?: Uint8Array;
}

export interface UseCaseEncoder {
  /** The use case, or the use cases (e.g. "ECS23/ECS23b") one encoder chooses between. */
  readonly useCase: string;
  /** The use case chosen for a request, when the encoder serves several. */
  readonly chosenUseCase?: (context: EncodeContext) => string;
  /** The SRVs this use case serves, and on which device types. */
  readonly srv: string;
  readonly deviceTypes: readonly DeviceType[];
  /** A fixed code, or one chosen from the request (e.g. CS02b by credential type). */
  readonly messageCode: number | ((context: EncodeContext) => number);
  readonly critical: boolean | ((context: EncodeContext) => boolean);
  readonly header?: (context: EncodeContext) => HeaderChoice;
  /** Whether the Access Control Broker signs the command (TransformResult.signedByAcb). */
  readonly signedByAcb?: (context: EncodeContext) => boolean;
  /** Writes the content payload (DLMS, GBZ or ASN.1) of the command. */
  write(writer: GbcsWriter, context: EncodeContext): void;
}

/** Why a request could not be transformed, naming the field or rule. */
export class TransformError extends Error {
  override readonly name = "TransformError";
  constructor(message: string, readonly field: string | null = null) {
    super(message);
  }
}

export const defineUseCase = (encoder: UseCaseEncoder): UseCaseEncoder => encoder;
