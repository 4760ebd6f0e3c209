// AES-128-GCM (NIST SP 800-38D): authenticated encryption and decryption, GMAC when the text is
// empty. Any IV length (12 bytes takes the J0 = IV || 0^31 || 1 fast path, others are hashed as
// the spec says), any AAD and text length, tags truncated to 1..16 bytes.
//
// Design: the key changes with every GBCS message, so each call expands the key and derives H
// afresh; nothing is cached between calls. Works in place (out == in) by hashing ciphertext
// block by block on the correct side of the XOR. All scratch is static memory: calls must not
// interleave, which holds in a single-threaded WASM instance.

import { aesExpandKey128, aesEncryptBlock } from "./aes";
import { ghashInit, ghashReset, ghashUpdate, ghashBlock, ghashLengths, ghashDigest } from "./ghash";

const RK: usize = memory.data(176, 16); // key schedule
const CTR: usize = memory.data(16, 16); // counter block
const KS: usize = memory.data(16, 16); // keystream block (also H while setting up)
const EJ0: usize = memory.data(16, 16); // E(K, J0), masks the tag
const TAG: usize = memory.data(16, 16); // full computed tag

/** Key schedule, H, J0 and E(K, J0); leaves CTR = J0 and GHASH cleared. */
function setup(keyPtr: usize, ivPtr: usize, ivLen: i32): void {
  aesExpandKey128(keyPtr, RK);
  store<u64>(KS, 0);
  store<u64>(KS, 0, 8);
  aesEncryptBlock(RK, KS, KS);
  ghashInit(KS);
  if (ivLen == 12) {
    store<u64>(CTR, load<u64>(ivPtr));
    store<u32>(CTR, load<u32>(ivPtr, 8), 8);
    store<u32>(CTR, 0x01000000, 12); // big-endian 1
  } else {
    ghashUpdate(ivPtr, ivLen);
    ghashLengths(0, <u64>ivLen);
    ghashDigest(CTR);
    ghashReset();
  }
  aesEncryptBlock(RK, CTR, EJ0);
}

/** CTR-mode keystream XOR with GHASH over the ciphertext side; `sealing` picks that side. */
@inline function ctrHash(inPtr: usize, len: i32, outPtr: usize, sealing: bool): void {
  let ctr = bswap<u32>(load<u32>(CTR, 12));
  let full = <usize>len & ~<usize>15;
  let off: usize = 0;
  while (off < full) {
    ctr++;
    store<u32>(CTR, bswap<u32>(ctr), 12);
    aesEncryptBlock(RK, CTR, KS);
    let p = inPtr + off, q = outPtr + off;
    if (!sealing) ghashBlock(p);
    store<u64>(q, load<u64>(p) ^ load<u64>(KS));
    store<u64>(q, load<u64>(p, 8) ^ load<u64>(KS, 8), 8);
    if (sealing) ghashBlock(q);
    off += 16;
  }
  let rem = <usize>len & 15;
  if (rem != 0) {
    ctr++;
    store<u32>(CTR, bswap<u32>(ctr), 12);
    aesEncryptBlock(RK, CTR, KS);
    let p = inPtr + off, q = outPtr + off;
    if (!sealing) ghashUpdate(p, <i32>rem);
    for (let i: usize = 0; i < rem; i++) {
      store<u8>(q + i, load<u8>(p + i) ^ load<u8>(KS + i));
    }
    if (sealing) ghashUpdate(q, <i32>rem);
  }
}

/** Finishes GHASH with the length block and masks it with E(K, J0) into TAG. */
function finish(aadLen: i32, len: i32): void {
  ghashLengths(<u64>aadLen, <u64>len);
  ghashDigest(TAG);
  store<u64>(TAG, load<u64>(TAG) ^ load<u64>(EJ0));
  store<u64>(TAG, load<u64>(TAG, 8) ^ load<u64>(EJ0, 8), 8);
}

@inline function badArgs(ivLen: i32, aadLen: i32, len: i32, tagLen: i32): bool {
  return ivLen < 1 || aadLen < 0 || len < 0 || tagLen < 1 || tagLen > 16;
}

/**
 * Encrypts `len` bytes at `inPtr` to `outPtr` (may be the same) and writes the first `tagLen`
 * (1..16) bytes of the tag to `tagPtr`; `len` 0 computes a GMAC over the AAD. Arguments out of
 * range (empty IV, negative length, tag length outside 1..16) trap: they are loader bugs.
 */
export function gcmSeal(keyPtr: usize, ivPtr: usize, ivLen: i32, aadPtr: usize, aadLen: i32,
  inPtr: usize, len: i32, outPtr: usize, tagPtr: usize, tagLen: i32): void {
  if (badArgs(ivLen, aadLen, len, tagLen)) unreachable();
  setup(keyPtr, ivPtr, ivLen);
  ghashUpdate(aadPtr, aadLen);
  ctrHash(inPtr, len, outPtr, true);
  finish(aadLen, len);
  memory.copy(tagPtr, TAG, <usize>tagLen);
}

/**
 * Decrypts `len` bytes at `inPtr` to `outPtr` (may be the same) and checks the `tagLen`-byte tag
 * at `tagPtr` in constant time. Returns 1 when it authenticates; otherwise 0, and the output is
 * wiped to zeros so unauthenticated plaintext never reaches the caller (with out == in that
 * destroys the ciphertext). Arguments out of range (empty IV, negative length, tag length
 * outside 1..16) return 0 without touching the output.
 */
export function gcmOpen(keyPtr: usize, ivPtr: usize, ivLen: i32, aadPtr: usize, aadLen: i32,
  inPtr: usize, len: i32, outPtr: usize, tagPtr: usize, tagLen: i32): i32 {
  if (badArgs(ivLen, aadLen, len, tagLen)) return 0;
  setup(keyPtr, ivPtr, ivLen);
  ghashUpdate(aadPtr, aadLen);
  ctrHash(inPtr, len, outPtr, false);
  finish(aadLen, len);
  let ok = ctEqual(TAG, tagPtr, tagLen);
  if (ok == 0 && len > 0) memory.fill(outPtr, 0, <usize>len);
  return ok;
}

/** 1 when the `len` bytes at `aPtr` and `bPtr` are equal, else 0; time depends only on `len`. */
export function ctEqual(aPtr: usize, bPtr: usize, len: i32): i32 {
  let acc: u32 = 0;
  for (let i: usize = 0, n = <usize>(len < 0 ? 0 : len); i < n; i++) {
    acc |= <u32>(load<u8>(aPtr + i) ^ load<u8>(bPtr + i));
  }
  // acc is 0..255: acc - 1 has its top bit set exactly when acc == 0.
  return <i32>((acc - 1) >> 31);
}
