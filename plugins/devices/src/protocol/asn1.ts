// The few DER shapes device responses need (gbcs.md 4, ASN.1): INTEGER, OCTET STRING, SEQUENCE,
// GeneralizedTime.
import { concatBytes } from "@opendcc/kernel";

function tlv(tag: number, body: Uint8Array): Uint8Array {
  const n = body.length;
  // Long lengths in two bytes, as the RTDS devices write them (CS02b: 30 82 00CA).
  const length = n < 0x80 ? Uint8Array.of(n) : Uint8Array.of(0x82, n >> 8, n & 0xff);
  return concatBytes(Uint8Array.of(tag), length, body);
}

/** A non-negative INTEGER in its minimal form. */
export function derInteger(value: number | bigint): Uint8Array {
  const bytes: number[] = [];
  let v = BigInt(value);
  do {
    bytes.unshift(Number(v & 0xffn));
    v >>= 8n;
  } while (v > 0n);
  if ((bytes[0] as number) & 0x80) bytes.unshift(0);
  return tlv(0x02, Uint8Array.from(bytes));
}

export const derOctets = (bytes: Uint8Array): Uint8Array => tlv(0x04, bytes);
export const derSequence = (...items: Uint8Array[]): Uint8Array => tlv(0x30, concatBytes(...items));

/** GeneralizedTime `YYYYMMDDhhmmssZ` of a UTC instant. */
export function derGeneralizedTime(at: Date): Uint8Array {
  const text = at.toISOString().replace(/[-:T]/g, "").replace(/\.\d{3}Z$/, "Z");
  return tlv(0x18, new TextEncoder().encode(text));
}

export const derNull = (): Uint8Array => Uint8Array.of(0x05, 0x00);
export const derEnumerated = (value: number): Uint8Array => concatBytes(Uint8Array.of(0x0a), derInteger(value).subarray(1));
/** A BIT STRING of one byte with `unused` trailing bits not in use (key usages: DS 07 80, KA 03 08). */
export const derBits = (unused: number, byte: number): Uint8Array => Uint8Array.of(0x03, 0x02, unused, byte);
