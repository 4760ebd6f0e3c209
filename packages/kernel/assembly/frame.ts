// GBCS framing: walks a General Ciphering ("DD", MAC header) or General Signing ("DF") APDU
// and records where each field sits, so callers never re-parse. Layout: gbcs.md sections 1-2.
// The walker is strict: every length must match, and a frame must end where its fields end.

// Slots of the record written by parseFrame (i32 each).
export const F_FORM: i32 = 0; // 1 = General Ciphering (DD), 2 = General Signing (DF)
export const F_APDU_OFFSET: i32 = 1; // where the DF APDU starts
export const F_APDU_LENGTH: i32 = 2; // DF through the end of the signature field (or content, when absent)
export const F_CRA: i32 = 3;
export const F_COUNTER_OFFSET: i32 = 4;
export const F_ORIGINATOR_OFFSET: i32 = 5;
export const F_RECIPIENT_OFFSET: i32 = 6;
export const F_DATETIME_OFFSET: i32 = 7; // -1 when absent
export const F_OTHER_INFO_OFFSET: i32 = 8;
export const F_OTHER_INFO_LENGTH: i32 = 9;
export const F_MESSAGE_CODE: i32 = 10;
export const F_CONTENT_OFFSET: i32 = 11;
export const F_CONTENT_LENGTH: i32 = 12;
export const F_SIGNATURE_STATE: i32 = 13; // 0 absent (pre-command), 1 empty (00), 2 present (40 + 64 B)
export const F_SIGNATURE_OFFSET: i32 = 14; // -1 unless present
export const F_MAC_OFFSET: i32 = 15; // -1 for DF
export const F_ERROR_OFFSET: i32 = 16; // where parsing stopped, on error
export const FRAME_SLOTS: i32 = 17;

// Error codes returned by parseFrame; the TS loader turns them into messages.
export const E_TRUNCATED: i32 = 1;
export const E_UNKNOWN_TAG: i32 = 2;
export const E_SEGMENTED: i32 = 3;
export const E_CIPHERING_HEADER: i32 = 4;
export const E_CIPHERED_LENGTH: i32 = 5;
export const E_SECURITY_HEADER: i32 = 6;
export const E_TRANSACTION_ID: i32 = 7;
export const E_CRA_FLAG: i32 = 8;
export const E_SYSTEM_TITLE: i32 = 9;
export const E_DATE_TIME: i32 = 10;
export const E_OTHER_INFO: i32 = 11;
export const E_CONTENT_LENGTH: i32 = 12;
export const E_SIGNATURE_LENGTH: i32 = 13;
export const E_TRAILING_BYTES: i32 = 14;
export const E_LENGTH_ENCODING: i32 = 15;

const MAC_LENGTH: i32 = 12;
// SC (1) + invocation counter (4) + MAC (12) around the APDU inside the ciphered service.
const CIPHERED_OVERHEAD: i32 = 17;

// Length decoding leaves its results here (value, bytes used) to avoid allocation.
let lengthValue: i32 = 0;
let lengthSize: i32 = 0;

// Reads a GBCS length (00-7F, 81 LL, 82 HH LL) at p; 0 on success or an error code.
function readLength(p: usize, end: usize): i32 {
  if (p >= end) return E_TRUNCATED;
  const first = <i32>load<u8>(p);
  if (first < 0x80) {
    lengthValue = first;
    lengthSize = 1;
    return 0;
  }
  if (first == 0x81) {
    if (p + 2 > end) return E_TRUNCATED;
    lengthValue = <i32>load<u8>(p + 1);
    lengthSize = 2;
    return 0;
  }
  if (first == 0x82) {
    if (p + 3 > end) return E_TRUNCATED;
    lengthValue = (<i32>load<u8>(p + 1) << 8) | <i32>load<u8>(p + 2);
    lengthSize = 3;
    return 0;
  }
  return E_LENGTH_ENCODING;
}

