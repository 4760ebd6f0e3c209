// The three DLMS APDUs GBCS carries (gbcs.md section 4; IEC 62056-5-3 ACCESS and DATA-NOTIFICATION
// services) read into typed records: which attribute or method of which object, with what data and
// what result. Naming them in words is dlms.ts's job.
import { toHex } from "@opendcc/kernel";
import { cosemDateTime } from "./cosem-time.js";
import { readData, type DlmsData } from "./dlms-data.js";
import { Reader } from "./reader.js";

export type Service = "get" | "set" | "action" | "getWithSelection";

/** One Access-Request-Specification: a COSEM attribute or method descriptor. */
export interface RequestSpec {
  readonly service: Service;
  readonly classId: number;
  /** Six bytes, A-B:C.D.E.F. */
  readonly obis: string;
  /** Attribute id (get/set) or method id (action). */
  readonly id: number;
  readonly selectiveAccess?: { readonly selector: number; readonly parameters: DlmsData };
}

export interface AccessRequest {
  readonly apdu: "ACCESS.request";
  readonly invokeId: string;
  readonly dateTime: string | null;
  readonly specs: readonly RequestSpec[];
  readonly data: readonly DlmsData[];
}

export interface ResponseSpec {
  readonly service: "get" | "set" | "action";
  readonly result: number;
}

export interface AccessResponse {
  readonly apdu: "ACCESS.response";
  readonly invokeId: string;
  readonly dateTime: string | null;
  /** The request specifications when the device echoes them (GBCS devices do not). */
  readonly specs: readonly RequestSpec[] | null;
  readonly data: readonly DlmsData[];
  readonly results: readonly ResponseSpec[];
}

export interface DataNotification {
  readonly apdu: "DATA-NOTIFICATION";
  readonly invokeId: string;
  readonly dateTime: string | null;
  readonly body: DlmsData;
}

export type DlmsApdu = AccessRequest | AccessResponse | DataNotification;

export const ACCESS_REQUEST = 0xd9;
export const ACCESS_RESPONSE = 0xda;
export const DATA_NOTIFICATION = 0x0f;

const SERVICES: Readonly<Record<number, Service>> = { 1: "get", 2: "set", 3: "action", 4: "getWithSelection" };

export function obisText(bytes: Uint8Array): string {
  const [a, b, c, d, e, f] = bytes;
  return `${a}-${b}:${c}.${d}.${e}.${f}`;
}

/** Reads a whole DLMS content: every byte must belong to the APDU. */
export function readDlmsApdu(content: Uint8Array): DlmsApdu {
  const reader: Reader = new Reader(content);
  const tag = reader.byte("the DLMS APDU tag");
  const invokeId = toHex(reader.take(4, "the DLMS invoke-id"));
  const dateTime = readDateTime(reader);
  let apdu: DlmsApdu;
  if (tag === ACCESS_REQUEST) {
    const specs = readList(reader, "access request specifications", readRequestSpec);
    const data = readList(reader, "the list of data", readData);
    apdu = { apdu: "ACCESS.request", invokeId, dateTime, specs, data };
    if (data.length !== specs.length) reader.fail(`ACCESS.request has ${specs.length} specifications but ${data.length} data items`);
  } else if (tag === ACCESS_RESPONSE) {
    const echoed = reader.byte("the access-request-specification flag");
    if (echoed > 1) reader.fail(`invalid access-request-specification flag 0x${echoed.toString(16).padStart(2, "0")}`, reader.at - 1);
    const specs = echoed === 1 ? readList(reader, "access request specifications", readRequestSpec) : null;
    const data = readList(reader, "the list of data", readData);
    const results = readList(reader, "access response specifications", readResponseSpec);
    if (data.length !== results.length) reader.fail(`ACCESS.response has ${data.length} data items but ${results.length} results`);
    apdu = { apdu: "ACCESS.response", invokeId, dateTime, specs, data, results };
  } else if (tag === DATA_NOTIFICATION) {
    apdu = { apdu: "DATA-NOTIFICATION", invokeId, dateTime, body: readData(reader) };
  } else {
    reader.fail(`not a DLMS APDU GBCS uses (tag 0x${tag.toString(16).padStart(2, "0")})`, 0);
  }
  reader.end(`the DLMS ${apdu.apdu}`);
  return apdu;
}

/** The APDU's date-time: an A-XDR octet string, empty (00) in GBCS or 12 bytes. */
function readDateTime(reader: Reader): string | null {
  const at = reader.at;
  const length = reader.length("the DLMS date-time");
  if (length === 0) return null;
  if (length !== 12) reader.fail(`DLMS date-time must be empty or 12 bytes, not ${length}`, at);
  return cosemDateTime(reader.take(12, "the DLMS date-time"));
}

function readList<T>(reader: Reader, what: string, read: (reader: Reader) => T): T[] {
  const count = reader.length(what);
  if (count > reader.remaining) reader.fail(`truncated: ${count} ${what} announced, ${reader.remaining} bytes left`);
  const items: T[] = [];
  for (let i = 0; i < count; i++) items.push(read(reader));
  return items;
}

function readRequestSpec(reader: Reader): RequestSpec {
  const at = reader.at;
  const choice = reader.byte("an access request specification");
  const service = SERVICES[choice];
  if (!service) reader.fail(`unknown access request specification choice 0x${choice.toString(16).padStart(2, "0")}`, at);
  const classId = reader.uint(2, "a COSEM class id");
  const obis = obisText(reader.take(6, "an OBIS code"));
  const id = reader.byte(service === "action" ? "a COSEM method id" : "a COSEM attribute id");
  if (service !== "getWithSelection") return { service, classId, obis, id };
  const selector = reader.byte("a selective access selector");
  return { service, classId, obis, id, selectiveAccess: { selector, parameters: readData(reader) } };
}

function readResponseSpec(reader: Reader): ResponseSpec {
  const at = reader.at;
  const choice = reader.byte("an access response specification");
  const service = SERVICES[choice];
  if (!service || service === "getWithSelection") reader.fail(`unknown access response specification choice 0x${choice.toString(16).padStart(2, "0")}`, at);
  return { service, result: reader.byte("an access result") };
}
