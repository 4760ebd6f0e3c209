// The DUIS XML signature (duis.md section 2): an enveloped XMLDSig signature with
// - one Reference URI="" whose only transform is enveloped-signature, so the document without its
//   ds:Signature is digested as inclusive Canonical XML 1.0 without comments (XMLDSig's default
//   for a node-set when no canonicalization transform follows), with SHA-256;
// - SignedInfo canonicalized with Exclusive XML Canonicalization 1.0 without comments;
// - ECDSA P-256 / SHA-256, SignatureValue the base64 of the raw 64-byte r||s;
// - KeyInfo/X509Data/X509IssuerSerial: issuer as an RFC 2253 string, serial in decimal.
// The same recipe signs and verifies: signing builds the document with its ds:Signature in
// place and digests it with the signature left out, exactly as a verifier will.
import { sha256, timingSafeEqual } from "@opendcc/kernel";
import { canonicalizeDocument, canonicalizeExclusive } from "./c14n.js";
import { webCryptoEcdsa, type Ecdsa } from "./ecdsa.js";
import { allDs, attributeOf, firstDs, PLACEHOLDER_BASE64, readSignatureInfo } from "./signature-info.js";
import { toBase64Text } from "./values.js";
import { DS_NS, TEXT_NODE, elementChildren, parseXml, type Document, type Element, type XmlLimits } from "./xml.js";

export const EXCLUSIVE_C14N = "http://www.w3.org/2001/10/xml-exc-c14n#";
export const ECDSA_SHA256 = "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256";
export const SHA256_DIGEST = "http://www.w3.org/2001/04/xmlenc#sha256";
export const ENVELOPED_SIGNATURE = "http://www.w3.org/2000/09/xmldsig#enveloped-signature";

const DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>';
const utf8 = (text: string) => new TextEncoder().encode(text);

export interface SignOptions {
  /** ECDSA P-256 private key (the XML-signing key of the sender), e.g. from kernel importPrivateKey. */
  readonly privateKey: CryptoKey;
  /** The signing certificate's issuer as an RFC 2253 string, e.g. "CN=Z1,OU=07". */
  readonly issuerName: string;
  /** The signing certificate's serial number: a bigint or a decimal string. */
  readonly serialNumber: bigint | string;
  readonly limits?: XmlLimits;
  /** Default: WebCrypto. */
  readonly ecdsa?: Ecdsa;
}

/**
 * Signs a DUIS document: removes any existing ds:Signature (the templates carry a placeholder),
 * adds the enveloped signature as the root's last child and returns the signed XML (canonical
 * form with an XML declaration; comments outside the signature are kept). Throws DuisError when
 * the document is refused by the parser.
 */
export async function signDocument(xml: string | Uint8Array, options: SignOptions): Promise<string> {
  const serial = decimalSerial(options.serialNumber);
  const document = parseXml(xml, options.limits);
  const root = document.documentElement as Element;
  for (const old of Array.from(document.getElementsByTagNameNS(DS_NS, "Signature"))) removeWithIndent(old);

  const template = parseXml(
    `<ds:Signature xmlns:ds="${DS_NS}"><ds:SignedInfo>` +
    `<ds:CanonicalizationMethod Algorithm="${EXCLUSIVE_C14N}"/><ds:SignatureMethod Algorithm="${ECDSA_SHA256}"/>` +
    `<ds:Reference URI=""><ds:Transforms><ds:Transform Algorithm="${ENVELOPED_SIGNATURE}"/></ds:Transforms>` +
    `<ds:DigestMethod Algorithm="${SHA256_DIGEST}"/><ds:DigestValue/></ds:Reference></ds:SignedInfo>` +
    `<ds:SignatureValue/><ds:KeyInfo><ds:X509Data><ds:X509IssuerSerial><ds:X509IssuerName/>` +
    `<ds:X509SerialNumber>${serial}</ds:X509SerialNumber></ds:X509IssuerSerial></ds:X509Data></ds:KeyInfo></ds:Signature>`,
  );
  // The template's tree moves into the document (the template document is dropped).
  const signature = template.documentElement as Element;
  insertLast(document, root, signature);
  const signedInfo = firstDs(signature, "SignedInfo") as Element;
  const keyInfo = firstDs(signature, "KeyInfo");
  const issuer = firstDs(firstDs(firstDs(keyInfo, "X509Data"), "X509IssuerSerial"), "X509IssuerName") as Element;
  issuer.appendChild(document.createTextNode(options.issuerName));

  const digest = sha256(utf8(canonicalizeDocument(document, { exclude: signature })));
  (firstDs(firstDs(signedInfo, "Reference"), "DigestValue") as Element).appendChild(document.createTextNode(toBase64Text(digest)));
  const value = await (options.ecdsa ?? webCryptoEcdsa).sign(options.privateKey, utf8(canonicalizeExclusive(signedInfo)));
  (firstDs(signature, "SignatureValue") as Element).appendChild(document.createTextNode(toBase64Text(value)));
  return `${DECLARATION}\n${canonicalizeDocument(document, { withComments: true })}\n`;
}

