// Writing and signing a response in one step, without a DOM: the gateway signs every answer it
// writes (issue point 7: two signed responses per Service Request), and parsing its own text back
// to canonicalize it cost more than anything else on that path. The writer's canonical form
// (write.ts) is the document's Canonical XML, and the ds:Signature is written as signDocument
// would canonicalize it, so the result is byte for byte what signDocument(writeResponse(r)) gives
// (test/signed-write.test.ts), apart from ECDSA's random signature value.
import { sha256 } from "@opendcc/kernel";
import { escapeText } from "./c14n.js";
import { webCryptoEcdsa } from "./ecdsa.js";
import type { DuisResponse } from "./model.js";
import { decimalSerial, ECDSA_SHA256, ENVELOPED_SIGNATURE, EXCLUSIVE_C14N, SHA256_DIGEST, type SignOptions } from "./signature.js";
import { toBase64Text } from "./values.js";
import { responseLines } from "./write.js";
import { DS_NS, NOT_XML_CHAR } from "./xml.js";

const DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>';
const utf8 = new TextEncoder();

/** writeResponse and signDocument in one: the response as signed DUIS XML. */
export async function writeSignedResponse(response: DuisResponse, options: SignOptions): Promise<string> {
  const serial = decimalSerial(options.serialNumber);
  if (NOT_XML_CHAR.test(options.issuerName)) throw new TypeError("the issuer name holds a character XML does not allow");
  const lines = responseLines(response, true);
  // The root's children are indented, so the signature goes after the last one on its own line;
  // the enveloped-signature transform digests the document without it (its indent stays).
  const close = lines.pop() as string;
  const before = `${lines.join("\n")}\n  `;
  const after = `\n${close}`;
  const digest = toBase64Text(sha256(utf8.encode(`${before}${after}`)));
  // Exclusive C14N of SignedInfo declares the ds namespace on it; in the document it is inherited
  // from ds:Signature (a response's root does not declare ds).
  const value = await (options.ecdsa ?? webCryptoEcdsa).sign(options.privateKey, utf8.encode(signedInfo(` xmlns:ds="${DS_NS}"`, digest)));
  const signature = `<ds:Signature xmlns:ds="${DS_NS}">${signedInfo("", digest)}` +
    `<ds:SignatureValue>${toBase64Text(value)}</ds:SignatureValue><ds:KeyInfo><ds:X509Data><ds:X509IssuerSerial>` +
    `<ds:X509IssuerName>${escapeText(options.issuerName)}</ds:X509IssuerName><ds:X509SerialNumber>${serial}</ds:X509SerialNumber>` +
    "</ds:X509IssuerSerial></ds:X509Data></ds:KeyInfo></ds:Signature>";
  return `${DECLARATION}\n${before}${signature}${after}\n`;
}

function signedInfo(declaration: string, digest: string): string {
  return `<ds:SignedInfo${declaration}><ds:CanonicalizationMethod Algorithm="${EXCLUSIVE_C14N}"></ds:CanonicalizationMethod>` +
    `<ds:SignatureMethod Algorithm="${ECDSA_SHA256}"></ds:SignatureMethod><ds:Reference URI=""><ds:Transforms>` +
    `<ds:Transform Algorithm="${ENVELOPED_SIGNATURE}"></ds:Transform></ds:Transforms>` +
    `<ds:DigestMethod Algorithm="${SHA256_DIGEST}"></ds:DigestMethod><ds:DigestValue>${digest}</ds:DigestValue></ds:Reference></ds:SignedInfo>`;
}
