// DLMS payloads (gbcs.md section 4) as named JSON: what each request asks of which object, what
// each response result holds, and what a DATA-NOTIFICATION alert says. Encrypted protected
// attribute answers (gbcs.md section 7) are opened with context.openBlock when keys are at hand.
import { readCounter, toHex } from "@opendcc/kernel";
import { alertMeaning, formatAlertCode } from "./alert-codes.js";
import { numberOf, plain, readData, type DlmsData } from "./dlms-data.js";
import { readDlmsApdu, type AccessRequest, type AccessResponse, type DataNotification, type RequestSpec } from "./dlms-apdu.js";
import {
  attributeRef, attributeValue, generic, hexOf, methodRef, objectRef, obisOf, scaled, selectiveAccess,
} from "./dlms-names.js";
import { protectedValueNames, useCaseLayouts, useCaseSpecs, type UseCaseSpec } from "./dlms-use-cases.js";
import { attributeName, cosemClass, methodName } from "./cosem-classes.js";
import { formatMessageCode, messageCodeInfo } from "../message-codes.js";
import { Reader } from "./reader.js";
import { GbcsParseError, type ParsedPayload, type ParsedValue, type PayloadContext } from "./types.js";

type Fields = Record<string, ParsedValue>;
type Target = Pick<UseCaseSpec, "service" | "classId" | "obis" | "id" | "protectedAttributes">;

const DATA_PROTECTION = 30;

export function parseDlmsPayload(content: Uint8Array, context: PayloadContext): ParsedPayload {
  const apdu = readDlmsApdu(content);
  const head: Fields = { apdu: apdu.apdu, invokeId: apdu.invokeId, dateTime: apdu.dateTime };
  switch (apdu.apdu) {
    case "ACCESS.request":
      return { family: "DLMS", fields: { ...head, requests: requests(apdu) } };
    case "ACCESS.response":
      return { family: "DLMS", fields: { ...head, ...responses(apdu, context) } };
    case "DATA-NOTIFICATION":
      return { family: "DLMS", fields: { ...head, ...notification(apdu, context) } };
  }
}

function requests(apdu: AccessRequest): ParsedValue[] {
  return apdu.specs.map((spec, i) => {
    const data = apdu.data[i] as DlmsData;
    const named: Fields = { service: spec.service, ...(spec.service === "action" ? methodRef(spec.classId, spec.obis, spec.id) : attributeRef(spec.classId, spec.obis, spec.id)) };
    if (spec.selectiveAccess) named.selectiveAccess = selectiveAccess(spec.selectiveAccess.selector, spec.selectiveAccess.parameters);
    // A get carries null in the list of data; set and action carry the value or parameters.
    if (spec.service === "set" || spec.service === "action" || data.type !== "null") named.value = requestValue(spec, data);
    return named;
  });
}

function requestValue(spec: RequestSpec, data: DlmsData): ParsedValue {
  if (spec.service === "action") {
    if (spec.classId === DATA_PROTECTION && spec.id === 1) return protectedAttributesRequest(data);
    return generic(data);
  }
  return attributeValue(spec.classId, spec.obis, spec.id, data);
}

/**
 * Data Protection get_protected_attributes: which attributes to return encrypted, each with an
 * optional restriction (Blue Book class 30: 0 none, 1 by date range, 2 by entry), and the
 * protection parameters (gbcs.md section 4, encrypted reads).
 */
function protectedAttributesRequest(data: DlmsData): ParsedValue {
  if (data.type !== "structure" || data.items.length !== 2 || data.items[0]?.type !== "array") return generic(data);
  const [list, parameters] = data.items as [{ items: readonly DlmsData[] }, DlmsData];
  const attributes = list.items.map((item) => {
    if (item.type !== "structure" || item.items.length < 3) return generic(item);
    const [classId, obis, id, , restriction] = item.items;
    const obisText = obisOf(obis);
    if (numberOf(classId) === null || obisText === null || numberOf(id) === null) return generic(item);
    return { ...attributeRef(numberOf(classId) as number, obisText, numberOf(id) as number), restriction: restrictionOf(restriction) };
  });
  return { protectedAttributes: attributes, protectionParameters: protectionParameters(parameters) };
}

