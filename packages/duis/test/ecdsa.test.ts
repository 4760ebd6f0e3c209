// The ECDSA seam of the XML signature: signDocument, writeSignedResponse and verifyDocument do their
// ECDSA through the provider they are given (WebCrypto when none is), and what one provider
// refuses stays refused. The node:crypto provider itself is tested where it lives (packages/server).
import { describe, expect, it } from "vitest";
import { generateKeyPair } from "@opendcc/kernel";
import { signDocument, verifyDocument, webCryptoEcdsa, writeSignedResponse, type Ecdsa, type KeyResolver } from "../src/index.js";
import { requestXml } from "./support.js";

const ISSUER = "CN=Test CA,OU=07";
const SERIAL = "1234";

/** WebCrypto, counting its calls. */
function counting(): Ecdsa & { signs: number; verifies: number } {
  const provider = {
    signs: 0,
    verifies: 0,
    sign: (key: CryptoKey, data: Uint8Array) => (provider.signs++, webCryptoEcdsa.sign(key, data)),
    verify: (key: CryptoKey, data: Uint8Array, signature: Uint8Array) => (provider.verifies++, webCryptoEcdsa.verify(key, data, signature)),
  };
  return provider;
}

describe("the ECDSA provider of the XML signature", () => {
  it("signs and verifies requests and responses through the provider given", async () => {
    const { privateKey, publicKey } = await generateKeyPair("ds");
    const resolve: KeyResolver = (issuer, serial) => (issuer === ISSUER && serial === SERIAL ? publicKey : null);
    const ecdsa = counting();

    const request = await signDocument(requestXml(), { privateKey, issuerName: ISSUER, serialNumber: SERIAL, ecdsa });
    const response = await writeSignedResponse({
      schemaVersion: "5.2", header: { responseCode: "I99", responseDateTime: "2026-11-23T10:00:00Z" },
      body: { kind: "ResponseMessage", serviceReference: "4.1", serviceReferenceVariant: "4.1.1" }, signature: null,
    }, { privateKey, issuerName: ISSUER, serialNumber: SERIAL, ecdsa });
    expect(ecdsa).toMatchObject({ signs: 2, verifies: 0 });

    expect(await verifyDocument(request, resolve, { ecdsa })).toEqual({ ok: true, issuerName: ISSUER, serialNumber: SERIAL });
    expect(await verifyDocument(response, resolve, { ecdsa })).toMatchObject({ ok: true });
    expect(ecdsa).toMatchObject({ signs: 2, verifies: 2 });
    // Without one, WebCrypto: the provider is not called again.
    expect(await verifyDocument(request, resolve)).toMatchObject({ ok: true });
    expect(ecdsa.verifies).toBe(2);
  });

  it("refuses as bad-signature what the provider does not verify", async () => {
    const { privateKey, publicKey } = await generateKeyPair("ds");
    const signed = await signDocument(requestXml(), { privateKey, issuerName: ISSUER, serialNumber: SERIAL });
    const refusing: Ecdsa = { sign: webCryptoEcdsa.sign, verify: async () => false };
    const result = await verifyDocument(signed, () => publicKey, { ecdsa: refusing });
    expect(result).toMatchObject({ ok: false, reason: "bad-signature" });
  });
});
