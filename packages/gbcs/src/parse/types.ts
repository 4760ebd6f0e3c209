// The shapes shared by the GBCS Parse side: one module per payload family (DLMS, GBZ, ASN.1)
// turns a message's content into named, typed JSON under the same context and error rules.

/** Why a message could not be parsed, with the byte offset (from the start of the content) where it went wrong. */
export class GbcsParseError extends Error {
  override readonly name = "GbcsParseError";
  constructor(message: string, readonly offset: number) {
    super(`${message} (at byte ${offset})`);
  }
}

/** What a payload parser knows about the message around the content it is given. */
export interface PayloadContext {
  /** 1 command, 2 response, 3 alert. */
  readonly cra: 1 | 2 | 3;
  readonly messageCode: number;
  /** The use case the message code names (e.g. "ECS17b"), or null for codes that are not one. */
  readonly useCase: string | null;
  /**
   * Decrypts one encrypted block (`31 00000000` || ciphertext || 12-byte tag) found in the
   * content, or returns null when the keys are not at hand or it does not authenticate. Absent
   * when no keys were given: encrypted parts are then reported as such, never guessed at.
   */
  readonly openBlock?: (block: Uint8Array) => Uint8Array | null;
}

/** JSON-ready values only: the parse result is printed by the CLI as is. */
export type ParsedValue = string | number | boolean | null | readonly ParsedValue[] | { readonly [field: string]: ParsedValue };

/** A payload family's parse of one message's content. */
export interface ParsedPayload {
  /** "DLMS" | "GBZ" | "ASN.1" | "opaque". */
  readonly family: string;
  /** The named, typed fields of the use case. */
  readonly fields: { readonly [field: string]: ParsedValue };
}

/**
 * A message whose MAC, signature or encrypted block does not verify with the keys given: parsed
 * bytes that fail their protection are not reported as if they were good.
 */
export class GbcsProtectionError extends Error {
  override readonly name = "GbcsProtectionError";
}
