// Shared by the payload-family parse tests: a vector with its frame and content, the alert
// table's meaning of a code, and the GbcsParseError a run must throw.
import { fromHex, parseFrame, type Frame } from "@opendcc/kernel";
import { alertMeaning } from "../../src/parse/alert-codes.js";
import { GbcsParseError } from "../../src/parse/types.js";
import type { RtdsVector } from "../../../../test/support/fixtures.js";

export interface LoadedVector {
  readonly vector: RtdsVector;
  readonly message: Uint8Array;
  readonly frame: Frame;
  readonly content: Uint8Array;
}

export function loadVector(vector: RtdsVector): LoadedVector {
  const message = fromHex(vector.hex);
  const frame = parseFrame(message);
  return { vector, message, frame, content: message.subarray(frame.content.offset, frame.content.offset + frame.content.length) };
}

/** The meaning the shared alert table gives a code (it must give one). */
export function meaningOf(code: number): string {
  const meaning = alertMeaning(code)?.meaning;
  if (!meaning) throw new Error(`no meaning for alert code ${code.toString(16)}`);
  return meaning;
}

export function errorOf(run: () => unknown): GbcsParseError {
  try {
    run();
  } catch (error) {
    if (error instanceof GbcsParseError) return error;
    throw error;
  }
  throw new Error("expected a GbcsParseError");
}
