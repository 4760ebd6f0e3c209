// GBCS protection through the kernel: KDF, MAC (single and batch), response-block encryption.
// `sharedSecret` is always Z, the 32-byte ECDH x-coordinate for the key pair gbcs.md section 6
// names (command: ACB x device; response/alert: device x recipient).
import { io, wasm } from "./wasm-exports.js";
import { expectLength } from "./crypto.js";
import { FrameError } from "./frame.js";

/** KDF type of encrypted response blocks; MACs use the message's CRA flag (1, 2, 3). */
export const KDF_TYPE_ENCRYPTION = 4;
export const MAC_LENGTH = 12;

export interface KdfInput {
  readonly sharedSecret: Uint8Array;
  /** Originator system title (8 bytes). */
  readonly originator: Uint8Array;
  /** 1-3 (CRA flag) for MACs, 4 for encrypted blocks. */
  readonly kdfType: number;
  /** Originator counter (8 bytes, big-endian). */
  readonly counter: Uint8Array;
  /** Recipient system title (8 bytes); for encrypted blocks the remote party P. */
  readonly recipient: Uint8Array;
}

/** The per-message AES key (gbcs.md section 6 steps 3-4). */
export function deriveKey(input: KdfInput): Uint8Array {
  checkSecret(input.sharedSecret);
  expectLength("originator", input.originator, 8);
  expectLength("counter", input.counter, 8);
  expectLength("recipient", input.recipient, 8);
  io.reset();
  const z = io.put(input.sharedSecret);
  const o = io.put(input.originator);
  const c = io.put(input.counter);
  const r = io.put(input.recipient);
  const out = io.reserve(16);
  wasm.deriveKey(z, o, input.kdfType, c, r, out);
  return io.copyOut(out, 16);
}

/** IV = originator || 00000000 (gbcs.md section 6 step 5). */
export function gbcsIv(originator: Uint8Array): Uint8Array {
  expectLength("originator", originator, 8);
  const iv = new Uint8Array(12);
  iv.set(originator);
  return iv;
}

/** The 12-byte MAC of a General-Signing APDU. */
export function macApdu(sharedSecret: Uint8Array, apdu: Uint8Array): Uint8Array {
  checkSecret(sharedSecret);
  io.reset();
  const z = io.put(sharedSecret);
  const a = io.put(apdu);
  const out = io.reserve(MAC_LENGTH);
  const status = wasm.gbcsMac(z, a, apdu.length, out);
  if (status !== 0) throw new FrameError(status);
  return io.copyOut(out, MAC_LENGTH);
}

/** Wraps a General-Signing APDU in its MAC-protected DD frame. */
export function wrapApdu(sharedSecret: Uint8Array, apdu: Uint8Array): Uint8Array {
  return wrapBatch([{ sharedSecret, apdu }])[0] as Uint8Array;
}

/** True when the DD frame's MAC verifies; throws FrameError when the frame is malformed. */
export function verifyMac(sharedSecret: Uint8Array, frame: Uint8Array): boolean {
  const verdict = verifyBatch([{ sharedSecret, frame }])[0];
  if (verdict instanceof FrameError && verdict.code !== 31) throw verdict;
  return verdict === true;
}

export interface ApduToWrap {
  readonly sharedSecret: Uint8Array;
  readonly apdu: Uint8Array;
}

export interface FrameToVerify {
  readonly sharedSecret: Uint8Array;
  readonly frame: Uint8Array;
}

const ENTRY_WORDS = 4;

/**
 * Wraps many APDUs in one kernel call (the hot path). A shared secret object used by several
 * items is copied into the kernel once.
 */
export function wrapBatch(items: readonly ApduToWrap[]): Uint8Array[] {
  io.reset();
  const table = io.reserve(items.length * ENTRY_WORDS * 4);
  const secrets = new Map<Uint8Array, number>();
  const rows: number[] = [];
  for (const { sharedSecret, apdu } of items) {
    const z = placeSecret(secrets, sharedSecret);
    const a = io.put(apdu);
    const out = io.reserve(wasm.wrappedLength(apdu.length));
    rows.push(z, a, apdu.length, out);
  }
  new Uint32Array(wasm.memory.buffer, table, rows.length).set(rows);
  wasm.gbcsWrapBatch(table, items.length);
  const results = new Int32Array(wasm.memory.buffer, table, rows.length);
  return items.map((_, i) => {
    const length = results[i * ENTRY_WORDS + 2] as number;
    if (length < 0) throw new FrameError(-length);
    return io.copyOut(rows[i * ENTRY_WORDS + 3] as number, length);
  });
}

/** Verifies many DD frames in one kernel call: true, or the FrameError saying why not. */
export function verifyBatch(items: readonly FrameToVerify[]): (true | FrameError)[] {
  io.reset();
  const table = io.reserve(items.length * ENTRY_WORDS * 4);
  const secrets = new Map<Uint8Array, number>();
  const rows: number[] = [];
  for (const { sharedSecret, frame } of items) {
    rows.push(placeSecret(secrets, sharedSecret), io.put(frame), frame.length, 0);
  }
  new Uint32Array(wasm.memory.buffer, table, rows.length).set(rows);
  wasm.gbcsVerifyBatch(table, items.length);
  const results = new Int32Array(wasm.memory.buffer, table, rows.length);
  return items.map((_, i) => {
    const code = results[i * ENTRY_WORDS + 3] as number;
    return code === 0 ? true : new FrameError(code);
  });
}

export interface BlockKey {
  readonly sharedSecret: Uint8Array;
  /** The device that encrypts (the message originator). */
  readonly originator: Uint8Array;
  /** The party the block is for: the supplementary remote party if present, else the recipient. */
  readonly party: Uint8Array;
  /** The supplementary originator counter if present, else the message counter. */
  readonly counter: Uint8Array;
}

/** Encrypts a response block: 31 00000000 || ciphertext || tag(12) (gbcs.md section 7). */
export function sealBlock(key: BlockKey, plaintext: Uint8Array): Uint8Array {
  checkBlockKey(key);
  io.reset();
  const [z, o, p, c] = placeBlockKey(key);
  const plain = io.put(plaintext);
  const out = io.reserve(plaintext.length + 5 + MAC_LENGTH);
  const length = wasm.gbcsSealBlock(z, o, p, c, plain, plaintext.length, out);
  return io.copyOut(out, length);
}

/** Decrypts a response block; null when it does not authenticate. */
export function openBlock(key: BlockKey, block: Uint8Array): Uint8Array | null {
  checkBlockKey(key);
  io.reset();
  const [z, o, p, c] = placeBlockKey(key);
  const b = io.put(block);
  const out = io.reserve(block.length);
  const length = wasm.gbcsOpenBlock(z, o, p, c, b, block.length, out);
  if (length === -34) return null;
  if (length < 0) throw new FrameError(-length);
  return io.copyOut(out, length);
}

function placeSecret(placed: Map<Uint8Array, number>, secret: Uint8Array): number {
  let at = placed.get(secret);
  if (at === undefined) {
    checkSecret(secret);
    at = io.put(secret);
    placed.set(secret, at);
  }
  return at;
}

function placeBlockKey(key: BlockKey): [number, number, number, number] {
  return [io.put(key.sharedSecret), io.put(key.originator), io.put(key.party), io.put(key.counter)];
}

function checkBlockKey(key: BlockKey): void {
  checkSecret(key.sharedSecret);
  expectLength("originator", key.originator, 8);
  expectLength("party", key.party, 8);
  expectLength("counter", key.counter, 8);
}

function checkSecret(secret: Uint8Array): void {
  expectLength("ECDH shared secret", secret, 32);
}
