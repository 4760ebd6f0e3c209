// DLMS `Data` (A-XDR, IEC 62056-6-2 and the Green Book's Data CHOICE; gbcs.md section 4 lists the
// tags GBCS uses) decoded into a typed tree, then shown as plain JSON. Every tag of the CHOICE is
// read, including compact arrays, whose type description says how to read the packed contents.
import { toHex } from "@opendcc/kernel";
import { cosemDate, cosemDateTime, cosemTime, isCosemDateTime } from "./cosem-time.js";
import type { Reader } from "./reader.js";
import type { ParsedValue } from "./types.js";

export type IntegerType = "int8" | "int16" | "int32" | "int64" | "uint8" | "uint16" | "uint32" | "uint64" | "enum" | "bcd";

export type DlmsData =
  | { readonly type: "null" }
  | { readonly type: "array" | "structure" | "compactArray"; readonly items: readonly DlmsData[] }
  | { readonly type: "boolean"; readonly value: boolean }
  | { readonly type: "bitString"; readonly bits: string }
  | { readonly type: IntegerType; readonly value: number | bigint }
  | { readonly type: "float32" | "float64"; readonly value: number }
  | { readonly type: "octetString" | "dateTime" | "date" | "time"; readonly bytes: Uint8Array; readonly offset: number }
  | { readonly type: "visibleString" | "utf8String"; readonly text: string };

/** Fixed-size integer tags: tag -> [type, bytes, signed]. */
const INTEGERS: Readonly<Record<number, readonly [IntegerType, number, boolean]>> = {
  0x05: ["int32", 4, true], 0x06: ["uint32", 4, false], 0x0d: ["bcd", 1, false], 0x0f: ["int8", 1, true],
  0x10: ["int16", 2, true], 0x11: ["uint8", 1, false], 0x12: ["uint16", 2, false], 0x14: ["int64", 8, true],
  0x15: ["uint64", 8, false], 0x16: ["enum", 1, false],
};

/** Nesting deeper than this is not GBCS: it stops hostile input from exhausting the stack. */
const MAX_DEPTH = 24;

/** Reads one tagged Data item. */
export function readData(reader: Reader, depth = 0): DlmsData {
  const at = reader.at;
  const tag = reader.byte("a DLMS data tag");
  return readUntagged(reader, tag, depth, at);
}

function readUntagged(reader: Reader, tag: number, depth: number, at: number): DlmsData {
  if (depth > MAX_DEPTH) reader.fail(`DLMS data nested more than ${MAX_DEPTH} levels deep`, at);
  const integer = INTEGERS[tag];
  if (integer) return { type: integer[0], value: readInteger(reader, integer[1], integer[2]) };
  switch (tag) {
    case 0x00:
      return { type: "null" };
    case 0x01:
    case 0x02: {
      const kind = tag === 0x01 ? "array" : "structure";
      const count = reader.length(`a DLMS ${kind}`);
      // Every item takes at least one byte: a count beyond the bytes left is a truncation.
      if (count > reader.remaining) reader.fail(`truncated: DLMS ${kind} of ${count} items has only ${reader.remaining} bytes left`);
      const items: DlmsData[] = [];
      for (let i = 0; i < count; i++) items.push(readData(reader, depth + 1));
      return { type: kind, items };
    }
    case 0x03:
      return { type: "boolean", value: reader.byte("a DLMS boolean") !== 0 };
    case 0x04: {
      const bits = reader.length("a DLMS bit-string");
      const bytes = reader.take(Math.ceil(bits / 8), "a DLMS bit-string");
      return { type: "bitString", bits: [...bytes].map((b) => b.toString(2).padStart(8, "0")).join("").slice(0, bits) };
    }
    case 0x09: {
      const length = reader.length("a DLMS octet-string");
      const offset = reader.base + reader.at;
      return { type: "octetString", bytes: reader.take(length, "a DLMS octet-string"), offset };
    }
    case 0x0a:
    case 0x0c: {
      const length = reader.length("a DLMS string");
      const bytes = reader.take(length, "a DLMS string");
      return tag === 0x0a
        ? { type: "visibleString", text: String.fromCharCode(...bytes) }
        : { type: "utf8String", text: new TextDecoder("utf-8", { fatal: false }).decode(bytes) };
    }
    case 0x13:
      return readCompactArray(reader, depth);
    case 0x17:
    case 0x18: {
      const size = tag === 0x17 ? 4 : 8;
      const bytes = reader.take(size, "a DLMS float");
      const view = new DataView(bytes.buffer, bytes.byteOffset, size);
      return { type: tag === 0x17 ? "float32" : "float64", value: size === 4 ? view.getFloat32(0) : view.getFloat64(0) };
    }
    case 0x19:
    case 0x1a:
    case 0x1b: {
      const [type, size] = tag === 0x19 ? (["dateTime", 12] as const) : tag === 0x1a ? (["date", 5] as const) : (["time", 4] as const);
      const offset = reader.base + reader.at;
      return { type, bytes: reader.take(size, `a DLMS ${type}`), offset };
    }
    default:
      reader.fail(`unknown DLMS data tag 0x${tag.toString(16).padStart(2, "0")}`, at);
  }
}

