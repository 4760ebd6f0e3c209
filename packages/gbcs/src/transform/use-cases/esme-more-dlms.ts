// DLMS building blocks shared by the ESME (ECS30 and above) and Communications Hub (CCS, DBCH)
// use cases: request specs, the DUIS date and time shapes as COSEM octet strings, log ranges, the
// activation date-time of device-future-dated commands and the ACB-originated header.
import { DLMS, type GbcsWriter } from "@opendcc/kernel";
import { writeDlmsRequest, type DlmsRequestSpec } from "../dlms.js";
import type { ServiceFields } from "../fields.js";
import { zigbeeTime } from "../gbz.js";
import { TransformError, type EncodeContext } from "../types.js";
import { onBehalfOfUser } from "../acb.js";

/** Writes a whole ACCESS.request: each spec with its data item (null-data for a get). */
export function request(w: GbcsWriter, counter: bigint, items: readonly (readonly [DlmsRequestSpec, ((w: GbcsWriter) => void)?])[]): void {
  writeDlmsRequest(w, counter, items.map(([spec]) => spec), items.map(([, data]) => data ?? ((x: GbcsWriter) => void x.dlmsNull())));
}

export const get = (classId: number, obis: string, id = 2): DlmsRequestSpec => ({ access: "get", classId, obis, id });
export const set = (classId: number, obis: string, id = 2): DlmsRequestSpec => ({ access: "set", classId, obis, id });
export const action = (classId: number, obis: string, id = 1): DlmsRequestSpec => ({ access: "action", classId, obis, id });

/** COSEM interface classes used here (IEC 62056-6-2). */
export const CLASS = {
  data: 1, register: 3, extendedRegister: 4, profile: 7, clock: 8, scriptTable: 9, schedule: 10,
  specialDays: 11, registerMonitor: 21, singleActionSchedule: 22, dataProtection: 30, disconnectControl: 70,
  account: 112, chfDeviceLog: 104,
  /** GBCS's own "activation" class for the ALCS/auxiliary-controller schedules. */
  gbcsActivation: 9000,
} as const;

/** Header of a command the ACB originates for the user (supplementary remote party = the user). */
export const acbOnBehalfOfUser = onBehalfOfUser;

/** An octet-string data item of `bytes` written field by field (tag, length, contents). */
function octets(w: GbcsWriter, length: number, contents: () => void): void {
  w.byte(0x09).length(length);
  contents();
}

/** DUIS time "hh:mm:ss[.ss][Z]" as the 4-byte COSEM time octet string. */
export function writeTime(w: GbcsWriter, field: ServiceFields, ...names: string[]): void {
  const text = field.text(...names);
  const parts = /^(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,2}))?(?:Z|[+-]00:00)?$/.exec(text);
  if (!parts) throw new TransformError(`${[field.name, ...names].join("/")}: "${text}" is not a UTC time`, names.join("/"));
  const [hour, minute, second] = [Number(parts[1]), Number(parts[2]), Number(parts[3])];
  if (hour > 23 || minute > 59 || second > 59) throw new TransformError(`${[field.name, ...names].join("/")}: "${text}" is not a time of day`, names.join("/"));
  const hundredths = parts[4] ? Number(parts[4].padEnd(2, "0")) : 0;
  octets(w, 4, () => w.byte(hour).byte(minute).byte(second).byte(hundredths));
}

const NOT_SPECIFIED = 0xff;
const DAY_NAMES: Readonly<Record<string, number>> = { Monday: 1, Tuesday: 2, Wednesday: 3, Thursday: 4, Friday: 5, Saturday: 6, Sunday: 7 };

/** One part of a DUIS date pattern: `<Specified…>n</…>` or `<NonSpecified…/>`. */
function datePart(field: ServiceFields, part: string, min: number, max: number): number | undefined {
  const holder = field.get(part);
  const specified = holder.children().find((child) => child.name.startsWith("Specified"));
  if (!specified) {
    if (holder.children().some((child) => child.name.startsWith("NonSpecified"))) return undefined;
    throw new TransformError(`${part} is neither specified nor non-specified`, part);
  }
  const text = specified.text();
  const value = part === "DayOfWeek" && DAY_NAMES[text] !== undefined ? DAY_NAMES[text] : Number(text);
  if (!Number.isInteger(value) || (value as number) < min || (value as number) > max) throw new TransformError(`${part}: "${text}" is outside ${min}..${max}`, part);
  return value;
}

