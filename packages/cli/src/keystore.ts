// Loads a keystore folder (`<eui>[-pp]-<ds|ka>.<pem|key>`) into a KeyRing.
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { KeyRing, parseKeyFileName } from "@opendcc/gbcs";
import { UsageError } from "./output.js";

export async function loadKeystore(dir: string): Promise<KeyRing> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (error) {
    throw new UsageError(`cannot read keystore ${dir}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
  const keyFiles = names.filter((name) => parseKeyFileName(name) !== null);
  if (keyFiles.length === 0) throw new UsageError(`keystore ${dir} holds no <eui>[-pp]-<ds|ka>.<pem|key> files`);
  const files = await Promise.all(keyFiles.map(async (name) => ({ name, text: await readFile(join(dir, name), "utf8") })));
  return KeyRing.fromFiles(files);
}
