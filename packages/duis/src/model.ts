// The typed form of DUIS Service Requests and Responses (duis.md sections 1 and 3).
import { fail } from "./errors.js";

/** The DCC's own EUI-64, the target of every non-device (CV 8) request (duis.md 1.1). */
export const DCC_EUI = "90B3D51F30000002";

/** An EUI-64 as 16 uppercase hex digits, no dashes, e.g. "90B3D51F30010000". */
export type Eui = string;

/** `ORIGINATOR:TARGET:COUNTER`. Originator and target as 16 uppercase hex digits. */
export interface RequestId {
  readonly originator: Eui;
  readonly target: Eui;
  /** 0 .. 2^64-1. */
  readonly counter: bigint;
}

export type CommandVariant = 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8;

/**
 * One element of a DUIS body as plain JSON, faithful and order-preserving. Every element of a
 * DUIS body is in the `sr` namespace, so only the local name is kept.
 *
 * - `name`: the local name, e.g. `"DeviceID"`.
 * - `attributes`: attribute name -> value, present only when the element has attributes, e.g.
 *   `{ index: "1" }`. Attributes in the XML Schema instance namespace keep an `xsi:` prefix.
 * - `children`: element children in document order (repeated siblings stay where they were),
 *   present only when the element has element children.
 * - `text`: the character content of a leaf element exactly as the document says it (entities
 *   and character references decoded, nothing trimmed), present only when not empty.
 *
 * DUIS has no mixed content: an element has `children` or `text`, never both (whitespace between
 * child elements is layout, not content). Comments are not kept. So `<sr:A/>` and `<sr:A></sr:A>`
 * are both `{ name: "A" }`.
 */
export interface DuisNode {
  readonly name: string;
  readonly attributes?: Readonly<Record<string, string>>;
  readonly children?: readonly DuisNode[];
  readonly text?: string;
}

/** A service body: the SRV's body element, with a leading ExecutionDateTime lifted out. */
export interface ServiceBody {
  /** The body element's local name, the catalogue's `bodyElement` for the SRV. */
  readonly element: string;
  /** xs:dateTime text of a leading `ExecutionDateTime`, when there is one (future dating). */
  readonly executionDateTime?: string;
  /** The body element itself, without the ExecutionDateTime child. `content.name === element`. */
  readonly content: DuisNode;
}

/** The body of a CV 5/6/7 request. */
export interface SignedPreCommandBody {
  readonly element: "SignedPreCommand";
  readonly executionDateTime?: string;
  readonly gbcsPayload: Uint8Array;
}

export type DuisBody = ServiceBody | SignedPreCommandBody;

export function isSignedPreCommand(body: DuisBody): body is SignedPreCommandBody {
  return body.element === "SignedPreCommand" && "gbcsPayload" in body;
}

export interface RequestHeader {
  readonly requestId: RequestId;
  readonly firstInSequence?: boolean;
  readonly precedingRequestId?: RequestId;
  readonly commandVariant: CommandVariant;
  readonly serviceReference: string;
  readonly serviceReferenceVariant: string;
}

/** What a document's ds:Signature says, as read (not verified: see verifyDocument). */
export interface XmlSignatureInfo {
  readonly canonicalizationMethod: string | null;
  readonly signatureMethod: string | null;
  readonly referenceUri: string | null;
  readonly transforms: readonly string[];
  readonly digestMethod: string | null;
  /** Base64 as written, whitespace removed. */
  readonly digestValue: string | null;
  /** Base64 as written, whitespace removed. */
  readonly signatureValue: string | null;
  readonly issuerName: string | null;
  /** Decimal, as written. */
  readonly serialNumber: string | null;
  /** True for the templates' placeholder (digest or signature value base64 "default"). */
  readonly placeholder: boolean;
}

export interface DuisRequest {
  /** The root's `schemaVersion`, kept as written (an xs:decimal such as "5.2"). */
  readonly schemaVersion: string;
  readonly header: RequestHeader;
  readonly body: DuisBody;
  /** The request's ds:Signature as read, or null when it has none. */
  readonly signature: XmlSignatureInfo | null;
}

export interface ResponseHeader {
  readonly requestId?: RequestId;
  readonly responseId?: RequestId;
  /** "I0", "I99", "E12", "E061501", "W050201", ... (duis.md 3.2). */
  readonly responseCode: string;
  /** xs:dateTime, e.g. "2022-09-05T09:40:12.060Z". */
  readonly responseDateTime: string;
}

