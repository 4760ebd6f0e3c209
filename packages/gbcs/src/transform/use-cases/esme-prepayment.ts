// ESME payment mode, balance, debt and prepayment settings (ECS02-ECS09, SRVs 1.5-2.5; all
// critical). Objects: Account (class 111) with its passive instance 0-1:19.0.0.255, Credits (112)
// 0-0:19.10.n.255 and Charges (113) 0-0:19.20.n.255, as the RTDS 4.5.0 commands use them.
import { DLMS, type GbcsWriter } from "@opendcc/kernel";
import { obis } from "../dlms.js";
import type { ServiceFields } from "../fields.js";
import { TransformError, type EncodeContext, type UseCaseEncoder } from "../types.js";
import { action, activationTime, dateOctets, set, type Access, type Write } from "./esme-dlms.js";
import { esmeService, type EsmeUseCase } from "./esme-use-case.js";

const ACCOUNT = 111;
const CREDIT = 112;
const CHARGE = 113;
const GBCS_OBJECT = 9000;
const PASSIVE_ACCOUNT = "0-1:19.0.0.255";

const credit = (n: number) => `0-0:19.10.${n}.255`;
const charge = (n: number) => `0-0:19.20.${n}.255`;

const int32 = (value: number): Write => (w) => w.dlmsNumber(DLMS.int32, value);

// Credits: 0 meter balance, 1 emergency credit, 2 debt; charges: 0 and 4 standing charges,
// 1 and 2 time debts, 3 payment debt, 5 the secondary element's standing charge (twin ESME).
type Row = readonly [credit: number, charge: number];
const COLLECT_ALWAYS = [true, true, true] as const;
/** Time debts stop being collected in friendly credit periods when SuspendDebtDisabled is set. */
const COLLECT_OUTSIDE_FRIENDLY = [true, true, false] as const;

/** credit_charge_configuration (Account attribute 11): which credit pays which charge, and when. */
function creditChargeConfiguration(rows: readonly (readonly [Row, readonly boolean[]])[]): Write {
  return (w) => {
    w.dlmsArray(rows.length);
    for (const [[c, ch], collection] of rows) {
      w.dlmsStructure(3).dlmsOctets(obis(credit(c))).dlmsOctets(obis(charge(ch))).dlmsBits(collection);
    }
  };
}

/** account_mode_and_status: payment mode (1 credit, 2 prepayment), status 1 (new, in use). */
const accountMode = (mode: 1 | 2): Write => (w) => w.dlmsStructure(2).dlmsNumber(DLMS.enum, mode).dlmsNumber(DLMS.enum, 1);

/**
 * 1.6 Update Payment Mode. Credit (ECS02): the standing charges are paid from the meter balance.
 * Prepayment (ECS03): all charges from the meter balance and emergency credit, with the
 * disablement threshold. The twin-element ESME adds its secondary standing charge.
 */
const twinElement = (context: EncodeContext) => context.input.meterVariant === "twin-element";

function paymentModeCredit(context: EncodeContext): Access[] {
  const rows: Row[] = [[0, 0], [0, 4], ...(twinElement(context) ? [[0, 5] as const] : [])];
  return [
    set(ACCOUNT, PASSIVE_ACCOUNT, 2, accountMode(1)),
    set(ACCOUNT, PASSIVE_ACCOUNT, 11, creditChargeConfiguration(rows.map((row) => [row, COLLECT_ALWAYS]))),
    set(ACCOUNT, PASSIVE_ACCOUNT, 13, activationTime(context)),
  ];
}

