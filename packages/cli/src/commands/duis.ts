// `opendcc duis parse | validate | sign`: DUIS Service Requests as JSON, their offline checks, and
// their XML signature (cli-contract.md).
import { readFile } from "node:fs/promises";
import {
  DuisError, certificateIssuerSerial, endpointFor, formatEui, formatRequestId, parseRequest, parseResponse, signDocument,
  validateRequest, writeRequest, type DuisRequest,
} from "@opendcc/duis";
import { importPrivateKey, pemToDer, toBase64 } from "@opendcc/kernel";
import { Report, UsageError } from "../output.js";

interface XmlInput {
  readonly file: string;
  readonly xml: string | null;
  readonly error: string | null;
}

async function readXmlFiles(files: readonly string[]): Promise<XmlInput[]> {
  if (files.length === 0) throw new UsageError("no input files (give one or more DUIS XML files, or - for standard input)");
  return Promise.all(files.map(async (file) => {
    try {
      const xml = file === "-" ? await readStdin() : await readFile(file, "utf8");
      return { file, xml, error: null };
    } catch (error) {
      return { file, xml: null, error: `cannot read file: ${(error as NodeJS.ErrnoException).code ?? String(error)}` };
    }
  }));
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

// JSON has no bigint or bytes: counters as decimal strings, payloads as base64.
function jsonSafe(value: unknown): unknown {
  if (typeof value === "bigint") return value.toString();
  if (value instanceof Uint8Array) return toBase64(value);
  if (Array.isArray(value)) return value.map(jsonSafe);
  if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, jsonSafe(v)]));
  return value;
}

/** The parse fields of cli-contract.md. */
function describeRequest(request: DuisRequest): Record<string, unknown> {
  const { requestId } = request.header;
  return {
    requestId: { originator: formatEui(requestId.originator), target: formatEui(requestId.target), counter: requestId.counter.toString() },
    commandVariant: request.header.commandVariant,
    serviceReference: request.header.serviceReference,
    serviceReferenceVariant: request.header.serviceReferenceVariant,
    body: jsonSafe(request.body),
  };
}

export async function eachXml(files: readonly string[], work: (xml: string) => Promise<Record<string, unknown>>): Promise<number> {
  const report = new Report();
  for (const input of await readXmlFiles(files)) {
    if (input.xml === null) {
      report.emit({ file: input.file, ok: false, error: input.error ?? "unreadable" });
      continue;
    }
    try {
      const fields = await work(input.xml);
      report.emit({ file: input.file, ok: fields.error === undefined, ...fields });
    } catch (error) {
      const prefix = error instanceof DuisError ? `${error.code}: ` : "";
      report.emit({ file: input.file, ok: false, error: `${prefix}${(error as Error).message}` });
    }
  }
  return report.exitCode;
}

export function parse(files: readonly string[]): Promise<number> {
  return eachXml(files, async (xml) => describeRequest(parseRequest(xml)));
}

/**
 * Offline checks: structure (parse), Command Variant and target for the SRV, sequencing fields and
 * the presence of a real signature. Placeholder signatures (as in the RTDS samples) are reported as
 * findings but do not fail validation; use `duis sign` to sign them.
 */
export function validate(files: readonly string[]): Promise<number> {
  return eachXml(files, async (xml) => {
    const request = parseRequest(xml);
    const findings = validateRequest(request);
    const failing = findings.filter((f) => f.code !== "SIGNATURE_PLACEHOLDER" && f.code !== "SIGNATURE_MISSING");
    return {
      ...describeRequest(request),
      checks: findings,
      ...(failing.length > 0 ? { error: failing.map((f) => `${f.code}: ${f.message}`).join("; ") } : {}),
    };
  });
}

export async function sign(files: readonly string[], keyFile: string | undefined, certFile: string | undefined): Promise<number> {
  if (!keyFile || !certFile) throw new UsageError("duis sign needs --key KEYFILE (PKCS#8 PEM) and --cert CERTFILE (PEM)");
  const signer = await loadSigner(keyFile, certFile);
  return eachXml(files, async (xml) => {
    parseRequest(xml); // refuse to sign what the gateway would refuse to read
    return { xml: await signDocument(xml, signer) };
  });
}

let lastCounter = 0n;

/** Current time in ms, strictly increasing within this process (as DCC Boxed's signing tool does). */
function freshCounter(): bigint {
  const now = BigInt(Date.now());
  lastCounter = now > lastCounter ? now : lastCounter + 1n;
  return lastCounter;
}

/**
 * A small DUIS client: signs each request (its counter replaced by the current time in ms unless
 * --preserve-counter), posts it to the endpoint its Command Variant belongs on, and prints the
 * synchronous response.
 */
export async function send(files: readonly string[], keyFile: string | undefined, certFile: string | undefined, url: string | undefined, preserveCounter: boolean): Promise<number> {
  if (!keyFile || !certFile) throw new UsageError("duis send needs --key KEYFILE and --cert CERTFILE");
  const base = (url ?? "http://127.0.0.1:8079").replace(/\/+$/, "");
  const signer = await loadSigner(keyFile, certFile);
  return eachXml(files, async (xml) => {
    let request = parseRequest(xml);
    if (!preserveCounter) {
      request = { ...request, header: { ...request.header, requestId: { ...request.header.requestId, counter: freshCounter() } } };
    }
    const signed = await signDocument(writeRequest(request), signer);
    const endpoint = endpointFor(request.header.commandVariant);
    let response: Response;
    try {
      response = await fetch(`${base}/api/v1/${endpoint}`, { method: "POST", body: signed, headers: { "content-type": "application/xml" } });
    } catch (error) {
      return { error: `cannot reach ${base}: ${(error as Error & { cause?: Error }).cause?.message ?? (error as Error).message}` };
    }
    const body = await response.text();
    if (response.status !== 200) return { httpStatus: response.status, error: `HTTP ${response.status}: ${body.slice(0, 200)}` };
    const code = parseResponse(body).header.responseCode;
    const reason = response.headers.get("x-opendcc-reason");
    const fields = { requestId: formatRequestId(request.header.requestId), endpoint, responseCode: code, ...(reason ? { reason } : {}), response: body };
    return code === "I0" || code === "I99" ? fields : { ...fields, error: `${code}${reason ? `: ${reason}` : ""}` };
  });
}

async function loadSigner(keyFile: string, certFile: string): Promise<{ privateKey: CryptoKey; issuerName: string; serialNumber: string }> {
  try {
    const privateKey = await importPrivateKey(pemToDer(await readFile(keyFile, "utf8")), "ds");
    const { issuerName, serialDecimal } = certificateIssuerSerial(await readFile(certFile, "utf8"));
    return { privateKey, issuerName, serialNumber: serialDecimal };
  } catch (error) {
    throw new UsageError(`cannot use --key ${keyFile} / --cert ${certFile}: ${(error as Error).message}`);
  }
}
