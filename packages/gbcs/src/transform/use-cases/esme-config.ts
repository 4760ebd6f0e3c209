// ESME display, tenancy, event log and device configuration commands (ECS10-ECS16, ECS28, ECS29;
// SRVs 3.x, 6.4.x, 6.5, 6.27). Objects and attribute orders as the RTDS 4.5.0 commands use them.
import { DLMS } from "@opendcc/kernel";
import type { ServiceFields } from "../fields.js";
import { TransformError, type EncodeContext, type UseCaseEncoder } from "../types.js";
import { action, activationTime, cosemUtc, set, type Access, type Write } from "./esme-dlms.js";
import { esmeService, fixed, type EsmeUseCase } from "./esme-use-case.js";

const DATA = 1;
const REGISTER = 3;
const PROFILE = 7;
const LIMITER = 71;
const GBCS_OBJECT = 9000;

const text = (value: string): Write => (w) => w.dlmsOctets(new TextEncoder().encode(value));
const uint32 = (fields: ServiceFields, name: string): Write => (w) => w.dlmsNumber(DLMS.uint32, fields.intIn(0, 0xffffffff, name));
const resetZero: Write = (w) => w.dlmsNumber(DLMS.int8, 0);

/** 3.2: the change-of-tenancy date-time (an octet-string COSEM date-time). */
const ECS12: EsmeUseCase = {
  useCase: "ECS12", messageCode: 0x0022,
  accesses: (context) => [set(DATA, "0-0:94.44.3.2", 2, (w) => cosemUtc(w.byte(0x09).byte(12), context.fields.dateTime("RestrictionDateTime")))],
};

/** 3.3: the ESME event log (ECS15a) or the ALCS event log (ECS15c), reset (Profile method 1). */
const clearLog = (useCase: string, messageCode: number, log: string): EsmeUseCase => fixed(useCase, messageCode, [action(PROFILE, log, 1, resetZero)]);

/** 6.4.1 Load limiting settings: supply disable on limit, power threshold, period, restoration. */
const LOAD_LIMIT_SUPPLY_STATE: Readonly<Record<string, boolean>> = { Disable: true, Unchanged: false };
const LOAD_LIMIT = ["0-0:94.44.0.3", "0-0:94.44.128.7", "0-0:94.44.128.6", "0-0:94.44.128.8"] as const;

function loadLimitSettings(context: EncodeContext): Access[] {
  const f = context.fields;
  const values: Write[] = [
    (w) => w.dlmsNumber(DLMS.boolean, f.oneOf(LOAD_LIMIT_SUPPLY_STATE, "LoadLimitSupplyState") ? 0xff : 0x00),
    uint32(f, "LoadLimitPowerThreshold"), uint32(f, "LoadLimitPeriod"), uint32(f, "LoadLimitRestorationPeriod"),
  ];
  return [
    ...LOAD_LIMIT.map((obis, i) => set(GBCS_OBJECT, obis, 4, values[i] as Write)),
    ...LOAD_LIMIT.map((obis) => set(GBCS_OBJECT, obis, 6, activationTime(context))),
  ];
}

// 6.5 Update voltage configuration. RMS extreme over/under, sag and swell: Limiters 0-0:17.0.1-4
// (threshold attribute 4, period attribute 6). Average RMS per phase (C = 32, 52, 72): over and
// under thresholds 1-0:C.35.0.4 / 1-0:C.31.0.4 and the period of profile 1-0:C.24.0.255.
const RMS_LIMITS = [
  ["RMSExtremeOverVoltageThreshold", "RMSExtremeOverVoltageMeasurementPeriod"],
  ["RMSExtremeUnderVoltageThreshold", "RMSExtremeUnderVoltageMeasurementPeriod"],
  ["RMSVoltageSagThreshold", "RMSVoltageSagMeasurementPeriod"],
  ["RMSVoltageSwellThreshold", "RMSVoltageSwellMeasurementPeriod"],
] as const;
const PHASE_C = [32, 52, 72] as const;

interface PhaseSettings {
  readonly c: number;
  readonly settings: ServiceFields;
}

function phases(fields: ServiceFields): PhaseSettings[] {
  const single = fields.find("SinglePhaseVoltageSettings");
  if (single) return [{ c: 32, settings: single }];
  const poly = fields.all("PolyPhaseVoltageSettings").map((p) => ({ c: PHASE_C[p.intIn(1, 3, "Phase") - 1] as number, settings: p.get("PhaseVoltageSettings") }));
  if (poly.length === 0) throw new TransformError("UpdateDeviceConfigurationVoltage needs SinglePhaseVoltageSettings or PolyPhaseVoltageSettings", "UpdateDeviceConfigurationVoltage");
  return poly.sort((a, b) => a.c - b.c);
}

