// The Change of Supplier party (seed 003 paragraphs 140-147): a trusted function apart from the
// rest of the DCC, with its own digital-signing key, authorised to replace the Registered
// Supplier's security credentials on a device. The gateway has already run paragraph 134's checks
// and Registration Data's (the sender is, or is to become, the registered supplier on the execution
// date: paragraph 144); the CoS party re-confirms the request on its own (145), builds the Update
// Security Credentials command (6.23 -> GBCS CS02b supplierByTransCoS, originated by the CoS
// party) and signs it (146). The DCC then MACs and sends it; when the device reports success, the
// gaining and the losing supplier are both alerted (146).
import { TransformError, transformRequest, signPreCommand, type DeviceType as GbcsDeviceType, type ServiceNode } from "@opendcc/gbcs";
import type { RoleCode } from "./catalogue.js";
import type { ParsedRequest } from "./gateway.js";
import type { DeviceRecord, SmartMeteringInventory } from "./inventory.js";
import type { User } from "./parties.js";
import type { RegistrationData } from "./registration.js";
import { ResponseCodes, ServiceError } from "./response-codes.js";

/** The transitional CoS party's EUI-64 (duis.md 1.1, the ZAZ1 test PKI's `90-B3-D5-1F-30-00-00-04`). */
export const COS_PARTY_ID = "90B3D51F30000004";

export interface CosPartyOptions {
  /** The CoS party's GBCS digital-signing private key (its certificate sits in the devices' trust anchor cells). */
  readonly signingKey: CryptoKey;
  /** Its EUI-64, the GBCS originator of its commands (default COS_PARTY_ID). */
  readonly partyId?: string;
  readonly registration: RegistrationData;
  readonly inventory: SmartMeteringInventory;
}

/** A change of supplier the CoS party has signed off, with the parties to alert on success. */
export interface CosCommand {
  /** The signed General-Signing APDU (Pre-Command, 40, signature) for the DCC to MAC. */
  readonly signed: Uint8Array;
  readonly mpxn: string;
  readonly gainingPartyId: string;
  /** The supplier registered before the gaining one, when there was one. */
  readonly losingPartyId: string | null;
  readonly role: RoleCode;
}

// The supplier whose credentials a device holds: the import supplier for an electricity meter,
// the gas supplier for a gas meter and its gas proxy.
const SUPPLIER_ROLE: Partial<Record<DeviceRecord["type"], RoleCode>> = { ESME: "IS", GSME: "GS", GPF: "GS" };

export class CosParty {
  readonly partyId: string;

  constructor(private readonly options: CosPartyOptions) {
    this.partyId = options.partyId ?? COS_PARTY_ID;
  }

  /** Paragraph 145: the CoS party's own checks, then the command signed with its key. */
  async prepare(request: ParsedRequest, user: User, device: DeviceRecord, now: Date): Promise<CosCommand> {
    const role = SUPPLIER_ROLE[device.type];
    if (!role) throw new ServiceError(ResponseCodes.wrongDeviceType, `CoS party: ${device.deviceId} is a ${device.type}; supplier credentials are held by meters and gas proxies`);
    const mpxn = this.mpxnOf(device);
    if (!mpxn) throw new ServiceError(ResponseCodes.notRegistered, `CoS party: device ${device.deviceId} serves no MPxN, so no supplier is registered for it`);
    const named = request.field("ImportMPxN") ?? request.field("MPxN");
    if (named !== undefined && named.trim() !== mpxn) {
      throw new ServiceError(ResponseCodes.malformed, `CoS party: the request names MPxN ${named.trim()}, but device ${device.deviceId} serves ${mpxn}`);
    }
    const when = request.executionDateTime ?? now;
    const { registration } = this.options;
    if (!user.roles.includes(role) || !registration.isAppointed(mpxn, role, user.partyId, when)) {
      throw new ServiceError(ResponseCodes.notRegistered, `CoS party: party ${user.partyId} is not the registered ${role} supplier for MPxN ${mpxn} on ${when.toISOString()} (paragraph 144)`);
    }
    const gaining = registration.at(mpxn, when).find((a) => a.role === role && a.partyId === user.partyId);
    const before = gaining ? new Date(Date.parse(gaining.effectiveFrom) - 1) : null;
    const losing = before ? registration.appointed(mpxn, role, before) : null;

    let transformed;
    try {
      transformed = transformRequest({
        srv: request.srv, deviceType: device.type as GbcsDeviceType, commandVariant: request.commandVariant, requestId: request.requestId,
        executionDateTime: request.executionDateTime?.toISOString(), body: (request.content ?? { name: request.bodyElement }) as ServiceNode,
      });
    } catch (error) {
      if (!(error instanceof TransformError)) throw error;
      throw new ServiceError(ResponseCodes.malformed, `CoS party: ${request.srv}: ${error.message}`);
    }
    return {
      signed: await signPreCommand(transformed.apdu, this.options.signingKey),
      mpxn, role, gainingPartyId: user.partyId, losingPartyId: losing === user.partyId ? null : losing,
    };
  }

  private mpxnOf(device: DeviceRecord): string | null {
    if (device.mpxn) return device.mpxn;
    // A gas proxy serves the MPRN of the gas meter on its hub.
    return this.options.inventory.all().find((d) => d.type === "GSME" && d.chfId !== null && d.chfId === device.chfId && d.mpxn)?.mpxn ?? null;
  }
}