function restrictionOf(data: DlmsData | undefined): ParsedValue {
  if (data?.type !== "structure" || data.items.length !== 2) return data ? generic(data) : null;
  const [type, value] = data.items as [DlmsData, DlmsData];
  const kind = numberOf(type);
  if (kind === 0) return { type: "none" };
  if (kind === 1 && value.type === "structure" && value.items.length === 2) {
    return { type: "byDate", from: plain(value.items[0] as DlmsData), to: plain(value.items[1] as DlmsData) };
  }
  if (kind === 2 && value.type === "structure" && value.items.length === 2) {
    return { type: "byEntry", fromEntry: plain(value.items[0] as DlmsData), toEntry: plain(value.items[1] as DlmsData) };
  }
  return { type: kind, value: generic(value) };
}

/** An array of protection parameters (protection type + options), or plain when shaped otherwise. */
function protectionParameters(data: DlmsData): ParsedValue {
  if (data.type !== "array") return generic(data);
  return data.items.map((item) => {
    if (item.type !== "structure" || item.items.length !== 2 || item.items[1]?.type !== "structure") return generic(item);
    const [type, options] = item.items as [DlmsData, { items: readonly DlmsData[] }];
    const [transactionId, originator, recipient, otherInformation, keyInfo] = options.items;
    const protectionType = numberOf(type);
    return {
      protectionType: protectionType === 2 ? "authenticationAndEncryption" : protectionType,
      transactionId: hexOf(transactionId),
      originator: hexOf(originator),
      recipient: hexOf(recipient),
      otherInformation: hexOf(otherInformation),
      keyInfo: keyInfo ? generic(keyInfo) : null,
    };
  });
}

/** Result names (Blue Book Data-Access-Result / Action-Result). */
const RESULTS: Readonly<Record<number, string>> = {
  0: "success", 1: "hardwareFault", 2: "temporaryFailure", 3: "readWriteDenied", 4: "objectUndefined", 9: "objectClassInconsistent",
  11: "objectUnavailable", 12: "typeUnmatched", 13: "scopeOfAccessViolated", 14: "dataBlockUnavailable", 15: "longOperationAborted",
  16: "noLongOperationInProgress", 250: "otherReason",
};

const sameService = (asked: UseCaseSpec["service"], answered: string): boolean =>
  answered === (asked === "getWithSelection" ? "get" : asked);

/** A result whose possible layouts agree on its class and attribute or method, not on its object. */
interface ClassOnly {
  readonly classId: number;
  readonly id: number;
}

/**
 * What each result answers: the echoed specs, else the command's layout when it fits exactly
 * (same count, same services), else what every fitting layout of a variable command agrees on.
 */
function answered(apdu: AccessResponse, messageCode: number): readonly (Target | ClassOnly | undefined)[] {
  if (apdu.specs) return apdu.specs;
  const fits = (specs: readonly UseCaseSpec[]) =>
    specs.length === apdu.results.length && specs.every((spec, i) => sameService(spec.service, apdu.results[i]?.service ?? ""));
  const known = useCaseSpecs(messageCode);
  if (known) return fits(known) ? known : [];
  const layouts = (useCaseLayouts(messageCode) ?? []).filter(fits);
  if (layouts.length === 0) return [];
  return apdu.results.map((_, i) => {
    const [first, ...others] = layouts.map((specs) => specs[i] as UseCaseSpec) as [UseCaseSpec, ...UseCaseSpec[]];
    if (others.every((spec) => spec.classId === first.classId && spec.obis === first.obis && spec.id === first.id)) return first;
    return others.every((spec) => spec.classId === first.classId && spec.id === first.id) ? { classId: first.classId, id: first.id } : undefined;
  });
}

const isTarget = (target: Target | ClassOnly): target is Target => "obis" in target;

function classOnlyRef(service: string, { classId, id }: ClassOnly): Fields {
  const className = cosemClass(classId)?.name ?? null;
  return service === "action" ? { classId, className, methodId: id, method: methodName(classId, id) } : { classId, className, attributeId: id, attribute: attributeName(classId, id) };
}

