// GBZ payloads (gas; ZigBee SE profile 0x0109), gbcs.md section 4: a component count and
// components, each a ZCL command for one cluster; alerts put an alert code and time first, and
// three alert message codes have layouts of their own. Encrypted components are opened with the
// context's openBlock when it can, and otherwise reported as ciphertext, never guessed at.
import { toHex } from "@opendcc/kernel";
import { formatMessageCode, messageCodeInfo } from "../message-codes.js";
import { alertMeaning, formatAlertCode } from "./alert-codes.js";
import { defaultResponse, readAttributes, readAttributesResponse } from "./gbz-attributes.js";
import { GbzCursor, isoTime } from "./gbz-cursor.js";
import { hexCode, readLayout } from "./gbz-fields.js";
import type { ClusterSpec, CommandSpec } from "./gbz-layouts.js";
import { CLUSTERS, PROFILE_COMMANDS } from "./gbz-names.js";
import type { ParsedPayload, ParsedValue, PayloadContext } from "./types.js";

type Fields = Record<string, ParsedValue>;

const GBZ_PROFILE_ID = 0x0109;

// Extended header control bits (GBCS 10.4.2): last component, encrypted, from-date-time present.
const CONTROL_LAST = 0x01;
const CONTROL_ENCRYPTED = 0x02;
const CONTROL_FROM_DATE_TIME = 0x10;

// Alert message codes whose body is not a list of components (gbcs.md section 4).
const FUTURE_DATED_OUTCOME = 0x00cd;
const FIRMWARE_RECEIPT = 0x00cf;
const METER_INTEGRITY_WARNING = 0x00f2;

/** `31 00000000` (authenticated and encrypted, suite 1, counter 0) then ciphertext and a 12-byte tag. */
const BLOCK_HEADER = [0x31, 0, 0, 0, 0];
const TAG_LENGTH = 12;

export function parseGbzPayload(content: Uint8Array, context: PayloadContext): ParsedPayload {
  const cursor = new GbzCursor(content);
  const profile = cursor.beUint(2, "the GBZ profile id");
  if (profile !== GBZ_PROFILE_ID) cursor.fail(`GBZ payload must start with profile id 0109, found ${profile.toString(16).padStart(4, "0")}`, 0);
  const count = cursor.u8("the GBZ component count");
  const fields: Fields = {};
  if (context.cra === 3) {
    const code = cursor.beUint(2, "the alert code");
    fields["alertCode"] = formatAlertCode(code);
    fields["alert"] = alertMeaning(code)?.meaning ?? null;
    fields["timestamp"] = isoTime(cursor.beUint(4, "the alert timestamp"));
    const special = readSpecialAlert(cursor, context.messageCode);
    if (special) Object.assign(fields, special);
    else fields["components"] = readComponents(cursor, count, context);
  } else {
    fields["components"] = readComponents(cursor, count, context);
  }
  cursor.expectEnd(context.cra === 3 ? "the GBZ alert" : "the last GBZ component");
  return { family: "GBZ", fields };
}

function readSpecialAlert(cursor: GbzCursor, messageCode: number): Fields | null {
  switch (messageCode) {
    case FUTURE_DATED_OUTCOME: return { deferredCommand: readFutureDatedOutcome(cursor) };
    case FIRMWARE_RECEIPT: {
      // The hash is a DLMS-style octet string: 09, length, bytes.
      const tagAt = cursor.offset;
      if (cursor.u8("the firmware hash tag") !== 0x09) cursor.fail("firmware receipt alert: the hash must be an octet string (tag 09)", tagAt);
      const length = cursor.u8("the firmware hash length");
      return { firmwareHash: toHex(cursor.take(length, "the firmware hash")) };
    }
    case METER_INTEGRITY_WARNING: return { integrityIssueCode: cursor.beUint(2, "the meter integrity issue code") };
    default: return null;
  }
}

