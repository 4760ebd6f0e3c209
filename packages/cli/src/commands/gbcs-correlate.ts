// `opendcc gbcs correlate REQUEST.xml PRECOMMAND [REQUEST.xml PRECOMMAND ...]` (cli-contract.md;
// seed paragraphs 155-157): does each Pre-Command say what its DUIS request asked for? One JSON
// line per pair: `differences` lists every field that disagrees; ok only when there is none.
import { readFile } from "node:fs/promises";
import { REFERENCE_ESTATE, correlate, messageCodeInfo, transformableServices, type DeviceType } from "@opendcc/gbcs";
import { DuisError, isSignedPreCommand, parseRequest } from "@opendcc/duis";
import { parseFrame } from "@opendcc/kernel";
import { decodeText } from "../inputs.js";
import { Report, UsageError } from "../output.js";

const DEVICE_TYPES: readonly DeviceType[] = ["ESME", "GSME", "CHF", "GPF", "PPMID", "HCALCS", "IHD"];

export async function correlateFiles(files: readonly string[], deviceTypeOption: string | undefined): Promise<number> {
  if (files.length === 0 || files.length % 2 !== 0) {
    throw new UsageError("gbcs correlate takes pairs: REQUEST.xml PRECOMMAND [REQUEST.xml PRECOMMAND ...]");
  }
  if (files.includes("-")) throw new UsageError("gbcs correlate reads files, not standard input");
  if (deviceTypeOption !== undefined && !DEVICE_TYPES.includes(deviceTypeOption as DeviceType)) {
    throw new UsageError(`--device-type must be one of ${DEVICE_TYPES.join(", ")}`);
  }
  const report = new Report();
  for (let i = 0; i < files.length; i += 2) {
    const [requestFile, preCommandFile] = [files[i] as string, files[i + 1] as string];
    const fields = await correlatePair(requestFile, preCommandFile, deviceTypeOption as DeviceType | undefined);
    report.emit({ file: requestFile, preCommand: preCommandFile, ok: "differences" in fields && fields.differences.length === 0, ...fields });
  }
  return report.exitCode;
}

type PairResult = { deviceType: DeviceType; differences: unknown[] } | { error: string };

async function correlatePair(requestFile: string, preCommandFile: string, deviceTypeOption: DeviceType | undefined): Promise<PairResult> {
  const xml = await readText(requestFile);
  if (typeof xml !== "string") return xml;
  const preCommandText = await readText(preCommandFile);
  if (typeof preCommandText !== "string") return preCommandText;
  let preCommand: Uint8Array;
  try {
    preCommand = decodeText(preCommandText);
  } catch (error) {
    return { error: `${preCommandFile}: ${(error as Error).message}` };
  }
  try {
    const { header, body } = parseRequest(xml);
    if (isSignedPreCommand(body)) return { error: "the request is a Signed Pre-Command, not a Service Request to correlate with" };
    const srv = header.serviceReferenceVariant;
    const deviceType = deviceTypeOption ?? deviceTypeOf(srv, header.requestId.target, preCommand);
    if (typeof deviceType !== "string") return deviceType;
    const differences = await correlate({
      srv, deviceType, commandVariant: header.commandVariant, requestId: header.requestId,
      executionDateTime: body.executionDateTime, body: body.content,
    }, preCommand);
    return { deviceType, differences };
  } catch (error) {
    const prefix = error instanceof DuisError ? `${error.code}: ` : "";
    return { error: `${prefix}${(error as Error).message}` };
  }
}

async function readText(file: string): Promise<string | { error: string }> {
  try {
    return await readFile(file, "utf8");
  } catch (error) {
    return { error: `cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}` };
  }
}

/**
 * The target's device type: the reference estate's, else the one device type whose encoder for
 * the SRV produces the Pre-Command's use case (4.1.1 as ECS17b is an ESME, as GCS13a a GSME).
 */
function deviceTypeOf(srv: string, target: string, preCommand: Uint8Array): DeviceType | { error: string } {
  const known = REFERENCE_ESTATE[target];
  if (known) return known;
  let useCase: string | undefined;
  try {
    useCase = messageCodeInfo(parseFrame(preCommand).messageCode)?.useCase ?? undefined;
  } catch {
    useCase = undefined; // correlate names what is wrong with the Pre-Command
  }
  const services = transformableServices().filter((s) => s.srv === srv);
  const serving = services.filter((s) => useCase !== undefined && s.useCase.split("/").includes(useCase));
  const candidates = [...new Set((serving.length > 0 ? serving : services).map((s) => s.deviceType))];
  if (candidates.length === 1) return candidates[0] as DeviceType;
  if (candidates.length === 0) return { error: `no GBCS transform for SRV ${srv} yet` };
  return { error: `SRV ${srv} is encoded for ${candidates.join(", ")}: say which ${target} is with --device-type` };
}
