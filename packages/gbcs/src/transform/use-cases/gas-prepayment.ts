// Gas prepayment commands (ZSE Prepayment cluster): meter balance (GCS40a-d, SRV 1.5), payment
// mode (GCS02/03, 1.6), prepay configuration (GCS05, 2.1), debt (GCS04, 2.3) and emergency credit
// (GCS06, 2.5). All critical.
import type { GbcsWriter } from "@opendcc/kernel";
import type { ServiceFields } from "../fields.js";
import { ISSUER_EVENT_ID, clientCommand, startTime, writeGbz, type GbzComponent } from "../gbz.js";
import { TransformError, defineUseCase, type EncodeContext, type UseCaseEncoder } from "../types.js";
import { CALENDAR_TYPE, CLUSTER, PREPAYMENT_COMMAND } from "./gas-clusters.js";
import { NO_PROVIDER, calendarComponents, minuteOfDay, seasons, specialDays, specialDaysComponent, weekProfiles, type CalendarContent } from "./gas-calendar.js";

const INT32 = [-0x80000000, 0x7fffffff] as const;
const UINT32 = [0, 0xffffffff] as const;

const int32 = (fields: ServiceFields, ...names: string[]) => fields.intIn(INT32[0], INT32[1], ...names);
const uint32 = (fields: ServiceFields, ...names: string[]) => fields.intIn(UINT32[0], UINT32[1], ...names);
const writeInt32 = (w: GbcsWriter, value: number) => w.uintLe(value >>> 0, 4);

/** The four ways of 1.5 (Credit Adjustment types as GBCS uses them), with their message codes. */
const METER_BALANCE = {
  "PrepaymentMode/AdjustMeterBalance": { useCase: "GCS40a", code: 0x0086, type: 0x00 },
  "PrepaymentMode/ResetMeterBalance": { useCase: "GCS40b", code: 0x00b4, type: 0x01 },
  "CreditMode/ResetMeterBalance": { useCase: "GCS40d", code: 0x00c2, type: 0x02 },
  "CreditMode/AdjustMeterBalance": { useCase: "GCS40c", code: 0x00c0, type: 0x03 },
} as const;

function meterBalanceChoice(fields: ServiceFields): { readonly useCase: string; readonly code: number; readonly type: number; readonly value: number } {
  for (const [path, choice] of Object.entries(METER_BALANCE)) {
    const [mode, action] = path.split("/") as [string, string];
    if (!fields.has(mode, action)) continue;
    return { ...choice, value: action === "AdjustMeterBalance" ? int32(fields, mode, action) : 0 };
  }
  throw new TransformError("UpdateMeterBalance needs PrepaymentMode or CreditMode with AdjustMeterBalance or ResetMeterBalance", "UpdateMeterBalance");
}

const GCS40 = defineUseCase({
  useCase: "GCS40a/GCS40b/GCS40c/GCS40d", srv: "1.5", deviceTypes: ["GSME"], critical: true,
  chosenUseCase: (context) => meterBalanceChoice(context.fields).useCase,
  messageCode: (context) => meterBalanceChoice(context.fields).code,
  write: (w, context) => {
    const { type, value } = meterBalanceChoice(context.fields);
    // Credit Adjustment: issuer event, start now, type, value.
    writeGbz(w, [clientCommand(CLUSTER.prepayment, PREPAYMENT_COMMAND.creditAdjustment, (p) => {
      p.uintLe(ISSUER_EVENT_ID, 4).uintLe(0, 4).byte(type);
      writeInt32(p, value);
    })]);
  },
});

/** Payment Control Configuration (ZSE D.7.2.2.1.1) for credit mode, and the prepayment base. */
const CREDIT_MODE_CONFIGURATION = 0x0c94;
const PREPAYMENT_MODE_CONFIGURATION = 0x0097;
const SUSPEND_DEBT_DISABLED = 0x0400;
/** Set when debt is NOT suspended while on emergency credit. */
const COLLECT_DEBT_ON_EMERGENCY = 0x0800;
/** Credit mode has no disablement threshold: the cut-off value is "none" (-1). */
const NO_CUT_OFF = -1;