// 0x00CD: the outcome of a future-dated GBZ command names the command it executed (GBCS 10.4.2.4).
function readFutureDatedOutcome(cursor: GbzCursor): Fields {
  const lengthAt = cursor.offset;
  const length = cursor.u8("the future-dated alert body length");
  if (length !== 14) cursor.fail(`future-dated alert body length must be 14 (0E), found ${length}`, lengthAt);
  const body = cursor.window(length, "the future-dated alert body");
  const messageCode = body.beUint(2, "the deferred message code");
  const counter = body.take(8, "the deferred originator counter");
  const clusterId = body.beUint(2, "the deferred cluster id");
  const frameControl = body.u8("the deferred frame control");
  const commandId = body.u8("the deferred command id");
  const cluster = CLUSTERS[clusterId];
  return {
    messageCode: formatMessageCode(messageCode),
    useCase: messageCodeInfo(messageCode)?.useCase ?? null,
    originatorCounter: counterValue(counter),
    clusterId: hexCode(clusterId),
    cluster: cluster?.name ?? null,
    commandId,
    command: commandOf(cluster, frameControl, commandId)?.name ?? null,
  };
}

function counterValue(bytes: Uint8Array): number | string {
  let value = 0n;
  for (const byte of bytes) value = (value << 8n) | BigInt(byte);
  return value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : value.toString();
}

function readComponents(cursor: GbzCursor, count: number, context: PayloadContext): Fields[] {
  const components: Fields[] = [];
  for (let i = 0; i < count; i++) components.push(readComponent(cursor, i + 1, context));
  return components;
}

function readComponent(cursor: GbzCursor, number: number, context: PayloadContext): Fields {
  const what = `GBZ component ${number}`;
  const controlAt = cursor.offset;
  const control = cursor.u8(`${what} control`);
  const undefinedBits = control & ~(CONTROL_LAST | CONTROL_ENCRYPTED | CONTROL_FROM_DATE_TIME);
  if (undefinedBits) cursor.fail(`${what} control 0x${control.toString(16).padStart(2, "0")} sets bits GBCS does not define`, controlAt);
  const clusterId = cursor.beUint(2, `${what} cluster id`);
  const length = cursor.beUint(2, `${what} length`);
  const body = cursor.window(length, what);
  const encrypted = (control & CONTROL_ENCRYPTED) !== 0;
  const cluster = CLUSTERS[clusterId];
  const component: Fields = { clusterId: hexCode(clusterId), cluster: cluster?.name ?? null, encrypted };
  if (encrypted) body.take(2, `${what} encryption header`); // additional header control and frame counter
  else if (control & CONTROL_FROM_DATE_TIME) component["fromDateTime"] = isoTime(body.beUint(4, `${what} from-date-time`));

  const frameControlAt = body.offset;
  const frameControl = body.u8(`${what} ZCL frame control`);
  const frameType = frameControl & 0x03;
  if (frameType > 1) body.fail(`${what} ZCL frame type ${frameType} is reserved`, frameControlAt);
  if (frameControl & 0x04) body.fail(`${what} is manufacturer specific, which GBCS does not use`, frameControlAt);
  const toClient = (frameControl & 0x08) !== 0;
  component["frameType"] = frameType === 0 ? "profileWide" : "clusterSpecific";
  component["direction"] = toClient ? "serverToClient" : "clientToServer";
  component["sequenceNumber"] = body.u8(`${what} ZCL sequence number`);
  const commandId = body.u8(`${what} ZCL command id`);
  const command = commandOf(cluster, frameControl, commandId);
  component["commandId"] = commandId;
  component["command"] = command?.name ?? null;

  const payload = encrypted ? openPayload(body, what, context, component) : body;
  if (payload) Object.assign(component, readZclPayload(payload, cluster, frameControl, commandId, command, what));
  return component;
}

/** The command a frame control and id name in a cluster, or undefined when the tables do not know it. */
function commandOf(cluster: ClusterSpec | undefined, frameControl: number, commandId: number): CommandSpec | undefined {
  if ((frameControl & 0x03) === 0) {
    const name = PROFILE_COMMANDS[commandId];
    return name ? { name, fields: [] } : undefined;
  }
  return (frameControl & 0x08 ? cluster?.toClient : cluster?.toServer)?.[commandId];
}

