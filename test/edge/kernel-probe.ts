// The same kernel calls, run once in Node and once inside workerd: their answers must agree.
import * as kernel from "@opendcc/kernel";

export async function probeKernel(): Promise<Record<string, unknown>> {
  const apdu = kernel.fromHex("DF09010000000000000001089000000000000001080000000000000002000200590300010200");
  const z = new Uint8Array(32).fill(9);
  const frame = kernel.wrapApdu(z, apdu);
  const parsed = kernel.parseFrame(frame);
  const sealed = kernel.gcmEncrypt(new Uint8Array(16), new Uint8Array(12), new Uint8Array(0), new Uint8Array(16));
  const blockKey = { sharedSecret: z, originator: apdu.subarray(12, 20), party: apdu.subarray(21, 29), counter: apdu.subarray(3, 11) };
  const block = kernel.sealBlock(blockKey, new TextEncoder().encode("half-hourly profile"));
  const signer = await kernel.generateKeyPair("ds");
  const signature = await kernel.sign(signer.privateKey, apdu);
  const batch = kernel.wrapBatch([{ sharedSecret: z, apdu }, { sharedSecret: z, apdu }]);
  return {
    sha256: kernel.toHex(kernel.sha256(new TextEncoder().encode("abc"))),
    aes: kernel.toHex(kernel.aesEncryptBlock(kernel.fromHex("000102030405060708090A0B0C0D0E0F"), kernel.fromHex("00112233445566778899AABBCCDDEEFF"))),
    gcm: kernel.toHex(sealed.ciphertext) + kernel.toHex(sealed.tag),
    frame: kernel.toHex(frame),
    batchAgrees: batch.every((f) => kernel.toHex(f) === kernel.toHex(frame)),
    macVerifies: kernel.verifyMac(z, frame),
    parsed: { form: parsed.form, cra: parsed.cra, messageCode: parsed.messageCode, macOffset: parsed.macOffset },
    block: kernel.toHex(block),
    opened: new TextDecoder().decode(kernel.openBlock(blockKey, block)!),
    signatureVerifies: await kernel.verify(signer.publicKey, apdu, signature),
  };
}
