// The byte writer behind every GBCS command OpenDCC builds: a cursor over a caller-given output
// region, length fields that are opened before their contents and patched when closed (GBCS and
// A-XDR lengths in their shortest form, gbcs.md section 1; 1- and 2-byte lengths for GBZ), DLMS
// Data items (tag + big-endian value) and the General-Signing grouping header (gbcs.md 2b).
// The TS side (src/encode.ts) decides what to write; the bytes and their lengths are made here.

// Length-field kinds for encOpen.
export const LENGTH_GBCS: i32 = 0; // 00..7F | 81 LL | 82 HH LL, shortest form
export const LENGTH_U8: i32 = 1;
export const LENGTH_U16: i32 = 2; // big-endian, as in GBZ components
export const LENGTH_U16_LE: i32 = 3; // little-endian, as in ZCL payload fields

// Error codes (encEnd returns them negated).
export const E_OVERFLOW: i32 = 1; // the output region is too small
export const E_UNBALANCED: i32 = 2; // a length was closed without being opened, or left open
export const E_TOO_LONG: i32 = 3; // a length does not fit its field
export const E_TOO_DEEP: i32 = 4; // more than MAX_DEPTH lengths open at once

const MAX_DEPTH: i32 = 32;
const openAt: usize = memory.data(MAX_DEPTH * 4, 4);
const openKind: usize = memory.data(MAX_DEPTH * 4, 4);

let base: usize = 0;
let pos: usize = 0;
let end: usize = 0;
let depth: i32 = 0;
let error: i32 = 0;

@inline function room(n: usize): bool {
  if (error != 0) return false;
  if (pos + n > end) {
    error = E_OVERFLOW;
    return false;
  }
  return true;
}

/** Starts a message in [out, out + capacity). */
export function encBegin(out: usize, capacity: usize): void {
  base = out;
  pos = out;
  end = out + capacity;
  depth = 0;
  error = 0;
}

/** The message length, or a negated error code. */
export function encEnd(): i32 {
  if (error == 0 && depth != 0) error = E_UNBALANCED;
  return error != 0 ? -error : <i32>(pos - base);
}

export function encByte(value: u32): void {
  if (!room(1)) return;
  store<u8>(pos, <u8>value);
  pos += 1;
}

/** An unsigned integer of `width` bytes (1-8), big-endian. */
export function encUint(hi: u32, lo: u32, width: i32): void {
  if (!room(<usize>width)) return;
  const value = (<u64>hi << 32) | <u64>lo;
  for (let i = 0; i < width; i++) store<u8>(pos + <usize>i, <u8>(value >> (<u64>(width - 1 - i) * 8)));
  pos += <usize>width;
}

/** An unsigned integer of `width` bytes, little-endian (ZCL fields). */
export function encUintLe(hi: u32, lo: u32, width: i32): void {
  if (!room(<usize>width)) return;
  const value = (<u64>hi << 32) | <u64>lo;
  for (let i = 0; i < width; i++) store<u8>(pos + <usize>i, <u8>(value >> (<u64>i * 8)));
  pos += <usize>width;
}

export function encCopy(source: usize, length: usize): void {
  if (!room(length)) return;
  memory.copy(pos, source, length);
  pos += length;
}

/** A GBCS / A-XDR length in its shortest form. */
export function encLength(length: u32): void {
  if (length < 0x80) encByte(length);
  else if (length < 0x100) { encByte(0x81); encByte(length); }
  else if (length < 0x10000) { encByte(0x82); encUint(0, length, 2); }
  else if (error == 0) error = E_TOO_LONG;
}

/** Opens a length field whose value is known only when its contents are written. */
export function encOpen(kind: i32): void {
  if (error != 0) return;
  if (depth == MAX_DEPTH) {
    error = E_TOO_DEEP;
    return;
  }
  const width: usize = kind == LENGTH_U8 || kind == LENGTH_GBCS ? 1 : 2;
  if (!room(width)) return;
  store<i32>(openAt + <usize>depth * 4, <i32>(pos - base));
  store<i32>(openKind + <usize>depth * 4, kind);
  depth++;
  pos += width;
}

