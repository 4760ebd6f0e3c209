// ESME configuration and simple reads (ECS30-ECS40, ECS48, ECS52, ECS57, ECS70, ECS81, ECS82):
// DLMS sets, gets and actions on fixed COSEM objects, values taken from the DUIS body.
import { DLMS, type GbcsWriter } from "@opendcc/kernel";
import type { ServiceFields } from "../fields.js";
import { defineUseCase, TransformError, type UseCaseEncoder } from "../types.js";
import { acbOnBehalfOfUser, action, CLASS, get, request, set, writeDate, writeDateTime, writeTime } from "./esme-more-dlms.js";

// --- ECS30 / ECS30a: billing calendar (SRV 6.8), a single-action schedule of billing dates ---

const BILLING_SCHEDULE = set(CLASS.singleActionSchedule, "0-0:15.0.0.255", 4);
const MONTHS_APART: Readonly<Record<string, number>> = { Quarterly: 3, SixMonthly: 6, Annually: 12 };

/** The billing dates a DUIS ElectricityBillingCalendar asks for, as COSEM date parts. */
function billingDates(calendar: ServiceFields): { month?: number; day?: number; weekday?: number }[] {
  if (calendar.has("Daily")) return [{}];
  if (calendar.has("Weekly")) {
    const weekly = calendar.get("Weekly");
    return [{ weekday: weekly.node.text?.trim() ? weekly.intIn(1, 7) : weekly.intIn(1, 7, "DayOfWeek") }];
  }
  if (calendar.has("Monthly")) {
    const monthly = calendar.get("Monthly");
    return [{ day: monthly.node.text?.trim() ? monthly.intIn(1, 28) : monthly.intIn(1, 28, "DayOfMonth") }];
  }
  for (const [name, step] of Object.entries(MONTHS_APART)) {
    const period = calendar.find(name);
    if (!period) continue;
    const day = period.intIn(1, 28, "DayOfMonth");
    const start = period.intIn(1, 12, "BillingPeriodStartMonth");
    return Array.from({ length: 12 / step }, (_, i) => ({ month: ((start - 1 + i * step) % 12) + 1, day }));
  }
  throw new TransformError("ElectricityBillingCalendar has no periodicity (Daily, Weekly, Monthly, Quarterly, SixMonthly, Annually)", "ElectricityBillingCalendar");
}

const BILLING_CALENDAR = (context: Parameters<UseCaseEncoder["write"]>[1]) => context.fields.get("ElectricityBillingCalendar");

// GBCS: ECS30 sets a monthly calendar; ECS30a ("all periodicities") any other.
const monthly = (context: Parameters<UseCaseEncoder["write"]>[1]) => BILLING_CALENDAR(context).has("Monthly");
const ECS30 = defineUseCase({
  useCase: "ECS30/ECS30a", srv: "6.8", deviceTypes: ["ESME"], critical: true,
  chosenUseCase: (context) => (monthly(context) ? "ECS30" : "ECS30a"),
  messageCode: (context) => (monthly(context) ? 0x0046 : 0x00d7),
  write: (w, context) => {
    const calendar = BILLING_CALENDAR(context);
    const dates = billingDates(calendar);
    request(w, context.counter, [[BILLING_SCHEDULE, (x) => {
      x.dlmsArray(dates.length);
      for (const date of dates) {
        x.dlmsStructure(2);
        writeTime(x, calendar, "BillingTime");
        writeDate(x, date);
      }
    }]]);
  },
});

// ECS34 Set Instantaneous Power Threshold Configuration (SRV 6.12): the register monitor's thresholds.
const ECS34 = defineUseCase({
  useCase: "ECS34", srv: "6.12", deviceTypes: ["ESME"], messageCode: 0x0047, critical: false,
  write: (w, { counter, fields }) => request(w, counter, [[set(CLASS.registerMonitor, "0-0:16.0.0.255", 2), (x) => {
    x.dlmsArray(2)
      .dlmsNumber(DLMS.uint32, fields.intIn(0, 0xffffffff, "LowMediumPowerThreshold"))
      .dlmsNumber(DLMS.uint32, fields.intIn(0, 0xffffffff, "MediumHighPowerThreshold"));
  }]]),
});