/** A DUIS date pattern (Year, Month, DayOfMonth, DayOfWeek) as the 5-byte COSEM date octet string. */
export function writeDatePattern(w: GbcsWriter, field: ServiceFields): void {
  const year = datePart(field, "Year", 2000, 9999);
  const month = datePart(field, "Month", 1, 12);
  const day = datePart(field, "DayOfMonth", 1, 31);
  const weekday = datePart(field, "DayOfWeek", 1, 7);
  octets(w, 5, () => w.uint(year ?? 0xffff, 2).byte(month ?? NOT_SPECIFIED).byte(day ?? NOT_SPECIFIED).byte(weekday ?? NOT_SPECIFIED));
}

/** A 5-byte COSEM date octet string from already known parts (undefined: not specified). */
export function writeDate(w: GbcsWriter, parts: { year?: number; month?: number; day?: number; weekday?: number }): void {
  octets(w, 5, () => w.uint(parts.year ?? 0xffff, 2).byte(parts.month ?? NOT_SPECIFIED).byte(parts.day ?? NOT_SPECIFIED).byte(parts.weekday ?? NOT_SPECIFIED));
}

/** A UTC instant as a 12-byte COSEM date-time octet string (weekday and deviation not given). */
export function writeDateTime(w: GbcsWriter, date: Date): void {
  octets(w, 12, () => w.cosemDateTime({
    year: date.getUTCFullYear(), month: date.getUTCMonth() + 1, day: date.getUTCDate(),
    hour: date.getUTCHours(), minute: date.getUTCMinutes(), second: date.getUTCSeconds(),
    hundredths: Math.floor(date.getUTCMilliseconds() / 10),
  }));
}

/** DUIS marks the cancellation of a future-dated request with this ExecutionDateTime (duis.md). */
const CANCELLATION = Date.UTC(3000, 11, 31);

/**
 * When a device-future-dated command takes effect: all-zero "now" when immediate, all-FF "never"
 * when cancelling, else the ExecutionDateTime (gbcs-parser's NOW / NEVER conventions).
 */
export function writeActivationTime(w: GbcsWriter, context: EncodeContext): void {
  const when = context.executionDateTime;
  if (!when) return void octets(w, 12, () => w.cosemDateTime({ year: 0, month: 0, day: 0, weekday: 0, hour: 0, minute: 0, second: 0, hundredths: 0 }));
  if (when.getTime() === CANCELLATION) return void octets(w, 12, () => w.cosemDateTime({}));
  writeDateTime(w, when);
}

/** UTC-time Data object the event and profile logs are filtered by (0-0:94.44.100.255, attribute 2). */
const LOG_TIME = "0-0:94.44.100.255";

/**
 * Selective access by range on a profile's buffer: from and to as UTC seconds since 2000 (the
 * ZigBee epoch, as GBCS uses for these logs), all columns.
 */
export function logRange(from: Date, to: Date): (w: GbcsWriter) => void {
  if (to.getTime() < from.getTime()) throw new TransformError("ReadLogPeriod: EndDateTime is before StartDateTime", "ReadLogPeriod");
  return (w) => {
    w.byte(0x01);
    w.dlmsStructure(4);
    w.dlmsStructure(4).dlmsNumber(DLMS.uint16, CLASS.data);
    w.byte(0x09).length(6).bytes(obisBytes(LOG_TIME));
    w.dlmsNumber(DLMS.int8, 2).dlmsNumber(DLMS.uint16, 0);
    w.dlmsNumber(DLMS.uint32, zigbeeTime(from)).dlmsNumber(DLMS.uint32, zigbeeTime(to));
    w.dlmsArray(0);
  };
}

/** The StartDateTime / EndDateTime of a DUIS ReadLogPeriod. */
export function readLogPeriod(fields: ServiceFields): { from: Date; to: Date } {
  const period = fields.get("ReadLogPeriod");
  return { from: period.dateTime("StartDateTime"), to: period.dateTime("EndDateTime") };
}

function obisBytes(code: string): Uint8Array {
  return Uint8Array.from(code.split(/[-:.]/).map(Number));
}

/** The `index` (or another numeric) attribute of a DUIS element, within a range. */
export function indexAttribute(field: ServiceFields, min: number, max: number, name = "index"): number {
  const text = field.attribute(name);
  const value = Number(text);
  if (text === undefined || !/^\d+$/.test(text) || value < min || value > max) {
    throw new TransformError(`${field.name}: ${name} "${text ?? ""}" is outside ${min}..${max}`, field.name);
  }
  return value;
}