/** Bytes a GBCS length field takes for `value`. */
export function lengthFieldSize(value: i32): i32 {
  return value < 0x80 ? 1 : value < 0x100 ? 2 : 3;
}

/** Writes a GBCS length field at p; returns the bytes written. */
export function writeLength(p: usize, value: i32): i32 {
  if (value < 0x80) {
    store<u8>(p, <u8>value);
    return 1;
  }
  if (value < 0x100) {
    store<u8>(p, 0x81);
    store<u8>(p + 1, <u8>value);
    return 2;
  }
  store<u8>(p, 0x82);
  store<u8>(p + 1, <u8>(value >> 8));
  store<u8>(p + 2, <u8>value);
  return 3;
}

@inline function setSlot(out: usize, slot: i32, value: i32): void {
  store<i32>(out + (<usize>slot << 2), value);
}

@inline function fail(out: usize, base: usize, at: usize, code: i32): i32 {
  setSlot(out, F_ERROR_OFFSET, <i32>(at - base));
  return code;
}

// Walks a DF APDU in [p, end). `inside` says whether it sits inside a DD frame, where the
// signature field is mandatory and must end exactly at `end`.
function parseSigning(base: usize, p: usize, end: usize, out: usize, inside: bool): i32 {
  const start = p;
  setSlot(out, F_APDU_OFFSET, <i32>(start - base));
  if (p + 1 > end) return fail(out, base, p, E_TRUNCATED);
  if (load<u8>(p) != 0xdf) return fail(out, base, p, E_UNKNOWN_TAG);
  p += 1;
  // transaction-id: 09, CRA flag, 8-byte originator counter
  if (p + 10 > end) return fail(out, base, p, E_TRUNCATED);
  if (load<u8>(p) != 0x09) return fail(out, base, p, E_TRANSACTION_ID);
  const cra = <i32>load<u8>(p + 1);
  if (cra < 1 || cra > 3) return fail(out, base, p + 1, E_CRA_FLAG);
  setSlot(out, F_CRA, cra);
  setSlot(out, F_COUNTER_OFFSET, <i32>(p + 2 - base));
  p += 10;
  // originator and recipient system titles: 08 + EUI-64 each
  if (p + 18 > end) return fail(out, base, p, E_TRUNCATED);
  if (load<u8>(p) != 0x08) return fail(out, base, p, E_SYSTEM_TITLE);
  setSlot(out, F_ORIGINATOR_OFFSET, <i32>(p + 1 - base));
  p += 9;
  if (load<u8>(p) != 0x08) return fail(out, base, p, E_SYSTEM_TITLE);
  setSlot(out, F_RECIPIENT_OFFSET, <i32>(p + 1 - base));
  p += 9;
  // date-time: 00 absent, or 0C + 12-byte COSEM date-time
  if (p + 1 > end) return fail(out, base, p, E_TRUNCATED);
  const dateTimeTag = load<u8>(p);
  if (dateTimeTag == 0x00) {
    setSlot(out, F_DATETIME_OFFSET, -1);
    p += 1;
  } else if (dateTimeTag == 0x0c) {
    if (p + 13 > end) return fail(out, base, p, E_TRUNCATED);
    setSlot(out, F_DATETIME_OFFSET, <i32>(p + 1 - base));
    p += 13;
  } else {
    return fail(out, base, p, E_DATE_TIME);
  }
  // other-information: length, message code (2) and supplementary fields
  let status = readLength(p, end);
  if (status != 0) return fail(out, base, p, status);
  const otherLength = lengthValue;
  p += lengthSize;
  if (otherLength < 2) return fail(out, base, p, E_OTHER_INFO);
  if (p + <usize>otherLength > end) return fail(out, base, p, E_TRUNCATED);
  setSlot(out, F_OTHER_INFO_OFFSET, <i32>(p - base));
  setSlot(out, F_OTHER_INFO_LENGTH, otherLength);
  setSlot(out, F_MESSAGE_CODE, (<i32>load<u8>(p) << 8) | <i32>load<u8>(p + 1));
  p += otherLength;
  // content
  status = readLength(p, end);
  if (status != 0) return fail(out, base, p, status);
  const contentLength = lengthValue;
  p += lengthSize;
  if (p + <usize>contentLength > end) return fail(out, base, p, E_CONTENT_LENGTH);
  setSlot(out, F_CONTENT_OFFSET, <i32>(p - base));
  setSlot(out, F_CONTENT_LENGTH, contentLength);
  p += contentLength;
  // signature: absent (pre-command, only outside DD), 00, or 40 + r||s
  setSlot(out, F_SIGNATURE_OFFSET, -1);
  if (p == end && !inside) {
    setSlot(out, F_SIGNATURE_STATE, 0);
  } else {
    if (p >= end) return fail(out, base, p, E_TRUNCATED);
    const signatureLength = load<u8>(p);
    if (signatureLength == 0x00) {
      setSlot(out, F_SIGNATURE_STATE, 1);
      p += 1;
    } else if (signatureLength == 0x40) {
      if (p + 65 > end) return fail(out, base, p, E_TRUNCATED);
      setSlot(out, F_SIGNATURE_STATE, 2);
      setSlot(out, F_SIGNATURE_OFFSET, <i32>(p + 1 - base));
      p += 65;
    } else {
      return fail(out, base, p, E_SIGNATURE_LENGTH);
    }
  }
  if (p != end) return fail(out, base, p, E_TRAILING_BYTES);
  setSlot(out, F_APDU_LENGTH, <i32>(p - start));
  return 0;
}

