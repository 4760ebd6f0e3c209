// `opendcc selftest`: known-answer tests of the kernel, so a user can see at a glance that the
// WASM kernel loaded and computes what the standards say on this machine and runtime.
import {
  aesEncryptBlock, deriveKey, fromHex, gcmDecrypt, gcmEncrypt, generateKeyPair, sha256, sharedSecret, sign, toHex, verify,
} from "@opendcc/kernel";

interface Check {
  readonly name: string;
  readonly run: () => boolean | Promise<boolean>;
}

const CHECKS: readonly Check[] = [
  {
    name: "SHA-256 (FIPS 180-2, \"abc\")",
    run: () => toHex(sha256(new TextEncoder().encode("abc"))) === "BA7816BF8F01CFEA414140DE5DAE2223B00361A396177A9CB410FF61F20015AD",
  },
  {
    name: "AES-128 (FIPS-197 appendix C.1)",
    run: () => toHex(aesEncryptBlock(fromHex("000102030405060708090A0B0C0D0E0F"), fromHex("00112233445566778899AABBCCDDEEFF"))) === "69C4E0D86A7B0430D8CDB78070B4C55A",
  },
  {
    name: "AES-GCM (GCM spec test case 2) and tamper rejection",
    run: () => {
      const key = new Uint8Array(16);
      const iv = new Uint8Array(12);
      const sealed = gcmEncrypt(key, iv, new Uint8Array(0), new Uint8Array(16));
      const tampered = Uint8Array.from(sealed.ciphertext, (b, i) => (i === 0 ? b ^ 1 : b));
      return toHex(sealed.ciphertext) === "0388DACE60B6A392F328C2B971B2FE78" &&
        toHex(sealed.tag) === "AB6E47D42CEC13BDF53A67B21257BDDF" &&
        gcmDecrypt(key, iv, new Uint8Array(0), tampered, sealed.tag) === null;
    },
  },
  {
    name: "GBCS KDF (gbcs.md section 6, known answer for Z = 07 x 32)",
    // The answer was computed independently as SHA-256(00000001 || Z || OtherInfo)[0..16].
    run: () => toHex(deriveKey({
      sharedSecret: new Uint8Array(32).fill(7),
      originator: fromHex("90B3D51F30010000"),
      kdfType: 1,
      counter: fromHex("00000000000003E8"),
      recipient: fromHex("00DB1234567890A0"),
    })) === "857E6EE009E061BA63585C7261F494D7",
  },
  {
    name: "ECDSA P-256 sign/verify and ECDH agreement (WebCrypto)",
    run: async () => {
      const signer = await generateKeyPair("ds");
      const data = new TextEncoder().encode("OpenDCC");
      const signature = await sign(signer.privateKey, data);
      const a = await generateKeyPair("ka");
      const b = await generateKeyPair("ka");
      const ab = await sharedSecret(a.privateKey, b.publicKey);
      const ba = await sharedSecret(b.privateKey, a.publicKey);
      return signature.length === 64 && (await verify(signer.publicKey, data, signature)) && toHex(ab) === toHex(ba);
    },
  },
];

/** Runs every check, prints one line each, and returns the number that failed. */
export async function selftest(print: (line: string) => void): Promise<number> {
  let failed = 0;
  for (const check of CHECKS) {
    let ok = false;
    try {
      ok = await check.run();
    } catch {
      ok = false;
    }
    if (!ok) failed++;
    print(`  ${ok ? "ok  " : "FAIL"}  ${check.name}`);
  }
  return failed;
}