function paymentModePrepayment(context: EncodeContext): Access[] {
  const prepayment = context.fields.get("Prepayment");
  const timeDebt = prepayment.bool("SuspendDebtDisabled") ? COLLECT_OUTSIDE_FRIENDLY : COLLECT_ALWAYS;
  const collection = (ch: number) => (ch === 1 || ch === 2 ? timeDebt : COLLECT_ALWAYS);
  const rows: Row[] = [
    [0, 0], [0, 4], [0, 1], [0, 2], [0, 3],
    [1, 3], [1, 0], [1, 4], [1, 1], [1, 2],
    ...(prepayment.bool("SuspendDebtEmergency") ? ([[2, 4], [2, 1], [2, 2]] as const) : []),
    ...(twinElement(context) ? ([[0, 5], [1, 5]] as const) : []),
  ];
  const threshold = "0-0:94.44.128.22";
  return [
    set(ACCOUNT, PASSIVE_ACCOUNT, 2, accountMode(2)),
    set(GBCS_OBJECT, threshold, 4, int32(prepayment.intIn(-0x80000000, 0x7fffffff, "DisablementThreshold"))),
    set(ACCOUNT, PASSIVE_ACCOUNT, 11, creditChargeConfiguration(rows.map((row) => [row, row[0] === 2 ? COLLECT_ALWAYS : collection(row[1])]))),
    set(GBCS_OBJECT, threshold, 6, activationTime(context)),
    set(ACCOUNT, PASSIVE_ACCOUNT, 13, activationTime(context)),
  ];
}

/** unit_charge of a debt recovery rate: scale 0 / PriceScale, no commodity, one charge. */
function debtRecoveryCharge(recovery: ServiceFields): Write {
  return (w) => {
    w.dlmsStructure(3);
    w.dlmsStructure(2).dlmsNumber(DLMS.int8, 0).dlmsNumber(DLMS.int8, recovery.intIn(-128, 127, "DebtRecoveryRatePriceScale"));
    w.dlmsStructure(3).dlmsNumber(DLMS.uint16, 0).dlmsOctets(new Uint8Array(6)).dlmsNumber(DLMS.int8, 0);
    w.dlmsArray(1).dlmsStructure(2).dlmsOctets(new Uint8Array(0)).dlmsNumber(DLMS.int16, recovery.intIn(-32768, 32767, "DebtRecoveryRate"));
  };
}

/** DebtRecoveryRatePeriod as the charge's period in seconds. */
const RECOVERY_PERIOD: Readonly<Record<string, number>> = { DAILY: 86_400, WEEKLY: 604_800 };

/** 2.3 Update Debt (ECS07): two time-debt recovery rates, the payment debt, the registers. */
function updateDebt(context: EncodeContext): Access[] {
  const f = context.fields;
  const recovery = [f.get("ElecDebtRecovery1"), f.get("ElecDebtRecovery2")] as const;
  const period = (r: ServiceFields): Write => (w) => w.dlmsNumber(DLMS.uint32, r.oneOf(RECOVERY_PERIOD, "DebtRecoveryRatePeriod"));
  const zero: Write = (w) => w.dlmsNumber(DLMS.int8, 0);
  const register = (name: string) => int32(f.intIn(-0x80000000, 0x7fffffff, name));
  return [
    set(CHARGE, charge(1), 6, debtRecoveryCharge(recovery[0])),
    set(CHARGE, charge(2), 6, debtRecoveryCharge(recovery[1])),
    set(CHARGE, charge(3), 13, (w) => w.dlmsNumber(DLMS.uint16, f.intIn(0, 0xffff, "DebtRecoveryPerPayment"))),
    set(CHARGE, charge(1), 8, period(recovery[0])),
    set(CHARGE, charge(2), 8, period(recovery[1])),
    action(CHARGE, charge(1), 2, zero),
    action(CHARGE, charge(2), 2, zero),
    action(CHARGE, charge(3), 4, register("PaymentDebtRegister")),
    action(CHARGE, charge(1), 4, register("TimeDebtRegister1")),
    action(CHARGE, charge(2), 4, register("TimeDebtRegister2")),
  ];
}

const ECS04a: EsmeUseCase = {
  useCase: "ECS04a", messageCode: 0x001c,
  accesses: (context) => [action(CREDIT, credit(0), 1, int32(balanceMode(context).intIn(-0x80000000, 0x7fffffff, "AdjustMeterBalance")))],
};
const ECS04b: EsmeUseCase = {
  useCase: "ECS04b", messageCode: 0x00b3,
  accesses: () => [0, 1, 2].map((n) => action(CREDIT, credit(n), 2, int32(0))),
};

/** UpdateMeterBalance holds PrepaymentMode or CreditMode; the ESME payload is the same. */
function balanceMode(context: EncodeContext): ServiceFields {
  const mode = context.fields.find("PrepaymentMode") ?? context.fields.find("CreditMode");
  if (!mode) throw new TransformError("UpdateMeterBalance needs PrepaymentMode or CreditMode", "UpdateMeterBalance");
  return mode;
}

