// Pairs each RTDS COMMAND / PRECOMMAND vector with the DUIS sample of the same use case and
// variant (an _ERROR vector uses the _SUCCESS sample), and checks a transform against it the way
// the GBCS issue sets out: the vector's counter replaces the sample's; a critical command's
// Pre-Command must equal the PRECOMMAND vector, and with the vector's signature appended and MAC'd
// the COMMAND vector; a non-critical command, MAC'd, must equal the COMMAND vector.
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { join } from "node:path";
import { concatBytes, fromHex, parseFrame, readCounter, toHex } from "@opendcc/kernel";
import { parseRequest, type ServiceBody } from "@opendcc/duis";
import { ACCESS_CONTROL_BROKER, REFERENCE_ESTATE, headerOf, protectApdu, transformRequest, useCaseFor, type DeviceType, type KeyRing, type OtherDevice, type RestoredDeviceLog, type TransformInput } from "../../src/index.js";
import { fixturesDir, referenceDir } from "../../../../test/support/fixtures.js";
import { DERIVED_REQUESTS } from "../requests/derived.js";

export interface TransformPair {
  readonly vector: string;
  readonly kind: "COMMAND" | "PRECOMMAND";
  readonly sample: string;
  readonly useCase: string;
}

export type PairOutcome =
  | { readonly status: "match" }
  | { readonly status: "no-encoder"; readonly detail: string }
  | { readonly status: "mismatch" | "error"; readonly detail: string };

/**
 * Test requests the project wrote itself, with a vector's values, for vectors that have no DUIS
 * sample in the fixtures; named like the fixture samples. Those that are a fixture sample with a
 * few changes are not files but derivations (`sampleText`).
 */
export const ownRequestsDir = fileURLToPath(new URL("../requests/", import.meta.url));

/**
 * A test request's XML: our own file, else a derivation of a fixture sample (requests/derived.ts,
 * made when the tests run so that no fixture content is copied; one with a fixture sample's own
 * name corrects that sample, with the reason), else the fixture sample.
 */
export function sampleText(name: string): string {
  const own = join(ownRequestsDir, name);
  if (existsSync(own)) return readFileSync(own, "utf8");
  const derived = DERIVED_REQUESTS.find((request) => request.name === name);
  if (derived) return derived.edit(readFileSync(join(fixturesDir, "duis", derived.from), "utf8"));
  return readFileSync(join(fixturesDir, "duis", name), "utf8");
}

/** The names of our own test requests, files and derivations (read each with `sampleText`). */
export function ownRequestNames(): string[] {
  const files = existsSync(ownRequestsDir) ? readdirSync(ownRequestsDir).filter((name) => name.endsWith("_REQUEST_DUIS.XML")) : [];
  return [...files, ...DERIVED_REQUESTS.map((request) => request.name)].sort();
}

export function transformPairs(): TransformPair[] {
  const samples = new Set([...readdirSync(join(fixturesDir, "duis")), ...ownRequestNames()]);
  const index = JSON.parse(readFileSync(join(referenceDir, "rtds-index.json"), "utf8")) as { file: string; kind: string; useCase: string }[];
  const pairs: TransformPair[] = [];
  for (const entry of index) {
    if (entry.kind !== "COMMAND" && entry.kind !== "PRECOMMAND") continue;
    const base = (entry.file.split("/")[1] as string).replace(/_(PRE)?COMMAND_GBCS\.HEX$/, "");
    const sample = [base, base.replace(/ERROR/, "SUCCESS")].map((name) => `${name}_REQUEST_DUIS.XML`).find((name) => samples.has(name));
    if (sample) pairs.push({ vector: entry.file, kind: entry.kind, sample, useCase: entry.useCase });
  }
  return pairs;
}

/** The fixture estate's device types (the harness has no inventory). */
export function fixtureDeviceType(useCase: string, target: string): DeviceType {
  return REFERENCE_ESTATE[target] ?? (useCase.startsWith("GCS") ? "GSME" : "ESME");
}

/** Join message codes: CS03A1, CS03B, CS03A2, CS03C. */
const JOIN_MESSAGE_CODES: ReadonlySet<number> = new Set([0x000d, 0x000e, 0x00ab, 0x00af]);
/** GBCS DeviceType codes of a join command (0 GSME ... 6 any Type 2 device). */
const GBCS_DEVICE_TYPES: readonly DeviceType[] = ["GSME", "ESME", "CHF", "GPF", "HCALCS", "PPMID", "IHD"];