function paymentMode(fields: ServiceFields): { readonly useCase: string; readonly code: number; readonly configuration: number; readonly cutOff: number } {
  if (fields.has("Credit")) return { useCase: "GCS02", code: 0x006c, configuration: CREDIT_MODE_CONFIGURATION, cutOff: NO_CUT_OFF };
  const prepayment = fields.find("Prepayment");
  if (!prepayment) throw new TransformError("UpdatePaymentMode needs Credit or Prepayment", "UpdatePaymentMode");
  const configuration = PREPAYMENT_MODE_CONFIGURATION
    | (prepayment.bool("SuspendDebtDisabled") ? SUSPEND_DEBT_DISABLED : 0)
    | (prepayment.bool("SuspendDebtEmergency") ? 0 : COLLECT_DEBT_ON_EMERGENCY);
  return { useCase: "GCS03", code: 0x006d, configuration, cutOff: int32(prepayment, "DisablementThreshold") };
}

const GCS02_03 = defineUseCase({
  useCase: "GCS02/GCS03", srv: "1.6", deviceTypes: ["GSME"], critical: true,
  chosenUseCase: (context) => paymentMode(context.fields).useCase,
  messageCode: (context) => paymentMode(context.fields).code,
  write: (w, context) => {
    const mode = paymentMode(context.fields);
    writeGbz(w, [clientCommand(CLUSTER.prepayment, PREPAYMENT_COMMAND.changePaymentMode, (p) => {
      p.uintLe(NO_PROVIDER, 4).uintLe(ISSUER_EVENT_ID, 4).uintLe(startTime(context), 4).uintLe(mode.configuration, 2);
      writeInt32(p, mode.cutOff);
    })]);
  },
});

/** Debt Amount Types (incremental), recovery methods and frequencies of Change Debt (ZSE D.7.2.3.3). */
const DEBT = {
  TimeDebtRegister1: { amountType: 0x01, recovery: "GasDebtRecovery1" },
  TimeDebtRegister2: { amountType: 0x03, recovery: "GasDebtRecovery2" },
} as const;
const PAYMENT_DEBT_TYPE = 0x05;
const TIME_BASED = 0x00;
const PAYMENT_BASED = 0x01;
const RECOVERY_PERIOD: Readonly<Record<string, number>> = { HOURLY: 0x00, DAILY: 0x01 };
const DAILY = 0x01;

/** Change Debt: issuer, no label, amount, method, type, start now, collection time 0, frequency, amount, percentage. */
function changeDebt(amount: number, method: number, amountType: number, frequency: number, recoveryAmount: number, percentage: number): GbzComponent {
  return clientCommand(CLUSTER.prepayment, PREPAYMENT_COMMAND.changeDebt, (p) => {
    p.uintLe(ISSUER_EVENT_ID, 4).byte(0);
    writeInt32(p, amount);
    p.byte(method).byte(amountType).uintLe(0, 4).uintLe(0, 2).byte(frequency);
    writeInt32(p, recoveryAmount);
    p.uintLe(percentage, 2);
  });
}

const GCS04 = defineUseCase({
  useCase: "GCS04", srv: "2.3", deviceTypes: ["GSME"], messageCode: 0x006e, critical: true,
  write: (w, { fields }) => {
    const components: GbzComponent[] = [];
    for (const [register, debt] of Object.entries(DEBT)) {
      if (!fields.has(register)) continue;
      const recovery = fields.get(debt.recovery);
      components.push(changeDebt(int32(fields, register), TIME_BASED, debt.amountType, recovery.oneOf(RECOVERY_PERIOD, "DebtRecoveryRatePeriod"), int32(recovery, "DebtRecoveryRate"), 0));
    }
    if (fields.has("PaymentDebtRegister")) {
      components.push(changeDebt(int32(fields, "PaymentDebtRegister"), PAYMENT_BASED, PAYMENT_DEBT_TYPE, DAILY, 0, fields.intIn(0, 0xffff, "DebtRecoveryPerPayment")));
    }
    writeGbz(w, components);
  },
});

/** DUIS NonDisablementAction: START enables friendly (non-disablement) credit from that time. */
const NON_DISABLEMENT_ACTION: Readonly<Record<string, number>> = { START: 1, STOP: 0 };

