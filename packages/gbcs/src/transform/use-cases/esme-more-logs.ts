// ESME log reads: ECS35a/b/e/f/g (SRV 6.13, event, security, power-event and ALCS event logs over a
// period) and ECS66 (SRV 4.17, the daily consumption log, read as protected attributes).
import { DLMS, type GbcsWriter } from "@opendcc/kernel";
import { defineUseCase, type EncodeContext, type UseCaseEncoder } from "../types.js";
import { action, CLASS, logRange, readLogPeriod, request, writeDateTime } from "./esme-more-dlms.js";

interface EsmeLog {
  readonly useCase: string;
  readonly messageCode: number;
  readonly profile: string;
}

/** LogToRead -> use case, message code and profile. */
const ESME_LOGS: Readonly<Record<string, EsmeLog>> = {
  Event: { useCase: "ECS35a", messageCode: 0x0048, profile: "0-0:99.98.0.255" },
  Security: { useCase: "ECS35b", messageCode: 0x0049, profile: "0-0:99.98.1.255" },
  PowerEvent: { useCase: "ECS35e", messageCode: 0x00b9, profile: "0-0:99.98.4.255" },
  ALCSEvent: { useCase: "ECS35f", messageCode: 0x00ba, profile: "0-17:99.98.2.255" },
};
/**
 * The ALCS event log read by a Network Operator is ECS35g (0x00FD), by a supplier ECS35f: the same
 * command, told apart by the sender's role, which the caller knows (it names ECS35g in useCase).
 */
const ALCS_EVENT_LOG_BY_NETWORK_OPERATOR: EsmeLog = { ...(ESME_LOGS["ALCSEvent"] as EsmeLog), useCase: "ECS35g", messageCode: 0x00fd };

function esmeLog({ fields, input }: EncodeContext): EsmeLog {
  const log = fields.oneOf(ESME_LOGS, "LogToRead");
  return log === ESME_LOGS["ALCSEvent"] && input.useCase === ALCS_EVENT_LOG_BY_NETWORK_OPERATOR.useCase ? ALCS_EVENT_LOG_BY_NETWORK_OPERATOR : log;
}

const ECS35 = defineUseCase({
  useCase: "ECS35a/ECS35b/ECS35e/ECS35f/ECS35g", srv: "6.13", deviceTypes: ["ESME"], critical: false,
  chosenUseCase: (context) => esmeLog(context).useCase,
  messageCode: (context) => esmeLog(context).messageCode,
  write: (w, context) => {
    const { from, to } = readLogPeriod(context.fields);
    request(w, context.counter, [[{ access: "getWithSelection", classId: CLASS.profile, obis: esmeLog(context).profile, id: 2, selection: logRange(from, to) }]]);
  },
});

/**
 * get_protected_attributes of the Data Protection object (gbcs.md section 4, encrypted reads): the
 * attributes to read (here one profile by time range) and the protection the response is to
 * carry: authenticated encryption with a key agreed between the remote party and the device.
 */
const DATA_PROTECTION = "0-0:43.2.4.255";
const DAILY_CONSUMPTION_LOG = Uint8Array.of(0, 0, 99, 1, 3, 255);
const RANGE_SELECTOR = 1;
const AUTHENTICATED_ENCRYPTION = 2;
const AGREED_KEY = 2;
/** Key parameters: C(0e, 2s ECC CDH), the one-pass Diffie-Hellman scheme GBCS names. */
const ONE_PASS_DIFFIE_HELLMAN = Uint8Array.of(0x02);
const TRANSACTION_ID_TAG = 0x04;

function writeProtectionParameters(w: GbcsWriter, context: EncodeContext): void {
  w.dlmsStructure(2).dlmsNumber(DLMS.enum, AUTHENTICATED_ENCRYPTION);
  w.dlmsStructure(5);
  w.byte(0x09).length(9).byte(TRANSACTION_ID_TAG).uint(context.counter, 8);
  w.dlmsOctets(context.originator).dlmsOctets(context.recipient).dlmsOctets(new Uint8Array(0));
  w.dlmsStructure(2).dlmsNumber(DLMS.enum, AGREED_KEY).dlmsStructure(2).dlmsOctets(ONE_PASS_DIFFIE_HELLMAN).dlmsOctets(new Uint8Array(0));
}

// ECS66 Read ESME Daily Consumption Log (SRV 4.17).
const ECS66 = defineUseCase({
  useCase: "ECS66", srv: "4.17", deviceTypes: ["ESME"], messageCode: 0x0060, critical: false,
  write: (w, context) => {
    const { from, to } = readLogPeriod(context.fields);
    request(w, context.counter, [[action(CLASS.dataProtection, DATA_PROTECTION, 1), (x) => {
      x.dlmsStructure(2).dlmsArray(1);
      x.dlmsStructure(5).dlmsNumber(DLMS.uint16, CLASS.profile).dlmsOctets(DAILY_CONSUMPTION_LOG).dlmsNumber(DLMS.int8, 2).dlmsNumber(DLMS.uint16, 0);
      x.dlmsStructure(2).dlmsNumber(DLMS.enum, RANGE_SELECTOR).dlmsStructure(2);
      writeDateTime(x, from);
      writeDateTime(x, to);
      x.dlmsArray(1);
      writeProtectionParameters(x, context);
    }]]);
  },
});

export const ESME_MORE_LOG_ENCODERS: readonly UseCaseEncoder[] = [ECS35, ECS66];
