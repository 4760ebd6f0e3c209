// SHA-256 (FIPS 180-4), one shot over a buffer in linear memory.
//
// Design: the eight working variables live in locals across all blocks; the 64-word message
// schedule is expanded into a static buffer per block (a 256-byte region stays in L1 and keeps
// the round loop short). Full blocks are read straight from the input; only the final one or
// two padded blocks are copied into static scratch, so no allocation and out may alias in.

// Round constants: first 32 bits of the fractional parts of the cube roots of the first 64 primes.
const K: usize = memory.data<u32>([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
  0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
  0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
  0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
  0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
  0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
  0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
  0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
], 64);

const W: usize = memory.data(256, 64); // message schedule
const ST: usize = memory.data(32, 16); // chaining state
const TAIL: usize = memory.data(128, 16); // final padded block(s)

@inline function be32(p: usize, i: usize): u32 {
  return bswap<u32>(load<u32>(p + (i << 2)));
}

function compress(p: usize, nBlocks: usize): void {
  let h0 = load<u32>(ST), h1 = load<u32>(ST, 4), h2 = load<u32>(ST, 8), h3 = load<u32>(ST, 12);
  let h4 = load<u32>(ST, 16), h5 = load<u32>(ST, 20), h6 = load<u32>(ST, 24), h7 = load<u32>(ST, 28);
  for (let blk: usize = 0; blk < nBlocks; blk++) {
    for (let i: usize = 0; i < 16; i++) store<u32>(W + (i << 2), be32(p, i));
    for (let q: usize = W; q < W + 192; q += 4) {
      // q points at W[i-16]; computes W[i] at q + 64.
      let a = load<u32>(q, 4); // W[i-15]
      let b = load<u32>(q, 56); // W[i-2]
      let s0 = rotr<u32>(a, 7) ^ rotr<u32>(a, 18) ^ (a >> 3);
      let s1 = rotr<u32>(b, 17) ^ rotr<u32>(b, 19) ^ (b >> 10);
      store<u32>(q, load<u32>(q) + s0 + load<u32>(q, 36) + s1, 64);
    }
    let a = h0, b = h1, c = h2, d = h3, e = h4, f = h5, g = h6, h = h7;
    for (let i: usize = 0; i < 256; i += 4) {
      let t1 = h + (rotr<u32>(e, 6) ^ rotr<u32>(e, 11) ^ rotr<u32>(e, 25)) + (g ^ (e & (f ^ g))) +
        load<u32>(K + i) + load<u32>(W + i);
      let t2 = (rotr<u32>(a, 2) ^ rotr<u32>(a, 13) ^ rotr<u32>(a, 22)) + ((a & b) | (c & (a | b)));
      h = g; g = f; f = e; e = d + t1;
      d = c; c = b; b = a; a = t1 + t2;
    }
    h0 += a; h1 += b; h2 += c; h3 += d; h4 += e; h5 += f; h6 += g; h7 += h;
    p += 64;
  }
  store<u32>(ST, h0); store<u32>(ST, h1, 4); store<u32>(ST, h2, 8); store<u32>(ST, h3, 12);
  store<u32>(ST, h4, 16); store<u32>(ST, h5, 20); store<u32>(ST, h6, 24); store<u32>(ST, h7, 28);
}

/** Writes the 32-byte SHA-256 digest of `len` bytes at `inPtr` to `outPtr` (may alias the input). */
export function sha256(inPtr: usize, len: i32, outPtr: usize): void {
  store<u32>(ST, 0x6a09e667); store<u32>(ST, 0xbb67ae85, 4);
  store<u32>(ST, 0x3c6ef372, 8); store<u32>(ST, 0xa54ff53a, 12);
  store<u32>(ST, 0x510e527f, 16); store<u32>(ST, 0x9b05688c, 20);
  store<u32>(ST, 0x1f83d9ab, 24); store<u32>(ST, 0x5be0cd19, 28);
  let n = <usize>(len < 0 ? 0 : len);
  compress(inPtr, n >> 6);
  let rem = n & 63;
  memory.copy(TAIL, inPtr + (n & ~<usize>63), rem);
  store<u8>(TAIL + rem, 0x80);
  // One padded block if the 8-byte length still fits after the 0x80 byte, else two.
  let total: usize = rem < 56 ? 64 : 128;
  memory.fill(TAIL + rem + 1, 0, total - 8 - rem - 1);
  store<u64>(TAIL + total - 8, bswap<u64>(<u64>n << 3));
  compress(TAIL, total >> 6);
  for (let i: usize = 0; i < 32; i += 4) store<u32>(outPtr + i, bswap<u32>(load<u32>(ST + i)));
}