/** Closes the innermost open length, writing the length of what was written since. */
export function encClose(): void {
  if (error != 0) return;
  if (depth == 0) {
    error = E_UNBALANCED;
    return;
  }
  depth--;
  const at = base + <usize>load<i32>(openAt + <usize>depth * 4);
  const kind = load<i32>(openKind + <usize>depth * 4);
  if (kind == LENGTH_GBCS) {
    const length = <u32>(pos - at - 1);
    const extra: usize = length < 0x80 ? 0 : length < 0x100 ? 1 : length < 0x10000 ? 2 : 3;
    if (extra == 3) { error = E_TOO_LONG; return; }
    if (extra > 0) {
      if (!room(extra)) return;
      memory.copy(at + 1 + extra, at + 1, <usize>length);
      pos += extra;
      store<u8>(at, <u8>(0x80 + extra));
      if (extra == 1) store<u8>(at + 1, <u8>length);
      else { store<u8>(at + 1, <u8>(length >> 8)); store<u8>(at + 2, <u8>length); }
    } else {
      store<u8>(at, <u8>length);
    }
    return;
  }
  const length = <u32>(pos - at - (kind == LENGTH_U8 ? 1 : 2));
  if (kind == LENGTH_U8) {
    if (length > 0xff) { error = E_TOO_LONG; return; }
    store<u8>(at, <u8>length);
  } else {
    if (length > 0xffff) { error = E_TOO_LONG; return; }
    const first = kind == LENGTH_U16 ? length >> 8 : length;
    const second = kind == LENGTH_U16 ? length : length >> 8;
    store<u8>(at, <u8>first);
    store<u8>(at + 1, <u8>second);
  }
}

// DLMS Data (gbcs.md section 4): tag, then the value big-endian in the tag's width.
@inline function dlmsWidth(tag: u32): i32 {
  switch (tag) {
    case 0x03: case 0x0f: case 0x11: case 0x16: return 1; // boolean, integer, unsigned, enum
    case 0x10: case 0x12: return 2; // long, long-unsigned
    case 0x05: case 0x06: case 0x17: return 4; // double-long(-unsigned), float32
    case 0x14: case 0x15: case 0x18: return 8; // long64(-unsigned), float64
    default: return -1;
  }
}

/** A fixed-width DLMS Data item; returns false for a tag that is not one. */
export function dlmsNumber(tag: u32, hi: u32, lo: u32): bool {
  const width = dlmsWidth(tag);
  if (width < 0) return false;
  encByte(tag);
  encUint(hi, lo, width);
  return true;
}

/** array (01) or structure (02) with its element count. */
export function dlmsCount(tag: u32, count: u32): void {
  encByte(tag);
  encLength(count);
}

/** octet-string (09), visible-string (0A), utf8-string (0C): tag, length, bytes. */
export function dlmsString(tag: u32, source: usize, length: usize): void {
  encByte(tag);
  encLength(<u32>length);
  encCopy(source, length);
}

/** bit-string (04): the length counts bits; the bytes carry them most significant bit first. */
export function dlmsBits(source: usize, bitCount: u32): void {
  encByte(0x04);
  encLength(bitCount);
  encCopy(source, <usize>((bitCount + 7) >> 3));
}

/** A 12-byte COSEM date-time (gbcs.md section 1); 0xFF / 0x8000 mark fields not given. */
export function cosemDateTime(year: u32, month: u32, day: u32, weekday: u32, hour: u32, minute: u32, second: u32, hundredths: u32, deviation: u32, status: u32): void {
  if (!room(12)) return;
  encUint(0, year, 2);
  encByte(month);
  encByte(day);
  encByte(weekday);
  encByte(hour);
  encByte(minute);
  encByte(second);
  encByte(hundredths);
  encUint(0, deviation, 2);
  encByte(status);
}

/**
 * The General-Signing APDU up to its content (gbcs.md 2b): DF, transaction-id (09, CRA flag,
 * counter), originator and recipient titles, date-time (00 or 0C + 12 bytes) and other-information
 * (its length then the bytes the caller prepared: message code and any supplementary fields).
 * The caller then opens the content length, writes the payload and closes it.
 */
export function gbcsHeader(cra: u32, counter: usize, originator: usize, recipient: usize, dateTime: usize, otherInfo: usize, otherInfoLength: u32): void {
  encByte(0xdf);
  encByte(0x09);
  encByte(cra);
  encCopy(counter, 8);
  encByte(0x08);
  encCopy(originator, 8);
  encByte(0x08);
  encCopy(recipient, 8);
  if (dateTime == 0) encByte(0x00);
  else { encByte(0x0c); encCopy(dateTime, 12); }
  encLength(otherInfoLength);
  encCopy(otherInfo, <usize>otherInfoLength);
}
