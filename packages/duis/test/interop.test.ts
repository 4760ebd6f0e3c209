// Cross-checks with an independent XMLDSig implementation (xml-crypto, devDependency only): what
// we sign, it verifies; what it signs with the DUIS recipe, we verify. ECDSA with raw r||s is
// plugged into xml-crypto through node:crypto's ieee-p1363 encoding.
import { createPublicKey, generateKeyPairSync, sign as nodeSign, verify as nodeVerify, type KeyObject } from "node:crypto";
import { DOMParser } from "@xmldom/xmldom";
import { SignedXml } from "xml-crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { importPrivateKey, importPublicKey } from "@opendcc/kernel";
import { ECDSA_SHA256, ENVELOPED_SIGNATURE, EXCLUSIVE_C14N, SHA256_DIGEST, signDocument, verifyDocument } from "../src/index.js";
import { describeWithFixtures } from "../../../test/support/fixtures.js";
import { duisSamples, requestXml } from "./support.js";

class EcdsaSha256 {
  getSignature(signedInfo: string, privateKey: KeyObject): string {
    return nodeSign("sha256", Buffer.from(signedInfo), { key: privateKey, dsaEncoding: "ieee-p1363" }).toString("base64");
  }
  verifySignature(material: string, key: KeyObject, signatureValue: string): boolean {
    return nodeVerify("sha256", Buffer.from(material), { key, dsaEncoding: "ieee-p1363" }, Buffer.from(signatureValue, "base64"));
  }
  getAlgorithmName(): string {
    return ECDSA_SHA256;
  }
}

function theyVerify(xml: string, publicKey: KeyObject): boolean {
  const verifier = new SignedXml({ publicCert: publicKey.export({ type: "spki", format: "pem" }) as string });
  verifier.SignatureAlgorithms[ECDSA_SHA256] = EcdsaSha256 as never;
  const doc = new DOMParser().parseFromString(xml, "text/xml");
  const signature = doc.getElementsByTagNameNS("http://www.w3.org/2000/09/xmldsig#", "Signature")[0];
  verifier.loadSignature(signature as never);
  return verifier.checkSignature(xml);
}

function theySign(xml: string, privateKey: KeyObject, issuer: string, serial: string): string {
  const signer = new SignedXml({
    privateKey: privateKey.export({ type: "pkcs8", format: "pem" }) as string,
    canonicalizationAlgorithm: EXCLUSIVE_C14N,
    signatureAlgorithm: ECDSA_SHA256,
  });
  signer.SignatureAlgorithms[ECDSA_SHA256] = EcdsaSha256 as never;
  signer.addReference({ xpath: "/*", transforms: [ENVELOPED_SIGNATURE], digestAlgorithm: SHA256_DIGEST, isEmptyUri: true });
  signer.getKeyInfoContent = () =>
    `<ds:X509Data><ds:X509IssuerSerial><ds:X509IssuerName>${issuer}</ds:X509IssuerName>` +
    `<ds:X509SerialNumber>${serial}</ds:X509SerialNumber></ds:X509IssuerSerial></ds:X509Data>`;
  signer.computeSignature(xml, { prefix: "ds", location: { reference: "/*", action: "append" } });
  return signer.getSignedXml();
}

describe("interoperation with xml-crypto", () => {
  let pair: { privateKey: KeyObject; publicKey: KeyObject };
  let ourPrivate: CryptoKey;
  let ourPublic: CryptoKey;

  beforeAll(async () => {
    pair = generateKeyPairSync("ec", { namedCurve: "P-256" });
    ourPrivate = await importPrivateKey(new Uint8Array(pair.privateKey.export({ type: "pkcs8", format: "der" })), "ds");
    ourPublic = await importPublicKey(new Uint8Array(createPublicKey(pair.privateKey).export({ type: "spki", format: "der" })), "ds");
  });

  it("xml-crypto verifies what we sign, and refuses it after a change", async () => {
    const signed = await signDocument(requestXml(), { privateKey: ourPrivate, issuerName: "CN=Z1,OU=07", serialNumber: 42n });
    expect(theyVerify(signed, pair.publicKey)).toBe(true);
    let tamperedVerifies: boolean;
    try {
      tamperedVerifies = theyVerify(signed.replace("00-DB-12-34-56-78-90-A2", "00-DB-12-34-56-78-90-A3"), pair.publicKey);
    } catch {
      tamperedVerifies = false;
    }
    expect(tamperedVerifies).toBe(false);
  });

  it("we verify what xml-crypto signs with the DUIS recipe, and refuse it after a change", async () => {
    const signed = theySign(requestXml(), pair.privateKey, "CN=Z1,OU=07", "42");
    const resolve = (issuer: string, serial: string) => (issuer === "CN=Z1,OU=07" && serial === "42" ? ourPublic : null);
    expect(await verifyDocument(signed, resolve)).toEqual({ ok: true, issuerName: "CN=Z1,OU=07", serialNumber: "42" });
    const tampered = await verifyDocument(signed.replace(":1000<", ":1001<"), resolve);
    expect(tampered.ok ? "ok" : tampered.reason).toBe("digest-mismatch");
  });
});

describeWithFixtures("interoperation with xml-crypto on the DUIS samples", () => {
  it("each side verifies the other's signature on every sample", async () => {
    const pair = generateKeyPairSync("ec", { namedCurve: "P-256" });
    const ourPrivate = await importPrivateKey(new Uint8Array(pair.privateKey.export({ type: "pkcs8", format: "der" })), "ds");
    const ourPublic = await importPublicKey(new Uint8Array(pair.publicKey.export({ type: "spki", format: "der" })), "ds");
    const resolve = () => ourPublic;
    for (const { name, xml } of duisSamples()) {
      const ours = await signDocument(xml, { privateKey: ourPrivate, issuerName: "CN=Z1,OU=07", serialNumber: 7n });
      expect(theyVerify(ours, pair.publicKey), name).toBe(true);
      // xml-crypto does not remove the placeholder, so strip it the way a signer must first.
      const unsigned = xml.replace(/\s*<ds:Signature[\s\S]*<\/ds:Signature>/, "");
      const theirs = theySign(unsigned, pair.privateKey, "CN=Z1,OU=07", "7");
      expect((await verifyDocument(theirs, resolve)).ok, name).toBe(true);
    }
  });
});
