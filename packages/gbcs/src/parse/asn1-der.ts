// A strict DER reader (ITU-T X.690 section 10) for GBCS ASN.1 payloads: one element filling the
// content exactly, definite lengths only, low tag numbers only, and a nesting limit, so a malformed
// or hostile payload is refused with the reason and the byte where it is. One leniency: devices
// write some lengths in a longer form than needed (the RTDS CS02b alerts start 30 82 00 DE), so
// a long-form length is not required to be the shortest.
import { GbcsParseError } from "./types.js";

/** Deeper than any GBCS structure (a certificate inside CS02b sits about ten levels down). */
export const MAX_DER_DEPTH = 24;

/** Longest length field accepted: 4 bytes is far beyond any GBCS message (the largest is about 4 KB). */
const MAX_LENGTH_BYTES = 4;

export interface DerNode {
  /** The identifier octet: class, constructed bit and tag number. */
  readonly tag: number;
  /** Offset of the identifier octet within the content. */
  readonly offset: number;
  /** The contents octets. */
  readonly value: Uint8Array;
  /** Offset of the first contents octet. */
  readonly valueOffset: number;
  /** The elements inside, for constructed encodings; null for primitive ones. */
  readonly children: readonly DerNode[] | null;
}

export const isConstructed = (tag: number) => (tag & 0x20) !== 0;

/** Reads the single DER element that makes up `content`; trailing bytes are an error. */
export function readDer(content: Uint8Array): DerNode {
  if (content.length === 0) throw new GbcsParseError("empty ASN.1 payload", 0);
  const [node, end] = readElement(content, 0, content.length, 1);
  if (end !== content.length) {
    const extra = content.length - end;
    throw new GbcsParseError(`${extra} byte${extra === 1 ? "" : "s"} after the DER element`, end);
  }
  return node;
}

function readElement(bytes: Uint8Array, offset: number, limit: number, depth: number): [DerNode, number] {
  if (depth > MAX_DER_DEPTH) throw new GbcsParseError(`DER nesting deeper than ${MAX_DER_DEPTH} levels`, offset);
  const tag = bytes[offset] as number;
  if ((tag & 0x1f) === 0x1f) throw new GbcsParseError("DER high-tag-number form is not used by GBCS", offset);
  const [length, lengthSize] = readLength(bytes, offset + 1, limit);
  const valueOffset = offset + 1 + lengthSize;
  const end = valueOffset + length;
  if (end > limit) {
    throw new GbcsParseError(`DER element of ${length} bytes runs past the end of its container (${limit - valueOffset} remain)`, offset);
  }
  const value = bytes.subarray(valueOffset, end);
  let children: DerNode[] | null = null;
  if (isConstructed(tag)) {
    children = [];
    let at = valueOffset;
    while (at < end) {
      const [child, next] = readElement(bytes, at, end, depth + 1);
      children.push(child);
      at = next;
    }
  }
  return [{ tag, offset, value, valueOffset, children }, end];
}

function readLength(bytes: Uint8Array, at: number, limit: number): [number, number] {
  if (at >= limit) throw new GbcsParseError("DER element truncated before its length", at);
  const first = bytes[at] as number;
  if (first < 0x80) return [first, 1];
  if (first === 0x80) throw new GbcsParseError("DER forbids the indefinite length form (80)", at);
  const size = first & 0x7f;
  if (size > MAX_LENGTH_BYTES) throw new GbcsParseError(`DER length field of ${size} bytes is over-long`, at);
  if (at + 1 + size > limit) throw new GbcsParseError("DER length field truncated", at);
  let length = 0;
  for (let i = 1; i <= size; i++) length = length * 256 + (bytes[at + i] as number);
  return [length, 1 + size];
}
