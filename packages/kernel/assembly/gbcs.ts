// GBCS message protection: the KDF, the MAC of a General-Signing APDU inside a DD frame, and the
// encryption of response blocks. Recipes: gbcs.md sections 6 (MAC) and 7 (encrypted blocks).
// Callers pass Z, the 32-byte x-coordinate of the static-static ECDH point, which they may cache
// per key pair: every message still gets a fresh key because the KDF mixes in its counter.

import { sha256 } from "./sha256";
import { gcmSeal, gcmOpen, ctEqual } from "./gcm";
import {
  parseFrame, writeLength, lengthFieldSize, FRAME_SLOTS,
  F_FORM, F_APDU_OFFSET, F_APDU_LENGTH, F_MAC_OFFSET,
} from "./frame";

export const MAC_LENGTH: i32 = 12;
export const E_NOT_MAC_FRAME: i32 = 30;
export const E_MAC_MISMATCH: i32 = 31;
export const E_APDU_HEADER: i32 = 32;
export const E_BLOCK_HEADER: i32 = 33;
export const E_BLOCK_TAG: i32 = 34;

/** KDF type for encrypted response blocks (gbcs.md section 7); MACs use the CRA flag (1-3). */
export const KDF_TYPE_ENCRYPTION: i32 = 4;

// Largest APDU a DD frame can carry: its ciphered-service length is at most 0xFFFF.
const MAX_APDU: i32 = 0xffff - 17;
// The GCM AAD of a MAC is a 6-byte security header followed by the APDU; the frame holds only five
// of those bytes before the APDU, so the AAD is assembled here.
const AAD_PREFIX: i32 = 6;
const aadScratch: usize = memory.data(AAD_PREFIX + 0xffff, 16);

// 00000001 || Z(32) || OtherInfo(33): the single-round concatenation KDF input.
const KDF_INPUT_LENGTH: i32 = 4 + 32 + 33;
const kdfInput: usize = memory.data(KDF_INPUT_LENGTH + 3, 16);
const kdfDigest: usize = memory.data(32, 16);
const derivedKey: usize = memory.data(16, 16);
const iv: usize = memory.data(12, 16);
const tag: usize = memory.data(16, 16);
const frameRecord: usize = memory.data(FRAME_SLOTS * 4, 16);
const blockAad: usize = memory.data<u8>([0x31]);

/**
 * K = first 16 B of SHA-256(00000001 || Z || 60857406080300 || O || 09 || T || C || R)
 * (gbcs.md section 6, steps 3-4). Writes 16 bytes at out.
 */
export function deriveKey(zPtr: usize, originatorPtr: usize, kdfType: i32, counterPtr: usize, recipientPtr: usize, out: usize): void {
  const p = kdfInput;
  store<u32>(p, 0x01000000); // 00 00 00 01, big-endian round counter
  memory.copy(p + 4, zPtr, 32);
  // algorithm id: 60 85 74 06 08 03 00 (the 06 variant; gbcs.md section 6 step 3)
  store<u32>(p + 36, 0x06748560);
  store<u16>(p + 40, 0x0308);
  store<u8>(p + 42, 0x00);
  memory.copy(p + 43, originatorPtr, 8);
  store<u8>(p + 51, 0x09);
  store<u8>(p + 52, <u8>kdfType);
  memory.copy(p + 53, counterPtr, 8);
  memory.copy(p + 61, recipientPtr, 8);
  sha256(p, KDF_INPUT_LENGTH, kdfDigest);
  memory.copy(out, kdfDigest, 16);
}

// IV = originator system title || 00000000 (gbcs.md section 6 step 5).
@inline function setIv(originatorPtr: usize): void {
  memory.copy(iv, originatorPtr, 8);
  store<u32>(iv + 8, 0);
}