/**
 * Parses the frame in [ptr, ptr+len) into the FRAME_SLOTS record at out. Returns 0 or an E_* code
 * (with F_ERROR_OFFSET set).
 */
export function parseFrame(ptr: usize, len: i32, out: usize): i32 {
  const end = ptr + <usize>len;
  setSlot(out, F_ERROR_OFFSET, -1);
  if (len < 1) return fail(out, ptr, ptr, E_TRUNCATED);
  const tag = load<u8>(ptr);
  if (tag == 0xdf) {
    setSlot(out, F_FORM, 2);
    setSlot(out, F_MAC_OFFSET, -1);
    return parseSigning(ptr, ptr, end, out, false);
  }
  if (tag != 0xdd) return fail(out, ptr, ptr, E_UNKNOWN_TAG);
  setSlot(out, F_FORM, 1);
  if (len < 2) return fail(out, ptr, ptr + 1, E_TRUNCATED);
  // A non-empty transaction-id here is a General Block Transfer segment, which GBCS
  // messages in the RTDS never use and this kernel does not reassemble.
  if (load<u8>(ptr + 1) != 0) return fail(out, ptr, ptr + 1, E_SEGMENTED);
  if (len < 7) return fail(out, ptr, ptr + 2, E_TRUNCATED);
  for (let i: usize = 2; i < 7; i++) {
    if (load<u8>(ptr + i) != 0) return fail(out, ptr, ptr + i, E_CIPHERING_HEADER);
  }
  let p = ptr + 7;
  const status = readLength(p, end);
  if (status != 0) return fail(out, ptr, p, status);
  const cipheredLength = lengthValue;
  p += lengthSize;
  if (p + <usize>cipheredLength != end) {
    return fail(out, ptr, p - lengthSize, p + <usize>cipheredLength > end ? E_TRUNCATED : E_CIPHERED_LENGTH);
  }
  if (cipheredLength < CIPHERED_OVERHEAD + 1) return fail(out, ptr, p, E_CIPHERED_LENGTH);
  if (load<u8>(p) != 0x11 || load<u32>(p + 1) != 0) return fail(out, ptr, p, E_SECURITY_HEADER);
  p += 5;
  const macAt = end - MAC_LENGTH;
  setSlot(out, F_MAC_OFFSET, <i32>(macAt - ptr));
  return parseSigning(ptr, p, macAt, out, true);
}
