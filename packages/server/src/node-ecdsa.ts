// ECDSA P-256 / SHA-256 on node:crypto for the DUIS XML signatures (the Ecdsa interface of
// @opendcc/duis; the codec takes it as createDuisCodec({ ecdsa })). WebCrypto was a third of the
// gateway's event-loop time (issue 5 point 7): on Node 20 each call costs the event loop about
// 20 us of its own (algorithm and key checks, the job) before the curve work goes to the thread
// pool. node:crypto's sign/verify with a callback, on a KeyObject made once per key, cost the
// event loop about 13 us and the same curve work on the pool; their synchronous forms would put that
// work (35 us to sign, 80 to verify) on the event loop itself, which measured slower end to end.
// Signatures are raw r||s ("ieee-p1363"), as DUIS carries them. Typed structurally so that the
// server needs no dependency on duis; the portable packages keep WebCrypto.
/// <reference types="node" />
import { KeyObject, sign, verify } from "node:crypto";

const keyObjects = new WeakMap<CryptoKey, KeyObject>();

// The key must be one WebCrypto would take for this operation, so both implementations refuse the same keys.
function keyObject(key: CryptoKey, usage: "sign" | "verify"): KeyObject {
  let object = keyObjects.get(key);
  if (!object) {
    const algorithm = key.algorithm as EcKeyAlgorithm;
    if (algorithm.name !== "ECDSA" || algorithm.namedCurve !== "P-256") throw new TypeError(`an ECDSA P-256 key is needed, not ${algorithm.name} ${algorithm.namedCurve ?? ""}`.trim());
    object = KeyObject.from(key);
    keyObjects.set(key, object);
  }
  if (!key.usages.includes(usage)) throw new TypeError(`the key's usages (${key.usages.join(", ")}) do not include ${usage}`);
  return object;
}

export const nodeEcdsa = {
  sign(privateKey: CryptoKey, data: Uint8Array): Promise<Uint8Array> {
    return new Promise((resolve, reject) => {
      sign("sha256", data, { key: keyObject(privateKey, "sign"), dsaEncoding: "ieee-p1363" }, (error, signature) => (error ? reject(error) : resolve(new Uint8Array(signature))));
    });
  },
  verify(publicKey: CryptoKey, data: Uint8Array, signature: Uint8Array): Promise<boolean> {
    if (signature.length !== 64) return Promise.resolve(false);
    return new Promise((resolve, reject) => {
      verify("sha256", data, { key: keyObject(publicKey, "verify"), dsaEncoding: "ieee-p1363" }, signature, (error, valid) => (error ? reject(error) : resolve(valid)));
    });
  },
};
