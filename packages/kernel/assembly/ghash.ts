// GHASH (NIST SP 800-38D, 6.4): multiplication in GF(2^128) by the hash key H.
//
// Design: constant-time carry-less multiplication built from ordinary 64-bit integer multiplies.
// Each operand is split into four masks whose set bits are 4 apart ("holes"), so the carries of
// an integer product never reach the next bit that matters. That yields the low 64 bits of a
// 64x64 carry-less product in 16 multiplies; the high half comes from the same routine on
// bit-reversed operands. Karatsuba makes a 128x128 product 3 such 64x64 products.
// Why not Shoup's 4/8-bit tables: GBCS uses a fresh GCM key per message, so a per-key table
// would be rebuilt for every message, and table lookups leak through the cache; this costs only a
// few operations per key (H and its reversal) and has no secret-dependent memory access.
// Element representation: the 16 GCM bytes read big-endian as hi:lo, so bit 127 is x^0.

const M0: u64 = 0x1111111111111111;
const M1: u64 = 0x2222222222222222;
const M2: u64 = 0x4444444444444444;
const M3: u64 = 0x8888888888888888;

// H split for the multiplier: for each of the words hi, lo, hi^lo and their bit reversals, the
// four hole masks of it (6 x 4 u64), set by ghashInit.
const HP: usize = memory.data(192, 64);
// Running GHASH value Y (hi, lo).
let y1: u64 = 0;
let y0: u64 = 0;

// Zero-padded last partial block.
const PAD: usize = memory.data(16, 16);

@inline function rev64(x: u64): u64 {
  x = ((x >> 1) & 0x5555555555555555) | ((x & 0x5555555555555555) << 1);
  x = ((x >> 2) & 0x3333333333333333) | ((x & 0x3333333333333333) << 2);
  x = ((x >> 4) & 0x0f0f0f0f0f0f0f0f) | ((x & 0x0f0f0f0f0f0f0f0f) << 4);
  return bs64(x);
}

@inline function bs64(x: u64): u64 {
  x = ((x >> 8) & 0x00ff00ff00ff00ff) | ((x & 0x00ff00ff00ff00ff) << 8);
  x = ((x >> 16) & 0x0000ffff0000ffff) | ((x & 0x0000ffff0000ffff) << 16);
  return rotr<u64>(x, 32);
}

/**
 * Low 64 bits of the carry-less product x*y, y given as its four masks at HP + off. A mask holds
 * 16 bits, so below bit 60 each result position sums at most 15 ones and its carries stop short
 * of the next position of the same residue mod 4; bits 60..63 may overflow only past bit 63.
 * Deliberately not inlined: six inlined copies make V8 interleave them and spill (about 20%
 * slower than the call).
 */
function bmul64(x: u64, off: usize): u64 {
  let x0 = x & M0, x1 = x & M1, x2 = x & M2, x3 = x & M3;
  let y0 = load<u64>(HP + off), y1 = load<u64>(HP + off, 8);
  let y2 = load<u64>(HP + off, 16), y3 = load<u64>(HP + off, 24);
  let z0 = x0 * y0, z1 = x0 * y1, z2 = x0 * y2, z3 = x0 * y3;
  z0 ^= x1 * y3; z1 ^= x1 * y0; z2 ^= x1 * y1; z3 ^= x1 * y2;
  z0 ^= x2 * y2; z1 ^= x2 * y3; z2 ^= x2 * y0; z3 ^= x2 * y1;
  z0 ^= x3 * y1; z1 ^= x3 * y2; z2 ^= x3 * y3; z3 ^= x3 * y0;
  return (z0 & M0) | (z1 & M1) | (z2 & M2) | (z3 & M3);
}

