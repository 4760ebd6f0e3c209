// Typed view of the kernel's GBCS frame walker (assembly/frame.ts).
import { io, wasm } from "./wasm-exports.js";

export type FrameForm = "GeneralCiphering" | "GeneralSigning";
/** 1 Command, 2 Response, 3 Alert. */
export type CraFlag = 1 | 2 | 3;
export type SignatureState = "absent" | "empty" | "present";

/** Where each field of a GBCS message sits; offsets index the parsed bytes. */
export interface Frame {
  readonly form: FrameForm;
  readonly cra: CraFlag;
  /** The General-Signing APDU: DF through the signature field. */
  readonly apdu: { readonly offset: number; readonly length: number };
  readonly counterOffset: number;
  readonly originatorOffset: number;
  readonly recipientOffset: number;
  readonly dateTimeOffset: number | null;
  readonly otherInfo: { readonly offset: number; readonly length: number };
  readonly messageCode: number;
  readonly content: { readonly offset: number; readonly length: number };
  readonly signature: SignatureState;
  readonly signatureOffset: number | null;
  readonly macOffset: number | null;
}

const REASONS: Record<number, string> = {
  1: "message is truncated",
  2: "unknown APDU tag (expected DD or DF)",
  3: "segmented (General Block Transfer) frames are not supported",
  4: "general-ciphering header fields must be empty",
  5: "ciphered-service length does not match the message",
  6: "security header must be 11 00000000 (authenticated, suite 1)",
  7: "transaction-id must be 09 + CRA flag + 8-byte counter",
  8: "invalid CRA flag (must be 01 command, 02 response or 03 alert)",
  9: "system title must be 08 + 8-byte EUI-64",
  10: "date-time must be 00 or 0C + 12 bytes",
  11: "other-information must hold at least the 2-byte message code",
  12: "content length runs past the end of the message",
  13: "signature field must be 00 or 40 + 64 bytes",
  14: "bytes follow the end of the message",
  15: "invalid length encoding (only 00-7F, 81 LL and 82 HH LL are defined)",
  30: "not a MAC-protected (DD) message",
  31: "MAC does not verify",
  32: "not a General-Signing APDU (DF 09 CRA counter 08 originator 08 recipient)",
  33: "encrypted block must start 31 00000000 and hold a 12-byte tag",
  34: "encrypted block does not authenticate",
};

/** A message the kernel refused, with the kernel's code and (for framing) the byte offset. */
export class FrameError extends Error {
  constructor(
    readonly code: number,
    readonly offset: number | null = null,
  ) {
    super(`${REASONS[code] ?? `kernel error ${code}`}${offset === null ? "" : ` (at byte ${offset})`}`);
    this.name = "FrameError";
  }
}

const SLOTS = 17;

/** Walks a DD or DF message; throws FrameError naming what is wrong and where. */
export function parseFrame(message: Uint8Array): Frame {
  io.reset();
  const at = io.put(message);
  const record = io.reserve(SLOTS * 4);
  const status = wasm.parseFrame(at, message.length, record);
  const slot = io.int32().subarray(record >> 2, (record >> 2) + SLOTS);
  const get = (i: number): number => slot[i] ?? -1;
  if (status !== 0) throw new FrameError(status, get(16));
  const optional = (value: number): number | null => (value < 0 ? null : value);
  const signatureStates: readonly SignatureState[] = ["absent", "empty", "present"];
  return {
    form: get(0) === 1 ? "GeneralCiphering" : "GeneralSigning",
    apdu: { offset: get(1), length: get(2) },
    cra: get(3) as CraFlag,
    counterOffset: get(4),
    originatorOffset: get(5),
    recipientOffset: get(6),
    dateTimeOffset: optional(get(7)),
    otherInfo: { offset: get(8), length: get(9) },
    messageCode: get(10),
    content: { offset: get(11), length: get(12) },
    signature: signatureStates[get(13)] ?? "absent",
    signatureOffset: optional(get(14)),
    macOffset: optional(get(15)),
  };
}