// A General-Signing APDU starts DF 09 CRA C(8) 08 O(8) 08 R(8); only these fixed fields matter here.
function apduHeaderValid(apduPtr: usize, apduLength: i32): bool {
  if (apduLength < 30) return false;
  if (load<u8>(apduPtr) != 0xdf || load<u8>(apduPtr + 1) != 0x09) return false;
  const cra = load<u8>(apduPtr + 2);
  if (cra < 1 || cra > 3) return false;
  return load<u8>(apduPtr + 11) == 0x08 && load<u8>(apduPtr + 20) == 0x08;
}

// GMAC over 110000000000 || APDU with the per-message key; 12-byte tag to out.
function macApdu(zPtr: usize, apduPtr: usize, apduLength: i32, out: usize): void {
  const cra = <i32>load<u8>(apduPtr + 2);
  const counterPtr = apduPtr + 3;
  const originatorPtr = apduPtr + 12;
  const recipientPtr = apduPtr + 21;
  deriveKey(zPtr, originatorPtr, cra, counterPtr, recipientPtr, derivedKey);
  setIv(originatorPtr);
  store<u32>(aadScratch, 0x00000011);
  store<u16>(aadScratch + 4, 0);
  memory.copy(aadScratch + AAD_PREFIX, apduPtr, apduLength);
  gcmSeal(derivedKey, iv, 12, aadScratch, AAD_PREFIX + apduLength, 0, 0, 0, out, MAC_LENGTH);
}

/** The 12-byte GBCS MAC of a General-Signing APDU. Returns 0 or E_APDU_HEADER. */
export function gbcsMac(zPtr: usize, apduPtr: usize, apduLength: i32, out: usize): i32 {
  if (!apduHeaderValid(apduPtr, apduLength) || apduLength > MAX_APDU) return E_APDU_HEADER;
  macApdu(zPtr, apduPtr, apduLength, out);
  return 0;
}

/** Length of the DD frame that wraps an APDU of this length. */
export function wrappedLength(apduLength: i32): i32 {
  const ciphered = apduLength + 17;
  return 7 + lengthFieldSize(ciphered) + ciphered;
}

/**
 * Wraps a General-Signing APDU in a MAC-protected DD frame at out:
 * DD 000000000000 len(5+|APDU|+12) 11 00000000 APDU MAC (gbcs.md section 6, last paragraph).
 * Returns the frame length, or -E_APDU_HEADER. `out` must not overlap the APDU.
 */
export function gbcsWrap(zPtr: usize, apduPtr: usize, apduLength: i32, out: usize): i32 {
  if (!apduHeaderValid(apduPtr, apduLength) || apduLength > MAX_APDU) return -E_APDU_HEADER;
  store<u8>(out, 0xdd);
  store<u32>(out + 1, 0);
  store<u16>(out + 5, 0);
  let p = out + 7;
  p += writeLength(p, apduLength + 17);
  store<u8>(p, 0x11);
  store<u32>(p + 1, 0);
  p += 5;
  memory.copy(p, apduPtr, apduLength);
  macApdu(zPtr, apduPtr, apduLength, p + apduLength);
  return <i32>(p + apduLength + MAC_LENGTH - out);
}

/** Verifies the MAC of a DD frame: 0, a frame E_* code, E_NOT_MAC_FRAME or E_MAC_MISMATCH. */
export function gbcsVerify(zPtr: usize, framePtr: usize, frameLength: i32): i32 {
  const status = parseFrame(framePtr, frameLength, frameRecord);
  if (status != 0) return status;
  if (load<i32>(frameRecord + (<usize>F_FORM << 2)) != 1) return E_NOT_MAC_FRAME;
  const apduPtr = framePtr + <usize>load<i32>(frameRecord + (<usize>F_APDU_OFFSET << 2));
  const apduLength = load<i32>(frameRecord + (<usize>F_APDU_LENGTH << 2));
  const macPtr = framePtr + <usize>load<i32>(frameRecord + (<usize>F_MAC_OFFSET << 2));
  macApdu(zPtr, apduPtr, apduLength, tag);
  return ctEqual(tag, macPtr, MAC_LENGTH) ? 0 : E_MAC_MISMATCH;
}

