// The kernel suite: GBCS MAC compute (APDU -> MAC-protected DD command) and verify at 64, 256,
// 1024 and 4096 bytes by kernel single call, kernel batch, node:crypto and WebCrypto; SHA-256
// kernel vs node:crypto; ECDSA verify and ECDH by WebCrypto (the kernel's choice) vs node:crypto,
// and ECDSA verify in pure JS as the stand-in for a non-native implementation.
import { createCipheriv, createHash, createPrivateKey, createPublicKey, diffieHellman, timingSafeEqual, verify as nodeVerify } from "node:crypto";
import { p256 } from "@noble/curves/nist.js";
import { Bench } from "tinybench";
import * as kernel from "@opendcc/kernel";
import { collectRows, type Row, type TaskMeta } from "./report.js";

export const SIZES = [64, 256, 1024, 4096] as const;
export const BATCH = 64;
const BASELINE = "node:crypto";

/** An unsigned command APDU (DF ... 00) of exactly `size` bytes, with random fields. */
export function commandApdu(size: number, seed: number): Uint8Array {
  const random = (n: number) => Uint8Array.from({ length: n }, (_, i) => (seed * 131 + i * 29 + n) & 0xff);
  const lengthBytes = (n: number) => (n < 0x80 ? [n] : n < 0x100 ? [0x81, n] : [0x82, n >> 8, n & 0xff]);
  const fixed = 1 + 10 + 9 + 9 + 1 + 3 + 1; // DF, transaction id, titles, date-time, other-info, signature
  let content = size - fixed - 1;
  while (fixed + lengthBytes(content).length + content > size) content--;
  return Uint8Array.from([
    0xdf, 0x09, 0x01, ...random(8), 0x08, ...random(8), 0x08, 0x00, 0xdb, 0x12, 0x34, 0x56, 0x78, 0x90, 0xa0,
    0x00, 0x02, 0x00, 0x59, ...lengthBytes(content), ...random(content), 0x00,
  ]);
}

// gbcs.md section 6 on node:crypto: the natural baseline.
const KDF_ROUND = Buffer.from("00000001", "hex");
const ALGORITHM_ID = Buffer.from("60857406080300", "hex");
const AAD_PREFIX = Buffer.from("110000000000", "hex");

function nodeMac(z: Buffer, apdu: Buffer): Buffer {
  const originator = apdu.subarray(12, 20);
  const key = createHash("sha256")
    .update(KDF_ROUND).update(z).update(ALGORITHM_ID).update(originator)
    .update(Buffer.from([0x09, apdu[2] as number])).update(apdu.subarray(3, 11)).update(apdu.subarray(21, 29))
    .digest().subarray(0, 16);
  const cipher = createCipheriv("aes-128-gcm", key, Buffer.concat([originator, Buffer.alloc(4)]));
  cipher.setAAD(Buffer.concat([AAD_PREFIX, apdu]));
  cipher.final();
  return cipher.getAuthTag().subarray(0, 12);
}

function ddHeader(apduLength: number): Buffer {
  const ciphered = apduLength + 17;
  const length = ciphered < 0x80 ? [ciphered] : ciphered < 0x100 ? [0x81, ciphered] : [0x82, ciphered >> 8, ciphered & 0xff];
  return Buffer.from([0xdd, 0, 0, 0, 0, 0, 0, ...length, 0x11, 0, 0, 0, 0]);
}

function nodeWrap(z: Buffer, apdu: Buffer): Buffer {
  return Buffer.concat([ddHeader(apdu.length), apdu, nodeMac(z, apdu)]);
}

function nodeVerifyFrame(z: Buffer, frame: Buffer): boolean {
  const lengthSize = frame[7] === 0x82 ? 3 : frame[7] === 0x81 ? 2 : 1;
  const apdu = frame.subarray(7 + lengthSize + 5, frame.length - 12);
  return timingSafeEqual(nodeMac(z, apdu), frame.subarray(frame.length - 12));
}

async function webMac(z: Uint8Array, apdu: Uint8Array): Promise<Uint8Array> {
  const originator = apdu.subarray(12, 20);
  const kdfInput = kernel.concatBytes(KDF_ROUND, z, ALGORITHM_ID, originator, Uint8Array.of(0x09, apdu[2] as number), apdu.subarray(3, 11), apdu.subarray(21, 29));
  const digest = await crypto.subtle.digest("SHA-256", kdfInput);
  const key = await crypto.subtle.importKey("raw", digest.slice(0, 16), "AES-GCM", false, ["encrypt"]);
  const iv = kernel.concatBytes(originator, new Uint8Array(4));
  const tag = await crypto.subtle.encrypt({ name: "AES-GCM", iv, additionalData: kernel.concatBytes(AAD_PREFIX, apdu), tagLength: 96 }, key, new Uint8Array(0));
  return new Uint8Array(tag);
}

async function webWrap(z: Uint8Array, apdu: Uint8Array): Promise<Uint8Array> {
  return kernel.concatBytes(ddHeader(apdu.length), apdu, await webMac(z, apdu));
}

async function webVerifyFrame(z: Uint8Array, frame: Uint8Array): Promise<boolean> {
  const lengthSize = frame[7] === 0x82 ? 3 : frame[7] === 0x81 ? 2 : 1;
  const mac = await webMac(z, frame.subarray(7 + lengthSize + 5, frame.length - 12));
  return kernel.timingSafeEqual(mac, frame.subarray(frame.length - 12));
}

