// Key distribution (README "How keys flow"). Devices hold trust anchors: the certificates of the
// remote parties allowed to command them (the ACB's key agreement; suppliers', network
// operators' digital signing and key agreement; suppliers' prepayment key agreement for UTRNs),
// given in the plugin's options. Each device's own key-agreement and signing keys are made the
// first time they are needed (a test SMKI issues their certificates), so idle devices hold none;
// the gateway learns the KA certificates through `certificates(deviceId)` or `commandKeys(ring)`.
import {
  ACCESS_CONTROL_BROKER, KeyRing, TestSmki, readCertificate, toPem, type SmkiCertificate,
} from "@opendcc/gbcs";
import {
  exportPrivateKey, generateKeyPair, importPrivateKey, importPublicKey, pemToDer, sha256, sharedSecret, toHex,
} from "@opendcc/kernel";
import type { Estate, StoredKeys } from "./estate.js";

/** A certificate as DER bytes or PEM text. */
export type CertificateInput = Uint8Array | string;

/** A remote party the estate's devices trust, with the certificates they hold for it. */
export interface TrustAnchorInput {
  /** Digital signing: checks the signatures of its critical commands. */
  readonly ds?: CertificateInput;
  /** Key agreement: MACs of responses and alerts to it, encryption of blocks for it. */
  readonly ka?: CertificateInput;
  /** A supplier's prepayment key agreement: UTRNs. */
  readonly ppKa?: CertificateInput;
}

export interface TrustedParty {
  readonly eui: string;
  /** Role code from the certificate (OU): "02" supplier, "03" network operator, "04" ACB, ... */
  readonly roleCode: string;
  readonly ds: CryptoKey | null;
  readonly ka: CryptoKey | null;
  readonly ppKa: CryptoKey | null;
  /** 8-byte subject key identifiers (hex) of its certificates, as a device reports replaced anchors (CS02b). */
  readonly keyIds: { readonly ds: string | null; readonly ka: string | null; readonly ppKa: string | null };
}

/** SubjectKeyIdentifier extension (2.5.29.14) holding an 8-byte identifier: 06 03 55 1D 0E 04 0A 04 08. */
const SKI_EXTENSION = "551D0E040A0408";

/** The certificate's 8-byte subject key identifier, or (test certificates carry none) SHA-256 of its key's first 8 bytes. */
function keyIdOf(certificate: SmkiCertificate): string {
  const text = toHex(certificate.der);
  const at = text.indexOf(SKI_EXTENSION);
  if (at >= 0 && at % 2 === 0) return text.slice(at + SKI_EXTENSION.length, at + SKI_EXTENSION.length + 16);
  return toHex(sha256(certificate.spki).subarray(0, 8));
}

export interface DeviceCertificates {
  readonly ka: { readonly der: Uint8Array; readonly pem: string };
  readonly ds: { readonly der: Uint8Array; readonly pem: string };
}

interface DeviceKeyPairs {
  readonly kaPrivate: CryptoKey;
  readonly dsPrivate: CryptoKey;
}

const der = (input: CertificateInput): Uint8Array => (typeof input === "string" ? pemToDer(input) : input);

export class TrustStore {
  private readonly parties = new Map<string, TrustedParty>();

  /** Adds (or replaces) a party's anchors; its EUI and role come from the certificates. */
  async add(anchor: TrustAnchorInput): Promise<TrustedParty> {
    const read = (input: CertificateInput | undefined, usage: "ds" | "ka"): SmkiCertificate | null => {
      if (input === undefined) return null;
      const certificate = readCertificate(der(input));
      if (certificate.usage !== usage) throw new Error(`the ${usage} trust anchor of ${certificate.eui} is a ${certificate.usage} certificate`);
      return certificate;
    };
    const ds = read(anchor.ds, "ds");
    const ka = read(anchor.ka, "ka");
    const ppKa = read(anchor.ppKa, "ka");
    const first = ds ?? ka ?? ppKa;
    if (!first) throw new Error("a trust anchor needs at least one certificate");
    for (const other of [ds, ka, ppKa]) {
      if (other && other.eui !== first.eui) throw new Error(`trust anchor certificates name two parties: ${first.eui} and ${other.eui}`);
    }
    const roleCode = first.roleCode ?? (first.eui === ACCESS_CONTROL_BROKER ? "04" : null);
    if (!roleCode) throw new Error(`certificate of ${first.eui} carries no remote party role (OU)`);
    const party: TrustedParty = {
      eui: first.eui, roleCode,
      ds: ds ? await importPublicKey(ds.spki, "ds") : null,
      ka: ka ? await importPublicKey(ka.spki, "ka") : null,
      ppKa: ppKa ? await importPublicKey(ppKa.spki, "ka") : null,
      keyIds: { ds: ds && keyIdOf(ds), ka: ka && keyIdOf(ka), ppKa: ppKa && keyIdOf(ppKa) },
    };
    this.parties.set(first.eui, party);
    return party;
  }