/** What a ResponseMessage carries after its SR/SRV (duis.md 3.3); absent in acknowledgements. */
export type ResponseContent =
  | { readonly kind: "GBCSPayload"; readonly gbcsPayload: Uint8Array }
  | { readonly kind: "PreCommand"; readonly gbcsVersion: string; readonly gbcsPayload: Uint8Array }
  | { readonly kind: "LocalCommand"; readonly gbcsPayload: Uint8Array }
  | {
    readonly kind: "FutureDatedDeviceAlertMessage";
    /** "8F66" or "8F67". */
    readonly futureDatedAlertCode: string;
    readonly gbcsPayload: Uint8Array;
    readonly instructionNumber: number;
    readonly totalCommandInstructions: number;
  }
  | { readonly kind: "DSPScheduledMessage"; readonly gbcsPayload: Uint8Array; readonly dspScheduleId: number }
  | { readonly kind: "DSPScheduleID"; readonly dspScheduleId: number }
  | { readonly kind: "CINMessage"; readonly gbcsPayload: Uint8Array; readonly customerIdentificationNumber: string }
  /** 5.2 ReadSchedule result: the DSPSchedulesRead element. */
  | { readonly kind: "DSPSchedulesRead"; readonly node: DuisNode }
  /** 8.2 ReadInventory result: the DSPInventory element (its `Device` children). */
  | { readonly kind: "DSPInventory"; readonly node: DuisNode }
  /** DSPOptIn, DSPWANMatrix, DSPUpdateFirmwareWarning, DSPUpdatePPMIDFirmwareWarning. */
  | { readonly kind: "Other"; readonly node: DuisNode };

export const OTHER_RESPONSE_ELEMENTS = ["DSPOptIn", "DSPWANMatrix", "DSPUpdateFirmwareWarning", "DSPUpdatePPMIDFirmwareWarning"] as const;

export interface ResponseMessageBody {
  readonly kind: "ResponseMessage";
  readonly serviceReference: string;
  readonly serviceReferenceVariant: string;
  readonly content?: ResponseContent;
}

export interface DeviceAlertMessageBody {
  readonly kind: "DeviceAlertMessage";
  /** GBCS alert code, uppercase hex (xs:hexBinary), e.g. "8F35". */
  readonly alertCode: string;
  readonly throttledAlertSequenceId?: number;
  readonly throttledAlertCount?: number;
  readonly gbcsPayload: Uint8Array;
}

export interface DccAlertMessageBody {
  readonly kind: "DCCAlertMessage";
  /** "AD1", "N1".."N65", "N999". */
  readonly dccAlertCode: string;
  readonly throttledAlertSequenceId?: number;
  readonly throttledAlertCount?: number;
  /** The one child of `DCCAlert`: the event, e.g. `{ name: "PowerOutageEvent", children: [...] }`. */
  readonly event: DuisNode;
}

export type ResponseBody = ResponseMessageBody | DeviceAlertMessageBody | DccAlertMessageBody;

export interface DuisResponse {
  readonly schemaVersion: string;
  readonly header: ResponseHeader;
  readonly body: ResponseBody;
  readonly signature: XmlSignatureInfo | null;
}

// ---------------------------------------------------------------------------------------------
// Identifiers

const EUI_DASHED = /^[0-9A-Fa-f]{2}(?:-[0-9A-Fa-f]{2}){7}$/;
const EUI_PLAIN = /^[0-9A-Fa-f]{16}$/;
// 0 .. 18446744073709551615 without leading zeros; the range is checked as a bigint.
const COUNTER = /^(?:0|[1-9][0-9]{0,19})$/;
const MAX_COUNTER = (1n << 64n) - 1n;

/** "00-DB-12-34-56-78-90-A2" (either case) -> "00DB1234567890A2". Throws DuisError DUIS_VALUE. */
export function parseEui(text: string): Eui {
  if (!EUI_DASHED.test(text)) fail("DUIS_VALUE", `"${text}" is not an EUI-64 written as eight hex pairs joined by "-"`);
  return text.replace(/-/g, "").toUpperCase();
}

/** "00DB1234567890A2" (or already dashed) -> "00-DB-12-34-56-78-90-A2". */
export function formatEui(eui: Eui): string {
  const plain = eui.replace(/-/g, "");
  if (!EUI_PLAIN.test(plain)) throw new RangeError(`"${eui}" is not an EUI-64`);
  return plain.toUpperCase().replace(/(..)(?!$)/g, "$1-");
}