function nonDisablementCalendar(calendar: ServiceFields, start: number): CalendarContent {
  const days = calendar.all("DayProfiles").flatMap((profiles) => profiles.all("GasNonDisablementDayProfile")).map((day) => ({
    id: day.intIn(1, 255, "GasDayName"),
    entries: day.all("TimeStartAction").map((action) => ({ minute: minuteOfDay(action, "StartTime"), value: action.oneOf(NON_DISABLEMENT_ACTION, "NonDisablementAction") })),
  }));
  return {
    type: CALENDAR_TYPE.friendlyCredit, startTime: start, days,
    weeks: weekProfiles(calendar.find("WeekProfiles")),
    seasons: seasons(calendar.find("SeasonProfiles")),
    specialDays: specialDays(calendar.find("SpecialDays")),
  };
}

/**
 * GCS05: Emergency Credit Setup, Set Overall Debt Cap, Set Low Credit Warning Level (its start in
 * the from-date-time), Set Maximum Credit Limit, then the non-disablement (friendly credit)
 * calendar. Each part is sent when the request carries it.
 */
function prepayConfiguration(context: EncodeContext): GbzComponent[] {
  const gas = context.fields.get("UpdatePrepayConfigGas");
  const start = startTime(context);
  const components: GbzComponent[] = [];
  if (gas.has("EmergencyCreditLimit") || gas.has("EmergencyCreditThreshold")) {
    components.push(clientCommand(CLUSTER.prepayment, PREPAYMENT_COMMAND.emergencyCreditSetup, (p) => {
      p.uintLe(ISSUER_EVENT_ID, 4).uintLe(start, 4).uintLe(uint32(gas, "EmergencyCreditLimit"), 4).uintLe(uint32(gas, "EmergencyCreditThreshold"), 4);
    }));
  }
  if (gas.has("DebtRecoveryRateCap")) {
    components.push(clientCommand(CLUSTER.prepayment, PREPAYMENT_COMMAND.setOverallDebtCap, (p) => {
      p.uintLe(NO_PROVIDER, 4).uintLe(ISSUER_EVENT_ID, 4).uintLe(start, 4);
      writeInt32(p, int32(gas, "DebtRecoveryRateCap"));
    }));
  }
  if (gas.has("LowCreditThreshold")) {
    components.push(clientCommand(CLUSTER.prepayment, PREPAYMENT_COMMAND.setLowCreditWarningLevel, (p) => p.uintLe(uint32(gas, "LowCreditThreshold"), 4), start));
  }
  if (gas.has("MaxMeterBalance") || gas.has("MaxCreditThreshold")) {
    components.push(clientCommand(CLUSTER.prepayment, PREPAYMENT_COMMAND.setMaximumCreditLimit, (p) => {
      p.uintLe(NO_PROVIDER, 4).uintLe(ISSUER_EVENT_ID, 4).uintLe(start, 4).uintLe(uint32(gas, "MaxMeterBalance"), 4).uintLe(uint32(gas, "MaxCreditThreshold"), 4);
    }));
  }
  const calendar = gas.find("GasNonDisablementCalendar");
  if (calendar) {
    const content = nonDisablementCalendar(calendar, startTime(context, 0xfffffffe));
    components.push(...calendarComponents(content), specialDaysComponent(content));
  }
  return components;
}

const GCS05 = defineUseCase({
  useCase: "GCS05", srv: "2.1", deviceTypes: ["GSME"], messageCode: 0x006f, critical: true,
  write: (w, context) => writeGbz(w, prepayConfiguration(context)),
});

/** Select Available Emergency Credit: issued now, by the energy service interface (0). */
const GCS06 = defineUseCase({
  useCase: "GCS06", srv: "2.5", deviceTypes: ["GSME"], messageCode: 0x0070, critical: true,
  write: (w) => writeGbz(w, [clientCommand(CLUSTER.prepayment, PREPAYMENT_COMMAND.selectAvailableEmergencyCredit, (p) => p.uintLe(0, 4).byte(0))]),
});

export const GAS_PREPAYMENT_ENCODERS: readonly UseCaseEncoder[] = [GCS40, GCS02_03, GCS04, GCS05, GCS06];
