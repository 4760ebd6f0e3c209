// The Node entry's node:crypto ECDSA against WebCrypto (the default of @opendcc/duis): each verifies
// the other's signatures, raw and as DUIS XML signatures, both refuse the same tampered ones, and the
// node one takes only the keys WebCrypto would.
import { describe, expect, it } from "vitest";
import { generateKeyPair } from "@opendcc/kernel";
import { signDocument, verifyDocument, webCryptoEcdsa, writeSignedResponse, type Ecdsa } from "@opendcc/duis";
import { nodeEcdsa } from "../src/node.js";

const node: Ecdsa = nodeEcdsa;
const providers = { node, webCrypto: webCryptoEcdsa };
const data = new TextEncoder().encode("<ds:SignedInfo>the bytes a DUIS signature covers</ds:SignedInfo>");

describe("node:crypto ECDSA and WebCrypto", () => {
  for (const [signer, by] of Object.entries(providers)) {
    for (const [verifier, check] of Object.entries(providers)) {
      it(`${verifier} verifies what ${signer} signs, and refuses it changed`, async () => {
        const { privateKey, publicKey } = await generateKeyPair("ds");
        const signature = await by.sign(privateKey, data);
        expect(signature).toBeInstanceOf(Uint8Array);
        expect(signature.length).toBe(64);
        expect(await check.verify(publicKey, data, signature)).toBe(true);

        const flipped = signature.slice();
        flipped[40]! ^= 0x01; // a bit of s
        expect(await check.verify(publicKey, data, flipped)).toBe(false);
        const changed = data.slice();
        changed[3]! ^= 0x20;
        expect(await check.verify(publicKey, changed, signature)).toBe(false);
        expect(await check.verify((await generateKeyPair("ds")).publicKey, data, signature)).toBe(false);
        expect(await check.verify(publicKey, data, signature.subarray(0, 63))).toBe(false);
        // r = s = 0 is outside the curve order's range: refused, not an error.
        expect(await check.verify(publicKey, data, new Uint8Array(64))).toBe(false);
      });
    }
  }

  it("signs and verifies DUIS XML signatures either way round", async () => {
    const { privateKey, publicKey } = await generateKeyPair("ds");
    const options = { privateKey, issuerName: "CN=Test CA,OU=07", serialNumber: 7n };
    const xml = '<sr:Request xmlns:sr="http://www.dccinterface.co.uk/ServiceUserGateway"><sr:Header>1</sr:Header></sr:Request>';
    const bySigner = { node: await signDocument(xml, { ...options, ecdsa: node }), webCrypto: await signDocument(xml, options) };
    for (const signed of Object.values(bySigner)) {
      expect(await verifyDocument(signed, () => publicKey, { ecdsa: node })).toMatchObject({ ok: true, serialNumber: "7" });
      expect(await verifyDocument(signed, () => publicKey)).toMatchObject({ ok: true, serialNumber: "7" });
      const tampered = signed.replace("<sr:Header>1<", "<sr:Header>2<");
      expect(await verifyDocument(tampered, () => publicKey, { ecdsa: node })).toMatchObject({ ok: false, reason: "digest-mismatch" });
      // The SignatureValue with its first base64 digit changed: r differs, the length does not.
      const value = /<ds:SignatureValue>([^<]+)</.exec(signed)?.[1] ?? "";
      const other = value.startsWith("A") ? `B${value.slice(1)}` : `A${value.slice(1)}`;
      const forged = signed.replace(value, other);
      expect(await verifyDocument(forged, () => publicKey, { ecdsa: node })).toMatchObject({ ok: false, reason: "bad-signature" });
      expect(await verifyDocument(forged, () => publicKey)).toMatchObject({ ok: false, reason: "bad-signature" });
    }
    const response = await writeSignedResponse({
      schemaVersion: "5.2", header: { responseCode: "I99", responseDateTime: "2026-11-23T10:00:00Z" },
      body: { kind: "ResponseMessage", serviceReference: "4.1", serviceReferenceVariant: "4.1.1" }, signature: null,
    }, { ...options, ecdsa: node });
    expect(await verifyDocument(response, () => publicKey)).toMatchObject({ ok: true });
  });

  it("takes only ECDSA P-256 keys with the usage asked for, as WebCrypto does", async () => {
    const ecdh = await generateKeyPair("ka");
    await expect(node.sign(ecdh.privateKey, data)).rejects.toThrow("an ECDSA P-256 key is needed, not ECDH P-256");
    await expect(webCryptoEcdsa.sign(ecdh.privateKey, data)).rejects.toThrow();
    const { privateKey, publicKey } = await generateKeyPair("ds");
    await expect(node.sign(publicKey, data)).rejects.toThrow("the key's usages (verify) do not include sign");
    await expect(node.verify(privateKey, data, new Uint8Array(64))).rejects.toThrow("the key's usages (sign) do not include verify");
  });
});
