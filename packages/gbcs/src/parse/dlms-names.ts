// Turns decoded DLMS Data into named, typed JSON for the object it belongs to: scaler-unit pairs
// become {scaler, unit}, a value followed by its scaler-unit becomes a measurement, log entries
// get ISO timestamps and event meanings, text objects become text. Whatever has no known shape
// stays plain (dlms-data.ts `plain`): naming never drops or invents a value.
import { toHex } from "@opendcc/kernel";
import { alertMeaning, formatAlertCode } from "./alert-codes.js";
import { attributeName, cosemClass, methodName, unitSymbol } from "./cosem-classes.js";
import { classAttributeValue } from "./cosem-values.js";
import { secondsSince2000 } from "./cosem-time.js";
import { numberOf, plain, type DlmsData } from "./dlms-data.js";
import { obisName } from "./obis-names.js";
import type { ParsedValue } from "./types.js";

type Fields = Record<string, ParsedValue>;

/** How an object is named: its class, OBIS code and (when known) a developer name. */
export function objectRef(classId: number, obis: string): Fields {
  return { classId, className: cosemClass(classId)?.name ?? null, obis, object: obisName(obis)?.name ?? obis };
}

export function attributeRef(classId: number, obis: string, id: number): Fields {
  return { ...objectRef(classId, obis), attributeId: id, attribute: attributeName(classId, id) };
}

export function methodRef(classId: number, obis: string, id: number): Fields {
  return { ...objectRef(classId, obis), methodId: id, method: methodName(classId, id) };
}

const isScalerUnit = (data: DlmsData | undefined): data is { type: "structure"; items: readonly DlmsData[] } =>
  data?.type === "structure" && data.items.length === 2 && data.items[0]?.type === "int8" && data.items[1]?.type === "enum";

function scalerUnit(data: { items: readonly DlmsData[] }): Fields {
  const scaler = numberOf(data.items[0]) ?? 0;
  const unit = numberOf(data.items[1]) ?? 0;
  return { scaler, unit: unitSymbol(unit) };
}

/** value x 10^scaler without binary noise (0.1 + 0.2 style) in the printed number. */
export function scaled(value: number, scaler: number): number {
  return Number((value * 10 ** scaler).toPrecision(15));
}

function measurement(value: DlmsData, unitData: { items: readonly DlmsData[] }): Fields {
  const raw = plain(value);
  const { scaler, unit } = scalerUnit(unitData) as { scaler: number; unit: string };
  const number = numberOf(value);
  return { value: raw, scaler, unit, ...(number === null ? {} : { scaledValue: scaled(number, scaler) }) };
}

/**
 * A list of items where a number followed by a scaler-unit structure is one measurement (the
 * register layout of GBCS energy register reads), other items plain.
 */
function withMeasurements(items: readonly DlmsData[]): ParsedValue[] {
  const out: ParsedValue[] = [];
  for (let i = 0; i < items.length; i++) {
    const item = items[i] as DlmsData;
    const next = items[i + 1];
    if (numberOf(item) !== null && isScalerUnit(next)) {
      out.push(measurement(item, next));
      i++;
    } else {
      out.push(generic(item));
    }
  }
  return out;
}

/** Plain rendering that still recognises scaler-units and measurements at any depth. */
export function generic(data: DlmsData): ParsedValue {
  if (isScalerUnit(data)) return scalerUnit(data);
  if (data.type === "structure" || data.type === "array" || data.type === "compactArray") return withMeasurements(data.items);
  return plain(data);
}

/** The attributes holding an object's value: 2, and a GBCS extended data object's passive value (4). */
const isValueAttribute = (classId: number, id: number): boolean => id === 2 || (classId === 9000 && id === 4);

const isLog = (obis: string): boolean => /^0-\d+:99\.98\.\d+\.255$/.test(obis);
const isProfile = (classId: number, id: number): boolean => classId === 7 && id === 2;

/** The named value of attribute `id` of an object. */
export function attributeValue(classId: number, obis: string, id: number, data: DlmsData): ParsedValue {
  if (data.type === "octetString" && obisName(obis)?.text && isValueAttribute(classId, id)) return String.fromCharCode(...data.bytes);
  if (isProfile(classId, id) && (data.type === "array" || data.type === "compactArray")) {
    return data.items.map((entry) => profileEntry(entry, isLog(obis)));
  }
  return classAttributeValue(classId, id, data) ?? generic(data);
}

/**
 * One profile buffer entry. GBCS log entries start with their capture time as UTC seconds since
 * 2000 (a double-long-unsigned); event and security logs follow it with the event code.
 */
function profileEntry(entry: DlmsData, log: boolean): ParsedValue {
  if (entry.type !== "structure" || entry.items[0]?.type !== "uint32") return generic(entry);
  const [time, ...rest] = entry.items;
  const timestamp = secondsSince2000(numberOf(time) as number);
  if (log && rest[0]?.type === "uint16") {
    const [code, ...more] = rest;
    const eventCode = numberOf(code) as number;
    return { timestamp, eventCode: formatAlertCode(eventCode), event: alertMeaning(eventCode)?.meaning ?? null, data: withMeasurements(more) };
  }
  return { timestamp, values: withMeasurements(rest) };
}

/** A selective access descriptor (Blue Book, profile generic): 1 range by value, 2 by entry. */
export function selectiveAccess(selector: number, parameters: DlmsData): Fields {
  const items = parameters.type === "structure" ? parameters.items : [];
  if (selector === 1 && items.length === 4) {
    const [restricting, from, to, selected] = items as [DlmsData, DlmsData, DlmsData, DlmsData];
    const ref = restricting.type === "structure" ? restrictingObject(restricting.items) : plain(restricting);
    return { selector, type: "range", restrictingObject: ref, from: timeOrPlain(from), to: timeOrPlain(to), selectedValues: generic(selected) };
  }
  if (selector === 2 && items.length === 4) {
    const [fromEntry, toEntry, fromValue, toValue] = items.map(plain);
    return { selector, type: "entries", fromEntry: fromEntry ?? null, toEntry: toEntry ?? null, fromSelectedValue: fromValue ?? null, toSelectedValue: toValue ?? null };
  }
  return { selector, type: "other", parameters: generic(parameters) };
}

function restrictingObject(items: readonly DlmsData[]): ParsedValue {
  const [classId, obis, id, dataIndex] = items;
  if (numberOf(classId) === null || obis?.type !== "octetString" || obis.bytes.length !== 6 || numberOf(id) === null) return items.map(plain);
  const [a, b, c, d, e, f] = obis.bytes;
  return { ...attributeRef(numberOf(classId) as number, `${a}-${b}:${c}.${d}.${e}.${f}`, numberOf(id) as number), dataIndex: numberOf(dataIndex) };
}

/** GBCS range bounds: UTC seconds since 2000 (double-long-unsigned) or a COSEM date-time. */
function timeOrPlain(data: DlmsData): ParsedValue {
  return data.type === "uint32" ? secondsSince2000(data.value as number) : plain(data);
}

/** The bytes of a 6-byte OBIS octet string as text, or null. */
export function obisOf(data: DlmsData | undefined): string | null {
  if (data?.type !== "octetString" || data.bytes.length !== 6) return null;
  const [a, b, c, d, e, f] = data.bytes;
  return `${a}-${b}:${c}.${d}.${e}.${f}`;
}

export const hexOf = (data: DlmsData | undefined): string | null => (data?.type === "octetString" ? toHex(data.bytes) : null);
