// ESME reads (ECS17-ECS27 except the sets): plain attribute gets, time-range log reads and the
// encrypted reads through the Data Protection objects. OBIS codes and attribute lists as the RTDS
// 4.5.0 commands carry them.
import type { UseCaseEncoder } from "../types.js";
import { get, getRange, gets, protectedRead, readLogPeriod } from "./esme-dlms.js";
import { esmeService, fixed, type EsmeUseCase } from "./esme-use-case.js";
import { onBehalfOfUser, unknownRemotePartyHeader } from "../acb.js";

const REGISTER = 3;
const DATA = 1;
const PROFILE = 7;
const EXTENDED_REGISTER = 4;
const SCRIPT_TABLE = 10;
const REGISTER_MONITOR = 21;
const LIMITER = 71;
const GBCS_OBJECT = 9000;

/** A plain read, the same whatever the request says. */
const read = (useCase: string, messageCode: number, rows: readonly (readonly [number, string, number])[]): EsmeUseCase => fixed(useCase, messageCode, gets(rows));

/** A log read of one profile between ReadLogPeriod's start and end. */
const logRead = (useCase: string, messageCode: number, profile: string): EsmeUseCase => ({
  useCase, messageCode, accesses: (context) => [getRange(PROFILE, profile, 2, readLogPeriod(context.fields))],
});

/** An encrypted read of the instantaneous registers behind a Data Protection object. */
const protectedRegisters = (useCase: string, messageCode: number, dataProtection: string, registers: string): EsmeUseCase => ({
  useCase, messageCode, accesses: (context) => [protectedRead(dataProtection, [{ classId: DATA, obis: registers }])(context)],
});

/** An encrypted read of profile logs between ReadLogPeriod's start and end. */
const protectedLogs = (useCase: string, messageCode: number, dataProtection: string, profiles: readonly string[]): EsmeUseCase => ({
  useCase, messageCode, accesses: (context) => {
    const period = readLogPeriod(context.fields);
    return [protectedRead(dataProtection, profiles.map((obis) => ({ classId: PROFILE, obis, period })))(context)];
  },
});

/** Voltage statistics of one phase (C = 32, 52, 72): counters, RMS log and its period. */
const voltagePhase = (c: number) => (context: Parameters<EsmeUseCase["accesses"]>[0]) => [
  get(REGISTER, `1-0:${c}.32.0.4`, 2), get(REGISTER, `1-0:${c}.32.0.4`, 3),
  get(REGISTER, `1-0:${c}.36.0.4`, 2), get(REGISTER, `1-0:${c}.36.0.4`, 3),
  getRange(PROFILE, `1-0:${c}.24.0.255`, 2, readLogPeriod(context.fields)),
  get(PROFILE, `1-0:${c}.24.0.255`, 4),
];

const RMS_VOLTAGE_LIMITERS = [1, 2, 3, 4].flatMap((n) => [[LIMITER, `0-0:17.0.${n}.255`, 4], [LIMITER, `0-0:17.0.${n}.255`, 6]] as const);
const averageVoltageThresholds = (phases: readonly number[]) => phases.flatMap((c, i) => {
  const over = [DATA, `1-0:${c}.35.0.4`, 2] as const;
  const under = [DATA, `1-0:${c}.31.0.4`, 2] as const;
  return i === 0 ? [over, under] : [under, over];
});

const IDENTITY = [[DATA, "0-0:96.1.4.255", 2], [DATA, "0-0:96.1.6.255", 2]] as const;

