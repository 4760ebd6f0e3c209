// AES-128 (FIPS-197): key expansion and single-block encryption; nothing else is needed because
// GCM only ever runs the forward cipher.
//
// Design: 32-bit "T-tables" (SubBytes, ShiftRows and MixColumns of one state byte folded into one
// 32-bit word) in little-endian column order, so a column is a plain `load<u32>` with no byte
// swapping. WASM has no AES instructions, and a bitsliced constant-time AES costs several times
// more per block; GBCS derives a fresh key per message, so key setup and block speed dominate.
// Table lookups are NOT constant-time against a cache-timing attacker sharing the CPU. That is
// accepted here: this kernel serves an emulator / test DCC, not a production HSM boundary.
// The tables are computed on first use (from GF(2^8) exp/log tables) into static memory.

// T0..T3, 1 KiB each, contiguous: T[k][x] = rotl(T0[x], 8k).
const TE: usize = memory.data(4096, 64);
// The S-box itself, for the key schedule and the last round.
const SBOX: usize = memory.data(256, 64);
// exp (256 bytes) then log (256 bytes) of GF(2^8) with generator 3; only used while building.
const GF: usize = memory.data(512, 16);

let tablesReady: bool = false;

@inline function xtime(b: u32): u32 {
  return ((b << 1) ^ ((b >> 7) * 0x11b)) & 0xff;
}

function initTables(): void {
  let x: u32 = 1;
  for (let i: u32 = 0; i < 255; i++) {
    store<u8>(GF + i, <u8>x);
    store<u8>(GF + 256 + x, <u8>i);
    x ^= xtime(x); // multiply by the generator 3
  }
  for (let i: u32 = 0; i < 256; i++) {
    // Multiplicative inverse (0 maps to 0), then the affine map of FIPS-197 5.1.1.
    let b: u32 = i == 0 ? 0 : <u32>load<u8>(GF + (255 - <u32>load<u8>(GF + 256 + i)) % 255);
    let s: u32 = b ^ 0x63;
    for (let k: u32 = 1; k <= 4; k++) s ^= ((b << k) | (b >> (8 - k))) & 0xff;
    store<u8>(SBOX + i, <u8>s);
    let s2 = xtime(s);
    let t: u32 = s2 | (s << 8) | (s << 16) | ((s2 ^ s) << 24); // column (2s, s, s, 3s)
    store<u32>(TE + (i << 2), t);
    store<u32>(TE + 1024 + (i << 2), rotl<u32>(t, 8));
    store<u32>(TE + 2048 + (i << 2), rotl<u32>(t, 16));
    store<u32>(TE + 3072 + (i << 2), rotl<u32>(t, 24));
  }
  tablesReady = true;
}

// Byte k of a little-endian column word, pre-scaled by 4 to index a u32 table.
@inline function i0(w: u32): usize { return <usize>((w << 2) & 0x3fc); }
@inline function i1(w: u32): usize { return <usize>((w >> 6) & 0x3fc); }
@inline function i2(w: u32): usize { return <usize>((w >> 14) & 0x3fc); }
@inline function i3(w: u32): usize { return <usize>((w >> 22) & 0x3fc); }

@inline function sb(idx: u32): u32 {
  return <u32>load<u8>(<usize>(idx & 0xff), SBOX);
}

/** Expands a 16-byte key into 44 little-endian round-key words (176 bytes) at `schedulePtr`. */
export function aesExpandKey128(keyPtr: usize, schedulePtr: usize): void {
  if (!tablesReady) initTables();
  let w0 = load<u32>(keyPtr);
  let w1 = load<u32>(keyPtr, 4);
  let w2 = load<u32>(keyPtr, 8);
  let w3 = load<u32>(keyPtr, 12);
  let p = schedulePtr;
  store<u32>(p, w0);
  store<u32>(p, w1, 4);
  store<u32>(p, w2, 8);
  store<u32>(p, w3, 12);
  let rcon: u32 = 1;
  for (let r = 0; r < 10; r++) {
    // SubWord(RotWord(w3)): RotWord is a rotate right by 8 in little-endian order.
    let t = (sb(w3 >> 8) | (sb(w3 >> 16) << 8) | (sb(w3 >> 24) << 16) | (sb(w3) << 24)) ^ rcon;
    // w0 ^= t; w1 ^= w0; w2 ^= w1; w3 ^= w2, with the prefix XORs off the S-box latency path.
    let x1 = w0 ^ w1;
    let x2 = x1 ^ w2;
    let x3 = x2 ^ w3;
    w0 ^= t;
    w1 = x1 ^ t;
    w2 = x2 ^ t;
    w3 = x3 ^ t;
    p += 16;
    store<u32>(p, w0);
    store<u32>(p, w1, 4);
    store<u32>(p, w2, 8);
    store<u32>(p, w3, 12);
    rcon = xtime(rcon);
  }
}

/** Encrypts the 16-byte block at `inPtr` into `outPtr` (which may alias it). */
export function aesEncryptBlock(schedulePtr: usize, inPtr: usize, outPtr: usize): void {
  let k = schedulePtr;
  let s0 = load<u32>(inPtr) ^ load<u32>(k);
  let s1 = load<u32>(inPtr, 4) ^ load<u32>(k, 4);
  let s2 = load<u32>(inPtr, 8) ^ load<u32>(k, 8);
  let s3 = load<u32>(inPtr, 12) ^ load<u32>(k, 12);
  // Nine full rounds; column c takes row r from column c + r (ShiftRows).
  for (let r = 0; r < 9; r++) {
    k += 16;
    let t0 = load<u32>(i0(s0), TE) ^ load<u32>(i1(s1), TE + 1024) ^
      load<u32>(i2(s2), TE + 2048) ^ load<u32>(i3(s3), TE + 3072) ^ load<u32>(k);
    let t1 = load<u32>(i0(s1), TE) ^ load<u32>(i1(s2), TE + 1024) ^
      load<u32>(i2(s3), TE + 2048) ^ load<u32>(i3(s0), TE + 3072) ^ load<u32>(k, 4);
    let t2 = load<u32>(i0(s2), TE) ^ load<u32>(i1(s3), TE + 1024) ^
      load<u32>(i2(s0), TE + 2048) ^ load<u32>(i3(s1), TE + 3072) ^ load<u32>(k, 8);
    let t3 = load<u32>(i0(s3), TE) ^ load<u32>(i1(s0), TE + 1024) ^
      load<u32>(i2(s1), TE + 2048) ^ load<u32>(i3(s2), TE + 3072) ^ load<u32>(k, 12);
    s0 = t0; s1 = t1; s2 = t2; s3 = t3;
  }
  // Last round: SubBytes + ShiftRows only.
  k += 16;
  let o0 = sb(s0) | (sb(s1 >> 8) << 8) | (sb(s2 >> 16) << 16) | (sb(s3 >> 24) << 24);
  let o1 = sb(s1) | (sb(s2 >> 8) << 8) | (sb(s3 >> 16) << 16) | (sb(s0 >> 24) << 24);
  let o2 = sb(s2) | (sb(s3 >> 8) << 8) | (sb(s0 >> 16) << 16) | (sb(s1 >> 24) << 24);
  let o3 = sb(s3) | (sb(s0 >> 8) << 8) | (sb(s1 >> 16) << 16) | (sb(s2 >> 24) << 24);
  store<u32>(outPtr, o0 ^ load<u32>(k));
  store<u32>(outPtr, o1 ^ load<u32>(k, 4), 4);
  store<u32>(outPtr, o2 ^ load<u32>(k, 8), 8);
  store<u32>(outPtr, o3 ^ load<u32>(k, 12), 12);
}
