// `opendcc gbcs inspect | verify | parse | mac`: header facts, protection checks, the named payload
// and MAC application for GBCS messages, one JSON line per input.
import { readFile } from "node:fs/promises";
import { importPrivateKey, parseFrame, pemToDer, toHex, type Frame } from "@opendcc/kernel";
import { checkProtection, formatMessageCode, headerOf, messageCodeInfo, parseGbcs, protectApdu, signPreCommand } from "@opendcc/gbcs";
import { readInputs, type Input } from "../inputs.js";
import { loadKeystore } from "../keystore.js";
import { Report, UsageError, type Line } from "../output.js";

/** The inspect fields of cli-contract.md for one parsed message. */
export function describe(message: Uint8Array, frame: Frame): Record<string, unknown> {
  const header = headerOf(message, frame);
  return {
    form: frame.form,
    cra: header.cra,
    counter: header.counter.toString(),
    originator: header.originator,
    recipient: header.recipient,
    dateTime: frame.dateTimeOffset === null ? null : cosemDateTime(message.subarray(frame.dateTimeOffset, frame.dateTimeOffset + 12)),
    messageCode: formatMessageCode(header.messageCode),
    useCase: messageCodeInfo(header.messageCode)?.useCase ?? null,
    signed: frame.signature === "present",
    maced: frame.form === "GeneralCiphering",
  };
}

/** A COSEM date-time as ISO 8601; fields marked "not given" (FF) fall back to their lowest value. */
export function cosemDateTime(bytes: Uint8Array): string {
  const year = ((bytes[0] as number) << 8) | (bytes[1] as number);
  const given = (value: number | undefined, fallback: number) => (value === undefined || value === 0xff ? fallback : value);
  const pad = (value: number, width = 2) => String(value).padStart(width, "0");
  const date = `${pad(year, 4)}-${pad(given(bytes[2], 1))}-${pad(given(bytes[3], 1))}`;
  const time = `${pad(given(bytes[5], 0))}:${pad(given(bytes[6], 0))}:${pad(given(bytes[7], 0))}`;
  const deviation = ((bytes[9] as number) << 8) | (bytes[10] as number);
  if (deviation === 0x8000) return `${date}T${time}Z`;
  // COSEM deviation is minutes local time lags UTC (signed); ISO offsets have the opposite sign.
  const signed = deviation >= 0x8000 ? deviation - 0x10000 : deviation;
  const offset = -signed;
  const sign = offset < 0 ? "-" : "+";
  return `${date}T${time}${sign}${pad(Math.floor(Math.abs(offset) / 60))}:${pad(Math.abs(offset) % 60)}`;
}

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
  return eachInput(files, async ({ bytes }) => describe(bytes, parseFrame(bytes)));
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
    return { ...describe(bytes, parseFrame(bytes)), useCaseName, supplementary, ...(protection ? { protection } : {}), payload };
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
