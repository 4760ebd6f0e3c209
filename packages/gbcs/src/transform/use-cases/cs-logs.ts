// CS10a / CS10b Read ZigBee Device Event or Security Log (SRV 6.13) and CS11 Clear ZigBee Device
// Event Log (SRV 3.3) on the GSME: ZCL Events cluster (0709) commands. The ESME forms (ECS35x,
// ECS15x) are DLMS and live with the ESME use cases.
import { clientCommand, writeGbz, zigbeeTime } from "../gbz.js";
import { defineUseCase, type EncodeContext } from "../types.js";

const EVENTS = 0x0709;
const GET_EVENT_LOG = 0x00;
const CLEAR_EVENT_LOG_REQUEST = 0x01;

/**
 * Per log: message code and the Event Control / Log ID byte of Get Event Log (log id in the low
 * nibble, 3 general event log, 4 security event log; the RTDS asks the event log with event
 * control 1 and the security log with 0).
 */
const LOGS = {
  Event: { useCase: "CS10a", messageCode: 0x0014, controlAndLog: 0x13 },
  Security: { useCase: "CS10b", messageCode: 0x00a1, controlAndLog: 0x04 },
} as const;
const GENERAL_EVENT_LOG = 0x03;

const logOf = (context: EncodeContext) => context.fields.oneOf(LOGS, "LogToRead");

// Get Event Log: control/log id, event id 0 (all), start and end time (ZigBee UTC, little-endian),
// number of events 0 (all), event offset 0.
const CS10 = defineUseCase({
  useCase: "CS10a/CS10b", srv: "6.13", deviceTypes: ["GSME"], critical: false,
  chosenUseCase: (context) => logOf(context).useCase,
  messageCode: (context) => logOf(context).messageCode,
  write: (w, context) => {
    const log = logOf(context);
    const start = zigbeeTime(context.fields.dateTime("ReadLogPeriod", "StartDateTime"));
    const end = zigbeeTime(context.fields.dateTime("ReadLogPeriod", "EndDateTime"));
    writeGbz(w, [clientCommand(EVENTS, GET_EVENT_LOG, (p) => p.byte(log.controlAndLog).uintLe(0, 2).uintLe(start, 4).uintLe(end, 4).byte(0).uintLe(0, 2))]);
  },
});

const CS11 = defineUseCase({
  useCase: "CS11", srv: "3.3", deviceTypes: ["GSME"], messageCode: 0x0015, critical: false,
  write: (w) => writeGbz(w, [clientCommand(EVENTS, CLEAR_EVENT_LOG_REQUEST, (p) => p.byte(GENERAL_EVENT_LOG))]),
});

export const LOG_ENCODERS = [CS10, CS11] as const;