// ECS38 Update Randomised Offset Limit (SRV 7.12).
const ECS38 = defineUseCase({
  useCase: "ECS38", srv: "7.12", deviceTypes: ["ESME"], messageCode: 0x004b, critical: true,
  write: (w, { counter, fields }) => request(w, counter, [[set(CLASS.data, "0-0:94.44.0.1"), (x) => {
    x.dlmsNumber(DLMS.uint16, fields.intIn(0, 0xffff, "RandomisedOffsetLimit"));
  }]]),
});

const IMPORT_MPAN = "0-0:94.44.34.11";
const EXPORT_MPAN = "1-0:0.0.2.255";
const MPAN = /^\d{13}$/;

function mpan(fields: ServiceFields, ...path: string[]): Uint8Array {
  const text = fields.text(...path);
  if (!MPAN.test(text)) throw new TransformError(`${path.join("/")}: "${text}" is not a 13-digit MPAN`, path.join("/"));
  return new TextEncoder().encode(text);
}

// ECS39a Set MPAN Value on the ESME (SRV 6.20.1). A future-dated request is held by the DCC until
// its ExecutionDateTime; the command itself carries no date.
const ECS39a = defineUseCase({
  useCase: "ECS39a", srv: "6.20.1", deviceTypes: ["ESME"], messageCode: 0x004c, critical: false,
  write: (w, { counter, fields }) => {
    const mpans = fields.get("ImportMPANs").all("ImportMPAN");
    if (mpans.length !== 1) throw new TransformError(`ImportMPANs: ${mpans.length} MPANs, the ESME's MPAN object takes one`, "ImportMPANs");
    request(w, counter, [[set(CLASS.data, IMPORT_MPAN), (x) => void x.dlmsOctets(mpan(fields, "ImportMPANs", "ImportMPAN"))]]);
  },
});

// ECS39b Set Export MPAN Value on the ESME (SRV 6.20.2): sent by the ACB for the user.
const ECS39b = defineUseCase({
  useCase: "ECS39b", srv: "6.20.2", deviceTypes: ["ESME"], messageCode: 0x004d, critical: false,
  header: acbOnBehalfOfUser,
  write: (w, { counter, fields }) => request(w, counter, [[set(CLASS.data, EXPORT_MPAN), (x) => void x.dlmsOctets(mpan(fields, "ExportMPAN"))]]),
});

// ECS40 Read MPAN Value on the ESME (SRV 6.2.7): import and export MPAN.
const ECS40 = defineUseCase({
  useCase: "ECS40", srv: "6.2.7", deviceTypes: ["ESME"], messageCode: 0x004e, critical: false,
  write: (w, { counter }) => request(w, counter, [[get(CLASS.data, IMPORT_MPAN)], [get(CLASS.data, EXPORT_MPAN)]]),
});

// ECS48 Configure daily resetting of Tariff Block Counter Matrix (SRV 6.26): a daily midnight
// entry in the reset schedule, or none to stop it.
const ECS48 = defineUseCase({
  useCase: "ECS48", srv: "6.26", deviceTypes: ["ESME"], messageCode: 0x00db, critical: true,
  write: (w, { counter, fields }) => {
    const daily = fields.bool("DailyTariffBlockCounterMatrixReset");
    request(w, counter, [[set(CLASS.singleActionSchedule, "0-0:15.1.0.255", 4), (x) => {
      x.dlmsArray(daily ? 1 : 0);
      if (!daily) return;
      x.dlmsStructure(2).dlmsOctets(new Uint8Array(4));
      writeDate(x, {});
    }]]);
  },
});

// ECS52 Read ESME Firmware Version (SRV 11.2).
const ECS52 = defineUseCase({
  useCase: "ECS52", srv: "11.2", deviceTypes: ["ESME"], messageCode: 0x0059, critical: false,
  write: (w, { counter }) => request(w, counter, [[get(CLASS.data, "0-0:0.2.1.255")]]),
});

