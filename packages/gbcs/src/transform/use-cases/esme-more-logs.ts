// ESME log reads: ECS35a/b/e/f (SRV 6.13, event, security, power-event and ALCS event logs over a
// period) and ECS66 (SRV 4.17, the daily consumption log, read as protected attributes).
import { DLMS, type GbcsWriter } from "@opendcc/kernel";
import type { ServiceFields } from "../fields.js";
import { defineUseCase, type EncodeContext, type UseCaseEncoder } from "../types.js";
import { action, CLASS, logRange, readLogPeriod, request, writeDateTime } from "./esme-more-dlms.js";

/** LogToRead -> message code and profile. ALCSEvent read by a network operator is ECS35g (0x00FD). */
const ESME_LOGS: Readonly<Record<string, readonly [number, string]>> = {
  Event: [0x0048, "0-0:99.98.0.255"],
  Security: [0x0049, "0-0:99.98.1.255"],
  PowerEvent: [0x00b9, "0-0:99.98.4.255"],
  ALCSEvent: [0x00ba, "0-17:99.98.2.255"],
};
const esmeLog = (fields: ServiceFields) => fields.oneOf(ESME_LOGS, "LogToRead");

const ECS35 = defineUseCase({
  useCase: "ECS35", srv: "6.13", deviceTypes: ["ESME"], critical: false,
  messageCode: ({ fields }) => esmeLog(fields)[0],
  write: (w, { counter, fields }) => {
    const { from, to } = readLogPeriod(fields);
    request(w, counter, [[{ access: "getWithSelection", classId: CLASS.profile, obis: esmeLog(fields)[1], id: 2, selection: logRange(from, to) }]]);
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
