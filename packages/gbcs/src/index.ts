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
  transformRequest, transformableServices, useCaseFor, ServiceFields, TransformError, defineUseCase, REFERENCE_ESTATE,
} from "./transform/index.js";
export type {
  DeviceType, EncodeContext, HeaderChoice, OtherDevice, RestoredDevice, RestoredDeviceLog, ServiceNode, TransformInput, TransformResult, UseCaseEncoder,
} from "./transform/index.js";
export { FirmwareImageError, OTA_FILE_IDENTIFIER, firmwareImageHash, readFirmwareImage, writeFirmwareImage } from "./firmware-image.js";
export type { FirmwareImageHeader, FirmwareImageSpec } from "./firmware-image.js";
export { signPreCommand, unsignedApdu, SignError } from "./sign.js";
export { correlate, CorrelateError } from "./correlate.js";
export type { Difference } from "./correlate.js";
export { generateUtrn, checkUtrn, readUtrn, utrnCheckDigit, utrnCheckDigitValid, utrnSecret, UtrnError } from "./utrn.js";
export type { UtrnCheck, UtrnFields, UtrnKey, UtrnParameters, UtrnValueClass } from "./utrn.js";
export { describeHeader, parseGbcs, parsePayload } from "./parse/index.js";
export type { MessageHeader, ParsedMessage, ParseOptions, Supplementary } from "./parse/index.js";
export { GbcsParseError, GbcsProtectionError } from "./parse/types.js";
export type { ParsedPayload, ParsedValue, PayloadContext } from "./parse/types.js";
export { parseGbzPayload } from "./parse/gbz.js";
export { parseAsn1Payload } from "./parse/asn1.js";
export { ASN1_MESSAGE_CODES } from "./parse/asn1-names.js";