// Removes an element and the whitespace that indented it.
function removeWithIndent(element: Element): void {
  const parent = element.parentNode;
  if (!parent) return;
  const before = element.previousSibling;
  if (before && before.nodeType === TEXT_NODE && /^[\t\n\r ]*$/.test(before.nodeValue ?? "")) parent.removeChild(before);
  parent.removeChild(element);
}

// Appends the signature as the root's last element, indented like the root's other children when
// the document is laid out with whitespace.
function insertLast(document: Document, root: Element, signature: Element): void {
  const last = root.lastChild;
  const trailing = last && last.nodeType === TEXT_NODE && /^[\t\n\r ]*$/.test(last.nodeValue ?? "") ? last : null;
  const firstElement = elementChildren(root)[0];
  const indent = firstElement?.previousSibling?.nodeType === TEXT_NODE && /^[\t\n\r ]+$/.test(firstElement.previousSibling.nodeValue ?? "")
    ? firstElement.previousSibling.nodeValue ?? "" : "";
  if (indent && trailing) root.insertBefore(document.createTextNode(indent), trailing);
  root.insertBefore(signature, trailing);
}

export function decimalSerial(serial: bigint | string): string {
  if (typeof serial === "bigint") {
    if (serial < 0n) throw new RangeError("serial number must not be negative");
    return serial.toString();
  }
  if (!/^[0-9]+$/.test(serial)) throw new TypeError(`serial number "${serial}" is not a decimal integer`);
  return BigInt(serial).toString();
}

// ---------------------------------------------------------------------------------------------
// Verification

/** Finds the public key of the certificate the signature names, or null when it is unknown. */
export type KeyResolver = (issuerName: string, serialDecimal: string) => Promise<CryptoKey | null> | CryptoKey | null;

export type VerifyFailure =
  | "no-signature" // the document has no ds:Signature
  | "placeholder-signature" // the templates' "default" placeholder
  | "malformed-signature" // ds:Signature not where or what XMLDSig and DUIS say (several, misplaced, parts missing, bad base64)
  | "wrong-algorithm" // a canonicalization, signature, digest or transform other than the DUIS ones
  | "unknown-certificate" // the resolver knows no key for the issuer and serial
  | "digest-mismatch" // the document is not the one that was signed
  | "bad-signature-length" // SignatureValue is not 64 bytes of r||s
  | "bad-signature"; // the signature does not verify with the certificate's key

export type VerifyResult =
  | { readonly ok: true; readonly issuerName: string; readonly serialNumber: string }
  | { readonly ok: false; readonly reason: VerifyFailure; readonly message: string };

export interface VerifyOptions {
  readonly limits?: XmlLimits;
  /** Default: WebCrypto. */
  readonly ecdsa?: Ecdsa;
}

/**
 * Checks a document's enveloped DUIS signature. Returns the signer's issuer and (decimal) serial
 * when it verifies, else the specific reason. Throws DuisError only when the document itself is
 * refused by the parser (malformed, over the limits, DTD, ...).
 */