/**
 * What the inventory and the SMKI would say of the device a join names (TransformInput.otherDevice):
 * the RTDS has no inventory, so its type, and for a Method C join its certificate, are read from
 * the vector's own join command, SEQUENCE { INTEGER method, OCTET STRING (8) id, INTEGER type,
 * [certificate] }. Only those two values are taken; the method and the id come from the request.
 */
export function otherDeviceInJoin(content: Uint8Array): OtherDevice {
  const byte = (at: number) => content[at] ?? -1;
  const lengthSize = byte(1) < 0x80 ? 1 : 1 + (byte(1) & 0x7f);
  const method = 1 + lengthSize;
  const id = method + 3;
  const type = id + 10;
  const deviceType = GBCS_DEVICE_TYPES[byte(type + 2)];
  if (byte(0) !== 0x30 || byte(method) !== 0x02 || byte(id) !== 0x04 || byte(id + 1) !== 8 || byte(type) !== 0x02 || byte(type + 1) !== 1 || !deviceType) {
    throw new Error("not a join command: SEQUENCE { INTEGER, OCTET STRING (8), INTEGER, ... } expected");
  }
  const certificate = content.subarray(type + 3);
  return certificate.length > 0 ? { deviceType, certificate } : { deviceType };
}

/** Restore message codes: CCS03 (a CHF's log), GCS59 (a GPF's). */
const RESTORE_CHF_LOG = 0x0003;
const RESTORE_GPF_LOG = 0x008c;

/**
 * The device log the RTDS's DCC had stored for the old hub (TransformInput.restoredDeviceLog):
 * the RTDS has no inventory and no CHF backup, so the devices are read from the vector's own
 * restore command. CCS03: ACCESS.request with one action whose data is structure { octet-string
 * (8) extended PAN ID, array of structure { octet-string (8) EUI-64, octet-string (16) link key } };
 * GCS59: SEQUENCE { SEQUENCE OF SEQUENCE { OCTET STRING (8) EUI-64, INTEGER type } }.
 */
export function restoredDeviceLogIn(messageCode: number, content: Uint8Array): RestoredDeviceLog {
  let at = 0;
  const take = (length: number) => content.subarray(at, (at += length));
  const expect = (...bytes: number[]) => {
    const found = [...take(bytes.length)];
    if (found.some((byte, i) => byte !== bytes[i])) throw new Error(`restore command: ${toHex(Uint8Array.from(bytes))} expected at ${at - bytes.length}, found ${toHex(Uint8Array.from(found))}`);
  };
  const hexId = () => toHex(take(8));
  if (messageCode === RESTORE_CHF_LOG) {
    take(1 + 4 + 1 + 1 + 10 + 1); // D9, invoke-id, no date-time, one spec (action 104 0-0:30.3.0.255 5), one data
    expect(0x02, 0x02, 0x09, 0x08);
    const extendedPanId = take(8);
    expect(0x01);
    const count = take(1)[0] ?? 0;
    const devices = Array.from({ length: count }, () => {
      expect(0x02, 0x02, 0x09, 0x08);
      const deviceId = hexId();
      expect(0x09, 0x10);
      return { deviceId, linkKey: take(16) };
    });
    return { extendedPanId, devices };
  }
  if (messageCode !== RESTORE_GPF_LOG) throw new Error(`message code ${messageCode} is not a device log restore`);
  expect(0x30);
  take(1);
  expect(0x30);
  const end = at + 1 + (take(1)[0] ?? 0) - 1;
  const devices = [];
  while (at < end) {
    expect(0x30, 0x0d, 0x04, 0x08);
    const deviceId = hexId();
    expect(0x02, 0x01);
    const deviceType = GBCS_DEVICE_TYPES[take(1)[0] ?? -1];
    if (!deviceType) throw new Error("restore command: unknown GBCS device type");
    devices.push({ deviceId, deviceType });
  }
  return { devices };
}

/** The Customer Identification Number the RTDS's DCC generated: every 9.1 vector carries it. */
const RTDS_CUSTOMER_IDENTIFICATION_NUMBER = "1234";