/** Y = (Y ^ (a1:a0)) * H. */
@inline function absorb(a1: u64, a0: u64): void {
  a1 ^= y1;
  a0 ^= y0;
  let a2 = a1 ^ a0;
  let ar1 = rev64(a1), ar0 = rev64(a0);
  let ar2 = ar1 ^ ar0;
  // Low and high halves of the three Karatsuba products.
  let l1 = bmul64(a1, 0);
  let l0 = bmul64(a0, 32);
  let l2 = bmul64(a2, 64) ^ l0 ^ l1;
  let u1 = rev64(bmul64(ar1, 96)) >> 1;
  let u0 = rev64(bmul64(ar0, 128)) >> 1;
  let u2 = (rev64(bmul64(ar2, 160)) >> 1) ^ u0 ^ u1;
  // 255-bit product q3:q2:q1:q0; shifting it left by one aligns it so that bit k holds x^(255-k).
  let q0 = l0, q1 = u0 ^ l2, q2 = l1 ^ u2, q3 = u1;
  let r3 = (q3 << 1) | (q2 >> 63);
  let r2 = (q2 << 1) | (q1 >> 63);
  let r1 = (q1 << 1) | (q0 >> 63);
  let r0 = q0 << 1;
  // Reduce modulo x^128 + x^7 + x^2 + x + 1: bit k < 128 folds into bits k+128, k+127, k+126,
  // k+121. The lowest word goes first since its fold lands partly in r1.
  r1 ^= (r0 << 63) ^ (r0 << 62) ^ (r0 << 57);
  r2 ^= r0 ^ (r0 >> 1) ^ (r0 >> 2) ^ (r0 >> 7);
  r2 ^= (r1 << 63) ^ (r1 << 62) ^ (r1 << 57);
  r3 ^= r1 ^ (r1 >> 1) ^ (r1 >> 2) ^ (r1 >> 7);
  y1 = r3;
  y0 = r2;
}

@inline function split(off: usize, h: u64): void {
  store<u64>(HP + off, h & M0);
  store<u64>(HP + off, h & M1, 8);
  store<u64>(HP + off, h & M2, 16);
  store<u64>(HP + off, h & M3, 24);
}

/** Sets the hash key from the 16 bytes at `hPtr` and clears Y. */
export function ghashInit(hPtr: usize): void {
  let h1 = bs64(load<u64>(hPtr));
  let h0 = bs64(load<u64>(hPtr, 8));
  let hr1 = rev64(h1), hr0 = rev64(h0);
  split(0, h1);
  split(32, h0);
  split(64, h1 ^ h0);
  split(96, hr1);
  split(128, hr0);
  split(160, hr1 ^ hr0);
  y1 = 0;
  y0 = 0;
}

/** Clears Y, keeping H. */
export function ghashReset(): void {
  y1 = 0;
  y0 = 0;
}

/** Absorbs `len` bytes; a trailing partial block is zero-padded (as GCM pads A, C and the IV). */
export function ghashUpdate(ptr: usize, len: i32): void {
  let end = ptr + (<usize>len & ~<usize>15);
  while (ptr < end) {
    absorb(bs64(load<u64>(ptr)), bs64(load<u64>(ptr, 8)));
    ptr += 16;
  }
  let rem = len & 15;
  if (rem != 0) {
    store<u64>(PAD, 0);
    store<u64>(PAD, 0, 8);
    memory.copy(PAD, ptr, <usize>rem);
    absorb(bs64(load<u64>(PAD)), bs64(load<u64>(PAD, 8)));
  }
}

/** Absorbs one full 16-byte block. */
export function ghashBlock(ptr: usize): void {
  absorb(bs64(load<u64>(ptr)), bs64(load<u64>(ptr, 8)));
}

/** Absorbs the final length block: bit lengths of the two inputs as 64-bit big-endian values. */
export function ghashLengths(aBytes: u64, cBytes: u64): void {
  absorb(aBytes << 3, cBytes << 3);
}

/** Writes Y as 16 big-endian bytes. */
export function ghashDigest(outPtr: usize): void {
  store<u64>(outPtr, bs64(y1));
  store<u64>(outPtr, bs64(y0), 8);
}