function voltageSettings(context: EncodeContext): Access[] {
  const f = context.fields;
  const rms = f.get("RMSVoltageSettings");
  const limiters = RMS_LIMITS.flatMap(([threshold, period], i) => [
    set(LIMITER, `0-0:17.0.${i + 1}.255`, 4, uint32(rms, threshold)),
    set(LIMITER, `0-0:17.0.${i + 1}.255`, 6, uint32(rms, period)),
  ]);
  const ps = phases(f);
  const periods = ps.map(({ c, settings }) => set(PROFILE, `1-0:${c}.24.0.255`, 4, uint32(settings, "AverageRMSVoltageMeasurementPeriod")));
  const over = ({ c, settings }: PhaseSettings) => set(DATA, `1-0:${c}.35.0.4`, 2, uint32(settings, "AverageRMSOverVoltageThreshold"));
  const under = ({ c, settings }: PhaseSettings) => set(DATA, `1-0:${c}.31.0.4`, 2, uint32(settings, "AverageRMSUnderVoltageThreshold"));
  if (f.has("RMSVoltageCountersNotReset")) {
    // ECS29c/d: thresholds (under, over) per phase, then periods, then the limiters.
    return [...ps.flatMap((p) => [under(p), over(p)]), ...periods, ...limiters];
  }
  // ECS29a/b: periods, limiters, thresholds (phase 1 over then under, others under then over),
  // then the RMS voltage counters are reset.
  const thresholds = ps.flatMap((p, i) => (i === 0 ? [over(p), under(p)] : [under(p), over(p)]));
  return [...periods, ...limiters, ...thresholds, ...rmsCounterResets(ps.map((p) => p.c))];
}

/** Resets the sag and swell counters (Registers 1-0:C.32.0.4 and 1-0:C.36.0.4, method 1). */
const rmsCounterResets = (cs: readonly number[]): Access[] =>
  cs.flatMap((c) => [action(REGISTER, `1-0:${c}.32.0.4`, 1, resetZero), action(REGISTER, `1-0:${c}.36.0.4`, 1, resetZero)]);

function voltageUseCase(context: EncodeContext): string {
  const poly = context.fields.has("PolyPhaseVoltageSettings");
  if (context.fields.has("RMSVoltageCountersNotReset")) return poly ? "ECS29d" : "ECS29c";
  return poly ? "ECS29b" : "ECS29a";
}

export const ESME_CONFIG_ENCODERS: readonly UseCaseEncoder[] = [
  esmeService({ srv: "3.1", critical: false, useCases: [{ useCase: "ECS10", messageCode: 0x0021, accesses: (context) => [set(DATA, "0-2:96.13.1.255", 2, text(context.fields.text("SupplierMessage")))] }] }),
  esmeService({ srv: "3.2", critical: false, useCases: [ECS12] }),
  esmeService({
    srv: "3.3", critical: false,
    useCases: [clearLog("ECS15a", 0x0024, "0-0:99.98.0.255"), clearLog("ECS15c", 0x00c1, "0-17:99.98.2.255")],
    choose: (context) => ({ ESME: "ECS15a", ALCS: "ECS15c" } as Record<string, string>)[context.fields.text("ESMEEventLogType")]
      ?? (() => { throw new TransformError(`ESMEEventLogType "${context.fields.text("ESMEEventLogType")}" is not ESME or ALCS`, "ESMEEventLogType"); })(),
  }),
  esmeService({ srv: "3.4", critical: false, useCases: [{
    useCase: "ECS16", messageCode: 0x0025,
    accesses: (context) => [set(GBCS_OBJECT, "0-0:96.13.0.255", 2, text(context.fields.text("SupplierTelephoneNumber"))), set(GBCS_OBJECT, "0-0:96.13.1.255", 2, text(context.fields.text("SupplierName")))],
  }] }),
  esmeService({ srv: "3.5", critical: false, useCases: [fixed("ECS14", 0x0023, [set(DATA, "0-0:94.44.3.1", 2, text(""))])] }),
  esmeService({ srv: "6.4.1", critical: true, useCases: [{ useCase: "ECS28a", messageCode: 0x0043, accesses: loadLimitSettings }] }),
  esmeService({ srv: "6.4.2", critical: false, useCases: [fixed("ECS28b", 0x0044, [action(REGISTER, "0-0:94.44.42.255", 1, resetZero)])] }),
  esmeService({
    srv: "6.5", critical: false, choose: voltageUseCase,
    useCases: [
      { useCase: "ECS29a", messageCode: 0x0045, accesses: voltageSettings },
      { useCase: "ECS29b", messageCode: 0x00ae, accesses: voltageSettings },
      { useCase: "ECS29c", messageCode: 0x00d1, accesses: voltageSettings },
      { useCase: "ECS29d", messageCode: 0x00d2, accesses: voltageSettings },
    ],
  }),
  // 6.27: polyphase (ECS29f, default: the RTDS sample's) or single-phase (ECS29e) ESME.
  esmeService({ srv: "6.27", critical: false, useCases: [fixed("ECS29f", 0x00d4, rmsCounterResets(PHASE_C)), fixed("ECS29e", 0x00d3, rmsCounterResets([32]))] }),
];