/**
 * What the DCC itself knows and a request does not carry, as the RTDS's DCC had it, for the
 * transform of a vector's request: the joined device (otherDeviceInJoin), the CIN it issued and
 * the device log it restores (restoredDeviceLogIn).
 */
export function dccFacts(srv: string, vector: Uint8Array): Pick<TransformInput, "otherDevice" | "customerIdentificationNumber" | "restoredDeviceLog"> {
  const frame = parseFrame(vector);
  const content = vector.subarray(frame.content.offset, frame.content.offset + frame.content.length);
  return {
    ...(JOIN_MESSAGE_CODES.has(frame.messageCode) ? { otherDevice: otherDeviceInJoin(content) } : {}),
    ...(srv === "9.1" ? { customerIdentificationNumber: RTDS_CUSTOMER_IDENTIFICATION_NUMBER } : {}),
    ...(srv.startsWith("8.12.") ? { restoredDeviceLog: restoredDeviceLogIn(frame.messageCode, content) } : {}),
  };
}

export async function checkPair(pair: TransformPair, ring: KeyRing): Promise<PairOutcome> {
  const vector = fromHex(readFileSync(join(fixturesDir, "rtds", pair.vector), "utf8"));
  const frame = parseFrame(vector);
  const header = headerOf(vector, frame);
  const request = parseRequest(sampleText(pair.sample));
  const body = request.body as ServiceBody;
  const deviceType = fixtureDeviceType(pair.useCase, request.header.requestId.target);
  const srv = request.header.serviceReferenceVariant;
  if (!useCaseFor(srv, deviceType, pair.useCase)) return { status: "no-encoder", detail: `SRV ${srv} on ${deviceType}` };
  // A command the ACB originates carries the ACB's counter in the header and the request's as the
  // supplementary remote-party counter (gbcs.md 2b).
  const other = vector.subarray(frame.otherInfo.offset, frame.otherInfo.offset + frame.otherInfo.length);
  const byBroker = header.originator === ACCESS_CONTROL_BROKER && other.length >= 18;
  let result;
  try {
    result = transformRequest({
      srv, deviceType, commandVariant: request.header.commandVariant,
      requestId: { ...request.header.requestId, counter: byBroker ? readCounter(other, 10) : header.counter },
      ...(byBroker ? { acbCounter: header.counter } : {}),
      // the vector's use case stands for what the inventory knows of the device (variant, GBCS version)
      useCase: pair.useCase,
      ...(/_TWIN_/.test(pair.vector) ? { meterVariant: "twin-element" as const } : {}),
      // the joined device's type and certificate stand for the inventory's and the SMKI's
      ...dccFacts(srv, vector),
      executionDateTime: body.executionDateTime, body: body.content,
    });
  } catch (error) {
    return { status: "error", detail: (error as Error).message };
  }
  const apdu = vector.subarray(frame.apdu.offset, frame.apdu.offset + frame.apdu.length);
  let expected: Uint8Array;
  let actual: Uint8Array;
  if (pair.kind === "PRECOMMAND") {
    expected = frame.signature === "empty" ? apdu.subarray(0, apdu.length - 1) : apdu;
    actual = result.apdu;
  } else if (result.critical || result.signedByAcb) {
    // the user's signature, or the ACB's: ECDSA signatures differ each time, so the vector's is used
    if (frame.signature !== "present") return { status: "mismatch", detail: "transform says signed, the vector is not" };
    const signature = vector.subarray(frame.signatureOffset as number, (frame.signatureOffset as number) + 64);
    expected = vector;
    actual = await protectApdu(concatBytes(result.apdu, Uint8Array.of(0x40), signature), ring);
  } else {
    expected = vector;
    actual = await protectApdu(result.apdu, ring);
  }
  if (toHex(actual) === toHex(expected)) return { status: "match" };
  return { status: "mismatch", detail: firstDifference(expected, actual) };
}

function firstDifference(expected: Uint8Array, actual: Uint8Array): string {
  let at = 0;
  while (at < expected.length && at < actual.length && expected[at] === actual[at]) at++;
  const around = (bytes: Uint8Array) => toHex(bytes.subarray(Math.max(0, at - 4), at + 12));
  return `first difference at byte ${at} of ${expected.length} (got ${actual.length}): expected …${around(expected)}…, got …${around(actual)}…`;
}
