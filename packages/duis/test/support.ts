// Shared test helpers: the DUIS samples and keystore files, read at run time from the fixtures.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fixturesDir, hasFixtures, keystoreDir } from "../../../test/support/fixtures.js";

export const duisDir = join(fixturesDir, "duis");

export interface Sample {
  readonly name: string;
  readonly xml: string;
}

/** Every DUIS request sample, sorted by name; empty without fixtures. */
export function duisSamples(): Sample[] {
  if (!hasFixtures) return [];
  return readdirSync(duisDir).filter((n) => n.toUpperCase().endsWith(".XML")).sort()
    .map((name) => ({ name, xml: readFileSync(join(duisDir, name), "utf8") }));
}

export function sample(name: string): string {
  return readFileSync(join(duisDir, name), "utf8");
}

export function keystoreText(name: string): string {
  return readFileSync(join(keystoreDir, name), "utf8");
}

/** A small valid request, built here so that suites run without the fixtures. */
export function requestXml(parts: {
  header?: string; body?: string; root?: string; signature?: string; declaration?: string;
} = {}): string {
  const header = parts.header ?? [
    "<sr:RequestID>90-B3-D5-1F-30-01-00-00:90-B3-D5-1F-30-00-00-02:1000</sr:RequestID>",
    "<sr:CommandVariant>8</sr:CommandVariant>",
    "<sr:ServiceReference>8.2</sr:ServiceReference>",
    "<sr:ServiceReferenceVariant>8.2</sr:ServiceReferenceVariant>",
  ].join("\n    ");
  const body = parts.body ?? "<sr:ReadInventory>\n      <sr:DeviceID>00-DB-12-34-56-78-90-A2</sr:DeviceID>\n    </sr:ReadInventory>";
  const root = parts.root ?? '<sr:Request xmlns:ds="http://www.w3.org/2000/09/xmldsig#" xmlns:sr="http://www.dccinterface.co.uk/ServiceUserGateway" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" schemaVersion="5.2">';
  return `${parts.declaration ?? '<?xml version="1.0" encoding="UTF-8"?>'}
${root}
  <sr:Header>
    ${header}
  </sr:Header>
  <sr:Body>
    ${body}
  </sr:Body>${parts.signature ?? ""}
</sr:Request>
`;
}

/** The placeholder signature the templates carry (our own rendering of its shape). */
export const PLACEHOLDER_SIGNATURE = `
  <ds:Signature>
    <ds:SignedInfo>
      <ds:CanonicalizationMethod Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/>
      <ds:SignatureMethod Algorithm="http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256"/>
      <ds:Reference URI="">
        <ds:Transforms><ds:Transform Algorithm="http://www.w3.org/2000/09/xmldsig#enveloped-signature"/></ds:Transforms>
        <ds:DigestMethod Algorithm="http://www.w3.org/2001/04/xmlenc#sha256"/>
        <ds:DigestValue>ZGVmYXVsdA==</ds:DigestValue>
      </ds:Reference>
    </ds:SignedInfo>
    <ds:SignatureValue>ZGVmYXVsdA==</ds:SignatureValue>
    <ds:KeyInfo><ds:X509Data><ds:X509IssuerSerial>
      <ds:X509IssuerName>CN=U1, OU=07</ds:X509IssuerName><ds:X509SerialNumber>1234567890</ds:X509SerialNumber>
    </ds:X509IssuerSerial></ds:X509Data></ds:KeyInfo>
  </ds:Signature>`;
