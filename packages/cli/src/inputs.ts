// Reads the messages a command works on: one or more files, or `-` for standard input with one
// item per line. Files and lines may hold hex or base64 (cli-contract.md, Conventions).
import { readFile } from "node:fs/promises";
import { fromBase64, fromHex } from "@opendcc/kernel";

export interface Input {
  /** The file name, or `-:N` for line N of standard input. */
  readonly file: string;
  /** The decoded bytes, or the reason they could not be read. */
  readonly bytes: Uint8Array | null;
  readonly error: string | null;
}

export async function readInputs(names: readonly string[]): Promise<Input[]> {
  const inputs: Input[] = [];
  for (const name of names) {
    if (name === "-") {
      const lines = (await readStdin()).split(/\r?\n/).filter((line) => line.trim() !== "");
      lines.forEach((line, i) => inputs.push(decoded(`-:${i + 1}`, line)));
      continue;
    }
    try {
      inputs.push(decoded(name, await readFile(name, "utf8")));
    } catch (error) {
      inputs.push({ file: name, bytes: null, error: `cannot read file: ${(error as NodeJS.ErrnoException).code ?? String(error)}` });
    }
  }
  return inputs;
}

/** Hex first (RTDS files), then base64 (DUIS carries GBCS as base64). */
export function decodeText(text: string): Uint8Array {
  const compact = text.replace(/\s+/g, "");
  if (compact === "") throw new SyntaxError("empty input");
  if (/^[0-9a-fA-F]+$/.test(compact)) {
    if (compact.length % 2 === 0) return fromHex(compact);
    throw new SyntaxError("odd number of hex digits");
  }
  if (/^[A-Za-z0-9+/]+={0,2}$/.test(compact) && compact.length % 4 === 0) return fromBase64(compact);
  throw new SyntaxError("input is neither hex nor base64");
}

function decoded(file: string, text: string): Input {
  try {
    return { file, bytes: decodeText(text), error: null };
  } catch (error) {
    return { file, bytes: null, error: (error as Error).message };
  }
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}
