// The ECDSA P-256 / SHA-256 operations the DUIS XML signature needs (duis.md section 2: every
// request's signature checked, every response signed), behind one small interface so that a
// runtime with a faster implementation can supply it (issue 5 point 7: WebCrypto's per-call cost
// was a third of the gateway's CPU). The default is WebCrypto through the kernel, which runs
// everywhere; the Node entry of @opendcc/server has a node:crypto one.
import { sign, verify } from "@opendcc/kernel";

export interface Ecdsa {
  /** The raw r||s signature (64 bytes) of SHA-256(data). */
  sign(privateKey: CryptoKey, data: Uint8Array): Promise<Uint8Array>;
  /** Whether `signature` (raw r||s) is a valid signature of SHA-256(data); false for any other length. */
  verify(publicKey: CryptoKey, data: Uint8Array, signature: Uint8Array): Promise<boolean>;
}

export const webCryptoEcdsa: Ecdsa = { sign, verify };
