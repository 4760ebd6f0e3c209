// Hex and base64 conversions used wherever GBCS bytes meet text (RTDS files are hex, DUIS base64).

const HEX_DIGITS = /^(?:[0-9a-fA-F]{2})*$/;

export function fromHex(text: string): Uint8Array {
  const clean = text.replace(/\s+/g, "");
  if (!HEX_DIGITS.test(clean)) throw new SyntaxError("not an even-length hexadecimal string");
  const bytes = new Uint8Array(clean.length / 2);
  for (let i = 0; i < bytes.length; i++) bytes[i] = parseInt(clean.slice(i * 2, i * 2 + 2), 16);
  return bytes;
}

export function toHex(bytes: Uint8Array): string {
  let text = "";
  for (const byte of bytes) text += byte.toString(16).padStart(2, "0");
  return text.toUpperCase();
}

export function fromBase64(text: string): Uint8Array {
  const binary = atob(text.replace(/\s+/g, ""));
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}

export function toBase64(bytes: Uint8Array): string {
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}

/** Reads an 8-byte big-endian counter as a bigint. */
export function readCounter(bytes: Uint8Array, offset = 0): bigint {
  return new DataView(bytes.buffer, bytes.byteOffset + offset, 8).getBigUint64(0);
}

/** Writes a counter as 8 bytes, big-endian. */
export function counterBytes(counter: bigint): Uint8Array {
  if (counter < 0n || counter >= 1n << 64n) throw new RangeError("counter must fit in 64 bits");
  const bytes = new Uint8Array(8);
  new DataView(bytes.buffer).setBigUint64(0, counter);
  return bytes;
}

export function concatBytes(...parts: readonly Uint8Array[]): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}
