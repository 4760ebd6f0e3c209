// `opendcc duis transform`: a DUIS Service Request into its GBCS command (cli-contract.md), with the
// request's own RequestID counter as the GBCS originator counter and its ExecutionDateTime.
// Critical services give the Pre-Command (as the RTDS writes it: no signature field); the others
// the MAC-protected command, which needs the Access Control Broker's key-agreement key.
import {
  REFERENCE_ESTATE, TransformError, formatMessageCode, protectApdu, transformRequest, transformableServices,
  type DeviceType, type KeyRing,
} from "@opendcc/gbcs";
import { isSignedPreCommand, parseRequest } from "@opendcc/duis";
import { toHex } from "@opendcc/kernel";
import { loadKeystore } from "../keystore.js";
import { UsageError } from "../output.js";
import { eachXml } from "./duis.js";

const DEVICE_TYPES: readonly DeviceType[] = ["ESME", "GSME", "CHF", "GPF", "PPMID", "HCALCS", "IHD"];

export async function transform(files: readonly string[], keystore: string | undefined, deviceTypeOption: string | undefined): Promise<number> {
  if (deviceTypeOption !== undefined && !DEVICE_TYPES.includes(deviceTypeOption as DeviceType)) {
    throw new UsageError(`--device-type must be one of ${DEVICE_TYPES.join(", ")}`);
  }
  const ring = keystore ? await loadKeystore(keystore) : null;
  return eachXml(files, async (xml) => {
    const request = parseRequest(xml);
    const { header, body } = request;
    if (isSignedPreCommand(body)) return { error: "a Signed Pre-Command is already GBCS: MAC it with `opendcc gbcs mac`" };
    const srv = header.serviceReferenceVariant;
    const deviceType = (deviceTypeOption as DeviceType | undefined) ?? deviceTypeOf(srv, header.requestId.target);
    if (typeof deviceType !== "string") return deviceType;
    try {
      const result = transformRequest({
        srv, deviceType, commandVariant: header.commandVariant, requestId: header.requestId,
        executionDateTime: body.executionDateTime, body: body.content,
      });
      const described = { deviceType, useCase: result.useCase, messageCode: formatMessageCode(result.messageCode), critical: result.critical };
      if (result.critical) return { ...described, preCommand: toHex(result.apdu) };
      return { ...described, ...(await macCommand(result.apdu, ring)) };
    } catch (error) {
      if (error instanceof TransformError) return { deviceType, error: error.message };
      throw error;
    }
  });
}

/** Which device the target is: the reference estate's, or the only type the SRV is encoded for. */
function deviceTypeOf(srv: string, target: string): DeviceType | { error: string } {
  const known = REFERENCE_ESTATE[target];
  if (known) return known;
  const types = transformableServices().filter((s) => s.srv === srv).map((s) => s.deviceType);
  if (types.length === 1) return types[0] as DeviceType;
  if (types.length === 0) return { error: `no GBCS transform for SRV ${srv} yet` };
  return { error: `SRV ${srv} is encoded for ${types.join(", ")}: say which ${target} is with --device-type` };
}

async function macCommand(apdu: Uint8Array, ring: KeyRing | null): Promise<Record<string, string>> {
  const generalSigning = toHex(apdu);
  if (!ring) return { generalSigning, error: "a non-critical command is MAC'd by the Access Control Broker: give --keystore DIR holding its key-agreement key" };
  try {
    return { command: toHex(await protectApdu(apdu, ring)) };
  } catch (error) {
    return { generalSigning, error: (error as Error).message };
  }
}