// An encrypted component ends with ciphered length (2) and the block. Returns a cursor over the
// plaintext, or null (with the ciphertext recorded) when the block cannot be opened here.
function openPayload(body: GbzCursor, what: string, context: PayloadContext, component: Fields): GbzCursor | null {
  const length = body.beUint(2, `${what} ciphered length`);
  const blockAt = body.offset;
  const block = body.take(length, `${what} encrypted block`);
  body.expectEnd(`${what} encrypted block`);
  if (block.length < BLOCK_HEADER.length + TAG_LENGTH || BLOCK_HEADER.some((byte, i) => block[i] !== byte)) {
    body.fail(`${what} encrypted block must start 31 00000000 and hold a 12-byte tag`, blockAt);
  }
  const plaintext = context.openBlock?.(block) ?? null;
  if (!plaintext) {
    component["decrypted"] = false;
    component["encryptedBlock"] = toHex(block);
    return null;
  }
  component["decrypted"] = true;
  // GCM is a counter mode: plaintext byte i sits where ciphertext byte i does.
  return new GbzCursor(plaintext, blockAt + BLOCK_HEADER.length);
}

function readZclPayload(
  payload: GbzCursor, cluster: ClusterSpec | undefined, frameControl: number, commandId: number, command: CommandSpec | undefined, what: string,
): Fields {
  const toClient = (frameControl & 0x08) !== 0;
  let fields: Fields;
  if ((frameControl & 0x03) === 0) {
    if (commandId === 0x00) fields = readAttributes(payload, cluster);
    else if (commandId === 0x01) fields = readAttributesResponse(payload, cluster);
    else if (commandId === 0x0b) fields = defaultResponse(payload, cluster, toClient);
    else return { payloadHex: toHex(payload.rest()) };
  } else if (command) {
    fields = readLayout(payload, command.fields, `${what} ${command.name}`);
    if (command.name === "getSampledDataResponse") timestampSamples(fields);
    applyTrailingDigits(fields, "conversionFactor", "conversionFactorTrailingDigits");
    applyTrailingDigits(fields, "calorificValue", "calorificValueTrailingDigits");
  } else {
    // Unknown cluster or command: the structure is known, the meaning is not.
    return { payloadHex: toHex(payload.rest()) };
  }
  payload.expectEnd(`${what} ${command?.name ?? "ZCL"} payload`);
  return { payload: fields };
}

// Profile data (GCS17): sample i was taken at start + i x interval (ZSE D.3.2.4.7). An interval of
// 0xFFFF (the RTDS GCS61 daily log) does not say the spacing in seconds, so those samples keep no
// times rather than wrong ones.
const INTERVAL_NOT_IN_SECONDS = 0xffff;

function timestampSamples(fields: Fields): void {
  const start = fields["sampleStartTime"];
  const interval = fields["sampleRequestIntervalSeconds"];
  const samples = fields["samples"];
  if (typeof start !== "string" || typeof interval !== "number" || !Array.isArray(samples)) return;
  if (interval === 0 || interval === INTERVAL_NOT_IN_SECONDS) return;
  const startMs = Date.parse(start);
  if (Number.isNaN(startMs)) return;
  fields["samples"] = samples.map((value, i) => ({
    time: new Date(startMs + i * interval * 1000).toISOString().replace(".000Z", "Z"),
    value,
  }));
}

// Publish Conversion Factor and Publish Calorific Value (ZSE D.4.2.4.3-4) send an integer and how
// many of its digits lie after the decimal point: the field is the value itself (the digits stay
// beside it, so the integer sent is still known).
function applyTrailingDigits(fields: Fields, name: string, digitsName: string): void {
  const raw = fields[name];
  const digits = fields[digitsName];
  if (typeof raw !== "number" || typeof digits !== "number") return;
  fields[name] = Number((raw / 10 ** digits).toPrecision(15));
}
