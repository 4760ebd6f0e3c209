// Building blocks shared by the ESME use cases (ECS01-ECS29): attribute lists, COSEM dates from
// DUIS times, the activation date-time of future-dated commands, the Data Protection action of
// encrypted reads and the time-range selection of log reads (GBCS section 4, RTDS 4.5.0).
import { DLMS, fromHex, type GbcsWriter } from "@opendcc/kernel";
import { obis as obisBytes, writeDlmsRequest, type DlmsAccess, type DlmsRequestSpec } from "../dlms.js";
import { zigbeeTime } from "../gbz.js";
import type { ServiceFields } from "../fields.js";
import { TransformError, type EncodeContext } from "../types.js";

export type Write = (writer: GbcsWriter) => void;

/** One attribute or method with the Data it carries (none for a get). */
export interface Access {
  readonly spec: DlmsRequestSpec;
  readonly data?: Write;
}

const access = (kind: DlmsAccess) => (classId: number, obis: string, id: number, data?: Write): Access =>
  data ? { spec: { access: kind, classId, obis, id }, data } : { spec: { access: kind, classId, obis, id } };

export const get = access("get");
export const set = access("set");
export const action = access("action");

/** A get of a whole log restricted to a time range (selective access by range, selector 1). */
export function getRange(classId: number, obis: string, id: number, period: ReadPeriod): Access {
  return { spec: { access: "getWithSelection", classId, obis, id, selection: (w) => writeRangeSelection(w, period) } };
}

/** Writes the ACCESS.request; a get's data entry is null-data (GBCS section 4). */
export function writeAccesses(writer: GbcsWriter, context: EncodeContext, accesses: readonly Access[]): void {
  writeDlmsRequest(writer, context.counter, accesses.map((a) => a.spec), accesses.map((a) => a.data ?? ((w: GbcsWriter) => w.dlmsNull())));
}

/** A list of gets as a table of [class, OBIS, attribute]. */
export const gets = (rows: readonly (readonly [number, string, number])[]): Access[] => rows.map(([classId, obis, id]) => get(classId, obis, id));

/** The 12 bytes of a COSEM date-time for a UTC instant: weekday and status not given, deviation 0x8000. */
export function cosemUtc(writer: GbcsWriter, date: Date): GbcsWriter {
  return writer.cosemDateTime({
    year: date.getUTCFullYear(), month: date.getUTCMonth() + 1, day: date.getUTCDate(),
    hour: date.getUTCHours(), minute: date.getUTCMinutes(), second: date.getUTCSeconds(), hundredths: 0,
  });
}

/** An octet-string holding a COSEM date-time. */
export function dateTimeOctets(writer: GbcsWriter, date: Date): void {
  cosemUtc(writer.byte(0x09).byte(12), date);
}

/** DUIS cancels a future-dated command by resending it for 3000-12-31T00:00:00Z (DUIS 3.2.x). */
const CANCELLATION = Date.UTC(3000, 11, 31);

/**
 * The activation date-time a Device-pattern future-dated command carries: all zero for "now",
 * all "not given" to cancel a pending one, else the ExecutionDateTime (RTDS ECS01a/ECS02/ECS28a).
 */
export function activationTime(context: EncodeContext): Write {
  const when = context.executionDateTime;
  return (w) => {
    w.byte(0x09).byte(12);
    if (!when) w.cosemDateTime({ year: 0, month: 0, day: 0, weekday: 0, hour: 0, minute: 0, second: 0, hundredths: 0 });
    else if (when.getTime() === CANCELLATION) w.cosemDateTime({});
    else cosemUtc(w, when);
  };
}

/** A DUIS Date (Year, Month, DayOfMonth, DayOfWeek, each Specified... or NonSpecified...). */
export function dateFields(date: ServiceFields): { year: number; month: number; day: number; weekday: number } {
  const part = (name: string, specified: string, none: number, max: number): number => {
    const choice = date.get(name);
    if (choice.has(specified)) return choice.intIn(name === "Year" ? 0 : 1, max, specified);
    if (choice.has(`Non${specified}`)) return none;
    throw new TransformError(`${name}: only ${specified} and Non${specified} are supported`, name);
  };
  return {
    year: part("Year", "SpecifiedYear", 0xffff, 0xfffe), month: part("Month", "SpecifiedMonth", 0xff, 12),
    day: part("DayOfMonth", "SpecifiedDayOfMonth", 0xff, 31), weekday: part("DayOfWeek", "SpecifiedDayOfWeek", 0xff, 7),
  };
}