/** Emergency credit (credit 1), method 3: invoke it. */
const ECS09: EsmeUseCase = { useCase: "ECS09", messageCode: 0x0020, accesses: () => [action(CREDIT, credit(1), 3, (w) => w.dlmsNumber(DLMS.int8, 0))] };

/** Block counters: the tariff's register activation (class 9) 0-0:10.0.100.255 method 1. */
const ECS05: EsmeUseCase = { useCase: "ECS05", messageCode: 0x001d, accesses: () => [action(9, "0-0:10.0.100.255", 1, (w) => w.dlmsNumber(DLMS.uint16, 99))] };

// 2.1 Update Prepay Configuration (ECS08; ECS08a writes the maximum meter balance's passive
// attribute 4 instead of attribute 2). Special days 0-1:11.0.2.255, the non-disablement schedule
// 0-1:12.0.1.255 and the prepayment thresholds, each with its activation date-time.
const PREPAY = {
  maxMeterBalance: "0-0:94.44.2.20", maxCreditThreshold: "0-0:94.44.2.10", debtRecoveryRateCap: "0-0:94.44.128.12",
  debtRecoveryCapPeriod: "0-0:94.44.128.13", lowCreditThreshold: "0-0:94.44.128.9", emergencyCreditLimit: "0-0:94.44.128.2",
  emergencyCreditThreshold: "0-0:94.44.128.3", scheduleActivation: "0-0:94.44.128.31", specialDaysActivation: "0-0:94.44.128.28",
} as const;
/** The debt recovery rate cap applies per week (seconds); DUIS has no field for it. */
const DEBT_RECOVERY_CAP_PERIOD = 604_800;
/** Non-disablement script table and its START / STOP scripts. */
const NON_DISABLEMENT_SCRIPT = obis("0-0:10.0.106.255");
const NON_DISABLEMENT: Readonly<Record<string, number>> = { START: 32, STOP: 33 };
const WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];

/** xs:date "YYYY-MM-DD[Z]" as a 5-byte COSEM date; year 65535 is the wildcard. */
function cosemDate(w: GbcsWriter, fields: ServiceFields, name: string): void {
  const text = fields.text(name);
  const parts = /^(\d{4,5})-(\d{2})-(\d{2})(Z|[+-]00:00)?$/.exec(text);
  if (!parts) throw new TransformError(`${name} "${text}" is not a date`, name);
  w.byte(0x09).byte(5).uint(Math.min(Number(parts[1]), 0xffff), 2).byte(Number(parts[2])).byte(Number(parts[3])).byte(0xff);
}

function nonDisablementSchedule(calendar: ServiceFields, specialDayCount: number): Write {
  return (w) => {
    const entries = calendar.all("ElectricityNonDisablementSchedule");
    w.dlmsArray(entries.length);
    entries.forEach((entry, i) => {
      const time = entry.get("ScheduleDatesAndTime");
      const days = new Set(entry.get("DaysOfWeekApplicability").all("DayOfWeekApplicability").map((d) => d.text("DayOfWeekID")));
      const special = new Set(entry.get("SpecialDaysApplicability").all("SpecialDayApplicability").map((d) => d.intIn(1, 20, "SpecialDayID")));
      const switchTime = /^(\d{2}):(\d{2}):(\d{2})/.exec(time.text("SwitchTime"));
      if (!switchTime) throw new TransformError("SwitchTime is not a time", "SwitchTime");
      w.dlmsStructure(10).dlmsNumber(DLMS.uint16, i + 1).dlmsNumber(DLMS.boolean, 0xff).dlmsOctets(NON_DISABLEMENT_SCRIPT);
      w.dlmsNumber(DLMS.uint16, entry.oneOf(NON_DISABLEMENT, "NonDisablementScript"));
      w.dlmsOctets(Uint8Array.of(Number(switchTime[1]), Number(switchTime[2]), Number(switchTime[3]), 0)).dlmsNumber(DLMS.uint16, 0xffff);
      w.dlmsBits(WEEKDAYS.map((d) => days.has(d))).dlmsBits(Array.from({ length: specialDayCount }, (_, d) => special.has(d + 1)));
      cosemDate(w, time, "StartDate");
      cosemDate(w, time, "EndDate");
    });
  };
}

