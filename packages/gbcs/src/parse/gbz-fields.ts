// Reads a ZCL payload by a layout (gbz-layouts.ts) into named JSON values.
import { toHex } from "@opendcc/kernel";
import { alertMeaning } from "./alert-codes.js";
import { zigbeeTime, type GbzCursor } from "./gbz-cursor.js";
import type { FieldSpec, ValueNames, ZclFieldType } from "./gbz-layouts.js";
import type { ParsedValue } from "./types.js";

type Fields = Record<string, ParsedValue>;

/** An enumerated value with its name (null when the table has none for it). */
export function named(code: number, names: ValueNames): ParsedValue {
  return { code, name: names[code] ?? null };
}

/** A 16-bit code as GBCS writes it: 0x8F66. */
export function hexCode(code: number): string {
  return `0x${code.toString(16).toUpperCase().padStart(4, "0")}`;
}

export function readLayout(cursor: GbzCursor, layout: readonly FieldSpec[], what: string): Fields {
  const fields: Fields = {};
  for (const spec of layout) {
    if ("list" in spec) {
      fields[spec.list] = readList(cursor, spec.list, spec.count, spec.item, fields, what);
    } else if ("optional" in spec) {
      const [name, type] = spec.optional;
      if (!cursor.done()) fields[name] = readField(cursor, type, `${what} ${name}`);
    } else if ("opaque" in spec) {
      if (!cursor.done()) fields[spec.opaque] = toHex(cursor.rest());
    } else if ("on" in spec) {
      const layout = spec.cases[codeOf(fields[spec.on])];
      if (layout) Object.assign(fields, readLayout(cursor, layout, what));
      else if (!cursor.done()) fields[spec.otherwise] = toHex(cursor.rest());
    } else {
      const [name, type, names] = spec;
      const value = readField(cursor, type, `${what} ${name}`);
      fields[name] = names && typeof value === "number" ? named(value, names) : value;
    }
  }
  return fields;
}

function readList(
  cursor: GbzCursor, name: string, count: string | number | null, item: readonly FieldSpec[], earlier: Fields, what: string,
): ParsedValue[] {
  const entries: ParsedValue[] = [];
  const total = typeof count === "string" ? countFrom(earlier[count], count, cursor) : count;
  for (let i = 0; total === null ? !cursor.done() : i < total; i++) {
    const entry = readLayout(cursor, item, `${what} ${name}[${i}]`);
    // A group of one field is shown as its bare value.
    const only = item.length === 1 ? Object.values(entry)[0] : undefined;
    entries.push(only !== undefined ? only : entry);
  }
  return entries;
}

// A field's number, whether read bare or named ({ code, name }).
function codeOf(value: ParsedValue | undefined): number {
  if (typeof value === "number") return value;
  const code = value && typeof value === "object" && !Array.isArray(value) ? (value as { code?: ParsedValue }).code : undefined;
  return typeof code === "number" ? code : -1;
}

function countFrom(value: ParsedValue | undefined, name: string, cursor: GbzCursor): number {
  if (typeof value !== "number") cursor.fail(`layout error: count field ${name} is not a number`);
  return value;
}

function readField(cursor: GbzCursor, type: ZclFieldType, what: string): ParsedValue {
  switch (type) {
    case "uint8": return cursor.leSmall(1, what);
    case "uint16": return cursor.leSmall(2, what);
    case "uint24": return cursor.leSmall(3, what);
    case "uint32": return cursor.leSmall(4, what);
    case "uint48": return cursor.leSmall(6, what);
    case "int24": return cursor.leInt(3, what);
    case "int32": return cursor.leInt(4, what);
    case "bitmap8": return cursor.leSmall(1, what);
    case "bitmap16": return cursor.leSmall(2, what);
    case "bitmap32": return cursor.leSmall(4, what);
    case "utcTime": return zigbeeTime(cursor.leSmall(4, what));
    case "string": return readString(cursor, what);
    case "date": return readDate(cursor, what);
    case "minuteOfDay": {
      const minutes = cursor.leSmall(2, what);
      if (minutes >= 24 * 60) cursor.fail(`${what} is ${minutes} minutes, past the end of a day`, cursor.offset - 2);
      return `${pad(Math.floor(minutes / 60))}:${pad(minutes % 60)}`;
    }
    case "eventCode": {
      const code = cursor.leSmall(2, what);
      return { code: hexCode(code), meaning: alertMeaning(code)?.meaning ?? null };
    }
    case "trailingDigits": return cursor.u8(what) >> 4;
  }
}

/** A ZCL octet or character string: length byte (0xFF = invalid, shown as null), then the bytes. */
export function readString(cursor: GbzCursor, what: string): ParsedValue {
  const length = cursor.u8(`${what} length`);
  if (length === 0xff) return null;
  return textOrHex(cursor.take(length, what));
}

/** Printable ASCII as text; anything else as hex, never guessed at. */
function textOrHex(bytes: Uint8Array): string {
  const printable = bytes.every((byte) => byte >= 0x20 && byte <= 0x7e);
  return printable ? String.fromCharCode(...bytes) : toHex(bytes);
}

// ZCL Date (ZCL 2.6.2): year-1900, month, day of month, day of week; 0xFF = every / not given.
// Shown as YYYY-MM-DD with "*" where a part is a wildcard, and the weekday when one is given.
function readDate(cursor: GbzCursor, what: string): ParsedValue {
  const [year, month, day, weekday] = cursor.take(4, what) as unknown as [number, number, number, number];
  const part = (value: number, width: number, offset = 0) => (value === 0xff ? "*" : String(value + offset).padStart(width, "0"));
  const date = `${part(year, 4, 1900)}-${part(month, 2)}-${part(day, 2)}`;
  return weekday === 0xff ? date : { date, dayOfWeek: WEEKDAYS[weekday] ?? weekday };
}

const WEEKDAYS: Readonly<Record<number, string>> = {
  1: "monday", 2: "tuesday", 3: "wednesday", 4: "thursday", 5: "friday", 6: "saturday", 7: "sunday",
};

const pad = (value: number) => String(value).padStart(2, "0");