function responses(apdu: AccessResponse, context: PayloadContext): Fields {
  const asked = answered(apdu, context.messageCode);
  const registers: Fields = {};
  const results = apdu.results.map((result, i) => {
    const data = apdu.data[i] as DlmsData;
    const target = asked[i];
    const named: Fields = { service: result.service, result: RESULTS[result.result] ?? `result${result.result}`, resultCode: result.result };
    if (!target || !isTarget(target)) {
      if (target) Object.assign(named, classOnlyRef(result.service, target));
      named.value = protectedOrGeneric(data, undefined, context);
      return named;
    }
    Object.assign(named, result.service === "action" ? methodRef(target.classId, target.obis, target.id) : attributeRef(target.classId, target.obis, target.id));
    named.value = result.service === "action" ? protectedOrGeneric(data, target, context) : attributeValue(target.classId, target.obis, target.id, data);
    collectRegister(registers, target, data);
    return named;
  });
  return { results, ...(Object.keys(registers).length > 0 ? { registers: finishRegisters(registers) } : {}) };
}

/**
 * Registers read as value (attribute 2) and scaler-unit (attribute 3) of the same object, merged
 * into one measurement per object (classes 3 Register and 4 Extended register).
 */
function collectRegister(registers: Fields, target: Target, data: DlmsData): void {
  if (target.classId !== 3 && target.classId !== 4) return;
  const name = String(objectRef(target.classId, target.obis).object);
  const entry = (registers[name] ?? {}) as Fields;
  if (target.id === 2) entry.value = plain(data);
  if (target.id === 3 && data.type === "structure" && data.items.length === 2) {
    entry.scaler = numberOf(data.items[0]);
    entry.unit = attributeValueUnit(data);
  }
  registers[name] = entry;
}

const attributeValueUnit = (data: DlmsData): ParsedValue => {
  const value = generic(data);
  return typeof value === "object" && value !== null && !Array.isArray(value) ? ((value as Fields).unit ?? null) : null;
};

function finishRegisters(registers: Fields): Fields {
  const out: Fields = {};
  for (const [name, value] of Object.entries(registers)) {
    const entry = value as Fields;
    const scaledValue = typeof entry.value === "number" && typeof entry.scaler === "number" ? scaled(entry.value, entry.scaler) : null;
    out[name] = { value: entry.value ?? null, scaler: entry.scaler ?? null, unit: entry.unit ?? null, scaledValue };
  }
  return out;
}

const isBlock = (data: DlmsData | undefined): data is { type: "octetString"; bytes: Uint8Array; offset: number } =>
  data?.type === "octetString" && data.bytes.length >= 17 && data.bytes[0] === 0x31 &&
  data.bytes[1] === 0 && data.bytes[2] === 0 && data.bytes[3] === 0 && data.bytes[4] === 0;

/**
 * A protected attributes answer: structure { protection parameters, encrypted block } (gbcs.md
 * section 7). Decrypted with context.openBlock and named after the attributes the command asked for.
 */
function protectedOrGeneric(data: DlmsData, target: Target | undefined, context: PayloadContext): ParsedValue {
  if (data.type !== "structure" || data.items.length !== 2 || !isBlock(data.items[1])) return generic(data);
  const block = data.items[1];
  const out: Fields = { encrypted: true, protectionParameters: protectionParameters(data.items[0] as DlmsData) };
  const clear = context.openBlock?.(block.bytes) ?? null;
  out.decrypted = clear !== null;
  if (clear === null) {
    out.ciphertextLength = block.bytes.length;
    return out;
  }
  // The plaintext is one Data item: a structure with one entry per protected attribute.
  const reader = new Reader(clear, 0, block.offset);
  const value = readData(reader);
  reader.end("the decrypted protected attributes");
  const wanted = target?.protectedAttributes;
  if (value.type === "structure" && wanted && wanted.length === value.items.length) {
    out.attributes = value.items.map((item, i) => {
      const { classId, obis, id } = wanted[i] as { classId: number; obis: string; id: number };
      return { ...attributeRef(classId, obis, id), value: attributeValue(classId, obis, id, item) };
    });
  } else {
    out.attributes = value.type === "structure" ? value.items.map((item) => ({ value: namedValues(item, context) ?? generic(item) })) : [{ value: generic(value) }];
  }
  return out;
}