function prepayConfiguration(maxBalanceAttribute: 2 | 4) {
  return (context: EncodeContext): Access[] => {
    const f = context.fields.get("UpdatePrepayConfigElectricity");
    const calendar = f.get("ElectricityNonDisablementCalendar");
    const days = calendar.get("ElectricitySpecialDays").all("SpecialDay");
    const specialDays: Write = (w) => {
      w.dlmsArray(days.length);
      for (const day of days) {
        const index = Number(day.attribute("index"));
        if (!Number.isInteger(index) || index < 1 || index > 20) throw new TransformError("SpecialDay index must be 1..20", "SpecialDay");
        w.dlmsStructure(3).dlmsNumber(DLMS.uint16, index);
        dateOctets(w, day.get("Date"));
        w.dlmsNumber(DLMS.uint8, index);
      }
    };
    const money = (name: string) => int32(f.intIn(-0x80000000, 0x7fffffff, name));
    const now = activationTime(context);
    return [
      set(11, "0-1:11.0.2.255", 2, specialDays),
      set(GBCS_OBJECT, PREPAY.maxMeterBalance, maxBalanceAttribute, money("MaxMeterBalance")),
      set(GBCS_OBJECT, PREPAY.maxCreditThreshold, 4, money("MaxCreditThreshold")),
      set(10, "0-1:12.0.1.255", 2, nonDisablementSchedule(calendar, days.length)),
      set(GBCS_OBJECT, PREPAY.debtRecoveryRateCap, 4, (w) => w.dlmsNumber(DLMS.uint16, f.intIn(0, 0xffff, "DebtRecoveryRateCap"))),
      set(GBCS_OBJECT, PREPAY.debtRecoveryCapPeriod, 4, int32(DEBT_RECOVERY_CAP_PERIOD)),
      set(GBCS_OBJECT, PREPAY.lowCreditThreshold, 4, money("LowCreditThreshold")),
      set(GBCS_OBJECT, PREPAY.emergencyCreditLimit, 4, money("EmergencyCreditLimit")),
      set(GBCS_OBJECT, PREPAY.scheduleActivation, 6, now),
      set(GBCS_OBJECT, PREPAY.emergencyCreditThreshold, 4, money("EmergencyCreditThreshold")),
      ...[PREPAY.maxMeterBalance, PREPAY.maxCreditThreshold, PREPAY.debtRecoveryRateCap, PREPAY.debtRecoveryCapPeriod, PREPAY.lowCreditThreshold,
        PREPAY.emergencyCreditLimit, PREPAY.emergencyCreditThreshold, PREPAY.specialDaysActivation].map((o) => set(GBCS_OBJECT, o, 6, now)),
    ];
  };
}

export const ESME_PREPAYMENT_ENCODERS: readonly UseCaseEncoder[] = [
  esmeService({
    srv: "1.5", critical: true, useCases: [ECS04a, ECS04b],
    choose: (context) => (balanceMode(context).has("ResetMeterBalance") ? "ECS04b" : "ECS04a"),
  }),
  esmeService({
    srv: "1.6", critical: true,
    useCases: [{ useCase: "ECS02", messageCode: 0x001a, accesses: paymentModeCredit }, { useCase: "ECS03", messageCode: 0x001b, accesses: paymentModePrepayment }],
    choose: (context) => {
      if (context.fields.has("Prepayment")) return "ECS03";
      if (context.fields.has("Credit")) return "ECS02";
      throw new TransformError("UpdatePaymentMode needs Credit or Prepayment", "UpdatePaymentMode");
    },
  }),
  esmeService({ srv: "1.7", critical: true, useCases: [ECS05] }),
  // 2.1: ECS08 (default) or, on ESMEs that take the maximum meter balance as passive, ECS08a.
  esmeService({ srv: "2.1", critical: true, useCases: [
    { useCase: "ECS08", messageCode: 0x001f, accesses: prepayConfiguration(2) },
    { useCase: "ECS08a", messageCode: 0x00de, accesses: prepayConfiguration(4) },
  ] }),
  esmeService({ srv: "2.3", critical: true, useCases: [{ useCase: "ECS07", messageCode: 0x001e, accesses: updateDebt }] }),
  esmeService({ srv: "2.5", critical: true, useCases: [ECS09] }),
];