  get(eui: string): TrustedParty | undefined {
    return this.parties.get(eui);
  }

  all(): TrustedParty[] {
    return [...this.parties.values()];
  }

  /** The first supplier: where alerts with no other addressee go (low credit, supply disabled). */
  supplier(): TrustedParty | undefined {
    return this.all().find((p) => p.roleCode === "02" && p.ka);
  }
}

/** Devices' own keys: made on first use, kept in the estate's hot state (and so in snapshots). */
export class DeviceKeys {
  private readonly imported = new Map<number, Promise<DeviceKeyPairs>>();
  private readonly making = new Map<number, Promise<StoredKeys>>();
  private readonly secrets = new Map<string, Promise<Uint8Array>>();

  constructor(private readonly estate: Estate, private readonly smki: TestSmki) {}

  /** The device's stored keys, made (and certified) now if it has none yet. */
  stored(index: number): Promise<StoredKeys> {
    const existing = this.estate.hot.get(index)?.keys;
    if (existing) return Promise.resolve(existing);
    let making = this.making.get(index);
    if (!making) {
      making = this.make(index).finally(() => this.making.delete(index));
      this.making.set(index, making);
    }
    return making;
  }

  private async make(index: number): Promise<StoredKeys> {
    const eui = this.estate.euiOf(index);
    const [ka, ds] = await Promise.all([generateKeyPair("ka"), generateKeyPair("ds")]);
    const [kaCertificate, dsCertificate] = await Promise.all([this.smki.issue({ eui, usage: "ka" }, ka), this.smki.issue({ eui, usage: "ds" }, ds)]);
    const keys: StoredKeys = {
      kaCertificate: kaCertificate.der, kaPrivate: await exportPrivateKey(ka.privateKey),
      dsCertificate: dsCertificate.der, dsPrivate: await exportPrivateKey(ds.privateKey),
    };
    this.estate.hotState(index).keys = keys;
    this.imported.set(index, Promise.resolve({ kaPrivate: ka.privateKey, dsPrivate: ds.privateKey }));
    return keys;
  }

  async certificates(index: number): Promise<DeviceCertificates> {
    const keys = await this.stored(index);
    return {
      ka: { der: keys.kaCertificate, pem: toPem("CERTIFICATE", keys.kaCertificate) },
      ds: { der: keys.dsCertificate, pem: toPem("CERTIFICATE", keys.dsCertificate) },
    };
  }

  private pairs(index: number): Promise<DeviceKeyPairs> {
    let pairs = this.imported.get(index);
    if (!pairs) {
      pairs = this.stored(index).then(async (keys) => ({
        kaPrivate: await importPrivateKey(keys.kaPrivate, "ka"),
        dsPrivate: await importPrivateKey(keys.dsPrivate, "ds"),
      }));
      this.imported.set(index, pairs);
    }
    return pairs;
  }

  async signingKey(index: number): Promise<CryptoKey> {
    return (await this.pairs(index)).dsPrivate;
  }

  /** Z between the device's KA key and a party's KA (or prepayment KA) public key; cached. */
  secretWith(index: number, party: TrustedParty, which: "ka" | "ppKa"): Promise<Uint8Array> {
    const publicKey = party[which];
    if (!publicKey) return Promise.reject(new Error(`no ${which === "ka" ? "key-agreement" : "prepayment key-agreement"} trust anchor for ${party.eui}`));
    const key = `${index}/${party.eui}/${which}`;
    let secret = this.secrets.get(key);
    if (!secret) {
      secret = this.pairs(index).then((pairs) => sharedSecret(pairs.kaPrivate, publicKey));
      this.secrets.set(key, secret);
    }
    return secret;
  }

  /** Forgets imported keys and secrets (after a snapshot load replaced the estate's keys). */
  forget(): void {
    this.imported.clear();
    this.secrets.clear();
  }
}

/**
 * CommandKeys (as @opendcc/core's DeviceServices wants them) over a key ring that holds the ACB's
 * KA private key: a device's KA certificate is fetched from the emulator and added to the ring
 * the first time a command for it is MAC'd, so a 100,000-premises fleet needs no bulk export.
 */
export function lazyCommandKeys(ring: KeyRing, certificateOf: (deviceId: string) => Promise<Uint8Array | null>) {
  return {
    async brokerSecret(deviceId: string): Promise<Uint8Array | null> {
      if (!ring.entry(deviceId, "ka")) {
        const der = await certificateOf(deviceId);
        if (!der) return null;
        const certificate = readCertificate(der);
        ring.add({ eui: certificate.eui, role: "ka", certificate, publicKey: await importPublicKey(certificate.spki, "ka"), privateKey: null });
      }
      return (await ring.sharedSecret(ACCESS_CONTROL_BROKER, deviceId)) ?? null;
    },
  };
}
