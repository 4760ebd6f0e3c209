// The DUIS XML signature: sign then verify with a fresh key and with the fixture supplier key;
// every kind of tampering is refused with its own reason; unsigned and placeholder-signed
// documents are refused; Java-style wrapped base64 is accepted.
import { X509Certificate } from "node:crypto";
import { readdirSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import { fromBase64, generateKeyPair, importPrivateKey, pemToDer, toBase64 } from "@opendcc/kernel";
import {
  certificateIssuerSerial, certificateResolver, normalizeDn, parseRequest, signDocument, verifyDocument, writeRequest,
  type KeyResolver, type VerifyResult,
} from "../src/index.js";
import { describeWithFixtures, keystoreDir } from "../../../test/support/fixtures.js";
import { duisSamples, keystoreText, PLACEHOLDER_SIGNATURE, requestXml, sample } from "./support.js";

const ISSUER = "CN=Test CA,OU=07";
const SERIAL = 50669612984035780968362471400449834504n;

const signatureValueOf = (xml: string) => /<ds:SignatureValue>([^<]*)<\/ds:SignatureValue>/.exec(xml)?.[1] ?? "";
const digestValueOf = (xml: string) => /<ds:DigestValue>([^<]*)<\/ds:DigestValue>/.exec(xml)?.[1] ?? "";

function expectRefused(result: VerifyResult, reason: string): void {
  expect(result.ok).toBe(false);
  if (!result.ok) {
    expect(result.reason).toBe(reason);
    expect(result.message.length).toBeGreaterThan(10);
  }
}

describe("sign then verify with a freshly generated key", () => {
  let privateKey: CryptoKey;
  let resolve: KeyResolver;
  let signed: string;
  const document = requestXml({
    body: '<sr:ReadInventory><sr:DeviceID>00-DB-12-34-56-78-90-A2</sr:DeviceID><!-- a note --></sr:ReadInventory>',
  });

  beforeAll(async () => {
    const pair = await generateKeyPair("ds");
    privateKey = pair.privateKey;
    resolve = (issuer, serial) => (issuer === ISSUER && serial === SERIAL.toString() ? pair.publicKey : null);
    signed = await signDocument(document, { privateKey, issuerName: ISSUER, serialNumber: SERIAL });
  });

  it("verifies, naming the signer's issuer and decimal serial", async () => {
    expect(await verifyDocument(signed, resolve)).toEqual({ ok: true, issuerName: ISSUER, serialNumber: SERIAL.toString() });
    // The serial can be given as a decimal string too, with the same result.
    const again = await signDocument(document, { privateKey, issuerName: ISSUER, serialNumber: SERIAL.toString() });
    expect((await verifyDocument(again, resolve)).ok).toBe(true);
    await expect(signDocument(document, { privateKey, issuerName: ISSUER, serialNumber: "0x12" })).rejects.toThrow(/decimal/);
  });

  it("writes the signature DUIS describes: algorithms, raw 64-byte r||s, X509IssuerSerial", () => {
    const request = parseRequest(signed);
    expect(request.signature).toEqual({
      canonicalizationMethod: "http://www.w3.org/2001/10/xml-exc-c14n#",
      signatureMethod: "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256",
      referenceUri: "",
      transforms: ["http://www.w3.org/2000/09/xmldsig#enveloped-signature"],
      digestMethod: "http://www.w3.org/2001/04/xmlenc#sha256",
      digestValue: digestValueOf(signed),
      signatureValue: signatureValueOf(signed),
      issuerName: ISSUER,
      serialNumber: SERIAL.toString(),
      placeholder: false,
    });
    expect(fromBase64(signatureValueOf(signed)).length).toBe(64);
    expect(fromBase64(digestValueOf(signed)).length).toBe(32);
    // The signature is the root's last child, and the signed document still reads as the same request.
    expect(signed.trimEnd().endsWith("</ds:Signature>\n</sr:Request>")).toBe(true);
    expect({ ...parseRequest(signed), signature: null }).toEqual({ ...parseRequest(document), signature: null });
  });

  it("ignores comments (C14N without comments) but not whitespace", async () => {
    expect((await verifyDocument(signed.replace("<sr:Header>", "<sr:Header><!-- added later -->"), resolve)).ok).toBe(true);
    expectRefused(await verifyDocument(signed.replace("<sr:Header>", "<sr:Header> "), resolve), "digest-mismatch");
  });

  it("refuses a change to any element text", async () => {
    expectRefused(await verifyDocument(signed.replace("00-DB-12-34-56-78-90-A2", "00-DB-12-34-56-78-90-A3"), resolve), "digest-mismatch");
    expectRefused(await verifyDocument(signed.replace(":1000<", ":1001<"), resolve), "digest-mismatch");
    expectRefused(await verifyDocument(signed.replace(">8<", ">1<"), resolve), "digest-mismatch");
  });

  it("refuses a changed, added or removed attribute, and a renamed prefix", async () => {
    expectRefused(await verifyDocument(signed.replace('schemaVersion="5.2"', 'schemaVersion="5.3"'), resolve), "digest-mismatch");
    expectRefused(await verifyDocument(signed.replace("<sr:DeviceID>", '<sr:DeviceID index="1">'), resolve), "digest-mismatch");
    expectRefused(await verifyDocument(signed.replace(' xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"', ""), resolve), "digest-mismatch");
    const renamed = signed.replace(/(<\/?)sr:/g, "$1s:").replace("xmlns:sr=", "xmlns:s=");
    expect(parseRequest(renamed).header.commandVariant).toBe(8);
    expectRefused(await verifyDocument(renamed, resolve), "digest-mismatch");
  });

  it("refuses a changed DigestValue", async () => {
    const digest = fromBase64(digestValueOf(signed));
    digest[0] = (digest[0] ?? 0) ^ 1;
    expectRefused(await verifyDocument(signed.replace(digestValueOf(signed), toBase64(digest)), resolve), "digest-mismatch");
  });

  it("refuses a SignatureValue with one bit flipped, anywhere in r or in s", async () => {
    for (const bit of [0, 7, 255, 256, 511]) {
      const value = fromBase64(signatureValueOf(signed));
      value[bit >> 3] = (value[bit >> 3] ?? 0) ^ (1 << (bit & 7));
      expectRefused(await verifyDocument(signed.replace(signatureValueOf(signed), toBase64(value)), resolve), "bad-signature");
    }
  });

  it("refuses a changed SignedInfo (the signed part of the signature)", async () => {
    expectRefused(await verifyDocument(signed.replace("<ds:SignedInfo>", "<ds:SignedInfo> "), resolve), "bad-signature");
  });

  it("refuses a SignatureValue that is not 64 bytes (DER, or cut short)", async () => {
    const value = fromBase64(signatureValueOf(signed));
    expectRefused(await verifyDocument(signed.replace(signatureValueOf(signed), toBase64(value.subarray(0, 63))), resolve), "bad-signature-length");
    const der = new Uint8Array([0x30, 0x44, 0x02, 0x20, ...value.subarray(0, 32), 0x02, 0x20, ...value.subarray(32)]);
    expectRefused(await verifyDocument(signed.replace(signatureValueOf(signed), toBase64(der)), resolve), "bad-signature-length");
  });

  it("accepts a SignatureValue wrapped the Java way (&#13; and line feeds) and other whitespace", async () => {
    const value = signatureValueOf(signed);
    const wrapped = `${value.slice(0, 76)}&#13;\n${value.slice(76)}`;
    expect((await verifyDocument(signed.replace(value, wrapped), resolve)).ok).toBe(true);
    expect((await verifyDocument(signed.replace(value, `\n  ${value.slice(0, 40)}\n  ${value.slice(40)}\n`), resolve)).ok).toBe(true);
  });

  it("refuses an unknown certificate (the resolver knows no key for the issuer and serial)", async () => {
    expectRefused(await verifyDocument(signed, () => null), "unknown-certificate");
    expectRefused(await verifyDocument(signed.replace(SERIAL.toString(), (SERIAL + 1n).toString()), resolve), "unknown-certificate");
    // A key that is not the signer's: the signature does not verify.
    const other = await generateKeyPair("ds");
    expectRefused(await verifyDocument(signed, () => other.publicKey), "bad-signature");
  });

  it("refuses an unsigned document and the templates' placeholder", async () => {
    expectRefused(await verifyDocument(document, resolve), "no-signature");
    expectRefused(await verifyDocument(requestXml({ signature: PLACEHOLDER_SIGNATURE }), resolve), "placeholder-signature");
  });

  it("refuses other algorithms and other reference shapes", async () => {
    const swap = (from: string, to: string) => verifyDocument(signed.replace(from, to), resolve);
    expectRefused(await swap("xmldsig-more#ecdsa-sha256", "xmldsig-more#rsa-sha256"), "wrong-algorithm");
    expectRefused(await swap("xmlenc#sha256", "xmlenc#sha512"), "wrong-algorithm");
    expectRefused(await swap('<ds:CanonicalizationMethod Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"',
      '<ds:CanonicalizationMethod Algorithm="http://www.w3.org/TR/2001/REC-xml-c14n-20010315"'), "wrong-algorithm");
    expectRefused(await swap("</ds:Transforms>", '<ds:Transform Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/></ds:Transforms>'), "wrong-algorithm");
    expectRefused(await swap('URI=""', 'URI="#body"'), "malformed-signature");
  });

  it("refuses a misplaced or repeated signature", async () => {
    const signature = /<ds:Signature[\s\S]*<\/ds:Signature>/.exec(signed)?.[0] ?? "";
    const moved = signed.replace(signature, "").replace("</sr:Body>", `${signature}</sr:Body>`);
    expectRefused(await verifyDocument(moved, resolve), "malformed-signature");
    const doubled = signed.replace(signature, signature + signature);
    expectRefused(await verifyDocument(doubled, resolve), "malformed-signature");
  });

  it("replaces an existing signature when signing again (the placeholder, or a previous one)", async () => {
    const fromPlaceholder = await signDocument(requestXml({ signature: PLACEHOLDER_SIGNATURE }), { privateKey, issuerName: ISSUER, serialNumber: SERIAL });
    expect(fromPlaceholder.match(/<ds:Signature[\s>]/g)?.length).toBe(1);
    expect(fromPlaceholder).not.toContain("ZGVmYXVsdA==");
    expect((await verifyDocument(fromPlaceholder, resolve)).ok).toBe(true);
    const resigned = await signDocument(signed, { privateKey, issuerName: ISSUER, serialNumber: SERIAL });
    expect(resigned.match(/<ds:Signature[\s>]/g)?.length).toBe(1);
    expect((await verifyDocument(resigned, resolve)).ok).toBe(true);
  });

  it("signs what writeRequest writes, and a compact document", async () => {
    const written = writeRequest(parseRequest(document));
    expect((await verifyDocument(await signDocument(written, { privateKey, issuerName: ISSUER, serialNumber: SERIAL }), resolve)).ok).toBe(true);
    const compact = document.replace(/>\s+</g, "><");
    const signedCompact = await signDocument(compact, { privateKey, issuerName: ISSUER, serialNumber: SERIAL });
    expect(signedCompact).toContain("</sr:Body><ds:Signature");
    expect((await verifyDocument(signedCompact, resolve)).ok).toBe(true);
  });
});

describe("issuer names", () => {
  it("normalizes RFC 2253 spacing and attribute-name case for comparison", () => {
    expect(normalizeDn("CN=U1, OU=07")).toBe("CN=U1,OU=07");
    expect(normalizeDn("cn=Z1 ,ou=07")).toBe("CN=Z1,OU=07");
    expect(normalizeDn("CN=a\\,b,OU=07")).toBe("CN=a\\,b,OU=07");
    expect(normalizeDn("CN=Z1+OU=07")).not.toBe(normalizeDn("CN=Z1,OU=07"));
  });
});

describeWithFixtures("signing with the fixture supplier key 90b3d51f30010000", () => {
  let privateKey: CryptoKey;
  let resolve: KeyResolver;
  let issuerName: string;
  let serialDecimal: string;

  beforeAll(async () => {
    privateKey = await importPrivateKey(pemToDer(keystoreText("90b3d51f30010000-ds.key")), "ds");
    const certificate = keystoreText("90b3d51f30010000-ds.pem");
    ({ issuerName, serialDecimal } = certificateIssuerSerial(certificate));
    resolve = await certificateResolver([certificate, keystoreText("90b3d51f30020000-ds.pem")]);
  });

  it("reads the certificate's issuer and serial as DUIS KeyInfo writes them", () => {
    expect(issuerName).toBe("CN=Z1,OU=07");
    expect(serialDecimal).toBe(BigInt("0x4FBC525201A1D7586C1BC1C4734DEB9F").toString());
  });

  it("agrees with node's X.509 reader on every keystore certificate", () => {
    const names = readdirSync(keystoreDir).filter((n) => n.endsWith(".pem")).sort();
    let checked = 0;
    for (const name of names) {
      const pem = keystoreText(name);
      if (!pem.includes("BEGIN CERTIFICATE")) continue;
      const oracle = new X509Certificate(pem);
      const ours = certificateIssuerSerial(pem);
      expect(ours.serialDecimal, name).toBe(BigInt(`0x${oracle.serialNumber}`).toString());
      expect(ours.issuerName, name).toBe(oracle.issuer.split("\n").reverse().join(","));
      checked++;
    }
    expect(checked).toBeGreaterThan(400);
  });

  it("signs a sample and verifies it through a certificate resolver", async () => {
    const signed = await signDocument(sample("ECS17b_4.1.1_SINGLE_SUCCESS_REQUEST_DUIS.XML"), { privateKey, issuerName, serialNumber: serialDecimal });
    expect(await verifyDocument(signed, resolve)).toEqual({ ok: true, issuerName: "CN=Z1,OU=07", serialNumber: serialDecimal });
    // The templates' issuer spelling ("CN=Z1, OU=07") still finds the certificate.
    const spaced = signed.replace(">CN=Z1,OU=07<", ">CN=Z1, OU=07<");
    expect((await verifyDocument(spaced, resolve)).ok).toBe(true);
    // Another supplier's certificate does not verify it.
    const wrongSerial = certificateIssuerSerial(keystoreText("90b3d51f30020000-ds.pem")).serialDecimal;
    expectRefused(await verifyDocument(signed.replace(serialDecimal, wrongSerial), resolve), "bad-signature");
    // The signed request reads back as the template did.
    const request = parseRequest(signed);
    expect(request.signature?.issuerName).toBe("CN=Z1,OU=07");
    expect({ ...request, signature: null }).toEqual({ ...parseRequest(sample("ECS17b_4.1.1_SINGLE_SUCCESS_REQUEST_DUIS.XML")), signature: null });
  });

  it("signs and verifies every sample, and refuses each one after a change to its body", async () => {
    for (const { name, xml } of duisSamples()) {
      const signed = await signDocument(xml, { privateKey, issuerName, serialNumber: serialDecimal });
      expect((await verifyDocument(signed, resolve)).ok, name).toBe(true);
      const tampered = signed.replace(/(<sr:Body>[\s\S]*?<sr:[A-Za-z]+)/, "$1 tampered=\"1\"");
      expect(tampered, name).not.toBe(signed);
      expectRefused(await verifyDocument(tampered, resolve), "digest-mismatch");
    }
  });
});
