// `opendcc duis pre-command | signed-pre-command`: the glue of the critical round trip (DUIS 3.2,
// Command Variants 4 and 5). The first takes the Pre-Command out of the gateway's answer as hex,
// the form `gbcs sign` reads; the second wraps the signed result in the Signed Pre-Command request
// (same RequestID, Command Variant 5) that `duis send --preserve-counter` sends. Both print the
// bare result rather than JSON lines, so that each output is the next command's input file.
import { readFile } from "node:fs/promises";
import { parseResponse, writeRequest, type DuisResponse } from "@opendcc/duis";
import { fromHex, toHex } from "@opendcc/kernel";
import { UsageError } from "../output.js";

/**
 * The answers in a file: a DUIS Response document, or the JSON lines `duis send` prints (each
 * with its `response`).
 */
async function answersIn(file: string): Promise<DuisResponse[]> {
  const text = await readText(file);
  if (text.trimStart().startsWith("<")) return [parseResponse(text)];
  return text.split(/\r?\n/).filter((line) => line.trim() !== "").map((line, i) => {
    const fields = JSON.parse(line) as { response?: unknown; error?: unknown };
    if (typeof fields.response !== "string") throw new Error(`${file} line ${i + 1} holds no response${typeof fields.error === "string" ? ` (${fields.error})` : ""}`);
    return parseResponse(fields.response);
  });
}

async function readText(file: string): Promise<string> {
  try {
    return await readFile(file, "utf8");
  } catch (error) {
    throw new UsageError(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
}

function preCommandOf(answer: DuisResponse): { answer: DuisResponse; payload: Uint8Array } {
  const { body } = answer;
  if (body.kind !== "ResponseMessage" || body.content?.kind !== "PreCommand") {
    throw new Error(`the answer (${answer.header.responseCode}) carries no Pre-Command: send the request with Command Variant 4 first`);
  }
  return { answer, payload: body.content.gbcsPayload };
}

/** Prints each answer's Pre-Command as one hex line. */
export async function preCommand(files: readonly string[]): Promise<number> {
  if (files.length === 0) throw new UsageError("duis pre-command needs the gateway's answer to a Command Variant 4 request (a file)");
  for (const file of files) {
    for (const answer of await answersIn(file)) console.log(toHex(preCommandOf(answer).payload));
  }
  return 0;
}

/**
 * Prints the Signed Pre-Command request for an answer and its signed Pre-Command: SIGNED holds
 * `gbcs sign`'s JSON line (its `signed` field) or the signed Pre-Command in hex.
 */
export async function signedPreCommand(files: readonly string[]): Promise<number> {
  const [answerFile, signedFile, ...extra] = files;
  if (!answerFile || !signedFile || extra.length > 0) throw new UsageError("duis signed-pre-command needs two files: ANSWER (of the Command Variant 4 request) and SIGNED (gbcs sign's output)");
  const answers = await answersIn(answerFile);
  if (answers.length !== 1) throw new UsageError(`${answerFile} holds ${answers.length} answers; give one`);
  const { answer } = preCommandOf(answers[0]!);
  const signed = signedBytes(await readText(signedFile), signedFile);
  const { requestId } = answer.header;
  if (!requestId || answer.body.kind !== "ResponseMessage") throw new Error("the answer names no RequestID");
  console.log(writeRequest({
    schemaVersion: answer.schemaVersion,
    header: { requestId, commandVariant: 5, serviceReference: answer.body.serviceReference, serviceReferenceVariant: answer.body.serviceReferenceVariant },
    body: { element: "SignedPreCommand", gbcsPayload: signed },
    signature: null,
  }));
  return 0;
}

function signedBytes(text: string, file: string): Uint8Array {
  const trimmed = text.trim();
  const hex = trimmed.startsWith("{") ? (JSON.parse(trimmed.split(/\r?\n/)[0]!) as { signed?: unknown; error?: unknown }).signed : trimmed;
  if (typeof hex !== "string" || !/^([0-9a-fA-F]{2})+$/.test(hex)) throw new UsageError(`${file} holds no signed Pre-Command (gbcs sign's output, or hex)`);
  return fromHex(hex);
}
