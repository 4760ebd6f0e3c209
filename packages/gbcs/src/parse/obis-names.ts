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
  "0-0:10.0.100.255": { name: "tariffBlockCounterResetScript" },
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
  "0-0:19.20.0.255": { name: "standingCharge" },
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
};

export function obisName(obis: string): ObisName | undefined {
  return NAMES[obis];
}
