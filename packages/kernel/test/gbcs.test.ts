// The kernel's GBCS recipes against an independent implementation on node:crypto, on random
// messages: framing, KDF, MAC (single and batch), and response-block encryption.
import { createCipheriv, createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import * as kernel from "../src/index.js";
import { seededRandom as random } from "../../../test/support/random.js";

const bytesFrom = (next: () => number, length: number) => Uint8Array.from({ length }, () => Math.floor(next() * 256));

function lengthField(length: number): number[] {
  return length < 0x80 ? [length] : length < 0x100 ? [0x81, length] : [0x82, length >> 8, length & 0xff];
}

/** A General-Signing APDU with random fields; `signature` is "absent", "empty" or "present". */
function makeApdu(next: () => number, contentLength: number, signature: "absent" | "empty" | "present", cra = 1 + Math.floor(next() * 3)): Uint8Array {
  const content = bytesFrom(next, contentLength);
  const parts = [
    0xdf, 0x09, cra, ...bytesFrom(next, 8),
    0x08, ...bytesFrom(next, 8), 0x08, ...bytesFrom(next, 8),
    0x00,
    ...lengthField(2), 0x00, 0x59,
    ...lengthField(contentLength), ...content,
  ];
  if (signature === "empty") parts.push(0x00);
  if (signature === "present") parts.push(0x40, ...bytesFrom(next, 64));
  return Uint8Array.from(parts);
}

// gbcs.md section 6, written independently of the kernel.
function referenceMac(z: Uint8Array, apdu: Uint8Array): Buffer {
  const cra = apdu[2] as number;
  const counter = apdu.subarray(3, 11);
  const originator = apdu.subarray(12, 20);
  const recipient = apdu.subarray(21, 29);
  const otherInfo = Buffer.concat([Buffer.from("60857406080300", "hex"), originator, Buffer.from([0x09, cra]), counter, recipient]);
  const key = createHash("sha256").update(Buffer.concat([Buffer.from("00000001", "hex"), z, otherInfo])).digest().subarray(0, 16);
  const cipher = createCipheriv("aes-128-gcm", key, Buffer.concat([originator, Buffer.alloc(4)]));
  cipher.setAAD(Buffer.concat([Buffer.from("110000000000", "hex"), apdu]));
  cipher.final();
  return cipher.getAuthTag().subarray(0, 12);
}

describe("GBCS framing", () => {
  it("finds every field of a DF pre-command, an unsigned and a signed APDU", () => {
    const next = random(1);
    for (const signature of ["absent", "empty", "present"] as const) {
      for (const contentLength of [0, 1, 127, 128, 255, 256, 3000]) {
        const apdu = makeApdu(next, contentLength, signature, 2);
        const frame = kernel.parseFrame(apdu);
        expect(frame.form).toBe("GeneralSigning");
        expect(frame.cra).toBe(2);
        expect(frame.messageCode).toBe(0x0059);
        expect(frame.content.length).toBe(contentLength);
        expect(frame.signature).toBe(signature);
        expect(frame.apdu).toEqual({ offset: 0, length: apdu.length });
        expect(frame.macOffset).toBeNull();
      }
    }
  });

  it("rejects each kind of malformed frame with its own reason", () => {
    const next = random(2);
    const apdu = makeApdu(next, 40, "empty", 1);
    const z = bytesFrom(next, 32);
    const frame = kernel.wrapApdu(z, apdu);
    const reason = (bytes: Uint8Array) => {
      try {
        kernel.parseFrame(bytes);
        return "parsed";
      } catch (error) {
        expect(error).toBeInstanceOf(kernel.FrameError);
        return (error as Error).message;
      }
    };
    const with_ = (bytes: Uint8Array, at: number, value: number) => Uint8Array.from(bytes, (b, i) => (i === at ? value : b));
    expect(reason(new Uint8Array(0))).toMatch(/truncated/);
    expect(reason(frame.subarray(0, frame.length - 1))).toMatch(/truncated/);
    expect(reason(with_(frame, 0, 0xde))).toMatch(/unknown APDU tag/);
    expect(reason(with_(frame, 1, 0x01))).toMatch(/segmented/);
    expect(reason(with_(frame, 7, frame[7]! - 1))).toMatch(/ciphered-service length/);
    expect(reason(with_(frame, 8, 0x31))).toMatch(/security header/);
    expect(reason(with_(apdu, 2, 0x04))).toMatch(/CRA flag/);
    expect(reason(with_(apdu, 11, 0x07))).toMatch(/system title/);
    expect(reason(with_(apdu, 29, 0x05))).toMatch(/date-time/);
    expect(reason(with_(apdu, 30, 0x01))).toMatch(/other-information/);
    expect(reason(with_(apdu, 33, 60))).toMatch(/content length/);
    expect(reason(with_(apdu, 33, 0x85))).toMatch(/length encoding/);
    expect(reason(with_(apdu, apdu.length - 1, 0x41))).toMatch(/signature field/);
    expect(reason(Uint8Array.from([...apdu, 0x00]))).toMatch(/bytes follow/);
  });
});

describe("GBCS MAC", () => {
  it("matches an independent node:crypto implementation on 2,000 random APDUs", () => {
    const next = random(3);
    for (let i = 0; i < 2000; i++) {
      const apdu = makeApdu(next, Math.floor(next() * 1200), next() < 0.5 ? "empty" : "present");
      const z = bytesFrom(next, 32);
      expect(Buffer.from(kernel.macApdu(z, apdu)).equals(referenceMac(z, apdu)), `case ${i}`).toBe(true);
    }
  });

  it("wraps single and batch alike, and the batch verifies its own frames", () => {
    const next = random(4);
    const items = Array.from({ length: 300 }, () => ({ sharedSecret: bytesFrom(next, 32), apdu: makeApdu(next, Math.floor(next() * 4000), "empty", 1) }));
    const frames = kernel.wrapBatch(items);
    items.forEach((item, i) => expect(kernel.toHex(frames[i]!)).toBe(kernel.toHex(kernel.wrapApdu(item.sharedSecret, item.apdu))));
    const verdicts = kernel.verifyBatch(items.map((item, i) => ({ sharedSecret: item.sharedSecret, frame: frames[i]! })));
    expect(verdicts.every((v) => v === true)).toBe(true);
    // the frame holds the APDU and the reference MAC after the DD header
    const frame = frames[0]!;
    expect(kernel.toHex(frame.subarray(frame.length - 12))).toBe(referenceMac(items[0]!.sharedSecret, items[0]!.apdu).toString("hex").toUpperCase());
  });

  it("fails verification on any one-bit change, and with the wrong key", () => {
    const next = random(5);
    const z = bytesFrom(next, 32);
    const frame = kernel.wrapApdu(z, makeApdu(next, 200, "present", 1));
    for (let bit = 0; bit < frame.length * 8; bit += 7) {
      const changed = Uint8Array.from(frame);
      changed[bit >> 3]! ^= 1 << (bit & 7);
      const verdict = kernel.verifyBatch([{ sharedSecret: z, frame: changed }])[0];
      expect(verdict, `bit ${bit}`).toBeInstanceOf(kernel.FrameError);
    }
    expect(kernel.verifyMac(bytesFrom(next, 32), frame)).toBe(false);
    expect(kernel.verifyMac(z, frame)).toBe(true);
  });

  it("refuses a non-APDU and a wrong-sized secret", () => {
    expect(() => kernel.macApdu(new Uint8Array(32), new Uint8Array(40))).toThrow(kernel.FrameError);
    expect(() => kernel.macApdu(new Uint8Array(31), makeApdu(random(6), 10, "empty"))).toThrow(/32 bytes/);
  });
});

describe("GBCS encrypted blocks", () => {
  it("round-trips and matches node:crypto: KDF type 04, AAD 31, 12-byte tag", () => {
    const next = random(7);
    for (let i = 0; i < 200; i++) {
      const key = { sharedSecret: bytesFrom(next, 32), originator: bytesFrom(next, 8), party: bytesFrom(next, 8), counter: bytesFrom(next, 8) };
      const plaintext = bytesFrom(next, Math.floor(next() * 600));
      const block = kernel.sealBlock(key, plaintext);
      const aesKey = kernel.deriveKey({ sharedSecret: key.sharedSecret, originator: key.originator, kdfType: 4, counter: key.counter, recipient: key.party });
      const cipher = createCipheriv("aes-128-gcm", aesKey, kernel.gbcsIv(key.originator));
      cipher.setAAD(Buffer.from([0x31]));
      const expected = Buffer.concat([Buffer.from("3100000000", "hex"), cipher.update(plaintext), cipher.final(), cipher.getAuthTag().subarray(0, 12)]);
      expect(Buffer.from(block).equals(expected)).toBe(true);
      expect(kernel.toHex(kernel.openBlock(key, block)!)).toBe(kernel.toHex(plaintext));
      const changed = Uint8Array.from(block);
      changed[5 + Math.floor(next() * (block.length - 5))]! ^= 0x80;
      expect(kernel.openBlock(key, changed)).toBeNull();
    }
  });
});

describe("loader memory", () => {
  it("hands out copies: results stay valid after later calls grow the memory", () => {
    const first = kernel.sha256(new Uint8Array([1, 2, 3]));
    const snapshot = kernel.toHex(first);
    kernel.sha256(new Uint8Array(5_000_000));
    expect(kernel.toHex(first)).toBe(snapshot);
  });
});