// Batch entries are four u32: Z pointer, input pointer, input length, output pointer / result.
const ENTRY_SIZE: usize = 16;

/**
 * Wraps `count` APDUs in one call (the hot path). Each entry's output pointer receives the DD
 * frame; the entry's length slot is replaced by the frame length (or -E_APDU_HEADER).
 */
export function gbcsWrapBatch(table: usize, count: i32): i32 {
  let wrapped = 0;
  for (let i = 0; i < count; i++) {
    const entry = table + <usize>i * ENTRY_SIZE;
    const length = gbcsWrap(load<u32>(entry), load<u32>(entry + 4), load<i32>(entry + 8), load<u32>(entry + 12));
    store<i32>(entry + 8, length);
    if (length > 0) wrapped++;
  }
  return wrapped;
}

/**
 * Verifies `count` DD frames in one call. Each entry's fourth slot receives its result code
 * (0 = authentic). Returns how many verified.
 */
export function gbcsVerifyBatch(table: usize, count: i32): i32 {
  let verified = 0;
  for (let i = 0; i < count; i++) {
    const entry = table + <usize>i * ENTRY_SIZE;
    const result = gbcsVerify(load<u32>(entry), load<u32>(entry + 4), load<i32>(entry + 8));
    store<i32>(entry + 12, result);
    if (result == 0) verified++;
  }
  return verified;
}

/**
 * Encrypts a response block: 31 00000000 || ciphertext || tag(12), key from the KDF with type 04,
 * IV = O || 00000000, AAD = 31 (gbcs.md section 7). Returns the block length.
 */
export function gbcsSealBlock(zPtr: usize, originatorPtr: usize, partyPtr: usize, counterPtr: usize, plainPtr: usize, plainLength: i32, out: usize): i32 {
  deriveKey(zPtr, originatorPtr, KDF_TYPE_ENCRYPTION, counterPtr, partyPtr, derivedKey);
  setIv(originatorPtr);
  store<u8>(out, 0x31);
  store<u32>(out + 1, 0);
  gcmSeal(derivedKey, iv, 12, blockAad, 1, plainPtr, plainLength, out + 5, out + 5 + <usize>plainLength, MAC_LENGTH);
  return plainLength + 5 + MAC_LENGTH;
}

/**
 * Decrypts a response block made by gbcsSealBlock. Returns the plaintext length, or
 * -E_BLOCK_HEADER / -E_BLOCK_TAG. Nothing is written to out unless the tag authenticates.
 */
export function gbcsOpenBlock(zPtr: usize, originatorPtr: usize, partyPtr: usize, counterPtr: usize, blockPtr: usize, blockLength: i32, out: usize): i32 {
  if (blockLength < 5 + MAC_LENGTH || load<u8>(blockPtr) != 0x31 || load<u32>(blockPtr + 1) != 0) return -E_BLOCK_HEADER;
  const plainLength = blockLength - 5 - MAC_LENGTH;
  deriveKey(zPtr, originatorPtr, KDF_TYPE_ENCRYPTION, counterPtr, partyPtr, derivedKey);
  setIv(originatorPtr);
  // Authenticate first (GMAC over the ciphertext needs no plaintext), so a forged block never
  // reaches out: open into the AAD scratch, then copy on success.
  if (plainLength > 0xffff) return -E_BLOCK_HEADER;
  const ok = gcmOpen(derivedKey, iv, 12, blockAad, 1, blockPtr + 5, plainLength, aadScratch, blockPtr + 5 + <usize>plainLength, MAC_LENGTH);
  if (!ok) return -E_BLOCK_TAG;
  memory.copy(out, aadScratch, plainLength);
  return plainLength;
}
