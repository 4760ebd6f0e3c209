// `opendcc gbcs inspect | verify | parse | mac`: header facts, protection checks, the named payload
// and MAC application for GBCS messages, one JSON line per input.
import { readFile } from "node:fs/promises";
import { importPrivateKey, parseFrame, pemToDer, toHex } from "@opendcc/kernel";
import { checkProtection, describeHeader, parseGbcs, protectApdu, signPreCommand } from "@opendcc/gbcs";
import { readInputs, type Input } from "../inputs.js";
import { loadKeystore } from "../keystore.js";
import { Report, UsageError, type Line } from "../output.js";

type PerInput = (input: Input & { bytes: Uint8Array }) => Promise<Record<string, unknown>>;

async function eachInput(files: readonly string[], work: PerInput): Promise<number> {
  if (files.length === 0) throw new UsageError("no input files (give one or more files, or - for standard input)");
  const report = new Report();
  for (const input of await readInputs(files)) {
    if (!input.bytes) {
      report.emit({ file: input.file, ok: false, error: input.error ?? "unreadable" });
      continue;
    }
    try {
      const fields = await work(input as Input & { bytes: Uint8Array });
      report.emit({ file: input.file, ok: fields.error === undefined, ...fields } as Line);
    } catch (error) {
      report.emit({ file: input.file, ok: false, error: (error as Error).message });
    }
  }
  return report.exitCode;
}

export function inspect(files: readonly string[]): Promise<number> {
  return eachInput(files, async ({ bytes }) => ({ ...describeHeader(bytes, parseFrame(bytes)) }));
}

export async function verify(files: readonly string[], keystore: string | undefined): Promise<number> {
  if (!keystore) throw new UsageError("gbcs verify needs --keystore DIR");
  const ring = await loadKeystore(keystore);
  return eachInput(files, async ({ bytes }) => {
    const report = await checkProtection(bytes, ring);
    return report.error === null ? { checked: report.checked } : { checked: report.checked, error: report.error };
  });
}

/**
 * The inspect fields plus `payload`, the use case's content as named, typed fields; with a
 * keystore, MACs and signatures are checked first and encrypted blocks decrypted.
 */
export async function parse(files: readonly string[], keystore: string | undefined): Promise<number> {
  const ring = keystore ? await loadKeystore(keystore) : undefined;
  return eachInput(files, async ({ bytes }) => {
    const parsed = await parseGbcs(bytes, ring ? { ring } : {});
    const { useCaseName, supplementary, protection, payload } = parsed;
    return { ...describeHeader(bytes, parseFrame(bytes)), useCaseName, supplementary, ...(protection ? { protection } : {}), payload };
  });
}

export async function mac(files: readonly string[], keystore: string | undefined): Promise<number> {
  if (!keystore) throw new UsageError("gbcs mac needs --keystore DIR");
  const ring = await loadKeystore(keystore);
  return eachInput(files, async ({ bytes }) => {
    const frame = parseFrame(bytes);
    const apdu = bytes.subarray(frame.apdu.offset, frame.apdu.offset + frame.apdu.length);
    return { command: toHex(await protectApdu(apdu, ring)) };
  });
}

/** Signs Pre-Commands (with or without the 00 placeholder) with a PKCS#8 P-256 key (gbcs.md 8). */
export async function sign(files: readonly string[], keyFile: string | undefined): Promise<number> {
  if (!keyFile) throw new UsageError("gbcs sign needs --key KEYFILE (PKCS#8 PEM private key)");
  let key: CryptoKey;
  try {
    key = await importPrivateKey(pemToDer(await readFile(keyFile, "utf8")), "ds");
  } catch (error) {
    throw new UsageError(`cannot use --key ${keyFile}: ${(error as Error).message}`);
  }
  return eachInput(files, async ({ bytes }) => ({ signed: toHex(await signPreCommand(bytes, key)) }));
}
