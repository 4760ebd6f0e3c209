// The kernel's AES-128, AES-128-GCM / GMAC and SHA-256 through the real loader: published NIST
// known-answer vectors (each also re-checked against node:crypto here, so a mistyped vector fails
// loudly instead of silently testing nothing), tamper rejection, and a seeded property test
// against node:crypto.
import { createCipheriv, createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import * as kernel from "../src/index.js";

const hex = (s: string): Uint8Array => Uint8Array.from(Buffer.from(s.replace(/\s+/g, ""), "hex"));
const toHex = (b: Uint8Array): string => Buffer.from(b).toString("hex");
const ascii = (s: string): Uint8Array => new TextEncoder().encode(s);

function nodeGcm(key: Uint8Array, iv: Uint8Array, aad: Uint8Array, pt: Uint8Array, tagLength: number) {
  const c = createCipheriv("aes-128-gcm", key, iv);
  c.setAAD(aad);
  const ct = Buffer.concat([c.update(pt), c.final()]);
  return { ct: toHex(ct), tag: toHex(c.getAuthTag().subarray(0, tagLength)) };
}

// ---------------------------------------------------------------------------------------------
// Known-answer vectors

// [source, key, plaintext, ciphertext]
const AES_VECTORS: [string, string, string, string][] = [
  ["FIPS-197 Appendix C.1 (AES-128)", "000102030405060708090a0b0c0d0e0f", "00112233445566778899aabbccddeeff", "69c4e0d86a7b0430d8cdb78070b4c55a"],
  ["FIPS-197 Appendix B (cipher example)", "2b7e151628aed2a6abf7158809cf4f3c", "3243f6a8885a308d313198a2e0370734", "3925841d02dc09fbdc118597196a0b32"],
  // H = E(K, 0^128) as listed in the GCM spec's test cases 1 and 3.
  ["GCM spec test case 1, H", "00000000000000000000000000000000", "00000000000000000000000000000000", "66e94bd4ef8a2c3b884cfa59ca342b2e"],
  ["GCM spec test case 3, H", "feffe9928665731c6d6a8f9467308308", "00000000000000000000000000000000", "b83b533708bf535d0aa6e52980d53b78"],
];

// [source, message, digest] (FIPS 180-2 appendix B and the NIST CSRC SHA-256 examples)
const SHA_VECTORS: [string, () => Uint8Array, string][] = [
  ["FIPS 180-2 B.1: \"abc\"", () => ascii("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"],
  ["empty message", () => new Uint8Array(0), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"],
  ["FIPS 180-2 B.2: 448-bit message", () => ascii("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"), "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"],
  ["NIST CSRC: 896-bit message", () => ascii("abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu"), "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1"],
  ["FIPS 180-2 B.3: one million 'a'", () => new Uint8Array(1_000_000).fill(0x61), "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"],
];

interface GcmVector { source: string; key: string; iv: string; pt: string; aad: string; ct: string; tag: string }

// McGrew & Viega, "The Galois/Counter Mode of Operation (GCM)", test cases 1-6 (128-bit key).
const K3 = "feffe9928665731c6d6a8f9467308308";
const P3 = "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72" +
  "1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b391aafd255";
const P4 = P3.slice(0, 120); // 60 bytes
const A4 = "feedfacedeadbeeffeedfacedeadbeefabaddad2";
const C4 = "42831ec2217774244b7221b784d0d49ce3aa212f2c02a4e035c17e2329aca12e" +
  "21d514b25466931c7d8f6a5aac84aa051ba30b396a0aac973d58e091";
const GCM_SPEC: GcmVector[] = [
  { source: "GCM spec test case 1 (empty)", key: "00000000000000000000000000000000", iv: "000000000000000000000000", pt: "", aad: "", ct: "", tag: "58e2fccefa7e3061367f1d57a4e7455a" },
  { source: "GCM spec test case 2 (one zero block)", key: "00000000000000000000000000000000", iv: "000000000000000000000000", pt: "00000000000000000000000000000000", aad: "", ct: "0388dace60b6a392f328c2b971b2fe78", tag: "ab6e47d42cec13bdf53a67b21257bddf" },
  { source: "GCM spec test case 3 (64-byte plaintext)", key: K3, iv: "cafebabefacedbaddecaf888", pt: P3, aad: "", ct: C4 + "473f5985", tag: "4d5c2af327cd64a62cf35abd2ba6fab4" },
  { source: "GCM spec test case 4 (60-byte plaintext, 20-byte AAD)", key: K3, iv: "cafebabefacedbaddecaf888", pt: P4, aad: A4, ct: C4, tag: "5bc94fbc3221a5db94fae95ae7121a47" },
  {
    source: "GCM spec test case 5 (8-byte IV)", key: K3, iv: "cafebabefacedbad", pt: P4, aad: A4,
    ct: "61353b4c2806934a777ff51fa22a4755699b2a714fcdc6f83766e5f97b6c7423" +
      "73806900e49f24b22b097544d4896b424989b5e1ebac0f07c23f4598",
    tag: "3612d2e79e3b0785561be14aaca2fccb",
  },
  {
    source: "GCM spec test case 6 (60-byte IV)", key: K3,
    iv: "9313225df88406e555909c5aff5269aa6a7a9538534f7da1e4c303d2a318a728" +
      "c3c0c95156809539fcf0e2429a6b525416aedbf5a0de6a57a637b39b",
    pt: P4, aad: A4,
    ct: "8ce24998625615b603a033aca13fb894be9112a5c3a211a8ba262a3cca7e2ca7" +
      "01e4a9a4fba43c90ccdcb281d48c7c6fd62875d2aca417034c34aee5",
    tag: "619cc5aefffe0bfa462af43c1699d050",
  },
];

// NIST CAVP gcmEncryptExtIV128.rsp, first Count of the section named as PTlen/AADlen/Taglen in
// bits (IVlen 96 unless stated).
const CAVP = (section: string) => `CAVP gcmEncryptExtIV128 [${section}]`;
const GCM_CAVP: GcmVector[] = [
  { source: CAVP("PT 0, AAD 0, Tag 128"), key: "11754cd72aec309bf52f7687212e8957", iv: "3c819d9a9bed087615030b65", pt: "", aad: "", ct: "", tag: "250327c674aaf477aef2675748cf6971" },
  { source: CAVP("PT 0, AAD 0, Tag 120"), key: "272f16edb81a7abbea887357a58c1917", iv: "794ec588176c703d3d2a7a07", pt: "", aad: "", ct: "", tag: "b6e6f197168f5049aeda32dafbdaeb" },
  { source: CAVP("PT 0, AAD 0, Tag 112"), key: "81b6844aab6a568c4556a2eb7eae752f", iv: "ce600f59618315a6829bef4d", pt: "", aad: "", ct: "", tag: "89b43e9dbc1b4f597dbbc7655bb5" },
  { source: CAVP("PT 0, AAD 0, Tag 104"), key: "cde2f9a9b1a004165ef9dc981f18651b", iv: "29512c29566c7322e1e33e8e", pt: "", aad: "", ct: "", tag: "2e58ce7dabd107c82759c66a75" },
  { source: CAVP("PT 0, AAD 0, Tag 96"), key: "b01e45cc3088aaba9fa43d81d481823f", iv: "5a2c4a66468713456a4bd5e1", pt: "", aad: "", ct: "", tag: "014280f944f53c681164b2ff" },
  { source: CAVP("PT 0, AAD 128, Tag 128"), key: "77be63708971c4e240d1cb79e8d77feb", iv: "e0e00f19fed7ba0136a797f3", pt: "", aad: "7a43ec1d9c0a5a78a0b16533a6213cab", ct: "", tag: "209fcc8d3675ed938e9c7166709dd946" },
  { source: CAVP("PT 0, AAD 128, Tag 96"), key: "bea48ae4980d27f357611014d4486625", iv: "32bddb5c3aa998a08556454c", pt: "", aad: "8a50b0b8c7654bced884f7f3afda2ead", ct: "", tag: "8e0f6d8bf05ffebe6f500eb1" },
  { source: CAVP("PT 0, AAD 160, Tag 128"), key: "2fb45e5b8f993a2bfebc4b15b533e0b4", iv: "5b05755f984d2b90f94b8027", pt: "", aad: "e85491b2202caf1d7dce03b97e09331c32473941", ct: "", tag: "c75b7832b2a2d9bd827412b6ef5769db" },
  { source: CAVP("PT 0, AAD 160, Tag 96"), key: "4df7a13e43c3d7b66b1a72fac5ba398e", iv: "97179a3a2d417908dcf0fb28", pt: "", aad: "cbb7fc0010c255661e23b07dbd804b1e06ae70ac", ct: "", tag: "37791edae6c137ea946cfb40" },
  { source: CAVP("PT 0, AAD 160, Tag 32"), key: "1ea8bc7bc395877342e911d476ae32e2", iv: "3333c4f484aa2f906a8e7c28", pt: "", aad: "30a5a9270a017047eab5bf10effc5055532b874b", ct: "", tag: "bd514ad3" },
  { source: CAVP("PT 104, AAD 0, Tag 128"), key: "fe9bb47deb3a61e423c2231841cfd1fb", iv: "4d328eb776f500a2f7fb47aa", pt: "f1cc3818e421876bb6b8bbd6c9", aad: "", ct: "b88c5c1977b35b517b0aeae967", tag: "43fd4727fe5cdb4b5b42818dea7ef8c9" },
  { source: CAVP("PT 128, AAD 0, Tag 128"), key: "7fddb57453c241d03efbed3ac44e371c", iv: "ee283a3fc75575e33efd4887", pt: "d5de42b461646c255c87bd2962d3b9a2", aad: "", ct: "2ccda4a5415cb91e135c2a0f78c9b2fd", tag: "b36d1df9b9d5e596f83e8b7f52971cb3" },
  { source: CAVP("PT 128, AAD 128, Tag 128"), key: "c939cc13397c1d37de6ae0e1cb7c423c", iv: "b3d8cc017cbb89b39e0f67e2", pt: "c3b3c41f113a31b73d9a5cd432103069", aad: "24825602bd12a984e0092d3e448eda5f", ct: "93fe7d9e9bfd10348a5606e5cafa7354", tag: "0032a1dc85f1c9786925a2e71d8272dd" },
  { source: CAVP("PT 128, AAD 160, Tag 128"), key: "d4a22488f8dd1d5c6c19a7d6ca17964c", iv: "f3d5837f22ac1a0425e0d1d5", pt: "7b43016a16896497fb457be6d2a54122", aad: "f1c5d424b83f96c6ad8cb28ca0d20e475e023b5a", ct: "c2bd67eef5e95cac27e3b06e3031d0a8", tag: "f23eacf9d1cdf8737726c58648826e9c" },
  // IVlen other than 96 bits: J0 comes from GHASH over the IV.
  { source: CAVP("IV 8, PT 0, AAD 0, Tag 128"), key: "1672c3537afa82004c6b8a46f6f0d026", iv: "05", pt: "", aad: "", ct: "", tag: "8e2ad721f9455f74d8b53d3141f27e8e" },
  { source: CAVP("IV 8, PT 0, AAD 0, Tag 96"), key: "3275cab187425ec9f607215ba3e2f780", iv: "81", pt: "", aad: "", ct: "", tag: "86cc4cc6111d10254244e84d" },
  { source: CAVP("IV 8, PT 0, AAD 160, Tag 120"), key: "dcee093edc5724d30c8f46dc3f8dccfd", iv: "69", pt: "", aad: "0b1df0fd5c5ea793d8d5ad9427c316704e77f9bd", ct: "", tag: "29be0d2f94ab5aec58f3d6e47784ee" },
  {
    source: CAVP("IV 1024, PT 0, AAD 128, Tag 64"), key: "5f056b1881bc8c51567ebbc0af7f53b4",
    iv: "5f09d04f7ca13b9e5290e005c225c1880ac2aa95c050a4bb91e864d163eb6d39ec18cb5f073f226efa221ffb1c4904f8" +
      "346d1cbed485e669a4ac8c7ff5775b5e9e04dfa5b81e2c10df3eaef06957d848d2f9f289063284c2e6b3dc0a9e801b64" +
      "a8c95c5cf1c17939418c38f95f64863008464cec06a22e69b42b99a639c3e30d",
    pt: "", aad: "169eb077a0ea36dd5c5d7174f3d86a62", ct: "", tag: "2b5ace0369d477e0",
  },
  {
    source: CAVP("IV 8, PT 104, AAD 720, Tag 128"), key: "9f79239f0904eace50784b863e723f6b", iv: "d9",
    pt: "bdb0bb10c87965acd34d146171",
    aad: "44db436089327726c5f01139e1f339735c9e85514ccc2f167bad728010fb34a9072a9794c8a5e7361b1d0dbcdc9ac4" +
      "091e354bb2896561f0486645252e9c78c86beece91bfa4f7cc4a8794ce1f305b1b735efdbf1ed1563c0be0",
    ct: "7e5a7c8dadb3f0c7335b4d9d8d", tag: "6b6ef1f53723a89f3bb7c6d043840717",
  },
];

// NIST CAVP gcmDecrypt128.rsp [PT 0, AAD 128, Tag 128], a Count whose expected result is FAIL.
const GCM_CAVP_FAIL = {
  key: "d1f6af919cde85661208bdce0c27cb22", iv: "898c6929b435017bf031c3c5",
  aad: "7c5faa40e636bbc91107e68010c92b9f", tag: "ae45f11777540a2caeb128be8092468a",
};

describe("NIST known-answer tests", () => {
  it.each(AES_VECTORS)("AES-128: %s", (_source, key, pt, ct) => {
    expect(toHex(kernel.aesEncryptBlock(hex(key), hex(pt)))).toBe(ct);
    const ecb = createCipheriv("aes-128-ecb", hex(key), null).setAutoPadding(false);
    expect(toHex(ecb.update(hex(pt))), "vector disagrees with node:crypto").toBe(ct);
  });

  it.each(SHA_VECTORS)("SHA-256: %s", (_source, message, digest) => {
    const data = message();
    expect(toHex(kernel.sha256(data))).toBe(digest);
    expect(createHash("sha256").update(data).digest("hex"), "vector disagrees with node:crypto").toBe(digest);
  });

  describe.each([...GCM_SPEC, ...GCM_CAVP].map((v) => [v.source, v] as const))("AES-GCM: %s", (_source, v) => {
    const [key, iv, aad, pt, ct, tag] = [hex(v.key), hex(v.iv), hex(v.aad), hex(v.pt), hex(v.ct), hex(v.tag)];

    it("matches node:crypto (guards against a mistyped vector)", () => {
      expect(nodeGcm(key, iv, aad, pt, tag.length)).toEqual({ ct: v.ct, tag: v.tag });
    });

    it("seals to the published ciphertext and tag", () => {
      const sealed = kernel.gcmEncrypt(key, iv, aad, pt, tag.length);
      expect(toHex(sealed.ciphertext)).toBe(v.ct);
      expect(toHex(sealed.tag)).toBe(v.tag);
      if (pt.length === 0) expect(toHex(kernel.gmac(key, iv, aad, tag.length))).toBe(v.tag);
    });

    it("opens the published ciphertext and tag", () => {
      const opened = kernel.gcmDecrypt(key, iv, aad, ct, tag);
      expect(opened && toHex(opened)).toBe(v.pt);
    });
  });

  it("AES-GCM: CAVP gcmDecrypt128 FAIL case is rejected", () => {
    const v = GCM_CAVP_FAIL;
    expect(kernel.gcmDecrypt(hex(v.key), hex(v.iv), hex(v.aad), new Uint8Array(0), hex(v.tag))).toBeNull();
    // and the correct tag for those inputs differs (node:crypto agrees it is a forgery)
    expect(nodeGcm(hex(v.key), hex(v.iv), hex(v.aad), new Uint8Array(0), 16).tag).not.toBe(v.tag);
  });
});

// ---------------------------------------------------------------------------------------------
// Tamper rejection

describe("AES-GCM rejects any one-bit change", () => {
  const v = GCM_SPEC[3]!; // test case 4: has plaintext, AAD and a 12-byte IV
  const [key, iv, aad, ct, tag] = [hex(v.key), hex(v.iv), hex(v.aad), hex(v.ct), hex(v.tag)];
  const flipped = (bytes: Uint8Array, bit: number) => {
    const copy = bytes.slice();
    copy[bit >> 3]! ^= 1 << (bit & 7);
    return copy;
  };

  it("accepts the untouched message", () => {
    expect(kernel.gcmDecrypt(key, iv, aad, ct, tag)).not.toBeNull();
  });

  it("in the ciphertext (every bit)", () => {
    for (let bit = 0; bit < ct.length * 8; bit++) {
      expect(kernel.gcmDecrypt(key, iv, aad, flipped(ct, bit), tag), `bit ${bit}`).toBeNull();
    }
  });

  it("in the AAD (every bit)", () => {
    for (let bit = 0; bit < aad.length * 8; bit++) {
      expect(kernel.gcmDecrypt(key, iv, flipped(aad, bit), ct, tag), `bit ${bit}`).toBeNull();
    }
  });

  it("in the IV (every bit)", () => {
    for (let bit = 0; bit < iv.length * 8; bit++) {
      expect(kernel.gcmDecrypt(key, flipped(iv, bit), aad, ct, tag), `bit ${bit}`).toBeNull();
    }
  });

  it("in the tag (every bit, full and truncated)", () => {
    for (let bit = 0; bit < 128; bit++) {
      expect(kernel.gcmDecrypt(key, iv, aad, ct, flipped(tag, bit)), `bit ${bit}`).toBeNull();
    }
    const short = tag.slice(0, 4);
    expect(kernel.gcmDecrypt(key, iv, aad, ct, short)).not.toBeNull();
    for (let bit = 0; bit < 32; bit++) {
      expect(kernel.gcmDecrypt(key, iv, aad, ct, flipped(short, bit)), `bit ${bit}`).toBeNull();
    }
  });

  it("in length: a truncated or extended ciphertext or AAD", () => {
    expect(kernel.gcmDecrypt(key, iv, aad, ct.subarray(0, ct.length - 1), tag)).toBeNull();
    expect(kernel.gcmDecrypt(key, iv, aad, Uint8Array.of(...ct, 0), tag)).toBeNull();
    expect(kernel.gcmDecrypt(key, iv, aad.subarray(1), ct, tag)).toBeNull();
    expect(kernel.gcmDecrypt(key, iv, Uint8Array.of(...aad, 0), ct, tag)).toBeNull();
  });

  it("tags of 1..16 bytes are prefixes of the full tag", () => {
    for (let n = 1; n <= 16; n++) {
      expect(toHex(kernel.gcmEncrypt(key, iv, aad, hex(v.pt), n).tag)).toBe(v.tag.slice(0, 2 * n));
    }
  });
});

// ---------------------------------------------------------------------------------------------
// Property test against node:crypto

/** xorshift32 with a fixed, printable seed: every failure message names the seed and case. */
class Rng {
  constructor(private state: number) {
    if (this.state === 0) this.state = 0x9e3779b9;
  }
  next(): number {
    let x = this.state;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.state = x >>> 0;
    return this.state;
  }
  below(n: number): number {
    return this.next() % n;
  }
  bytes(n: number): Uint8Array {
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i += 4) {
      const r = this.next();
      out[i] = r;
      if (i + 1 < n) out[i + 1] = r >>> 8;
      if (i + 2 < n) out[i + 2] = r >>> 16;
      if (i + 3 < n) out[i + 3] = r >>> 24;
    }
    return out;
  }
}

const SEED = Number(process.env.KERNEL_TEST_SEED ?? 0x0dcc2024) >>> 0;

describe(`property: kernel vs node:crypto (seed ${SEED}; rerun with KERNEL_TEST_SEED=${SEED})`, () => {
  it("AES-GCM seal and open on 4000 random cases", () => {
    const rng = new Rng(SEED);
    const edgeLengths = [0, 1, 15, 16, 17, 4095, 4096];
    for (let i = 0; i < 4000; i++) {
      const key = rng.bytes(16);
      const iv = rng.bytes(rng.below(8) === 0 ? 1 + rng.below(64) : 12);
      const aad = rng.bytes(rng.below(5) === 0 ? 0 : rng.below(601));
      const ptLength = i < edgeLengths.length * 4 ? edgeLengths[i % edgeLengths.length]! : rng.below(4097);
      const pt = rng.bytes(ptLength);
      const tagLength = 4 + rng.below(13);
      const where = `seed ${SEED} case ${i}: iv ${iv.length}, aad ${aad.length}, pt ${pt.length}, tag ${tagLength}`;

      const sealed = kernel.gcmEncrypt(key, iv, aad, pt, tagLength);
      const expected = nodeGcm(key, iv, aad, pt, tagLength);
      if (toHex(sealed.ciphertext) !== expected.ct || toHex(sealed.tag) !== expected.tag) {
        expect({ ct: toHex(sealed.ciphertext), tag: toHex(sealed.tag) }, where).toEqual(expected);
      }
      const opened = kernel.gcmDecrypt(key, iv, aad, sealed.ciphertext, sealed.tag);
      if (opened === null || toHex(opened) !== toHex(pt)) expect(opened && toHex(opened), where).toBe(toHex(pt));

      if (i % 8 === 0) {
        // A random one-bit change in ciphertext or tag must not authenticate.
        const inTag = pt.length === 0 || rng.below(2) === 0;
        const target = (inTag ? sealed.tag : sealed.ciphertext).slice();
        target[rng.below(target.length)]! ^= 1 << rng.below(8);
        const forged = inTag
          ? kernel.gcmDecrypt(key, iv, aad, sealed.ciphertext, target)
          : kernel.gcmDecrypt(key, iv, aad, target, sealed.tag);
        expect(forged, `${where}: forgery accepted`).toBeNull();
      }
    }
  });

  it("SHA-256 on 2000 random messages", () => {
    const rng = new Rng(SEED ^ 0x5a5a5a5a);
    const edgeLengths = [0, 1, 55, 56, 63, 64, 65, 119, 120, 127, 128, 4096];
    for (let i = 0; i < 2000; i++) {
      const data = rng.bytes(i < edgeLengths.length ? edgeLengths[i]! : rng.below(4097));
      const want = createHash("sha256").update(data).digest("hex");
      const got = toHex(kernel.sha256(data));
      if (got !== want) expect(got, `seed ${SEED} case ${i}: length ${data.length}`).toBe(want);
    }
  });

  it("AES-128 block on 500 random keys and blocks", () => {
    const rng = new Rng(SEED ^ 0x33333333);
    for (let i = 0; i < 500; i++) {
      const key = rng.bytes(16);
      const block = rng.bytes(16);
      const want = toHex(createCipheriv("aes-128-ecb", key, null).setAutoPadding(false).update(block));
      const got = toHex(kernel.aesEncryptBlock(key, block));
      if (got !== want) expect(got, `seed ${SEED} case ${i}`).toBe(want);
    }
  });
});