/** A protected value known only by what it holds (dlms-use-cases.ts `protectedValueNames`): a structure of those values. */
function namedValues(data: DlmsData, context: PayloadContext): Fields | null {
  const names = protectedValueNames(context.messageCode);
  if (!names || data.type !== "structure" || data.items.length !== names.length || data.items.some((item) => numberOf(item) === null)) return null;
  return Object.fromEntries(names.map((name, i) => [name, numberOf(data.items[i])]));
}

/** DATA-NOTIFICATION alerts: structure { alert code, timestamp, use-case items... } (gbcs.md section 4). */
function notification(apdu: DataNotification, context: PayloadContext): Fields {
  const body = apdu.body;
  if (body.type !== "structure" || body.items.length < 2 || body.items[0]?.type !== "uint16" || body.items[1]?.type !== "octetString") {
    throw new GbcsParseError("DLMS alert body must be a structure starting with the alert code (long-unsigned) and its time stamp (octet-string)", 6);
  }
  const [codeItem, timeItem, ...rest] = body.items as [DlmsData, DlmsData & { bytes: Uint8Array; offset: number }, ...DlmsData[]];
  if (timeItem.bytes.length !== 12) throw new GbcsParseError(`DLMS alert time stamp must be 12 bytes, not ${timeItem.bytes.length}`, timeItem.offset);
  const alertCode = numberOf(codeItem) as number;
  const meaning = alertMeaning(alertCode);
  const fields: Fields = {
    alertCode: formatAlertCode(alertCode),
    alert: meaning?.meaning ?? null,
    annex5Alert: meaning?.annex5 ?? null,
    timestamp: plain(timeItem),
  };
  const special = specialAlert(context.messageCode, rest);
  if (special) return { ...fields, ...special };
  return { ...fields, items: rest.map((item) => protectedOrGeneric(item, undefined, context)) };
}

/** Message codes whose DLMS alert carries octet strings with a fixed layout. */
function specialAlert(messageCode: number, rest: readonly DlmsData[]): Fields | null {
  // ECS80 Supply Outage Restore Alert: when the outage began and when the supply came back (two
  // COSEM date-times, RTDS ECS80_NA_8F36).
  if (messageCode === 0x0067 && rest.length === 2 && rest.every((item) => item.type === "octetString" && item.bytes.length === 12)) {
    return { outageStartedAt: plain(rest[0] as DlmsData), supplyRestoredAt: plain(rest[1] as DlmsData) };
  }
  const only = rest.length === 1 && rest[0]?.type === "octetString" ? rest[0] : null;
  if (!only) return null;
  switch (messageCode) {
    case 0x00cc:
      return only.bytes.length === 19 ? { deferredCommand: futureDatedOutcome(only.bytes) } : null;
    case 0x00ce:
      return { firmwareHash: toHex(only.bytes) };
    case 0x00f0:
      return only.bytes.length === 2 ? { integrityIssueCode: ((only.bytes[0] as number) << 8) | (only.bytes[1] as number) } : null;
    default:
      return null;
  }
}

/**
 * The future-dated outcome (0x00CC): which deferred command ran: its message code (2), originator
 * counter (8), then the COSEM attribute descriptor class (2) + OBIS (6) + attribute (1) it changed.
 */
function futureDatedOutcome(bytes: Uint8Array): Fields {
  const messageCode = ((bytes[0] as number) << 8) | (bytes[1] as number);
  const classId = ((bytes[10] as number) << 8) | (bytes[11] as number);
  const [a, b, c, d, e, f] = bytes.subarray(12, 18);
  return {
    messageCode: formatMessageCode(messageCode),
    useCase: messageCodeInfo(messageCode)?.useCase ?? null,
    originatorCounter: safeNumber(readCounter(bytes, 2)),
    ...attributeRef(classId, `${a}-${b}:${c}.${d}.${e}.${f}`, bytes[18] as number),
  };
}

/** A 64-bit count as a number when it fits in 2^53, else as a decimal string. */
function safeNumber(value: bigint): number | string {
  return value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : value.toString();
}
