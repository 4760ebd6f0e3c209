// OBIS codes -> developer names. Two sources, named per entry group:
// - IEC 62056-6-1 (the OBIS object identification system) for the standard codes;
// - for GB-specific codes (0-0:94.44.*, 0-x:97.98.*, ...) the GBCS use case that reads or writes
//   them (use-case names: gbcs-message-codes.json), so the name says what the object holds.
// A code not listed here is shown as its OBIS text: the parse stays structural, never guessed.
// `text`: the value is an ASCII octet string (MPANs, messages) and is shown as text.

export interface ObisName {
  readonly name: string;
  readonly text?: true;
}

const NAMES: Readonly<Record<string, ObisName>> = {
  // IEC 62056-6-1: abstract objects
  "0-0:1.0.0.255": { name: "clock" },
  "0-0:0.2.1.255": { name: "firmwareVersion", text: true },
  "0-0:96.1.1.255": { name: "deviceId2" },
  "0-0:96.1.2.255": { name: "deviceId3" },
  "0-0:96.1.4.255": { name: "deviceId5" },
  "0-0:96.1.6.255": { name: "deviceId7" },
  "0-0:96.3.10.255": { name: "supplyDisconnectControl" },
  "0-0:10.0.100.255": { name: "tariffificationScriptTable" },
  "0-0:10.0.103.255": { name: "auxiliaryLoadControlScript" },
  "0-0:10.0.106.255": { name: "disconnectControlScript" },
  "0-0:10.0.107.255": { name: "loadControllerScript" },
  "0-0:11.0.0.255": { name: "specialDaysTable" },
  "0-0:12.0.0.255": { name: "schedule" },
  "0-0:13.0.0.255": { name: "activityCalendar" },
  "0-0:13.0.1.255": { name: "activityCalendarSecondaryElement" },
  "0-0:15.0.0.255": { name: "billingCalendarSchedule" },
  "0-0:15.1.0.255": { name: "tariffBlockCounterDailyResetSchedule" },
  "0-0:16.0.0.255": { name: "powerThresholdMonitor" },
  "0-0:17.0.0.255": { name: "loadLimiter" },
  "0-0:19.0.0.255": { name: "account" },
  "0-1:19.0.0.255": { name: "accountPassive" },
  "0-0:19.10.0.255": { name: "meterBalanceCredit" },
  "0-0:19.10.1.255": { name: "emergencyCredit" },
  "0-0:19.20.0.255": { name: "tariffPriceMatrix" }, // ECS01a/b: the primary element's TOU and block prices
  "0-0:19.20.1.255": { name: "timeDebt1" },
  "0-0:19.20.2.255": { name: "timeDebt2" },
  "0-0:19.20.3.255": { name: "paymentDebt" },
  "0-0:19.40.0.255": { name: "tokenGateway" },
  "0-0:30.3.0.255": { name: "zigBeeNetworkControl" },
  "0-0:30.3.1.255": { name: "zigBeeNetworkControlOtherLog" },
  "0-2:96.13.1.255": { name: "supplierMessage", text: true },
  "0-3:96.13.1.255": { name: "customerIdentificationNumber", text: true },
  "0-0:98.1.4.255": { name: "billingDataLogPaymentBasedDebt" },
  "0-0:98.1.5.255": { name: "billingDataLogPrepaymentCredits" },
  "0-0:98.1.10.255": { name: "dailyReadLogExport" },
  "0-0:99.1.1.255": { name: "halfHourProfileExport" },
  "0-0:99.1.2.255": { name: "halfHourProfileReactiveImport" },
  "0-0:99.98.0.255": { name: "eventLog" },
  "0-0:99.98.1.255": { name: "securityLog" },
  "0-0:99.98.4.255": { name: "powerEventLog" },
  "0-0:99.98.20.255": { name: "boostButtonEventLog" },
  "0-17:99.98.2.255": { name: "auxiliaryLoadControlEventLog" },
  // IEC 62056-6-1: electricity (value group A = 1)
  "1-0:0.0.2.255": { name: "exportMpan", text: true },
  "1-0:1.6.0.255": { name: "maximumDemandActiveImport" },
  "1-0:1.6.1.255": { name: "maximumDemandActiveImportConfigurablePeriod" },
  "1-0:2.6.0.255": { name: "maximumDemandActiveExport" },
  "1-0:1.8.0.255": { name: "activeImportEnergy" },
  "1-20:1.8.0.255": { name: "activeImportEnergySecondaryElement" }, // ECS01c: the secondary element's register
  "1-0:2.8.0.255": { name: "activeExportEnergy" },
  "1-0:3.8.0.255": { name: "reactiveImportEnergy" },
  "1-0:4.8.0.255": { name: "reactiveExportEnergy" },
  "1-0:32.24.0.255": { name: "averageRmsVoltageProfile" },
  "1-0:52.24.0.255": { name: "averageRmsVoltageProfilePhase2" },
  "1-0:72.24.0.255": { name: "averageRmsVoltageProfilePhase3" },
  "1-0:32.31.0.4": { name: "rmsVoltageSagThreshold" },
  "1-0:32.35.0.4": { name: "rmsVoltageSwellThreshold" },
  "1-0:52.31.0.4": { name: "rmsVoltageSagThresholdPhase2" },
  "1-0:52.35.0.4": { name: "rmsVoltageSwellThresholdPhase2" },
  "1-0:72.31.0.4": { name: "rmsVoltageSagThresholdPhase3" },
  "1-0:72.35.0.4": { name: "rmsVoltageSwellThresholdPhase3" },
  "1-0:32.32.0.4": { name: "rmsVoltageSagCount" },
  "1-0:32.36.0.4": { name: "rmsVoltageSwellCount" },
  "1-0:52.32.0.4": { name: "rmsVoltageSagCountPhase2" },
  "1-0:52.36.0.4": { name: "rmsVoltageSwellCountPhase2" },
  "1-0:72.32.0.4": { name: "rmsVoltageSagCountPhase3" },
  "1-0:72.36.0.4": { name: "rmsVoltageSwellCountPhase3" },
  // GB-specific, named after the GBCS use case that uses them
  "0-0:43.2.2.255": { name: "protectedBillingDataLogBillingCalendar" }, // ECS20c
  "0-0:43.2.3.255": { name: "protectedBillingDataLogChangeOfModeOrTariff" }, // ECS20b
  "0-0:43.2.4.255": { name: "protectedDailyConsumptionLog" }, // ECS66
  "0-0:43.2.5.255": { name: "protectedDailyReadLog" }, // ECS21a
  "0-0:43.2.6.255": { name: "protectedPrepaymentDailyReadLog" }, // ECS21b
  "0-0:43.2.7.255": { name: "protectedHalfHourProfileActiveImport" }, // ECS22b
  "0-0:43.2.8.255": { name: "protectedImportEnergyRegisters" }, // ECS17b
  "0-0:43.2.9.255": { name: "protectedTouRegisters" }, // ECS17d
  "0-0:43.2.10.255": { name: "protectedTouBlockRegisters" }, // ECS17e
  "0-0:94.44.0.1": { name: "randomisedOffsetLimit" }, // ECS38, ECS26c
  "0-0:94.44.0.4": { name: "supplyTamperState" }, // ECS81, ECS26m
  "0-0:94.44.3.1": { name: "privacyPinProtection" }, // ECS14
  "0-0:94.44.3.2": { name: "changeOfTenancyDate" }, // ECS12
  "0-0:94.44.10.0": { name: "subGhzConfiguration" }, // DBCH03, DBCH04
  "0-0:94.44.10.2": { name: "subGhzChannel" }, // DBCH01
  "0-0:94.44.10.3": { name: "subGhzChannelLog" }, // DBCH02
  "0-0:94.44.34.10": { name: "importEnergyRegisters" }, // ECS17b
  "0-0:94.44.34.11": { name: "importMpan", text: true }, // ECS39a, ECS40
  "0-0:94.44.34.20": { name: "powerRegisters" }, // ECS17c
  "0-0:94.44.42.255": { name: "loadLimitCounter" }, // ECS27, ECS28b
  "0-0:94.44.34.1": { name: "touRegisters" }, // ECS17d
  "0-0:94.44.34.2": { name: "touBlockRegisters" }, // ECS17e
  "0-0:98.1.0.255": { name: "billingDataLogBillingCalendar" }, // ECS20c
  "0-0:98.1.2.255": { name: "billingDataLogChangeOfModeOrTariff" }, // ECS20b
  "0-0:98.1.8.255": { name: "prepaymentDailyReadLog" }, // ECS21b
  "0-0:98.1.9.255": { name: "dailyReadLog" }, // ECS21a
  "0-0:99.1.0.255": { name: "halfHourProfileActiveImport" }, // ECS22b
  "0-0:99.1.3.255": { name: "dailyConsumptionLog" }, // ECS66
  "0-0:94.44.100.255": { name: "logEntryTime" }, // the restricting object of every log read by date range
  "0-0:19.20.4.255": { name: "standingCharge" }, // ECS01a/b: no commodity, one price per day
  "0-0:19.20.5.255": { name: "secondaryElementPriceMatrix" }, // ECS01c/d
  "0-0:19.10.2.255": { name: "accumulatedDebtRegister" }, // ECS04b
  // Tariff and prepayment calendars: the active table (0-0) is read, the passive (0-1) written and
  // then activated (ECS01a/c, ECS08, ECS46c; ECS24, ECS26a, ECS61d read the active ones).
  "0-1:11.0.0.255": { name: "specialDaysTablePassive" }, // ECS01a
  "0-1:11.0.1.255": { name: "specialDaysTableSecondaryElementPassive" }, // ECS01c
  "0-0:11.0.2.255": { name: "nonDisablementSpecialDays" }, // ECS26a
  "0-1:11.0.2.255": { name: "nonDisablementSpecialDaysPassive" }, // ECS08
  "0-0:11.0.3.255": { name: "auxiliaryLoadControlSpecialDays" }, // ECS61d
  "0-1:11.0.3.255": { name: "auxiliaryLoadControlSpecialDaysPassive" }, // ECS46c
  "0-0:12.0.1.255": { name: "nonDisablementCalendar" }, // ECS26a
  "0-1:12.0.1.255": { name: "nonDisablementCalendarPassive" }, // ECS08
  "0-0:12.0.2.255": { name: "auxiliaryLoadControlCalendar" }, // ECS61d
  "0-1:12.0.2.255": { name: "auxiliaryLoadControlCalendarPassive" }, // ECS46c
  ...blockThresholds("0-0:16.0", ""), // ECS24
  ...blockThresholds("0-0:16.1", "Passive"), // ECS01a
  // GBCS extended data (class 9000): a value and when a new one takes effect. Those of calendars
  // and special days hold only the activation time; the RTDS names each in its future-dated
  // outcome alert (e.g. ECS01a ..._ALERT_SPECIAL_DAYS names 0-0:94.44.128.29).
  "0-0:94.44.2.0": { name: "currencyUnit" }, // ECS01a: true = GBP
  "0-0:63.1.1.255": { name: "tariffThresholdMatrix" }, // ECS01a ..._ALERT_THRESHOLD_MATRIX
  "0-0:94.44.128.29": { name: "tariffSpecialDaysActivation" }, // ECS01a ..._ALERT_SPECIAL_DAYS
  "0-0:94.44.128.30": { name: "secondaryElementSpecialDaysActivation" }, // ECS01c ..._ALERT_SPECIAL_DAYS
  "0-0:94.44.128.31": { name: "nonDisablementSpecialDaysActivation" }, // ECS08 ..._ALERT_SPECIAL_DAYS
  "0-0:94.44.128.28": { name: "nonDisablementCalendarActivation" }, // ECS08
  "0-0:94.44.128.26": { name: "auxiliaryLoadControlCalendarActivation" }, // ECS46c ..._ALERT_CALENDAR
  "0-0:94.44.128.35": { name: "auxiliaryLoadControlSpecialDaysActivation" }, // ECS46c ..._ALERT_SPECIAL_DAYS
  "0-0:94.44.128.22": { name: "disablementThreshold" }, // ECS03 ..._ALERT_DISABLEMENT_THRESHOLD
  "0-0:94.44.128.2": { name: "emergencyCreditLimit" }, // ECS08 ..._ALERT_EMERGENCY_CREDIT_LIMIT
  "0-0:94.44.128.3": { name: "emergencyCreditThreshold" }, // ECS08 ..._ALERT_EMERGENCY_CREDIT_THRESHOLD
  "0-0:94.44.128.9": { name: "lowCreditThreshold" }, // ECS08a ..._ALERT_LOW_CREDIT_THRESHOLD
  "0-0:94.44.128.12": { name: "debtRecoveryRateCapAmount" }, // ECS08 ..._ALERT_DEBT_RECOVERY_RATE_CAP_AMOUNT
  "0-0:94.44.128.13": { name: "debtRecoveryRateCapPeriod" }, // ECS08a ..._ALERT_DEBT_RECOVERY_RATE_CAP_PERIOD
  "0-0:94.44.2.10": { name: "maxCreditThreshold" }, // ECS08a ..._ALERT_MAX_CREDIT_THRESHOLD
  "0-0:94.44.2.20": { name: "maxMeterBalance" }, // ECS08 ..._ALERT_MAX_METER_BALANCE
  "0-0:94.44.0.3": { name: "loadLimitSupplyState" }, // ECS28a ..._ALERT_SUPPLY_STATE
  "0-0:94.44.128.6": { name: "loadLimitPeriod" }, // ECS28a ..._ALERT_PERIOD
  "0-0:94.44.128.7": { name: "loadLimitPowerThreshold" }, // ECS28a ..._ALERT_POWER_THRESHOLD
  "0-0:96.13.0.255": { name: "supplierTelephoneNumber", text: true }, // ECS16
  "0-0:96.13.1.255": { name: "supplierName", text: true }, // ECS16
  // ALCS / HC ALCS switches 1-5 (esme-more-load.ts): labels (ECS46a), identities (ECS46c), states.
  ...switches(10, "auxiliaryLoadSwitchLabel"), ...switches(20, "auxiliaryLoadSwitchIdentity"), ...switches(30, "auxiliaryLoadSwitchState"),
};

/** The eight block-threshold register monitors, one per TOU rate: C.D.(11..18). */
function blockThresholds(prefix: string, suffix: string): Record<string, ObisName> {
  const names: Record<string, ObisName> = {};
  for (let rate = 1; rate <= 8; rate++) names[`${prefix}.${10 + rate}.255`] = { name: `blockThresholdsTou${rate}${suffix}` };
  return names;
}

/** Auxiliary load switch objects 0-0:94.44.0.(decade + n) for switches 1-5. */
function switches(decade: number, name: string): Record<string, ObisName> {
  const names: Record<string, ObisName> = {};
  for (let n = 1; n <= 5; n++) names[`0-0:94.44.0.${decade + n}`] = { name: `${name}${n}` };
  return names;
}

export function obisName(obis: string): ObisName | undefined {
  return NAMES[obis];
}
