// @opendcc/kernel: pure functions over bytes. AES, AES-GCM, SHA-256, GBCS framing, KDF and MAC
// run in WASM (assembly/); ECDSA and ECDH go to WebCrypto.
export { sha256, aesEncryptBlock, gcmEncrypt, gcmDecrypt, gmac, timingSafeEqual } from "./crypto.js";
export type { Sealed } from "./crypto.js";
export { parseFrame, FrameError } from "./frame.js";
export type { Frame, FrameForm, CraFlag, SignatureState } from "./frame.js";
export {
  deriveKey, gbcsIv, macApdu, wrapApdu, verifyMac, wrapBatch, verifyBatch, sealBlock, openBlock,
  KDF_TYPE_ENCRYPTION, MAC_LENGTH,
} from "./gbcs.js";
export type { KdfInput, ApduToWrap, FrameToVerify, BlockKey } from "./gbcs.js";
export {
  pemToDer, importPrivateKey, importPublicKey, generateKeyPair, exportPublicKey, exportPrivateKey,
  sign, verify, sharedSecret,
} from "./ec.js";
export type { KeyUsage, EcKeyPair } from "./ec.js";
export { encode, GbcsWriter, EncodeError, DLMS } from "./encode.js";
export type { LengthKind, DlmsNumberTag, CosemDateTimeFields, GeneralSigningHeader } from "./encode.js";
export { fromHex, toHex, fromBase64, toBase64, readCounter, counterBytes, concatBytes } from "./bytes.js";
export { SlidingWindowCounter } from "./anomaly.js";
export type { WindowSpec } from "./anomaly.js";
