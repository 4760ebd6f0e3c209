// ASN.1 DER pieces of the security use cases' payloads (gbcs.md 4, "ASN.1 DER"). DER definite
// lengths have the same shortest forms as GBCS lengths (00-7F, 81 LL, 82 HH LL), so the kernel's
// "gbcs" length field writes them.
import type { GbcsWriter } from "@opendcc/kernel";
import { TransformError, type EncodeContext } from "../types.js";

export const DER = {
  integer: 0x02, bitString: 0x03, octetString: 0x04, null: 0x05, sequence: 0x30, generalizedTime: 0x18,
} as const;

/** A tagged DER value whose contents the callback writes; its length is patched afterwards. */
export function derTagged(writer: GbcsWriter, tag: number, contents: (w: GbcsWriter) => void): void {
  writer.byte(tag).sized("gbcs", contents);
}

export function derSequence(writer: GbcsWriter, contents: (w: GbcsWriter) => void): void {
  derTagged(writer, DER.sequence, contents);
}

/** A non-negative INTEGER in its minimal two's-complement form, under `tag` (02 or a context tag). */
export function derInteger(writer: GbcsWriter, value: number | bigint, tag: number = DER.integer): void {
  const big = BigInt(value);
  if (big < 0n) throw new TransformError(`${big} is negative; GBCS integers here are not`);
  if (big >= 1n << 64n) throw new TransformError(`${big} does not fit 64 bits`);
  // The fewest bytes that hold the value with a clear sign bit (a leading 00 when the top bit is set).
  let width = 1;
  while (big >> BigInt(8 * width - 1) > 0n) width++;
  writer.byte(tag).length(width);
  if (width > 8) writer.byte(0).uint(big, 8);
  else writer.uint(big, width);
}

export function derOctets(writer: GbcsWriter, bytes: Uint8Array, tag: number = DER.octetString): void {
  writer.byte(tag).length(bytes.length).bytes(bytes);
}

/** Certificates and other DER values carried whole: checked to be one DER value, then copied. */
export function derRaw(writer: GbcsWriter, der: Uint8Array, field: string): void {
  if (der.length < 2 || der[0] !== DER.sequence || derLength(der) !== der.length) {
    throw new TransformError(`${field} is not one DER SEQUENCE (a certificate)`, field);
  }
  writer.bytes(der);
}

function derLength(der: Uint8Array): number {
  const first = der[1] as number;
  if (first < 0x80) return 2 + first;
  const count = first & 0x7f;
  if (count < 1 || count > 3 || der.length < 2 + count) return -1;
  let length = 0;
  for (let i = 0; i < count; i++) length = length * 256 + (der[2 + i] as number);
  return 2 + count + length;
}

/** KeyUsage as GBCS carries it: a two-byte BIT STRING (unused bits, then the usage bits). */
export const KEY_USAGE = {
  /** digitalSignature (bit 0): 03 02 07 80. */
  digitalSignature: Uint8Array.of(0x07, 0x80),
  /** keyAgreement (bit 4): 03 02 03 08. */
  keyAgreement: Uint8Array.of(0x03, 0x08),
} as const;
export type KeyUsageName = keyof typeof KEY_USAGE;

export function derKeyUsage(writer: GbcsWriter, usage: KeyUsageName): void {
  derOctets(writer, KEY_USAGE[usage], DER.bitString);
}

/** The DUIS date that cancels a future-dated request (duis.md, Future dating). */
const CANCELLATION = Date.UTC(3000, 11, 31);
/** What a cancellation becomes in an ASN.1 execution date-time (the RTDS cancellation vectors). */
const LATEST_GENERALIZED_TIME = "99991231235959Z";

/** GeneralizedTime YYYYMMDDhhmmssZ (UTC), or the latest time for a DUIS cancellation. */
export function derGeneralizedTime(writer: GbcsWriter, date: Date): void {
  const text = date.getTime() === CANCELLATION ? LATEST_GENERALIZED_TIME : generalizedTime(date);
  writer.byte(DER.generalizedTime).length(text.length).bytes(new TextEncoder().encode(text));
}

export function isCancellation(context: EncodeContext): boolean {
  return context.executionDateTime?.getTime() === CANCELLATION;
}

function generalizedTime(date: Date): string {
  const year = date.getUTCFullYear();
  if (year < 1 || year > 9999) throw new TransformError(`${date.toISOString()} does not fit a GeneralizedTime`, "ExecutionDateTime");
  const pad = (value: number, width = 2) => String(value).padStart(width, "0");
  return `${pad(year, 4)}${pad(date.getUTCMonth() + 1)}${pad(date.getUTCDate())}${pad(date.getUTCHours())}${pad(date.getUTCMinutes())}${pad(date.getUTCSeconds())}Z`;
}
