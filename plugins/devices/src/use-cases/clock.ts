// Clock synchronisation at commissioning (SRV 8.1.1 Commission Device; also 6.11). The emulated
// devices keep the emulator's clock, so synchronising is checking it against the command's
// validity window. ECS70 (ESME, DLMS): set the clock base, preset the adjusting time with its
// window, adjust to it, then read time and status (RTDS ECS70Commission SUCCESS: every result
// success, the time and status 0); outside the window the adjustment fails ("other reason").
// GCS28 (GSME, ASN.1): the device answers its time and whether it is within the window (0
// reliable; 2 as the RTDS GCS28Commission ERROR response gives for a time outside it).
import { ROLE } from "../model.js";
import { ACCESS, RESULT, accessResponse } from "../protocol/dlms.js";
import { derGeneralizedTime, derInteger, derSequence } from "../protocol/asn1.js";
import { cosemDateTime } from "../protocol/frames.js";
import { DLMS } from "@opendcc/kernel";
import { at, defineUseCase, list, type CommandContext } from "./types.js";

const CLOCK_STATUS_OK = 0;
const GAS_TIME_STATUS = { reliable: 0, outsideWindow: 2 } as const;

function within(context: CommandContext, from: unknown, to: unknown): boolean {
  const start = Date.parse(String(from));
  const end = Date.parse(String(to));
  const now = context.now.getTime();
  return Number.isFinite(start) && Number.isFinite(end) && start <= now && now <= end;
}

const CHOICE: Readonly<Record<string, (typeof ACCESS)[keyof typeof ACCESS]>> = { get: ACCESS.get, set: ACCESS.set, action: ACCESS.action };

export const ECS70 = defineUseCase({
  name: "ECS70", messageCode: 0x0062, kinds: ["ESME"], critical: true, roles: [ROLE.supplier], dateTime: false,
  execute(context) {
    const requests = list(context.command.payload.fields, "requests");
    const preset = requests.find((r) => at(r, "method") === "presetAdjustingTime");
    const [, from, to] = (at(preset, "value") ?? []) as unknown[];
    const inWindow = within(context, from, to);
    const time = cosemDateTime(context.now, 0xff);
    return accessResponse(context.header.counter, requests.map((request) => {
      const choice = CHOICE[String(at(request, "service"))] ?? ACCESS.get;
      const attribute = at(request, "attribute");
      if (at(request, "method") === "adjustToPresetTime" && !inWindow) return { choice, result: RESULT.otherReason };
      if (attribute === "time") return { choice, result: RESULT.success, data: (w) => void w.dlmsOctets(time) };
      if (attribute === "status") return { choice, result: RESULT.success, data: (w) => void w.dlmsNumber(DLMS.uint8, CLOCK_STATUS_OK) };
      return { choice, result: RESULT.success };
    }));
  },
});

export const GCS28 = defineUseCase({
  name: "GCS28", messageCode: 0x007f, kinds: ["GSME"], critical: true, roles: [ROLE.supplier], dateTime: false,
  execute(context) {
    const fields = context.command.payload.fields;
    const status = within(context, at(fields, "validityIntervalStart"), at(fields, "validityIntervalEnd")) ? GAS_TIME_STATUS.reliable : GAS_TIME_STATUS.outsideWindow;
    return derSequence(derGeneralizedTime(context.now), derInteger(status));
  },
});
