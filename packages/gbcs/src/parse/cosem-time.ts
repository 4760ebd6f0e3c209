// COSEM date and time octet strings (IEC 62056-6-2 4.1.6.1, gbcs.md section 1) as text: ISO 8601
// when every field is given; otherwise the same shape with `*` for each field marked "not given"
// (FF, or FFFF for the year), as tariff switching times and "never" activation times use them.

const pad = (value: number, width = 2): string => String(value).padStart(width, "0");
const field = (value: number, notGiven: number): string => (value === notGiven ? "*" : pad(value));

/** Whether 12 bytes hold a well-formed COSEM date-time (so a 12-byte octet string can be shown as one). */
export function isCosemDateTime(bytes: Uint8Array): boolean {
  if (bytes.length !== 12) return false;
  return isCosemDate(bytes.subarray(0, 5)) && isCosemTime(bytes.subarray(5, 9)) && deviationOk(((bytes[9] as number) << 8) | (bytes[10] as number));
}

function isCosemDate(bytes: Uint8Array): boolean {
  const [, , month = 0, day = 0, weekday = 0] = bytes;
  const monthOk = (month >= 1 && month <= 12) || month >= 0xfd;
  const dayOk = (day >= 1 && day <= 31) || day >= 0xfd;
  const weekdayOk = (weekday >= 1 && weekday <= 7) || weekday === 0xff;
  return monthOk && dayOk && weekdayOk;
}

function isCosemTime(bytes: Uint8Array): boolean {
  const [hour = 0, minute = 0, second = 0, hundredths = 0] = bytes;
  return (hour <= 23 || hour === 0xff) && (minute <= 59 || minute === 0xff) && (second <= 59 || second === 0xff) &&
    (hundredths <= 99 || hundredths === 0xff);
}

const deviationOk = (deviation: number): boolean => deviation === 0x8000 || Math.abs(signed16(deviation)) <= 720;
const signed16 = (value: number): number => (value >= 0x8000 ? value - 0x10000 : value);

/** A 5-byte COSEM date: year(2) month day weekday. Special months and days (FD, FE: DST, last) keep their hex. */
export function cosemDate(bytes: Uint8Array): string {
  const year = ((bytes[0] as number) << 8) | (bytes[1] as number);
  const special = (value: number) => (value === 0xfd || value === 0xfe ? value.toString(16).toUpperCase() : null);
  const month = bytes[2] as number;
  const day = bytes[3] as number;
  return `${year === 0xffff ? "*" : pad(year, 4)}-${special(month) ?? field(month, 0xff)}-${special(day) ?? field(day, 0xff)}`;
}

const DAYS_OF_WEEK = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"] as const;

/**
 * A COSEM date inside a structure (special days, schedules, billing dates): the date text, or
 * { date, dayOfWeek } when the day of the week is given too (weekday FF = not given).
 */
export function cosemDateValue(bytes: Uint8Array): string | { date: string; dayOfWeek: string } {
  const text = cosemDate(bytes);
  const weekday = bytes[4] as number;
  const day = DAYS_OF_WEEK[weekday - 1];
  return day ? { date: text, dayOfWeek: day } : text;
}

/** A 4-byte COSEM time: hour minute second hundredths. */
export function cosemTime(bytes: Uint8Array): string {
  const [hour = 0, minute = 0, second = 0, hundredths = 0xff] = bytes;
  const text = `${field(hour, 0xff)}:${field(minute, 0xff)}:${field(second, 0xff)}`;
  return hundredths === 0xff || hundredths === 0 ? text : `${text}.${pad(hundredths)}`;
}

/**
 * A 12-byte COSEM date-time. The deviation is the minutes local time lags UTC, so an ISO offset
 * has the opposite sign; 8000 (not given) is read as UTC, which is what GBCS devices send.
 */
export function cosemDateTime(bytes: Uint8Array): string {
  const text = `${cosemDate(bytes.subarray(0, 5))}T${cosemTime(bytes.subarray(5, 9))}`;
  const deviation = ((bytes[9] as number) << 8) | (bytes[10] as number);
  if (deviation === 0x8000) return `${text}Z`;
  const offset = -signed16(deviation);
  return `${text}${offset < 0 ? "-" : "+"}${pad(Math.floor(Math.abs(offset) / 60))}:${pad(Math.abs(offset) % 60)}`;
}

/** Seconds since 2000-01-01 UTC (GBCS UTC times in profiles and range selections) as ISO 8601. */
export function secondsSince2000(seconds: number): string {
  return new Date(Date.UTC(2000, 0, 1) + seconds * 1000).toISOString().replace(".000Z", "Z");
}

/**
 * An activation date-time (calendar, charge, account, GBCS extended data): GBCS writes all nine
 * date and time bytes 00 for "activate now" and FF for "never" (a cancelled future-dated change),
 * each with deviation 8000 and status FF; any other value is a date-time.
 */
export function cosemActivationTime(bytes: Uint8Array): string {
  const dateAndTime = bytes.subarray(0, 9);
  const marker = bytes[9] === 0x80 && bytes[10] === 0x00 && bytes[11] === 0xff;
  if (marker && dateAndTime.every((byte) => byte === 0x00)) return "now";
  if (marker && dateAndTime.every((byte) => byte === 0xff)) return "never";
  return cosemDateTime(bytes);
}