function readInteger(reader: Reader, size: number, signed: boolean): number | bigint {
  const bytes = reader.take(size, "a DLMS integer");
  const view = new DataView(bytes.buffer, bytes.byteOffset, size);
  switch (size) {
    case 1:
      return signed ? view.getInt8(0) : view.getUint8(0);
    case 2:
      return signed ? view.getInt16(0) : view.getUint16(0);
    case 4:
      return signed ? view.getInt32(0) : view.getUint32(0);
    default: {
      const value = signed ? view.getBigInt64(0) : view.getBigUint64(0);
      return value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : value;
    }
  }
}

/** A compact-array's type description (Green Book 9.5): a simple tag, or array/structure of descriptions. */
type TypeDescription =
  | { readonly tag: number }
  | { readonly tag: 0x01; readonly count: number; readonly element: TypeDescription }
  | { readonly tag: 0x02; readonly elements: readonly TypeDescription[] };

function readTypeDescription(reader: Reader, depth: number): TypeDescription {
  const at = reader.at;
  if (depth > MAX_DEPTH) reader.fail(`DLMS type description nested more than ${MAX_DEPTH} levels deep`);
  const tag = reader.byte("a DLMS type description");
  if (tag === 0x01) {
    const count = reader.uint(2, "a DLMS type description's array size");
    return { tag, count, element: readTypeDescription(reader, depth + 1) };
  }
  if (tag === 0x02) {
    const count = reader.length("a DLMS type description's structure");
    if (count > reader.remaining) reader.fail(`truncated: DLMS type description of ${count} elements`);
    const elements: TypeDescription[] = [];
    for (let i = 0; i < count; i++) elements.push(readTypeDescription(reader, depth + 1));
    return { tag, elements };
  }
  if (tag === 0x13 || !(tag in INTEGERS || [0x00, 0x03, 0x04, 0x09, 0x0a, 0x0c, 0x17, 0x18, 0x19, 0x1a, 0x1b].includes(tag))) {
    reader.fail(`unknown type 0x${tag.toString(16).padStart(2, "0")} in a DLMS compact-array description`, at);
  }
  return { tag };
}

function readCompactArray(reader: Reader, depth: number): DlmsData {
  const description = readTypeDescription(reader, depth + 1);
  const length = reader.length("a DLMS compact-array's contents");
  const start = reader.at;
  if (length > reader.remaining) reader.fail(`truncated: DLMS compact-array contents need ${length} bytes, ${reader.remaining} left`);
  const end = start + length;
  const items: DlmsData[] = [];
  while (reader.at < end) items.push(readDescribed(reader, description, depth + 1, end));
  if (reader.at !== end) reader.fail("DLMS compact-array element runs past its contents");
  return { type: "compactArray", items };
}

/** Reads one element as its description says: no tags inside a compact array. */
function readDescribed(reader: Reader, description: TypeDescription, depth: number, end: number): DlmsData {
  if (depth > MAX_DEPTH) reader.fail(`DLMS data nested more than ${MAX_DEPTH} levels deep`);
  if (reader.at >= end) reader.fail("truncated: DLMS compact-array element is cut short");
  if ("element" in description) {
    const items: DlmsData[] = [];
    for (let i = 0; i < description.count; i++) items.push(readDescribed(reader, description.element, depth + 1, end));
    return { type: "array", items };
  }
  if ("elements" in description) {
    return { type: "structure", items: description.elements.map((element) => readDescribed(reader, element, depth + 1, end)) };
  }
  return readUntagged(reader, description.tag, depth, reader.at);
}

/** Plain JSON for a Data item: numbers (decimal strings beyond 2^53), hex octet strings, ISO dates. */
export function plain(data: DlmsData): ParsedValue {
  switch (data.type) {
    case "null":
      return null;
    case "array":
    case "structure":
    case "compactArray":
      return data.items.map(plain);
    case "boolean":
      return data.value;
    case "bitString":
      return data.bits;
    case "visibleString":
    case "utf8String":
      return data.text;
    case "octetString":
      return isCosemDateTime(data.bytes) ? cosemDateTime(data.bytes) : toHex(data.bytes);
    case "dateTime":
      return cosemDateTime(data.bytes);
    case "date":
      return cosemDate(data.bytes);
    case "time":
      return cosemTime(data.bytes);
    default:
      return typeof data.value === "bigint" ? data.value.toString() : data.value;
  }
}

/** The number an integer-typed item holds, or null for any other type. */
export function numberOf(data: DlmsData | undefined): number | null {
  return data && "value" in data && typeof data.value === "number" ? data.value : null;
}

/** The bytes an octet-string item holds, or null for any other type. */
export function bytesOf(data: DlmsData | undefined): Uint8Array | null {
  return data?.type === "octetString" ? data.bytes : null;
}
