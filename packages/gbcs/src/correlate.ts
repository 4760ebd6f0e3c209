// Correlate (GBCS issue point 5; seed paragraphs 155-157): before signing a Pre-Command the user
// checks that it says what the Service Request asked for. The request is transformed here as the
// DCC would, both APDUs are parsed (no keys: a Pre-Command has no protection yet) and compared
// field by field, so each disagreement is named by its place in the parse, e.g.
// "header.recipient" or "payload.requests[13].value[2][0][1]".
import { FrameError, parseFrame, toHex } from "@opendcc/kernel";
import { parseGbcs } from "./parse/index.js";
import type { ParsedValue } from "./parse/types.js";
import { ACCESS_CONTROL_BROKER } from "./protection.js";
import { transformRequest } from "./transform/transform.js";
import type { TransformInput } from "./transform/types.js";

/** One field on which the request (as transformed) and the Pre-Command disagree. */
export interface Difference {
  /** Where: `header.<field>`, `payload.<path in the parsed fields>`, or `bytes`. */
  readonly field: string;
  readonly request: ParsedValue;
  readonly preCommand: ParsedValue;
}

/** Why a message cannot be correlated: it is not a Pre-Command. */
export class CorrelateError extends Error {
  override readonly name = "CorrelateError";
}

/** The header facts a Pre-Command is judged on (form, signed and maced follow from being one). */
const HEADER_FIELDS = ["cra", "counter", "originator", "recipient", "dateTime", "messageCode", "useCase", "supplementary"] as const;

/**
 * Lists where the Pre-Command disagrees with the request; empty when it is what the request asked
 * for. The request's own RequestID counter is compared with the Pre-Command's (GBCS takes the
 * originator counter from it). Only for a command the Access Control Broker originates on the
 * user's behalf is the header counter the ACB's own, which the user cannot know: it is taken from
 * the Pre-Command, and the request's counter is checked in the supplementary remote-party counter.
 * Where the SRV has several use cases for the device, the Pre-Command's is transformed (unless
 * `input.useCase` names one), so the payload is judged against the use case the DCC chose.
 * Accepts the Pre-Command with or without the empty signature field (00).
 */
export async function correlate(input: TransformInput, preCommand: Uint8Array): Promise<Difference[]> {
  const given = unsignedPreCommand(preCommand);
  const theirs = await parseGbcs(given);
  const byBroker = theirs.originator === ACCESS_CONTROL_BROKER && theirs.supplementary?.remotePartyCounter != null;
  const ours = transformRequest({
    ...input,
    ...(byBroker ? { acbCounter: BigInt(theirs.counter) } : {}),
    // Where the SRV has several use cases the device decides (variant, GBCS version), which the
    // DCC knows and the user may not: the one the Pre-Command names is taken unless the caller says.
    useCase: input.useCase ?? theirs.useCase ?? undefined,
  }).apdu;
  const expected = await parseGbcs(ours);
  const differences: Difference[] = [];
  for (const field of HEADER_FIELDS) compare(`header.${field}`, expected[field], theirs[field], differences);
  compare("payload.family", expected.payload.family, theirs.payload.family, differences);
  if (differences.every((d) => d.field !== "payload.family")) compare("payload", expected.payload.fields, theirs.payload.fields, differences);
  if (differences.length === 0) {
    const offset = firstDifferentByte(ours, given);
    if (offset !== null) differences.push({ field: "bytes", request: excerpt(ours, offset), preCommand: excerpt(given, offset) });
  }
  return differences;
}

/** The Pre-Command without its empty signature field, after checking it is one. */
function unsignedPreCommand(message: Uint8Array): Uint8Array {
  let frame;
  try {
    frame = parseFrame(message);
  } catch (error) {
    if (error instanceof FrameError) throw new CorrelateError(`not a Pre-Command: ${error.message}`);
    throw error;
  }
  if (frame.form !== "GeneralSigning") throw new CorrelateError("not a Pre-Command: a MAC-protected (DD) command; correlate the Pre-Command (DF ...) it was made from");
  if (frame.cra !== 1) throw new CorrelateError(`not a Pre-Command: CRA flag ${frame.cra} is a ${frame.cra === 2 ? "response" : "alert"}, not a command`);
  if (frame.signature === "present") throw new CorrelateError("the Pre-Command is already signed: correlate it before signing");
  return message.subarray(frame.apdu.offset, frame.content.offset + frame.content.length);
}

/**
 * Walks two parsed values side by side and records every leaf that differs. Lists of different
 * lengths are one difference (element by element would only cascade), as are values of different
 * shapes; a field present on one side only is compared with null.
 */
function compare(path: string, request: unknown, preCommand: unknown, out: Difference[]): void {
  const a = (request ?? null) as ParsedValue;
  const b = (preCommand ?? null) as ParsedValue;
  if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length !== b.length) out.push({ field: path, request: a, preCommand: b });
    else a.forEach((item, i) => compare(`${path}[${i}]`, item, b[i], out));
    return;
  }
  if (isRecord(a) && isRecord(b)) {
    for (const key of new Set([...Object.keys(a), ...Object.keys(b)])) compare(`${path}.${key}`, a[key], b[key], out);
    return;
  }
  if (a !== b) out.push({ field: path, request: a, preCommand: b });
}

const isRecord = (value: ParsedValue): value is { readonly [field: string]: ParsedValue } =>
  typeof value === "object" && value !== null && !Array.isArray(value);

function firstDifferentByte(a: Uint8Array, b: Uint8Array): number | null {
  const shorter = Math.min(a.length, b.length);
  for (let i = 0; i < shorter; i++) if (a[i] !== b[i]) return i;
  return a.length === b.length ? null : shorter;
}

/** Where the bytes part: the offset, the length and up to 8 bytes from there, as hex. */
function excerpt(bytes: Uint8Array, offset: number): ParsedValue {
  return { offset, length: bytes.length, bytes: toHex(bytes.subarray(offset, offset + 8)) };
}
