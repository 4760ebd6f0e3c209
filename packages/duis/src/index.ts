// @opendcc/duis: DUIS XML <-> typed Service Requests and Responses, and the DUIS XML signature.
// Web-standard APIs only (no node: imports): the same code runs on Node and on workerd.
export { DuisError } from "./errors.js";
export type { DuisErrorCode } from "./errors.js";
export {
  DCC_EUI, OTHER_RESPONSE_ELEMENTS, parseEui, formatEui, parseRequestId, formatRequestId, isSignedPreCommand,
  node, child, children, find, text, requireText, attribute, bodyDeviceId,
} from "./model.js";
export type {
  Eui, RequestId, CommandVariant, DuisNode, ServiceBody, SignedPreCommandBody, DuisBody, RequestHeader, XmlSignatureInfo,
  DuisRequest, ResponseHeader, ResponseContent, ResponseMessageBody, DeviceAlertMessageBody, DccAlertMessageBody,
  ResponseBody, DuisResponse,
} from "./model.js";
export { SRV_CATALOGUE, srvInfo, allowedCommandVariants, endpointFor } from "./catalogue.js";
export type { SrvInfo, Endpoint } from "./catalogue.js";
export { parseRequest, parseResponse } from "./parse.js";
export type { ParseOptions } from "./parse.js";
export { validateRequest } from "./validate.js";
export type { Finding, ValidateOptions } from "./validate.js";
export { writeRequest, writeResponse } from "./write.js";
export { writeSignedResponse } from "./signed-write.js";
export {
  signDocument, verifyDocument, EXCLUSIVE_C14N, ECDSA_SHA256, SHA256_DIGEST, ENVELOPED_SIGNATURE,
} from "./signature.js";
export type { SignOptions, KeyResolver, VerifyFailure, VerifyResult, VerifyOptions } from "./signature.js";
export { webCryptoEcdsa } from "./ecdsa.js";
export type { Ecdsa } from "./ecdsa.js";
export { certificateIssuerSerial, certificatePublicKey, certificateResolver, normalizeDn } from "./certificate.js";
export type { CertificateIssuerSerial } from "./certificate.js";
export { canonicalizeDocument, canonicalizeExclusive } from "./c14n.js";
export type { DocumentC14nOptions } from "./c14n.js";
export { parseXml, DEFAULT_LIMITS, SR_NS, DS_NS, XSI_NS, RA_NS } from "./xml.js";
export type { Document as XmlDocument } from "./xml.js";
export type { XmlLimits } from "./xml.js";
