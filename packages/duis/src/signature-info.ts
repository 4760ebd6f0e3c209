// Reading what a ds:Signature says, without judging it (verification is in signature.ts).
import type { XmlSignatureInfo } from "./model.js";
import { DS_NS, elementChildren, isElement, ownText, type Element } from "./xml.js";

/** Base64 of the ASCII text "default": the templates' placeholder digest and signature. */
export const PLACEHOLDER_BASE64 = "ZGVmYXVsdA==";

export function firstDs(parent: Element | undefined, name: string): Element | undefined {
  return parent ? elementChildren(parent).find((e) => isElement(e, DS_NS, name)) : undefined;
}

export function allDs(parent: Element | undefined, name: string): Element[] {
  return parent ? elementChildren(parent).filter((e) => isElement(e, DS_NS, name)) : [];
}

/** An attribute's value, or null when the element does not have it. */
export function attributeOf(element: Element | undefined, name: string): string | null {
  return element && element.hasAttribute(name) ? (element.getAttribute(name) ?? "") : null;
}

const stripped = (element: Element | undefined): string | null => (element ? ownText(element).replace(/[\t\n\r ]+/g, "") : null);
const trimmed = (element: Element | undefined): string | null => (element ? ownText(element).trim() : null);

export function readSignatureInfo(signature: Element): XmlSignatureInfo {
  const signedInfo = firstDs(signature, "SignedInfo");
  const reference = firstDs(signedInfo, "Reference");
  const issuerSerial = firstDs(firstDs(firstDs(signature, "KeyInfo"), "X509Data"), "X509IssuerSerial");
  const digestValue = stripped(firstDs(reference, "DigestValue"));
  const signatureValue = stripped(firstDs(signature, "SignatureValue"));
  return {
    canonicalizationMethod: attributeOf(firstDs(signedInfo, "CanonicalizationMethod"), "Algorithm"),
    signatureMethod: attributeOf(firstDs(signedInfo, "SignatureMethod"), "Algorithm"),
    referenceUri: attributeOf(reference, "URI"),
    transforms: allDs(firstDs(reference, "Transforms"), "Transform").map((t) => attributeOf(t, "Algorithm") ?? ""),
    digestMethod: attributeOf(firstDs(reference, "DigestMethod"), "Algorithm"),
    digestValue,
    signatureValue,
    issuerName: trimmed(firstDs(issuerSerial, "X509IssuerName")),
    serialNumber: trimmed(firstDs(issuerSerial, "X509SerialNumber")),
    placeholder: digestValue === PLACEHOLDER_BASE64 || signatureValue === PLACEHOLDER_BASE64,
  };
}