// ECS57 Reset ESME Maximum Demand Registers (SRV 6.18.2): the reset method of each register named.
const MAXIMUM_DEMAND_REGISTERS: readonly (readonly [string, string])[] = [
  ["MaxDemandActivePowerImportValue", "1-0:1.6.0.255"],
  ["MaxDemandConfigTimeActivePowerImportValue", "1-0:1.6.1.255"],
  ["MaxDemandActivePowerExportValue", "1-0:2.6.0.255"],
];
const ECS57 = defineUseCase({
  useCase: "ECS57", srv: "6.18.2", deviceTypes: ["ESME"], messageCode: 0x005a, critical: false,
  write: (w, { counter, fields }) => {
    const registers = MAXIMUM_DEMAND_REGISTERS.filter(([name]) => fields.has(name));
    if (registers.length === 0) throw new TransformError("ResetMaximumDemandRegisters names no register", "ResetMaximumDemandRegisters");
    request(w, counter, registers.map(([, code]) => [action(CLASS.extendedRegister, code), (x: GbcsWriter) => void x.dlmsNumber(DLMS.int8, 0)] as const));
  },
});

// ECS70 Set Clock on ESME (SRV 6.11, and 8.1.1 at commissioning): preset the time to be adjusted
// to within [CurrentDateTime, CurrentDateTime + TolerancePeriod], adjust, then read time and status.
const CLOCK = "0-0:1.0.0.255";
const CLOCK_TIME_SOURCE = 5;
function writeSetClock(w: GbcsWriter, counter: bigint, fields: ServiceFields): void {
  const now = fields.dateTime("CurrentDateTime");
  const tolerance = fields.intIn(0, 0x7fffffff, "TolerancePeriod");
  request(w, counter, [
    [set(CLASS.clock, CLOCK, 9), (x) => void x.dlmsNumber(DLMS.enum, CLOCK_TIME_SOURCE)],
    [action(CLASS.clock, CLOCK, 5), (x) => {
      x.dlmsStructure(3).dlmsOctets(Uint8Array.of(0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x80, 0x00, 0xff));
      writeDateTime(x, now);
      writeDateTime(x, new Date(now.getTime() + tolerance * 1000));
    }],
    [action(CLASS.clock, CLOCK, 4), (x) => void x.dlmsNumber(DLMS.int8, 0)],
    [get(CLASS.clock, CLOCK, 2)],
    [get(CLASS.clock, CLOCK, 4)],
  ]);
}
const ECS70 = defineUseCase({
  useCase: "ECS70", srv: "6.11", deviceTypes: ["ESME"], messageCode: 0x0062, critical: true,
  write: (w, { counter, fields }) => writeSetClock(w, counter, fields),
});
const ECS70Commission = defineUseCase({ ...ECS70, srv: "8.1.1" });

// ECS81 Set Supply Tamper State on ESME (SRV 6.25): locked is true.
const ECS81 = defineUseCase({
  useCase: "ECS81", srv: "6.25", deviceTypes: ["ESME"], messageCode: 0x0068, critical: true,
  write: (w, { counter, fields }) => request(w, counter, [[set(CLASS.data, "0-0:94.44.0.4"), (x) => {
    x.dlmsNumber(DLMS.boolean, fields.oneOf({ Locked: 0xff, Unlocked: 0x00 }, "SupplyTamperState"));
  }]]),
});

// ECS82 Read Meter Balance for ESME (SRV 4.18): the credit account's balance.
const ECS82 = defineUseCase({
  useCase: "ECS82", srv: "4.18", deviceTypes: ["ESME"], messageCode: 0x0069, critical: false,
  write: (w, { counter }) => request(w, counter, [[get(CLASS.account, "0-0:19.10.0.255")]]),
});

export const ESME_MORE_CONFIG_ENCODERS: readonly UseCaseEncoder[] = [ECS30, ECS34, ECS38, ECS39a, ECS39b, ECS40, ECS48, ECS52, ECS57, ECS70, ECS70Commission, ECS81, ECS82];