export async function kernelSuite(options: { time: number }): Promise<Row[]> {
  const bench = new Bench({ time: options.time, warmupTime: Math.min(200, options.time / 2) });
  const meta = new Map<string, TaskMeta>();
  const add = (info: TaskMeta, fn: () => unknown) => {
    const name = `${info.group} ${info.size ?? ""} ${info.option}`;
    meta.set(name, info);
    bench.add(name, fn as () => void);
  };
  const z = Uint8Array.from({ length: 32 }, (_, i) => i * 7 + 1);
  const zBuffer = Buffer.from(z);

  for (const size of SIZES) {
    const apdus = Array.from({ length: BATCH }, (_, i) => commandApdu(size, i + 1));
    const apduBuffers = apdus.map((a) => Buffer.from(a));
    const frames = kernel.wrapBatch(apdus.map((apdu) => ({ sharedSecret: z, apdu })));
    const frameBuffers = frames.map((f) => Buffer.from(f));
    // Every option must agree before anything is timed.
    if (!nodeWrap(zBuffer, apduBuffers[0]!).equals(frameBuffers[0]!)) throw new Error("node:crypto baseline disagrees with the kernel");
    if (!Buffer.from(await webWrap(z, apdus[0]!)).equals(frameBuffers[0]!)) throw new Error("WebCrypto baseline disagrees with the kernel");
    const items = apdus.map((apdu) => ({ sharedSecret: z, apdu }));
    const toVerify = frames.map((frame) => ({ sharedSecret: z, frame }));
    let i = 0;
    const next = () => (i = (i + 1) % BATCH);

    add({ group: "MAC compute", size, option: "kernel single", perCall: 1 }, () => kernel.wrapApdu(z, apdus[next()]!));
    add({ group: "MAC compute", size, option: "kernel batch", perCall: BATCH }, () => kernel.wrapBatch(items));
    add({ group: "MAC compute", size, option: "node:crypto", perCall: 1 }, () => nodeWrap(zBuffer, apduBuffers[next()]!));
    add({ group: "MAC compute", size, option: "WebCrypto", perCall: 1 }, () => webWrap(z, apdus[next()]!));
    add({ group: "MAC verify", size, option: "kernel single", perCall: 1 }, () => kernel.verifyMac(z, frames[next()]!));
    add({ group: "MAC verify", size, option: "kernel batch", perCall: BATCH }, () => kernel.verifyBatch(toVerify));
    add({ group: "MAC verify", size, option: "node:crypto", perCall: 1 }, () => nodeVerifyFrame(zBuffer, frameBuffers[next()]!));
    add({ group: "MAC verify", size, option: "WebCrypto", perCall: 1 }, () => webVerifyFrame(z, frames[next()]!));
    add({ group: "SHA-256", size, option: "kernel", perCall: 1 }, () => kernel.sha256(apdus[next()]!));
    add({ group: "SHA-256", size, option: "node:crypto", perCall: 1 }, () => createHash("sha256").update(apduBuffers[next()]!).digest());
  }

  const signer = await kernel.generateKeyPair("ds");
  const message = commandApdu(256, 99);
  const signature = await kernel.sign(signer.privateKey, message);
  const nodePublic = createPublicKey({ key: Buffer.from(await kernel.exportPublicKey(signer.publicKey)), format: "der", type: "spki" });
  if (!nodeVerify("sha256", message, { key: nodePublic, dsaEncoding: "ieee-p1363" }, signature)) throw new Error("node:crypto cannot verify the WebCrypto signature");
  add({ group: "ECDSA P-256 verify", size: 256, option: "WebCrypto (kernel)", perCall: 1 }, () => kernel.verify(signer.publicKey, message, signature));
  // A non-native implementation, standing in for what an in-kernel (WASM) P-256 could reach.
  const rawPublic = new Uint8Array(await crypto.subtle.exportKey("raw", signer.publicKey));
  if (!p256.verify(signature, message, rawPublic, { lowS: false })) throw new Error("@noble/curves cannot verify the WebCrypto signature");
  add({ group: "ECDSA P-256 verify", size: 256, option: "pure JS (@noble/curves)", perCall: 1 }, () => p256.verify(signature, message, rawPublic, { lowS: false }));
  add({ group: "ECDSA P-256 verify", size: 256, option: "node:crypto", perCall: 1 }, () => nodeVerify("sha256", message, { key: nodePublic, dsaEncoding: "ieee-p1363" }, signature));

  const a = await kernel.generateKeyPair("ka");
  const b = await kernel.generateKeyPair("ka");
  const nodePrivate = createPrivateKey({ key: Buffer.from(await kernel.exportPrivateKey(a.privateKey)), format: "der", type: "pkcs8" });
  const nodePeer = createPublicKey({ key: Buffer.from(await kernel.exportPublicKey(b.publicKey)), format: "der", type: "spki" });
  add({ group: "ECDH P-256", size: null, option: "WebCrypto (kernel)", perCall: 1 }, () => kernel.sharedSecret(a.privateKey, b.publicKey));
  add({ group: "ECDH P-256", size: null, option: "node:crypto", perCall: 1 }, () => diffieHellman({ privateKey: nodePrivate, publicKey: nodePeer }));

  await bench.run();
  return collectRows(bench, meta, BASELINE);
}
