// ECDSA and ECDH on P-256, delegated to WebCrypto: the same code runs in Node and on edge
// runtimes, and it is faster than a WASM implementation could be (see the kernel README for the
// measurement behind this choice). Signatures are raw r||s (64 bytes), as GBCS and DUIS carry them.

const ECDSA = { name: "ECDSA", namedCurve: "P-256" } as const;
const ECDH = { name: "ECDH", namedCurve: "P-256" } as const;
const SHA256 = { name: "ECDSA", hash: "SHA-256" } as const;

/** Digital signing (ds) or key agreement (ka), as SMKI names key usages. */
export type KeyUsage = "ds" | "ka";

export interface EcKeyPair {
  readonly privateKey: CryptoKey;
  readonly publicKey: CryptoKey;
}

/** DER bytes of the first PEM block in `text` (any label). */
export function pemToDer(text: string): Uint8Array {
  const match = /-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END \1-----/.exec(text);
  if (!match) throw new SyntaxError("no PEM block found");
  const binary = atob((match[2] ?? "").replace(/\s+/g, ""));
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}

export function importPrivateKey(pkcs8: Uint8Array, usage: KeyUsage): Promise<CryptoKey> {
  return usage === "ds"
    ? crypto.subtle.importKey("pkcs8", arrayBacked(pkcs8), ECDSA, true, ["sign"])
    : crypto.subtle.importKey("pkcs8", arrayBacked(pkcs8), ECDH, true, ["deriveBits"]);
}

export function importPublicKey(spki: Uint8Array, usage: KeyUsage): Promise<CryptoKey> {
  return usage === "ds"
    ? crypto.subtle.importKey("spki", arrayBacked(spki), ECDSA, true, ["verify"])
    : crypto.subtle.importKey("spki", arrayBacked(spki), ECDH, true, []);
}

export async function generateKeyPair(usage: KeyUsage): Promise<EcKeyPair> {
  const pair = usage === "ds"
    ? await crypto.subtle.generateKey(ECDSA, true, ["sign", "verify"])
    : await crypto.subtle.generateKey(ECDH, true, ["deriveBits"]);
  return pair as EcKeyPair;
}

export async function exportPublicKey(key: CryptoKey): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.exportKey("spki", key));
}

export async function exportPrivateKey(key: CryptoKey): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.exportKey("pkcs8", key));
}

/** ECDSA-SHA256 signature as raw r||s (64 bytes). */
export async function sign(privateKey: CryptoKey, data: Uint8Array): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.sign(SHA256, privateKey, arrayBacked(data)));
}

/** Verifies a raw r||s ECDSA-SHA256 signature. */
export function verify(publicKey: CryptoKey, data: Uint8Array, signature: Uint8Array): Promise<boolean> {
  if (signature.length !== 64) return Promise.resolve(false);
  return crypto.subtle.verify(SHA256, publicKey, arrayBacked(signature), arrayBacked(data));
}

/** Z: the 32-byte x-coordinate of the ECDH point. */
export async function sharedSecret(privateKey: CryptoKey, publicKey: CryptoKey): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.deriveBits({ name: "ECDH", public: publicKey }, privateKey, 256));
}

// WebCrypto takes only views over a plain ArrayBuffer.
function arrayBacked(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  return bytes.buffer instanceof ArrayBuffer ? (bytes as Uint8Array<ArrayBuffer>) : new Uint8Array(bytes);
}
