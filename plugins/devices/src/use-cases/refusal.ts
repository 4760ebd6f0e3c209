// What a device answers when it cannot carry a command out: for a use case the emulator does not
// model yet, or a command whose content it refuses. Never a made-up success: DLMS answers every
// request with "other reason" (250), GBZ every component with a ZCL Default Response (unsupported
// cluster command 0x81, or invalid field 0x85). ASN.1 use cases have no generic failure form, so
// for them the caller gets null (the transport then reports the failure).
import type { ParsedMessage } from "@opendcc/gbcs";
import { ACCESS, RESULT, accessResponse } from "../protocol/dlms.js";
import { SERVER_PROFILE_WIDE, defaultResponse, gbzPayload } from "../protocol/gbz.js";
import { at, list } from "./types.js";

export const ZCL_STATUS = { unsupportedClusterCommand: 0x81, invalidField: 0x85 } as const;

const CHOICE: Readonly<Record<string, (typeof ACCESS)[keyof typeof ACCESS]>> = {
  get: ACCESS.get, getWithSelection: ACCESS.get, set: ACCESS.set, action: ACCESS.action,
};

export function refusal(command: ParsedMessage, counter: bigint, zclStatus: number = ZCL_STATUS.unsupportedClusterCommand): Uint8Array | null {
  const fields = command.payload.fields;
  if (command.payload.family === "DLMS") {
    const requests = list(fields, "requests");
    return accessResponse(counter, requests.map((r) => ({ choice: CHOICE[String(at(r, "service"))] ?? ACCESS.get, result: RESULT.otherReason })));
  }
  if (command.payload.family === "GBZ") {
    return gbzPayload(list(fields, "components").map((c) => ({
      cluster: Number.parseInt(String(at(c, "clusterId")), 16), frameControl: SERVER_PROFILE_WIDE,
      sequence: Number(at(c, "sequenceNumber") ?? 0), commandId: 0x0b, payload: defaultResponse(Number(at(c, "commandId") ?? 0), zclStatus),
    })));
  }
  return null;
}
