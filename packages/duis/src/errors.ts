// Every refusal names its reason: a code a program can switch on, and a message a person can read.

/**
 * Why a document was refused.
 * - `XML_*`: the bytes are not a document we are willing to parse (limits, XXE, well-formedness).
 * - `DUIS_*`: a well-formed document that is not a DUIS message of the expected shape.
 */
export type DuisErrorCode =
  | "XML_SIZE" // larger than the configured limit
  | "XML_ENCODING" // not UTF-8 (bytes that do not decode, or another declared encoding)
  | "XML_DTD" // DOCTYPE or ENTITY declaration (XXE, entity expansion)
  | "XML_PI" // processing instruction other than the XML declaration
  | "XML_DEPTH" // element nesting deeper than the limit
  | "XML_ELEMENTS" // more elements than the limit
  | "XML_MALFORMED" // not well-formed XML (or not namespace-well-formed)
  | "DUIS_NAMESPACE" // an element outside the DUIS namespace where a DUIS element belongs
  | "DUIS_ROOT" // the root element is not the expected Request / Response
  | "DUIS_SCHEMA_VERSION" // schemaVersion missing or not a decimal
  | "DUIS_STRUCTURE" // Header/Body/Signature missing, repeated, misplaced; stray text or attributes
  | "DUIS_HEADER" // a header field missing, repeated, unexpected or out of order
  | "DUIS_REQUEST_ID" // RequestID / ResponseID / PrecedingServiceRequestID not of the DUIS pattern
  | "DUIS_COMMAND_VARIANT" // CommandVariant not an integer 1..8
  | "DUIS_UNKNOWN_SRV" // ServiceReferenceVariant not in the DUIS catalogue
  | "DUIS_SR_MISMATCH" // ServiceReference does not belong to the ServiceReferenceVariant
  | "DUIS_BODY" // the Body child is not the one the SRV / CommandVariant calls for
  | "DUIS_EXECUTION_DATE_TIME" // ExecutionDateTime where not allowed, misplaced, or not an xs:dateTime
  | "DUIS_VALUE" // a typed value (base64, hex, integer, dateTime, response code) of the wrong form
  | "DUIS_UNSUPPORTED"; // a valid DUIS form this library does not handle (SMETS1 responses)

export class DuisError extends Error {
  override readonly name = "DuisError";
  constructor(
    readonly code: DuisErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export function fail(code: DuisErrorCode, message: string): never {
  throw new DuisError(code, message);
}
