// The few DER shapes device responses need (gbcs.md 4, ASN.1): INTEGER, OCTET STRING, SEQUENCE.
import { concatBytes } from "@opendcc/kernel";

function tlv(tag: number, body: Uint8Array): Uint8Array {
  const n = body.length;
  const length = n < 0x80 ? Uint8Array.of(n) : n < 0x100 ? Uint8Array.of(0x81, n) : Uint8Array.of(0x82, n >> 8, n & 0xff);
  return concatBytes(Uint8Array.of(tag), length, body);
}

/** A non-negative INTEGER in its minimal form. */
export function derInteger(value: number): Uint8Array {
  const bytes: number[] = [];
  let v = value;
  do {
    bytes.unshift(v & 0xff);
    v = Math.floor(v / 256);
  } while (v > 0);
  if ((bytes[0] as number) & 0x80) bytes.unshift(0);
  return tlv(0x02, Uint8Array.from(bytes));
}

export const derOctets = (bytes: Uint8Array): Uint8Array => tlv(0x04, bytes);
export const derSequence = (...items: Uint8Array[]): Uint8Array => tlv(0x30, concatBytes(...items));
