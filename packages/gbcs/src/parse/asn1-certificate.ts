// Certificates inside ASN.1 payloads (CS02b replacements and certification paths, CS02d/e, CS03C
// joins) in developer words: who (SMKI EUI-64 and role, from certificate.ts), issuer, serial,
// validity and key usage. CA certificates in a certification path have no EUI-64 and are still
// described; bytes that are not a certificate at all are kept as DER with the reason.
import { AsnConvert } from "@peculiar/asn1-schema";
import { Certificate, KeyUsage, id_ce_keyUsage, type Name } from "@peculiar/asn1-x509";
import { toHex } from "@opendcc/kernel";
import { readCertificate } from "../certificate.js";
import type { ParsedValue } from "./types.js";

const ATTRIBUTE_NAMES: Readonly<Record<string, string>> = { "2.5.4.3": "CN", "2.5.4.11": "OU", "2.5.4.45": "x500UniqueIdentifier" };

/** X.509 KeyUsage bit names in bit order (RFC 5280 4.2.1.3). */
export const KEY_USAGE_BITS = ["digitalSignature", "nonRepudiation", "keyEncipherment", "dataEncipherment", "keyAgreement", "keyCertSign", "cRLSign", "encipherOnly", "decipherOnly"];

export function describeCertificate(der: Uint8Array): ParsedValue {
  try {
    return describeX509(der);
  } catch (error) {
    return { der: toHex(der), note: `not an X.509 certificate: ${(error as Error).message}` };
  }
}

function describeX509(der: Uint8Array): ParsedValue {
  const tbs = AsnConvert.parse(der, Certificate).tbsCertificate;
  const usageExtension = tbs.extensions?.find((extension) => extension.extnID === id_ce_keyUsage);
  const usage = usageExtension ? AsnConvert.parse(usageExtension.extnValue, KeyUsage).toNumber() : 0;
  return {
    subjectEui: smkiEui(der),
    subject: nameText(tbs.subject),
    issuer: nameText(tbs.issuer),
    serialNumber: toHex(new Uint8Array(tbs.serialNumber)),
    notBefore: iso(tbs.validity.notBefore.getTime()),
    notAfter: iso(tbs.validity.notAfter.getTime()),
    keyUsage: KEY_USAGE_BITS.filter((_, bit) => usage & (1 << bit)),
  };
}

// The EUI-64 an SMKI certificate names, or null for CA certificates and others without one.
function smkiEui(der: Uint8Array): string | null {
  try {
    return readCertificate(der).eui;
  } catch {
    return null;
  }
}

function nameText(name: Name): string {
  return name.flatMap((rdn) => rdn.map((atv) => {
    const label = ATTRIBUTE_NAMES[atv.type] ?? atv.type;
    const value = atv.value.anyValue ? toHex(new Uint8Array(atv.value.anyValue)) : atv.value.toString();
    return `${label}=${value}`;
  })).join(",");
}

const iso = (date: Date) => date.toISOString().replace(".000Z", "Z");