/** Parses `ORIGINATOR:TARGET:COUNTER` (duis.md 1.1). Throws DuisError DUIS_REQUEST_ID naming the fault. */
export function parseRequestId(text: string, field = "RequestID"): RequestId {
  const parts = text.split(":");
  if (parts.length !== 3) fail("DUIS_REQUEST_ID", `${field} "${text}" is not ORIGINATOR:TARGET:COUNTER`);
  const [originator = "", target = "", counter = ""] = parts;
  if (!EUI_DASHED.test(originator)) fail("DUIS_REQUEST_ID", `${field} originator "${originator}" is not an EUI-64 of eight hex pairs joined by "-"`);
  if (!EUI_DASHED.test(target)) fail("DUIS_REQUEST_ID", `${field} target "${target}" is not an EUI-64 of eight hex pairs joined by "-"`);
  if (!COUNTER.test(counter)) {
    fail("DUIS_REQUEST_ID", /^0[0-9]+$/.test(counter)
      ? `${field} counter "${counter}" has leading zeros`
      : `${field} counter "${counter}" is not a decimal integer 0..18446744073709551615`);
  }
  const value = BigInt(counter);
  if (value > MAX_COUNTER) fail("DUIS_REQUEST_ID", `${field} counter ${counter} is larger than 2^64-1`);
  return { originator: parseEui(originator), target: parseEui(target), counter: value };
}

/** `{ originator, target, counter }` -> "90-B3-D5-1F-30-01-00-00:00-DB-12-34-56-78-90-A2:1000". */
export function formatRequestId(id: RequestId): string {
  if (id.counter < 0n || id.counter > MAX_COUNTER) throw new RangeError(`counter ${id.counter} is outside 0..2^64-1`);
  return `${formatEui(id.originator)}:${formatEui(id.target)}:${id.counter.toString()}`;
}

// ---------------------------------------------------------------------------------------------
// DuisNode helpers

/** Builds a DuisNode: `node("DeviceID", "00-DB-...")`, `node("ReadInventory", [node(...)])`. */
export function node(name: string, content?: string | readonly DuisNode[], attributes?: Readonly<Record<string, string>>): DuisNode {
  const result: { name: string; attributes?: Readonly<Record<string, string>>; children?: readonly DuisNode[]; text?: string } = { name };
  if (attributes && Object.keys(attributes).length > 0) result.attributes = { ...attributes };
  if (typeof content === "string") {
    if (content !== "") result.text = content;
  } else if (content && content.length > 0) result.children = [...content];
  return result;
}

/** The first child element named `name`. */
export function child(parent: DuisNode, name: string): DuisNode | undefined {
  return parent.children?.find((c) => c.name === name);
}

/** Child elements, all or those named `name`, in document order. */
export function children(parent: DuisNode, name?: string): DuisNode[] {
  return (parent.children ?? []).filter((c) => name === undefined || c.name === name);
}

/** The node at `path` ("DeviceID", "DSPScheduleDetails/DeviceID"), following first matches. */
export function find(parent: DuisNode, path: string): DuisNode | undefined {
  let at: DuisNode | undefined = parent;
  for (const name of path.split("/")) {
    if (!at) return undefined;
    at = child(at, name);
  }
  return at;
}

/** Text of the node at `path` ("" when empty); undefined when there is no such node. */
export function text(parent: DuisNode, path: string): string | undefined {
  const found = find(parent, path);
  return found ? (found.text ?? "") : undefined;
}

/** Like `text`, but throws DuisError DUIS_VALUE when the node is missing or empty. */
export function requireText(parent: DuisNode, path: string): string {
  const value = text(parent, path);
  if (!value) fail("DUIS_VALUE", `${parent.name} has no ${path}`);
  return value;
}

export function attribute(element: DuisNode, name: string): string | undefined {
  return element.attributes?.[name];
}

/**
 * The EUI named by the body's own `DeviceID` child (non-device requests such as 8.2, 8.3, 8.4,
 * 8.6, 12.2 name their subject there, because the header target is the DCC); undefined when the
 * body has none. Throws DuisError DUIS_VALUE when it is not an EUI-64.
 */
export function bodyDeviceId(body: DuisBody): Eui | undefined {
  if (isSignedPreCommand(body)) return undefined;
  const value = text(body.content, "DeviceID");
  return value === undefined ? undefined : parseEui(value.trim());
}
