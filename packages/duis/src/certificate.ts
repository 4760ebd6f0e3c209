// What DUIS KeyInfo needs from an X.509 certificate: the issuer as an RFC 2253 string and the
// serial number in decimal, plus the public key for verification. (duis depends only on the
// kernel, so it reads certificates itself rather than through @opendcc/gbcs.)
import { AsnConvert } from "@peculiar/asn1-schema";
import { Certificate, type Name } from "@peculiar/asn1-x509";
import { importPublicKey, pemToDer, toHex } from "@opendcc/kernel";
import type { KeyResolver } from "./signature.js";

export interface CertificateIssuerSerial {
  /** RFC 2253, most significant RDN last as written in the certificate reversed: "CN=Z1,OU=07". */
  readonly issuerName: string;
  /** The serial number in decimal, as X509SerialNumber carries it. */
  readonly serialDecimal: string;
  /** SubjectPublicKeyInfo DER, for importPublicKey. */
  readonly spki: Uint8Array;
}

// RFC 2253 section 2.3 short names (the rest are written as dotted OIDs with #hex values).
const SHORT_NAMES: Record<string, string> = {
  "2.5.4.3": "CN", "2.5.4.7": "L", "2.5.4.8": "ST", "2.5.4.10": "O", "2.5.4.11": "OU", "2.5.4.6": "C",
  "2.5.4.9": "STREET", "0.9.2342.19200300.100.1.25": "DC", "0.9.2342.19200300.100.1.1": "UID",
};

/** Issuer (RFC 2253) and decimal serial of a certificate given as PEM text or DER bytes. */
export function certificateIssuerSerial(certificate: string | Uint8Array): CertificateIssuerSerial {
  const der = typeof certificate === "string" ? pemToDer(certificate) : certificate;
  const tbs = AsnConvert.parse(der, Certificate).tbsCertificate;
  return {
    issuerName: rfc2253(tbs.issuer),
    serialDecimal: integerToDecimal(new Uint8Array(tbs.serialNumber)),
    spki: new Uint8Array(AsnConvert.serialize(tbs.subjectPublicKeyInfo)),
  };
}

/** The certificate's ECDSA P-256 public key, ready for verifyDocument. */
export function certificatePublicKey(certificate: string | Uint8Array): Promise<CryptoKey> {
  return importPublicKey(certificateIssuerSerial(certificate).spki, "ds");
}

/**
 * A KeyResolver over a set of certificates: it answers for a serial number whose certificate's
 * issuer matches too (compared after normalizing RFC 2253 spacing and attribute-name case, so
 * "CN=Z1, OU=07" matches "CN=Z1,OU=07").
 */
export async function certificateResolver(certificates: readonly (string | Uint8Array)[]): Promise<KeyResolver> {
  const bySerial = new Map<string, { issuer: string; key: CryptoKey }>();
  for (const certificate of certificates) {
    const { issuerName, serialDecimal, spki } = certificateIssuerSerial(certificate);
    bySerial.set(serialDecimal, { issuer: normalizeDn(issuerName), key: await importPublicKey(spki, "ds") });
  }
  return (issuerName, serialDecimal) => {
    const entry = bySerial.get(serialDecimal);
    return entry && entry.issuer === normalizeDn(issuerName) ? entry.key : null;
  };
}

/** RFC 2253 comparison form: no spaces around separators, attribute names uppercased. */
export function normalizeDn(dn: string): string {
  const parts: string[] = [];
  let current = "";
  for (let i = 0; i < dn.length; i++) {
    const c = dn.charAt(i);
    if (c === "\\" && i + 1 < dn.length) {
      current += c + dn.charAt(++i);
    } else if (c === "," || c === ";" || c === "+") {
      parts.push(normalizeAva(current), c === "+" ? "+" : ",");
      current = "";
    } else current += c;
  }
  parts.push(normalizeAva(current));
  return parts.join("");
}

function normalizeAva(ava: string): string {
  const at = ava.indexOf("=");
  if (at < 0) return ava.trim();
  return `${ava.slice(0, at).trim().toUpperCase()}=${ava.slice(at + 1).trim()}`;
}

function rfc2253(name: Name): string {
  return [...name].reverse().map((rdn) => rdn.map((atv) => {
    const short = SHORT_NAMES[atv.type];
    if (!short) return `${atv.type}=#${toHex(new Uint8Array(AsnConvert.serialize(atv.value))).toLowerCase()}`;
    return `${short}=${escapeValue(atv.value.toString())}`;
  }).join("+")).join(",");
}

// RFC 2253 section 2.4.
function escapeValue(value: string): string {
  let escaped = value.replace(/[,+"\\<>;]/g, (c) => `\\${c}`);
  if (escaped.startsWith("#") || escaped.startsWith(" ")) escaped = `\\${escaped}`;
  if (escaped.endsWith(" ") && !escaped.endsWith("\\ ")) escaped = `${escaped.slice(0, -1)}\\ `;
  return escaped;
}

// DER INTEGER contents (two's complement, big-endian) -> decimal.
function integerToDecimal(bytes: Uint8Array): string {
  if (bytes.length === 0) return "0";
  let value = BigInt(`0x${toHex(bytes)}`);
  if ((bytes[0] ?? 0) & 0x80) value -= 1n << BigInt(bytes.length * 8);
  return value.toString();
}