export async function verifyDocument(xml: string | Uint8Array | Document, resolveKey: KeyResolver, options: VerifyOptions = {}): Promise<VerifyResult> {
  // A document parseXml already read may be passed instead of text; it is not modified.
  const document = typeof xml === "string" || xml instanceof Uint8Array ? parseXml(xml, options.limits) : xml;
  const root = document.documentElement as Element;
  const signatures = Array.from(document.getElementsByTagNameNS(DS_NS, "Signature"));
  const refuse = (reason: VerifyFailure, message: string): VerifyResult => ({ ok: false, reason, message });
  if (signatures.length === 0) return refuse("no-signature", "the document has no ds:Signature");
  if (signatures.length > 1) return refuse("malformed-signature", `the document has ${signatures.length} ds:Signature elements; DUIS has one`);
  const signature = signatures[0] as Element;
  if (signature.parentNode !== root) return refuse("malformed-signature", "ds:Signature must be a child of the root element (enveloped)");

  const info = readSignatureInfo(signature);
  if (info.placeholder) return refuse("placeholder-signature", "the ds:Signature is the templates' placeholder (\"default\"), not a signature");

  const parts = elementChildren(signature);
  const signedInfo = parts[0];
  if (!signedInfo || signedInfo.namespaceURI !== DS_NS || signedInfo.localName !== "SignedInfo") {
    return refuse("malformed-signature", "ds:Signature must start with ds:SignedInfo");
  }
  const references = allDs(signedInfo, "Reference");
  if (references.length !== 1) return refuse("malformed-signature", `ds:SignedInfo has ${references.length} ds:Reference elements; DUIS has one`);
  const canonicalization = firstDs(signedInfo, "CanonicalizationMethod");
  if (info.canonicalizationMethod !== EXCLUSIVE_C14N) {
    return refuse("wrong-algorithm", `SignedInfo canonicalization is ${info.canonicalizationMethod ?? "missing"}, not ${EXCLUSIVE_C14N}`);
  }
  if (info.signatureMethod !== ECDSA_SHA256) return refuse("wrong-algorithm", `signature method is ${info.signatureMethod ?? "missing"}, not ${ECDSA_SHA256}`);
  if (info.digestMethod !== SHA256_DIGEST) return refuse("wrong-algorithm", `digest method is ${info.digestMethod ?? "missing"}, not ${SHA256_DIGEST}`);
  if (info.transforms.length !== 1 || info.transforms[0] !== ENVELOPED_SIGNATURE) {
    return refuse("wrong-algorithm", `the Reference's transforms are [${info.transforms.join(", ")}]; DUIS uses only ${ENVELOPED_SIGNATURE}`);
  }
  if (info.referenceUri !== "") return refuse("malformed-signature", `the Reference URI is ${info.referenceUri === null ? "missing" : `"${info.referenceUri}"`}; DUIS signs the whole document (URI="")`);

  const digestValue = decodeBase64(info.digestValue);
  if (!digestValue || digestValue.length !== 32) return refuse("malformed-signature", "DigestValue is not the base64 of a 32-byte SHA-256 digest");
  const signatureValue = decodeBase64(info.signatureValue);
  if (!signatureValue) return refuse("malformed-signature", "SignatureValue is missing or not base64");
  if (signatureValue.length !== 64) return refuse("bad-signature-length", `SignatureValue is ${signatureValue.length} bytes; ECDSA P-256 r||s is 64`);
  if (!info.issuerName || !info.serialNumber) return refuse("malformed-signature", "KeyInfo names no X509IssuerSerial (issuer name and serial number)");
  if (!/^[0-9]+$/.test(info.serialNumber)) return refuse("malformed-signature", `X509SerialNumber "${info.serialNumber}" is not a decimal integer`);
  const serialNumber = BigInt(info.serialNumber).toString();

  const key = await resolveKey(info.issuerName, serialNumber);
  if (!key) return refuse("unknown-certificate", `no certificate known for issuer "${info.issuerName}" and serial ${serialNumber}`);

  const digest = sha256(utf8(canonicalizeDocument(document, { exclude: signature })));
  if (!timingSafeEqual(digest, digestValue)) return refuse("digest-mismatch", "the document's digest differs from the signed DigestValue: it was changed after signing");
  const prefixes = inclusivePrefixes(canonicalization);
  const valid = await (options.ecdsa ?? webCryptoEcdsa).verify(key, utf8(canonicalizeExclusive(signedInfo, prefixes)), signatureValue);
  if (!valid) return refuse("bad-signature", "the signature over SignedInfo does not verify with the named certificate's key");
  return { ok: true, issuerName: info.issuerName, serialNumber };
}

// The optional ec:InclusiveNamespaces PrefixList of the exclusive canonicalization method.
function inclusivePrefixes(method: Element | undefined): string[] {
  const list = method ? elementChildren(method).find((e) => e.namespaceURI === EXCLUSIVE_C14N && e.localName === "InclusiveNamespaces") : undefined;
  return (attributeOf(list, "PrefixList") ?? "").split(/[\t\n\r ]+/).filter(Boolean);
}

function decodeBase64(text: string | null): Uint8Array | null {
  if (!text || text === PLACEHOLDER_BASE64 || !/^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/.test(text)) return null;
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}
