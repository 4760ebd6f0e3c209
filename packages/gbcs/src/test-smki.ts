// A test SMKI: a self-signed test CA that issues certificates shaped like the DCC's, for demo
// users and emulated devices. Remote parties carry their EUI in the subject's
// x500UniqueIdentifier and their role code in OU; devices have an empty subject and the EUI in a
// SAN hardwareModuleName (as readCertificate expects; gbcs.md section 12).
import { AsnConvert, OctetString } from "@peculiar/asn1-schema";
import {
  AlgorithmIdentifier, AttributeTypeAndValue, AttributeValue, Certificate, Extension, Extensions, GeneralName, KeyUsage,
  KeyUsageFlags, Name, OtherName, RelativeDistinguishedName, SubjectAlternativeName, SubjectPublicKeyInfo, TBSCertificate,
  Validity, Version, id_ce_keyUsage, id_ce_subjectAltName,
} from "@peculiar/asn1-x509";
import { exportPublicKey, fromHex, generateKeyPair, sign, type EcKeyPair, type KeyUsage as EcKeyUsage } from "@opendcc/kernel";

const ECDSA_WITH_SHA256 = "1.2.840.10045.4.3.2";
const OID_COMMON_NAME = "2.5.4.3";
const OID_ORGANISATIONAL_UNIT = "2.5.4.11";
const OID_UNIQUE_IDENTIFIER = "2.5.4.45";
const OID_HARDWARE_MODULE_NAME = "1.3.6.1.5.5.7.8.4";
// hwType of the hardwareModuleName, as the RTDS device certificates carry it.
const HARDWARE_TYPE = fromHex("060D2A863A0001848FB90F01020201");

export interface IssuedCertificate {
  readonly der: Uint8Array;
  readonly pem: string;
  readonly keys: EcKeyPair;
}

export interface Subject {
  readonly eui: string;
  readonly usage: EcKeyUsage;
  /** Remote party: its name and role code (OU, e.g. "02" supplier); omit both for a device. */
  readonly commonName?: string;
  readonly roleCode?: string;
  readonly notBefore?: Date;
  readonly notAfter?: Date;
}

const text = (type: string, value: string) => new AttributeTypeAndValue({ type, value: new AttributeValue({ utf8String: value }) });
const raw = (type: string, der: Uint8Array) => new AttributeTypeAndValue({ type, value: new AttributeValue({ anyValue: der.slice().buffer }) });

export class TestSmki {
  /** The CA's own self-signed certificate (the trust anchor of everything it issues). */
  ca!: IssuedCertificate;

  private constructor(private readonly caKeys: EcKeyPair, private readonly caName: Name) {}

  /** A new test CA, "OU=07, CN=<name>" as DCC Boxed's issuers are written. */
  static async create(name = "OpenDCC Test CA"): Promise<TestSmki> {
    const caName = new Name([new RelativeDistinguishedName([text(OID_ORGANISATIONAL_UNIT, "07")]), new RelativeDistinguishedName([text(OID_COMMON_NAME, name)])]);
    const smki = new TestSmki(await generateKeyPair("ds"), caName);
    smki.ca = await smki.sign(caName, [], smki.caKeys, new Date(Date.now() - 86_400_000), new Date(Date.UTC(2099, 11, 31)));
    return smki;
  }

  /** Issues a certificate for a fresh key pair (or the given one). */
  async issue(subject: Subject, keys?: EcKeyPair): Promise<IssuedCertificate> {
    const pair = keys ?? (await generateKeyPair(subject.usage));
    const eui = fromHex(subject.eui.replace(/-/g, ""));
    if (eui.length !== 8) throw new Error(`EUI-64 "${subject.eui}" must be 16 hex digits`);
    const extensions = [
      new Extension({ extnID: id_ce_keyUsage, critical: true, extnValue: new OctetString(AsnConvert.serialize(new KeyUsage(subject.usage === "ds" ? KeyUsageFlags.digitalSignature : KeyUsageFlags.keyAgreement))) }),
    ];
    let name: Name;
    if (subject.commonName !== undefined || subject.roleCode !== undefined) {
      const rdns = [];
      if (subject.commonName) rdns.push(new RelativeDistinguishedName([text(OID_COMMON_NAME, subject.commonName)]));
      if (subject.roleCode) rdns.push(new RelativeDistinguishedName([text(OID_ORGANISATIONAL_UNIT, subject.roleCode)]));
      rdns.push(new RelativeDistinguishedName([raw(OID_UNIQUE_IDENTIFIER, Uint8Array.from([0x03, 0x09, 0x00, ...eui]))]));
      name = new Name(rdns);
    } else {
      name = new Name([]);
      const moduleName = Uint8Array.from([0x30, HARDWARE_TYPE.length + 10, ...HARDWARE_TYPE, 0x04, 0x08, ...eui]);
      const san = new SubjectAlternativeName([new GeneralName({ otherName: new OtherName({ typeId: OID_HARDWARE_MODULE_NAME, value: moduleName.slice().buffer }) })]);
      extensions.push(new Extension({ extnID: id_ce_subjectAltName, critical: true, extnValue: new OctetString(AsnConvert.serialize(san)) }));
    }
    return this.sign(name, extensions, pair, subject.notBefore ?? new Date(Date.now() - 86_400_000), subject.notAfter ?? new Date(Date.UTC(2099, 11, 31)));
  }

  private async sign(name: Name, extensions: Extension[], pair: EcKeyPair, notBefore: Date, notAfter: Date): Promise<IssuedCertificate> {
    const serial = crypto.getRandomValues(new Uint8Array(16));
    serial[0] = (serial[0] as number) & 0x7f; // a positive INTEGER
    const algorithm = new AlgorithmIdentifier({ algorithm: ECDSA_WITH_SHA256 });
    const tbs = new TBSCertificate({
      version: Version.v3,
      serialNumber: serial.buffer,
      signature: algorithm,
      issuer: this.caName,
      validity: new Validity({ notBefore, notAfter }),
      subject: name,
      subjectPublicKeyInfo: AsnConvert.parse(await exportPublicKey(pair.publicKey), SubjectPublicKeyInfo),
      ...(extensions.length > 0 ? { extensions: new Extensions(extensions) } : {}),
    });
    const tbsDer = new Uint8Array(AsnConvert.serialize(tbs));
    const rawSignature = await sign(this.caKeys.privateKey, tbsDer);
    const certificate = new Certificate({ tbsCertificate: tbs, signatureAlgorithm: algorithm, signatureValue: derSignature(rawSignature).buffer as ArrayBuffer });
    const der = new Uint8Array(AsnConvert.serialize(certificate));
    return { der, pem: toPem("CERTIFICATE", der), keys: pair };
  }
}

export function toPem(label: string, der: Uint8Array): string {
  let binary = "";
  for (const byte of der) binary += String.fromCharCode(byte);
  const lines = btoa(binary).match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join("\n")}\n-----END ${label}-----\n`;
}

// X.509 signatures are DER SEQUENCE { r INTEGER, s INTEGER }; WebCrypto gives raw r||s.
function derSignature(raw: Uint8Array): Uint8Array {
  const integer = (bytes: Uint8Array) => {
    let start = 0;
    while (start < bytes.length - 1 && bytes[start] === 0) start++;
    const trimmed = bytes.subarray(start);
    const padded = (trimmed[0] as number) & 0x80 ? Uint8Array.from([0, ...trimmed]) : trimmed;
    return [0x02, padded.length, ...padded];
  };
  const body = [...integer(raw.subarray(0, 32)), ...integer(raw.subarray(32))];
  return Uint8Array.from([0x30, body.length, ...body]);
}