/** The 5-byte COSEM date (year, month, day, weekday) of a DUIS Date, as an octet-string. */
export function dateOctets(w: GbcsWriter, date: ServiceFields): void {
  const d = dateFields(date);
  w.byte(0x09).byte(5).uint(d.year, 2).byte(d.month).byte(d.day).byte(d.weekday);
}

export interface ReadPeriod {
  readonly start: Date;
  readonly end: Date;
}

/** ReadLogPeriod/StartDateTime and EndDateTime. */
export function readLogPeriod(fields: ServiceFields): ReadPeriod {
  return { start: fields.dateTime("ReadLogPeriod", "StartDateTime"), end: fields.dateTime("ReadLogPeriod", "EndDateTime") };
}

/** The restricting object of a time-range selection: GBCS's UTC time data object, attribute 2. */
const UTC_TIME_OBJECT = fromHex("00005e2c64ff");

function writeRangeSelection(w: GbcsWriter, period: ReadPeriod): void {
  w.byte(0x01).dlmsStructure(4);
  w.dlmsStructure(4).dlmsNumber(DLMS.uint16, 1).dlmsOctets(UTC_TIME_OBJECT).dlmsNumber(DLMS.int8, 2).dlmsNumber(DLMS.uint16, 0);
  w.dlmsNumber(DLMS.uint32, zigbeeTime(period.start)).dlmsNumber(DLMS.uint32, zigbeeTime(period.end)).dlmsArray(0);
}

/** What an encrypted read asks the Data Protection object to capture. */
export interface ProtectedCapture {
  readonly classId: number;
  readonly obis: string;
  /** Absent: the whole attribute; present: the entries between these times (range selector 1). */
  readonly period?: ReadPeriod;
}

/**
 * An encrypted read (ECS17b/d/e, 20b/c, 21a/b, 22b): method 1 of a Data Protection object (class
 * 30) with the objects to capture (attribute 2 each) and the protection parameters: transaction-id
 * 04 + counter, the requesting party, the device, no date-time, agreed-key key information.
 */
export function protectedRead(dataProtectionObis: string, captures: readonly ProtectedCapture[]) {
  return (context: EncodeContext): Access => action(30, dataProtectionObis, 1, (w) => {
    w.dlmsStructure(2).dlmsArray(captures.length);
    for (const capture of captures) {
      w.dlmsStructure(5).dlmsNumber(DLMS.uint16, capture.classId).dlmsOctets(obisBytes(capture.obis)).dlmsNumber(DLMS.int8, 2).dlmsNumber(DLMS.uint16, 0);
      w.dlmsStructure(2);
      if (capture.period) {
        w.dlmsNumber(DLMS.enum, 1).dlmsStructure(2);
        dateTimeOctets(w, capture.period.start);
        dateTimeOctets(w, capture.period.end);
      } else {
        w.dlmsNumber(DLMS.enum, 0).dlmsNull();
      }
    }
    const transactionId = new Uint8Array(9);
    transactionId[0] = 0x04;
    new DataView(transactionId.buffer).setBigUint64(1, context.counter);
    w.dlmsArray(1).dlmsStructure(2).dlmsNumber(DLMS.enum, 2).dlmsStructure(5);
    w.dlmsOctets(transactionId).dlmsOctets(eui(context.input.requestId.originator)).dlmsOctets(eui(context.input.requestId.target)).dlmsOctets(new Uint8Array(0));
    w.dlmsStructure(2).dlmsNumber(DLMS.enum, 2).dlmsStructure(2).dlmsOctets(Uint8Array.of(0x02)).dlmsOctets(new Uint8Array(0));
  });
}

const eui = (text: string): Uint8Array => fromHex(text.replace(/-/g, ""));
