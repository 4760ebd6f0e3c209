// @opendcc/gbcs: GBCS messages above the byte level. For now: SMKI certificates and key rings,
// and the protection checks (MAC, signature, encryption) the CLI and the gateway rely on.
export { readCertificate } from "./certificate.js";
export type { SmkiCertificate } from "./certificate.js";
export { KeyRing, parseKeyFileName } from "./keyring.js";
export type { KeyFile, KeyRingEntry, KeyRole } from "./keyring.js";
export { findEncryptedBlocks } from "./blocks.js";
export type { BlockLocation } from "./blocks.js";
export {
  ACCESS_CONTROL_BROKER, checkProtection, decryptBlock, headerOf, macParties, protectApdu, secretBetween, signedBytes,
} from "./protection.js";
export type { Header, Protection, ProtectionReport } from "./protection.js";
export { messageCodeInfo, formatMessageCode } from "./message-codes.js";
export type { MessageCodeInfo } from "./message-codes.js";
export { TestSmki, toPem } from "./test-smki.js";
export type { IssuedCertificate, Subject } from "./test-smki.js";
export {
  transformRequest, transformableServices, useCaseFor, ServiceFields, TransformError, defineUseCase,
} from "./transform/index.js";
export type {
  DeviceType, EncodeContext, HeaderChoice, ServiceNode, TransformInput, TransformResult, UseCaseEncoder,
} from "./transform/index.js";