export const ESME_READ_ENCODERS: readonly UseCaseEncoder[] = [
  // 4.1.1 Read Instantaneous Import Registers: ECS17b.
  esmeService({ srv: "4.1.1", critical: false, useCases: [protectedRegisters("ECS17b", 0x0027, "0-0:43.2.8.255", "0-0:94.44.34.10")] }),
  esmeService({ srv: "4.1.2", critical: false, useCases: [protectedRegisters("ECS17d", 0x0029, "0-0:43.2.9.255", "0-0:94.44.34.1")] }),
  esmeService({ srv: "4.1.3", critical: false, useCases: [protectedRegisters("ECS17e", 0x002a, "0-0:43.2.10.255", "0-0:94.44.34.2")] }),
  esmeService({ srv: "4.2", critical: false, useCases: [read("ECS17a", 0x0026, [
    [REGISTER, "1-0:2.8.0.255", 2], [REGISTER, "1-0:2.8.0.255", 3], [REGISTER, "1-0:4.8.0.255", 2], [REGISTER, "1-0:4.8.0.255", 3],
  ])] }),
  esmeService({ srv: "4.16", critical: false, useCases: [read("ECS17c", 0x0028, [[DATA, "0-0:94.44.34.20", 2]])] }),
  esmeService({ srv: "4.12.1", critical: false, useCases: [read("ECS18b", 0x002c, [
    [DATA, "0-0:94.44.5.0", 2], [DATA, "0-0:94.44.5.1", 2],
    [EXTENDED_REGISTER, "1-0:1.6.0.255", 2], [EXTENDED_REGISTER, "1-0:1.6.0.255", 3], [EXTENDED_REGISTER, "1-0:1.6.0.255", 5],
    [EXTENDED_REGISTER, "1-0:1.6.1.255", 2], [EXTENDED_REGISTER, "1-0:1.6.1.255", 3], [EXTENDED_REGISTER, "1-0:1.6.1.255", 5],
    [SCRIPT_TABLE, "0-0:12.0.0.255", 2],
  ])] }),
  esmeService({ srv: "4.12.2", critical: false, useCases: [read("ECS18a", 0x002b, [
    [DATA, "0-0:94.44.5.2", 2], [EXTENDED_REGISTER, "1-0:2.6.0.255", 2], [EXTENDED_REGISTER, "1-0:2.6.0.255", 3], [EXTENDED_REGISTER, "1-0:2.6.0.255", 5],
  ])] }),
  esmeService({ srv: "4.4.4", critical: false, useCases: [logRead("ECS20a", 0x002e, "0-0:98.1.4.255")] }),
  esmeService({ srv: "4.4.2", critical: false, useCases: [protectedLogs("ECS20b", 0x002f, "0-0:43.2.3.255", ["0-0:98.1.2.255"])] }),
  esmeService({ srv: "4.4.3", critical: false, useCases: [protectedLogs("ECS20c", 0x0030, "0-0:43.2.2.255", ["0-0:98.1.0.255", "0-0:98.1.1.255"])] }),
  esmeService({ srv: "4.4.5", critical: false, useCases: [logRead("ECS20d", 0x00c9, "0-0:98.1.5.255")] }),
  esmeService({ srv: "4.6.1", critical: false, useCases: [protectedLogs("ECS21a", 0x0033, "0-0:43.2.5.255", ["0-0:98.1.9.255"])] }),
  // 4.14: with KAPublicSecurityCredentials the party is unknown to the meter (URP) and the ACB sends.
  esmeService({ srv: "4.14", critical: false, header: unknownRemotePartyHeader, useCases: [protectedLogs("ECS21b", 0x0034, "0-0:43.2.6.255", ["0-0:98.1.8.255"])] }),
  // 4.6.2: an export supplier is not a remote party of the ESME, so the ACB sends its request (RTDS
  // ECS21c); the gateway, which knows the user's role, says so by giving the ACB's counter.
  esmeService({
    srv: "4.6.2", critical: false, header: (context) => (context.input.acbCounter === undefined ? {} : onBehalfOfUser(context)),
    useCases: [logRead("ECS21c", 0x0035, "0-0:98.1.10.255")],
  }),
  esmeService({ srv: "4.8.1", critical: false, useCases: [protectedLogs("ECS22b", 0x0037, "0-0:43.2.7.255", ["0-0:99.1.0.255"])] }),
  esmeService({ srv: "4.8.2", critical: false, useCases: [logRead("ECS22c", 0x0038, "0-0:99.1.2.255")] }),
  esmeService({ srv: "4.8.3", critical: false, useCases: [logRead("ECS22a", 0x0036, "0-0:99.1.1.255")] }),
  // 4.10: ECS23 on a single-phase ESME (default), ECS23b on a polyphase one.
  esmeService({ srv: "4.10", critical: false, useCases: [
    { useCase: "ECS23", messageCode: 0x0039, accesses: voltagePhase(32) },
    { useCase: "ECS23b", messageCode: 0x00bc, accesses: (context) => [32, 52, 72].flatMap((c) => voltagePhase(c)(context)) },
  ] }),
  esmeService({ srv: "4.11.1", critical: false, useCases: [read("ECS24", 0x003a, [
    [REGISTER, "0-0:94.44.1.7", 2], [REGISTER, "0-0:94.44.1.7", 3],
    [20, "0-0:13.0.0.255", 3], [20, "0-0:13.0.0.255", 4], [20, "0-0:13.0.0.255", 5], [11, "0-0:11.0.0.255", 2],
    ...[11, 12, 13, 14, 15, 16, 17, 18].map((e) => [REGISTER_MONITOR, `0-0:16.0.${e}.255`, 2] as const),
    [GBCS_OBJECT, "0-0:94.44.2.0", 2], [113, "0-0:19.20.4.255", 5], [113, "0-0:19.20.0.255", 5],
  ])] }),
  esmeService({ srv: "4.13", critical: false, useCases: [read("ECS26a", 0x003b, [
    [113, "0-0:19.20.1.255", 5], [11, "0-0:11.0.2.255", 2], [113, "0-0:19.20.1.255", 8], [113, "0-0:19.20.1.255", 5],
    [113, "0-0:19.20.2.255", 5], [113, "0-0:19.20.2.255", 8], [113, "0-0:19.20.2.255", 5], [113, "0-0:19.20.3.255", 13],
    [GBCS_OBJECT, "0-0:94.44.2.10", 2], [REGISTER_MONITOR, "0-0:16.0.1.255", 2], [GBCS_OBJECT, "0-0:94.44.2.20", 2],
    [111, "0-0:19.0.0.255", 16], [111, "0-0:19.0.0.255", 18], [111, "0-0:19.0.0.255", 19],
    [112, "0-0:19.10.1.255", 9], [112, "0-0:19.10.1.255", 10], [SCRIPT_TABLE, "0-0:12.0.1.255", 2], [111, "0-0:19.0.0.255", 11],
  ])] }),
  esmeService({ srv: "4.15", critical: false, useCases: [read("ECS27", 0x0042, [
    [GBCS_OBJECT, "0-0:94.44.0.3", 2], [REGISTER, "0-0:94.44.42.255", 2], [REGISTER, "0-0:94.44.42.255", 3],
    [LIMITER, "0-0:17.0.0.255", 4], [LIMITER, "0-0:17.0.0.255", 6], [LIMITER, "0-0:17.0.0.255", 7],
  ])] }),
  // 6.2.1: ECS26k on a polyphase ESME (default: the RTDS sample's), ECS26b on a single-phase one.
  esmeService({ srv: "6.2.1", critical: false, useCases: [
    read("ECS26k", 0x00c6, [...RMS_VOLTAGE_LIMITERS, ...averageVoltageThresholds([32, 52, 72])]),
    read("ECS26b", 0x003c, [...RMS_VOLTAGE_LIMITERS, ...averageVoltageThresholds([32])]),
  ] }),
  esmeService({ srv: "6.2.2", critical: false, useCases: [read("ECS26c", 0x003d, [[DATA, "0-0:94.44.0.0", 2], [DATA, "0-0:94.44.0.2", 2], [DATA, "0-0:94.44.0.1", 2]])] }),
  // 6.2.3: the same read, message code ECS26d (default) or, on ESMEs supporting all billing
  // periodicities, ECS26l.
  esmeService({ srv: "6.2.3", critical: false, useCases: [
    read("ECS26d", 0x003e, [[22, "0-0:15.0.0.255", 4]]),
    read("ECS26l", 0x00d9, [[22, "0-0:15.0.0.255", 4]]),
  ] }),
  esmeService({ srv: "6.2.4", critical: false, useCases: [read("ECS26m", 0x00f9, [[DATA, "0-0:96.1.2.255", 2], ...IDENTITY, [DATA, "0-0:94.44.0.4", 2]])] }),
  // 6.2.4 on the Communications Hub Function: sent by the ACB on the user's behalf.
  esmeService({ srv: "6.2.4", deviceTypes: ["CHF"], critical: false, header: onBehalfOfUser, useCases: [
    read("ECS26n", 0x00fa, IDENTITY),
    read("ECS26i", 0x0092, [[DATA, "0-0:96.1.1.255", 2], ...IDENTITY]),
  ] }),
  esmeService({ srv: "6.2.9", critical: false, useCases: [read("ECS26j", 0x00be, [[111, "0-0:19.0.0.255", 2]])] }),
  // 6.2.10: the network operator's alert behaviours (ECS25r2, default: the RTDS sample's) or the
  // supplier's (ECS25r1); the user's role decides.
  esmeService({ srv: "6.2.10", critical: false, useCases: [
    read("ECS25r2", 0x00ef, [[DATA, "0-33:97.98.15.255", 2], [DATA, "0-33:97.98.18.255", 2]]),
    read("ECS25r1", 0x00ee, [15, 16, 17, 18].map((e) => [DATA, `0-30:97.98.${e}.255`, 2] as const)),
  ] }),
];
