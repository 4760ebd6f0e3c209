// SMKI certificates: who a certificate belongs to (its EUI-64), what its key is for, and the
// issuer/serial pair DUIS KeyInfo refers to. Remote parties carry the EUI in the subject's
// x500UniqueIdentifier; devices have an empty subject and the EUI in a SAN hardwareModuleName.
import { AsnConvert } from "@peculiar/asn1-schema";
import {
  Certificate, KeyUsage, KeyUsageFlags, SubjectAlternativeName, id_ce_keyUsage, id_ce_subjectAltName,
  type Name,
} from "@peculiar/asn1-x509";
import { toHex, type KeyUsage as EcKeyUsage } from "@opendcc/kernel";

const OID_COMMON_NAME = "2.5.4.3";
const OID_ORGANISATIONAL_UNIT = "2.5.4.11";
const OID_UNIQUE_IDENTIFIER = "2.5.4.45";
const OID_HARDWARE_MODULE_NAME = "1.3.6.1.5.5.7.8.4";

export interface SmkiCertificate {
  /** EUI-64 of the subject, 16 uppercase hex digits. */
  readonly eui: string;
  readonly usage: EcKeyUsage;
  /** SubjectPublicKeyInfo DER, for WebCrypto import. */
  readonly spki: Uint8Array;
  /** Issuer distinguished name, e.g. "OU=07,CN=Z1". */
  readonly issuer: string;
  /** Serial number, uppercase hex. */
  readonly serial: string;
  /** Remote party role code from the subject OU ("02" supplier, "04" ACB, ...); null for devices. */
  readonly roleCode: string | null;
  readonly commonName: string | null;
  readonly notBefore: Date;
  readonly notAfter: Date;
  readonly der: Uint8Array;
}

/** Reads an SMKI certificate; throws with the reason when it is not one. */
export function readCertificate(der: Uint8Array): SmkiCertificate {
  const certificate = AsnConvert.parse(der, Certificate);
  const tbs = certificate.tbsCertificate;
  const subjectEui = uniqueIdentifierEui(tbs.subject);
  const extension = (id: string) => tbs.extensions?.find((e) => e.extnID === id);
  const eui = subjectEui ?? hardwareModuleEui(extension(id_ce_subjectAltName)?.extnValue.buffer);
  if (!eui) throw new Error("certificate names no EUI-64 (no x500UniqueIdentifier or hardwareModuleName)");
  const usageExtension = extension(id_ce_keyUsage);
  if (!usageExtension) throw new Error(`certificate of ${eui} has no key usage extension`);
  const flags = AsnConvert.parse(usageExtension.extnValue, KeyUsage);
  const usage = flags.toNumber() & KeyUsageFlags.keyAgreement ? "ka" : flags.toNumber() & KeyUsageFlags.digitalSignature ? "ds" : null;
  if (!usage) throw new Error(`certificate of ${eui} is neither for digital signing nor key agreement`);
  return {
    eui,
    usage,
    spki: new Uint8Array(AsnConvert.serialize(tbs.subjectPublicKeyInfo)),
    issuer: nameToString(tbs.issuer),
    serial: toHex(new Uint8Array(tbs.serialNumber)),
    roleCode: attribute(tbs.subject, OID_ORGANISATIONAL_UNIT),
    commonName: attribute(tbs.subject, OID_COMMON_NAME),
    notBefore: tbs.validity.notBefore.getTime(),
    notAfter: tbs.validity.notAfter.getTime(),
    der,
  };
}

function attribute(name: Name, oid: string): string | null {
  for (const rdn of name) for (const atv of rdn) if (atv.type === oid) return atv.value.toString();
  return null;
}

const SHORT_NAMES: Record<string, string> = { [OID_COMMON_NAME]: "CN", [OID_ORGANISATIONAL_UNIT]: "OU", [OID_UNIQUE_IDENTIFIER]: "x500UniqueIdentifier" };

function nameToString(name: Name): string {
  return name.flatMap((rdn) => rdn.map((atv) => `${SHORT_NAMES[atv.type] ?? atv.type}=${atv.value.toString()}`)).join(",");
}

// x500UniqueIdentifier is a BIT STRING: 03 09 00 <8-byte EUI>.
function uniqueIdentifierEui(subject: Name): string | null {
  for (const rdn of subject) {
    for (const atv of rdn) {
      if (atv.type !== OID_UNIQUE_IDENTIFIER || !atv.value.anyValue) continue;
      const bytes = new Uint8Array(atv.value.anyValue);
      if (bytes.length === 11 && bytes[0] === 0x03 && bytes[1] === 0x09 && bytes[2] === 0x00) return toHex(bytes.subarray(3));
    }
  }
  return null;
}

// hardwareModuleName ::= SEQUENCE { hwType OID, hwSerialNum OCTET STRING (the 8-byte EUI) }.
function hardwareModuleEui(sanValue: ArrayBuffer | undefined): string | null {
  if (!sanValue) return null;
  for (const general of AsnConvert.parse(sanValue, SubjectAlternativeName)) {
    if (general.otherName?.typeId !== OID_HARDWARE_MODULE_NAME) continue;
    const bytes = new Uint8Array(general.otherName.value);
    const serialAt = bytes.length - 10;
    if (serialAt > 0 && bytes[serialAt] === 0x04 && bytes[serialAt + 1] === 0x08) return toHex(bytes.subarray(serialAt + 2));
  }
  return null;
}
