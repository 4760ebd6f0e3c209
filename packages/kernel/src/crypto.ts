// Typed wrappers over the kernel's AES, AES-GCM and SHA-256 exports.
import { io, wasm } from "./wasm-exports.js";

export function sha256(data: Uint8Array): Uint8Array {
  io.reset();
  const input = io.put(data);
  const out = io.reserve(32);
  wasm.sha256(input, data.length, out);
  return io.copyOut(out, 32);
}

export function aesEncryptBlock(key: Uint8Array, block: Uint8Array): Uint8Array {
  expectLength("AES-128 key", key, 16);
  expectLength("AES block", block, 16);
  io.reset();
  const k = io.put(key);
  const input = io.put(block);
  const out = io.reserve(16);
  wasm.aesEncrypt(k, input, out);
  return io.copyOut(out, 16);
}

export interface Sealed {
  readonly ciphertext: Uint8Array;
  readonly tag: Uint8Array;
}

export function gcmEncrypt(key: Uint8Array, iv: Uint8Array, aad: Uint8Array, plaintext: Uint8Array, tagLength = 16): Sealed {
  checkGcm(key, iv, tagLength);
  io.reset();
  const k = io.put(key);
  const v = io.put(iv);
  const a = io.put(aad);
  const p = io.put(plaintext);
  const t = io.reserve(16);
  wasm.gcmSeal(k, v, iv.length, a, aad.length, p, plaintext.length, p, t, tagLength);
  return { ciphertext: io.copyOut(p, plaintext.length), tag: io.copyOut(t, tagLength) };
}

/** The plaintext, or null when the tag does not authenticate. */
export function gcmDecrypt(key: Uint8Array, iv: Uint8Array, aad: Uint8Array, ciphertext: Uint8Array, tag: Uint8Array): Uint8Array | null {
  checkGcm(key, iv, tag.length);
  io.reset();
  const k = io.put(key);
  const v = io.put(iv);
  const a = io.put(aad);
  const c = io.put(ciphertext);
  const t = io.put(tag);
  const out = io.reserve(ciphertext.length);
  const ok = wasm.gcmOpen(k, v, iv.length, a, aad.length, c, ciphertext.length, out, t, tag.length);
  return ok === 1 ? io.copyOut(out, ciphertext.length) : null;
}

/** GMAC: the GCM tag over AAD only. */
export function gmac(key: Uint8Array, iv: Uint8Array, aad: Uint8Array, tagLength = 16): Uint8Array {
  return gcmEncrypt(key, iv, aad, new Uint8Array(0), tagLength).tag;
}

/** Equality whose time depends only on the length. */
export function timingSafeEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  io.reset();
  const x = io.put(a);
  const y = io.put(b);
  return wasm.ctEqual(x, y, a.length) === 1;
}

export function expectLength(what: string, bytes: Uint8Array, length: number): void {
  if (bytes.length !== length) throw new RangeError(`${what} must be ${length} bytes, got ${bytes.length}`);
}

function checkGcm(key: Uint8Array, iv: Uint8Array, tagLength: number): void {
  expectLength("AES-128 key", key, 16);
  if (iv.length < 1) throw new RangeError("GCM IV must not be empty");
  if (!Number.isInteger(tagLength) || tagLength < 1 || tagLength > 16) throw new RangeError(`GCM tag length must be 1..16 bytes, got ${tagLength}`);
}
