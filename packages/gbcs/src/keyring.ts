// A key ring: certificates and private keys by EUI-64 and key role, as a keystore folder holds
// them (`<eui>[-pp]-<ds|ka>.<pem|key>`, gbcs.md section 12). Identity comes from the certificate,
// not the file name (one fixture file is named after the wrong party); private keys are matched to
// certificates by their public point.
import {
  exportPublicKey, importPrivateKey, importPublicKey, pemToDer, sharedSecret, toHex,
} from "@opendcc/kernel";
import { readCertificate, type SmkiCertificate } from "./certificate.js";

/** ds: digital signing; ka: key agreement; pp-ka: the supplier's prepayment key agreement (UTRNs). */
export type KeyRole = "ds" | "ka" | "pp-ka";

export interface KeyFile {
  readonly name: string;
  readonly text: string;
}

export interface KeyRingEntry {
  readonly eui: string;
  readonly role: KeyRole;
  readonly certificate: SmkiCertificate | null;
  readonly publicKey: CryptoKey | null;
  readonly privateKey: CryptoKey | null;
}

const FILE_NAME = /^([0-9a-fA-F]{16})(-pp)?-(ds|ka)\.(pem|key)$/;

interface ParsedName {
  readonly eui: string;
  readonly role: KeyRole;
  readonly kind: "pem" | "key";
}

/** The EUI, role and kind a keystore file name announces, or null when it is not a key file. */
export function parseKeyFileName(name: string): ParsedName | null {
  const match = FILE_NAME.exec(name);
  if (!match) return null;
  const [, eui = "", prepayment, usage, kind] = match;
  const role: KeyRole = prepayment ? "pp-ka" : usage === "ds" ? "ds" : "ka";
  return { eui: eui.toUpperCase(), role, kind: kind === "key" ? "key" : "pem" };
}

const usageOf = (role: KeyRole) => (role === "ds" ? "ds" : "ka");

export class KeyRing {
  private readonly entries = new Map<string, KeyRingEntry>();
  private readonly secrets = new Map<string, Promise<Uint8Array>>();

  /** Builds a ring from keystore files; files whose names are not key files are ignored. */
  static async fromFiles(files: readonly KeyFile[]): Promise<KeyRing> {
    const ring = new KeyRing();
    const byPoint = new Map<string, { eui: string; role: KeyRole }>();
    const privateFiles: { file: KeyFile; name: ParsedName }[] = [];
    for (const file of files) {
      const name = parseKeyFileName(file.name);
      if (!name) continue;
      if (name.kind === "key") {
        privateFiles.push({ file, name });
        continue;
      }
      const der = pemToDer(file.text);
      const isCertificate = file.text.includes("BEGIN CERTIFICATE");
      const certificate = isCertificate ? readCertificate(der) : null;
      const eui = certificate?.eui ?? name.eui;
      const publicKey = await importPublicKey(certificate?.spki ?? der, usageOf(name.role));
      ring.add({ eui, role: name.role, certificate, publicKey, privateKey: null });
      byPoint.set(await pointOf(publicKey), { eui, role: name.role });
    }
    for (const { file, name } of privateFiles) {
      const privateKey = await importPrivateKey(pemToDer(file.text), usageOf(name.role));
      const owner = byPoint.get(await pointOf(privateKey)) ?? { eui: name.eui, role: name.role };
      const existing = ring.entry(owner.eui, owner.role);
      ring.add({
        eui: owner.eui,
        role: owner.role,
        certificate: existing?.certificate ?? null,
        publicKey: existing?.publicKey ?? null,
        privateKey,
      });
    }
    return ring;
  }

  add(entry: KeyRingEntry): void {
    this.entries.set(`${entry.eui.toUpperCase()}/${entry.role}`, entry);
  }

  entry(eui: string, role: KeyRole): KeyRingEntry | undefined {
    return this.entries.get(`${eui.toUpperCase()}/${role}`);
  }

  publicKey(eui: string, role: KeyRole): CryptoKey | null {
    return this.entry(eui, role)?.publicKey ?? null;
  }

  privateKey(eui: string, role: KeyRole): CryptoKey | null {
    return this.entry(eui, role)?.privateKey ?? null;
  }

  /** Every entry, for listing. */
  all(): KeyRingEntry[] {
    return [...this.entries.values()];
  }

  /**
   * Z for ECDH between `privateEui`'s private key and `publicEui`'s public key (role ka or pp-ka
   * on the private side; the public side is always the ka key). Cached: static-static ECDH gives
   * the same Z every time. Null when either key is missing.
   */
  sharedSecret(privateEui: string, publicEui: string, privateRole: "ka" | "pp-ka" = "ka"): Promise<Uint8Array> | null {
    const cacheKey = `${privateEui}/${privateRole}/${publicEui}`.toUpperCase();
    const cached = this.secrets.get(cacheKey);
    if (cached) return cached;
    const privateKey = this.privateKey(privateEui, privateRole);
    const publicKey = this.publicKey(publicEui, "ka");
    if (!privateKey || !publicKey) return null;
    const secret = sharedSecret(privateKey, publicKey);
    this.secrets.set(cacheKey, secret);
    return secret;
  }
}

// The public point identifies a key pair across its certificate and its private key file.
async function pointOf(key: CryptoKey): Promise<string> {
  if (key.type === "public") return toHex(await exportPublicKey(key));
  const jwk = await crypto.subtle.exportKey("jwk", key);
  const { x, y } = jwk;
  if (!x || !y) throw new Error("private key does not carry its public point");
  const publicKey = await crypto.subtle.importKey("jwk", { kty: "EC", crv: "P-256", x, y }, { name: "ECDH", namedCurve: "P-256" }, true, []);
  return toHex(await exportPublicKey(publicKey));
}
