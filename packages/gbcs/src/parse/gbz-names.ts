// ZigBee Smart Energy 1.2 clusters as GBCS uses them for gas (GBCS section 10 and its ZSE
// profile): attribute ids, cluster-specific commands and their payload layouts, in developer
// words. Data only; gbz-zcl.ts reads payloads with it.
import type { ClusterSpec, FieldSpec, ValueNames } from "./gbz-layouts.js";

/** ZCL status codes (ZCL 2.5.3), used by default responses and read-attribute records. */
export const ZCL_STATUS: ValueNames = {
  0x00: "success", 0x01: "failure", 0x7e: "notAuthorized", 0x7f: "reservedFieldNotZero",
  0x80: "malformedCommand", 0x81: "unsupportedClusterCommand", 0x82: "unsupportedGeneralCommand",
  0x83: "unsupportedManufacturerClusterCommand", 0x84: "unsupportedManufacturerGeneralCommand",
  0x85: "invalidField", 0x86: "unsupportedAttribute", 0x87: "invalidValue", 0x88: "readOnly",
  0x89: "insufficientSpace", 0x8a: "duplicateExists", 0x8b: "notFound", 0x8c: "unreportableAttribute",
  0x8d: "invalidDataType", 0x8e: "invalidSelector", 0x8f: "writeOnly", 0x90: "inconsistentStartupState",
  0x91: "definedOutOfBand", 0x92: "inconsistent", 0x93: "actionDenied", 0x94: "timeout", 0x95: "abort",
  0x96: "invalidImage", 0x97: "waitForData", 0x98: "noImageAvailable", 0x99: "requireMoreImage",
  0xc0: "hardwareFailure", 0xc1: "softwareFailure", 0xc2: "calibrationError",
};

/** Profile-wide (frame type 0) commands GBCS uses (ZCL 2.5). */
export const PROFILE_COMMANDS: ValueNames = {
  0x00: "readAttributes", 0x01: "readAttributesResponse", 0x0b: "defaultResponse",
};

/** Metering UnitofMeasure (ZSE D.3.2.2.4.1); 0x80 and above are the BCD forms of the same units. */
const UNIT_OF_MEASURE: ValueNames = {
  0x00: "kWh", 0x01: "m3", 0x02: "ft3", 0x03: "ccf", 0x04: "usGallons", 0x05: "imperialGallons",
  0x06: "BTU", 0x07: "litres", 0x08: "kPaGauge", 0x09: "kPaAbsolute", 0x0a: "mcf", 0x0b: "unitless",
  0x0c: "MJ", 0x80: "kWh", 0x81: "m3", 0x82: "ft3", 0x83: "ccf",
};

/** ISO 4217 numeric codes GB meters carry. */
const CURRENCY: ValueNames = { 826: "GBP", 978: "EUR" };

const CALORIFIC_VALUE_UNIT: ValueNames = { 0x01: "MJ/m3", 0x02: "MJ/kg" };

/**
 * Supply status (ZSE 1.2 D.3.2.2.1.1): the valve state, and in Set Supply Status and the supply
 * tamper, depletion and uncontrolled-flow attributes the state the valve is put in on that event.
 */
const SUPPLY_STATUS: ValueNames = { 0x00: "off", 0x01: "armed", 0x02: "on", 0x03: "unchanged" };

const CALENDAR_TYPE: ValueNames = {
  0x00: "delivered", 0x01: "received", 0x02: "deliveredAndReceived", 0x03: "friendlyCredit", 0x04: "auxiliaryLoadSwitch",
};

const TARIFF_TYPE: ValueNames = { 0x00: "timeOfUse", 0x10: "block", 0x20: "blockAndTimeOfUse" };

const LOG_ID: ValueNames = {
  0x00: "allLogs", 0x01: "tamperLog", 0x02: "faultLog", 0x03: "generalEventLog", 0x04: "securityEventLog", 0x05: "networkEventLog",
};

const ORIGINATING_DEVICE: ValueNames = { 0x00: "energyServiceInterface", 0x01: "meter", 0x02: "inHomeDisplay" };

const DEBT_RECOVERY_METHOD: ValueNames = { 0x00: "timeBased", 0x01: "percentageBased", 0x02: "catchUpBased" };

const DEBT_AMOUNT_TYPE: ValueNames = {
  0x00: "type1Absolute", 0x01: "type1Incremental", 0x02: "type2Absolute", 0x03: "type2Incremental",
  0x04: "type3Absolute", 0x05: "type3Incremental",
};

const DEBT_TYPE: ValueNames = { 0x00: "type1", 0x01: "type2", 0x02: "type3", 0xff: "all" };

const RECOVERY_FREQUENCY: ValueNames = { 0x00: "perHour", 0x01: "perDay", 0x02: "perWeek", 0x03: "perMonth", 0x04: "perQuarter" };

const CREDIT_ADJUSTMENT_TYPE: ValueNames = { 0x00: "creditIncremental", 0x01: "creditAbsolute" };

const TOP_UP_RESULT: ValueNames = {
  0x00: "accepted", 0x01: "rejectedInvalid", 0x02: "rejectedDuplicate", 0x03: "rejectedError",
  0x04: "rejectedMaxCreditReached", 0x05: "rejectedKeypadLock", 0x06: "rejectedTooLarge", 0x10: "acceptedSupplyEnabled",
  0x11: "acceptedSupplyDisabled", 0x12: "acceptedSupplyArmed",
};

const PASSWORD_TYPE: ValueNames = { 0x01: "serviceMenu", 0x02: "consumerMenu" };

const SAMPLE_TYPE: ValueNames = { 0x00: "consumptionDelivered" };

const SNAPSHOT_PAYLOAD_TYPE: ValueNames = {
  0x00: "touDeliveredRegisters", 0x02: "blockTierDeliveredRegisters", 0x04: "touDeliveredRegistersNoBilling",
  0x06: "blockTierDeliveredRegistersNoBilling", 0x08: "dataUnavailable",
};

const PREPAY_SNAPSHOT_PAYLOAD_TYPE: ValueNames = { 0x00: "debtAndCreditStatus" };

const EVENT_CONFIGURATION_CONTROL: ValueNames = { 0x00: "applyByList", 0x01: "applyByEventGroup", 0x02: "applyByLogType", 0x03: "applyByConfigurationMatch" };

const PROVIDER_EVENT: readonly FieldSpec[] = [["providerId", "uint32"], ["issuerEventId", "uint32"]];

// Price cluster 0x0700 (ZSE D.4).
const PRICE: ClusterSpec = {
  name: "price",
  attributes: {
    ...numbered(0x0100, 15, (n) => `block${n}Threshold`),
    0x0200: "startOfBlockPeriod", 0x0201: "blockPeriodDuration", 0x0202: "thresholdMultiplier", 0x0203: "thresholdDivisor",
    0x0204: "blockPeriodDurationType",
    0x0300: "commodityType", 0x0301: "standingCharge", 0x0302: "conversionFactor", 0x0303: "conversionFactorTrailingDigit",
    0x0304: "calorificValue", 0x0305: ["calorificValueUnit", CALORIFIC_VALUE_UNIT], 0x0306: "calorificValueTrailingDigit",
    ...tierBlockPrices(),
    0x0610: "tariffLabel", 0x0611: "numberOfPriceTiersInUse", 0x0612: "numberOfBlockThresholdsInUse", 0x0613: "tierBlockMode",
    0x0615: ["unitOfMeasure", UNIT_OF_MEASURE], 0x0616: ["currency", CURRENCY], 0x0617: "priceTrailingDigit",
    0x0619: "tariffResolutionPeriod",
    0x0700: "currentBillingPeriodStart", 0x0701: "currentBillingPeriodDuration", 0x0702: "lastBillingPeriodStart",
    0x0703: "lastBillingPeriodDuration", 0x0704: "lastBillingPeriodConsolidatedBill",
  },
  toServer: {
    0x00: { name: "getCurrentPrice", fields: [["commandOptions", "bitmap8"]] },
    0x0b: {
      name: "getBillingPeriod",
      fields: [["earliestStartTime", "utcTime"], ["minIssuerEventId", "uint32"], ["numberOfCommands", "uint8"], ["tariffType", "bitmap8", TARIFF_TYPE]],
    },
  },
  toClient: {
    0x00: {
      name: "publishPrice",
      fields: [
        ["providerId", "uint32"], ["rateLabel", "string"], ["issuerEventId", "uint32"], ["currentTime", "utcTime"],
        ["unitOfMeasure", "uint8", UNIT_OF_MEASURE], ["currency", "uint16", CURRENCY], ["priceTrailingDigitAndTier", "bitmap8"],
        ["numberOfPriceTiersAndRegisterTier", "bitmap8"], ["startTime", "utcTime"], ["durationInMinutes", "uint16"], ["price", "uint32"],
        // GBCS: a response may carry 19 further octets of no meaning; kept, not interpreted.
        { opaque: "ignoredTrailingOctets" },
      ],
    },
    0x01: {
      name: "publishBlockPeriod",
      fields: [
        ...PROVIDER_EVENT, ["blockPeriodStartTime", "utcTime"], ["blockPeriodDuration", "uint24"], ["blockPeriodControl", "bitmap8"],
        ["blockPeriodDurationType", "bitmap8"], ["tariffType", "bitmap8", TARIFF_TYPE], ["tariffResolutionPeriod", "uint8"],
      ],
    },
    0x02: {
      name: "publishConversionFactor",
      fields: [["issuerEventId", "uint32"], ["startTime", "utcTime"], ["conversionFactor", "uint32"], ["conversionFactorTrailingDigits", "trailingDigits"]],
    },
    0x03: {
      name: "publishCalorificValue",
      fields: [
        ["issuerEventId", "uint32"], ["startTime", "utcTime"], ["calorificValue", "uint32"],
        ["calorificValueUnit", "uint8", CALORIFIC_VALUE_UNIT], ["calorificValueTrailingDigits", "trailingDigits"],
      ],
    },
    0x04: {
      name: "publishTariffInformation",
      fields: [
        ...PROVIDER_EVENT, ["issuerTariffId", "uint32"], ["startTime", "utcTime"], ["tariffType", "bitmap8", TARIFF_TYPE],
        ["tariffLabel", "string"], ["numberOfPriceTiersInUse", "uint8"], ["numberOfBlockThresholdsInUse", "uint8"],
        ["unitOfMeasure", "uint8", UNIT_OF_MEASURE], ["currency", "uint16", CURRENCY], ["priceTrailingDigits", "trailingDigits"],
        ["standingCharge", "uint32"], ["tierBlockMode", "uint8"], ["blockThresholdMultiplier", "uint24"], ["blockThresholdDivisor", "uint24"],
      ],
    },
    0x05: {
      name: "publishPriceMatrix",
      fields: [
        ...PROVIDER_EVENT, ["startTime", "utcTime"], ["issuerTariffId", "uint32"], ["commandIndex", "uint8"], ["numberOfCommands", "uint8"],
        ["subPayloadControl", "bitmap8", { 0x00: "blockOrBlockAndTou", 0x01: "touOnly" }],
        { list: "prices", count: null, item: [["tierBlockId", "uint8"], ["price", "uint32"]] },
      ],
    },
    0x06: {
      name: "publishBlockThresholds",
      fields: [
        ...PROVIDER_EVENT, ["startTime", "utcTime"], ["issuerTariffId", "uint32"], ["commandIndex", "uint8"], ["numberOfCommands", "uint8"],
        ["subPayloadControl", "bitmap8", { 0x00: "perTier", 0x01: "allTiers" }],
        { list: "thresholdSets", count: null, item: [["numberOfBlockThresholds", "uint8"], { list: "thresholds", count: "numberOfBlockThresholds", item: [["threshold", "uint48"]] }] },
      ],
    },
    0x09: {
      name: "publishBillingPeriod",
      fields: [
        ...PROVIDER_EVENT, ["billingPeriodStartTime", "utcTime"], ["billingPeriodDuration", "uint24"],
        ["billingPeriodDurationType", "bitmap8"], ["tariffType", "bitmap8", TARIFF_TYPE],
      ],
    },
  },
};

// Publish Snapshot sub-payloads without billing data (ZSE D.3.2.4.6, types 4 and 6): the total
// and per-tier registers, then for block tariffs the tier/block count byte and tier-block registers.
const TOU_REGISTERS: readonly FieldSpec[] = [
  ["currentSummationDelivered", "uint48"], ["numberOfTiersInUse", "uint8"],
  { list: "tierSummationsDelivered", count: "numberOfTiersInUse", item: [["summation", "uint48"]] },
];
const BLOCK_REGISTERS: readonly FieldSpec[] = [
  ["numberOfTiersAndBlockThresholdsInUse", "bitmap8"],
  { list: "tierBlockSummationsDelivered", count: null, item: [["summation", "uint48"]] },
];

// Metering cluster 0x0702 (ZSE D.3).
const METERING: ClusterSpec = {
  name: "metering",
  attributes: {
    0x0000: "currentSummationDelivered", 0x0001: "currentSummationReceived", 0x0014: ["supplyStatus", SUPPLY_STATUS],
    0x0100: "currentTier1SummationDelivered", 0x0102: "currentTier2SummationDelivered", 0x0104: "currentTier3SummationDelivered",
    0x0106: "currentTier4SummationDelivered",
    0x0200: "status", 0x0201: "remainingBatteryLife", 0x0202: "hoursInOperation", 0x0203: "hoursInFault", 0x0204: "extendedStatus",
    0x0205: "remainingBatteryLifeInDays", 0x0206: "currentMeterId", 0x0207: "ambientConsumptionIndicator",
    0x0300: ["unitOfMeasure", UNIT_OF_MEASURE], 0x0301: "multiplier", 0x0302: "divisor", 0x0303: "summationFormatting",
    0x0304: "demandFormatting", 0x0305: "historicalConsumptionFormatting", 0x0306: "meteringDeviceType", 0x0307: "siteId",
    0x0308: "meterSerialNumber",
    0x0400: "instantaneousDemand", 0x0401: "currentDayConsumptionDelivered", 0x0403: "previousDayConsumptionDelivered",
    0x0607: ["supplyTamperState", SUPPLY_STATUS], 0x0608: ["supplyDepletionState", SUPPLY_STATUS],
    0x0609: ["supplyUncontrolledFlowState", SUPPLY_STATUS],
    0x0700: "currentNoTierBlock1SummationDelivered", 0x0701: "currentNoTierBlock2SummationDelivered",
    0x0702: "currentNoTierBlock3SummationDelivered", 0x0703: "currentNoTierBlock4SummationDelivered",
    0x0a00: "billToDateDelivered", 0x0a01: "billToDateTimeStampDelivered",
    0x0b10: "uncontrolledFlowThreshold", 0x0b11: ["uncontrolledFlowThresholdUnitOfMeasure", UNIT_OF_MEASURE],
    0x0b12: "uncontrolledFlowMultiplier", 0x0b13: "uncontrolledFlowDivisor", 0x0b14: "flowStabilisationPeriod",
    0x0b15: "flowMeasurementPeriod",
  },
  toServer: {
    0x06: {
      name: "getSnapshot",
      fields: [["earliestStartTime", "utcTime"], ["latestEndTime", "utcTime"], ["snapshotOffset", "uint8"], ["snapshotCause", "bitmap32"]],
    },
    0x07: {
      name: "startSampling",
      fields: [
        ["issuerEventId", "uint32"], ["startSamplingTime", "utcTime"], ["sampleType", "uint8", SAMPLE_TYPE],
        ["sampleRequestIntervalSeconds", "uint16"], ["maxNumberOfSamples", "uint16"],
      ],
    },
    0x08: {
      name: "getSampledData",
      fields: [["sampleId", "uint16"], ["earliestSampleTime", "utcTime"], ["sampleType", "uint8", SAMPLE_TYPE], ["numberOfSamples", "uint16"]],
    },
    0x0b: {
      name: "changeSupply",
      fields: [
        ...PROVIDER_EVENT, ["requestDateTime", "utcTime"], ["implementationDateTime", "utcTime"],
        ["proposedSupplyStatus", "uint8", SUPPLY_STATUS], ["supplyControlBits", "bitmap8"],
      ],
    },
    0x0d: {
      name: "setSupplyStatus",
      fields: [
        ["issuerEventId", "uint32"], ["supplyTamperState", "uint8", SUPPLY_STATUS], ["supplyDepletionState", "uint8", SUPPLY_STATUS],
        ["supplyUncontrolledFlowState", "uint8", SUPPLY_STATUS], ["loadLimitSupplyState", "uint8", SUPPLY_STATUS],
      ],
    },
    0x0e: {
      name: "setUncontrolledFlowThreshold",
      fields: [
        ...PROVIDER_EVENT, ["uncontrolledFlowThreshold", "uint16"], ["unitOfMeasure", "uint8", UNIT_OF_MEASURE], ["multiplier", "uint16"],
        ["divisor", "uint16"], ["stabilisationPeriodSeconds", "uint8"], ["measurementPeriodSeconds", "uint16"],
      ],
    },
  },
  toClient: {
    0x06: {
      name: "publishSnapshot",
      fields: [
        ["snapshotId", "uint32"], ["snapshotTime", "utcTime"], ["totalSnapshotsFound", "uint8"], ["commandIndex", "uint8"],
        ["totalCommands", "uint8"], ["snapshotCause", "bitmap32"], ["snapshotPayloadType", "uint8", SNAPSHOT_PAYLOAD_TYPE],
        { on: "snapshotPayloadType", cases: { 0x04: TOU_REGISTERS, 0x06: [...TOU_REGISTERS, ...BLOCK_REGISTERS] }, otherwise: "snapshotPayload" },
      ],
    },
    0x07: {
      name: "getSampledDataResponse",
      fields: [
        ["sampleId", "uint16"], ["sampleStartTime", "utcTime"], ["sampleType", "uint8", SAMPLE_TYPE], ["sampleRequestIntervalSeconds", "uint16"],
        ["numberOfSamples", "uint16"], { list: "samples", count: "numberOfSamples", item: [["sample", "uint24"]] },
      ],
    },
    0x0c: {
      name: "supplyStatusResponse",
      fields: [...PROVIDER_EVENT, ["implementationDateTime", "utcTime"], ["supplyStatus", "uint8", SUPPLY_STATUS]],
    },
    0x0d: { name: "startSamplingResponse", fields: [["sampleId", "uint16"]] },
  },
};

// Messaging cluster 0x0703 (ZSE D.5).
const MESSAGING: ClusterSpec = {
  name: "messaging",
  attributes: {},
  toServer: {},
  toClient: {
    0x00: {
      name: "displayMessage",
      fields: [
        ["messageId", "uint32"], ["messageControl", "bitmap8"], ["startTime", "utcTime"], ["durationInMinutes", "uint16"],
        ["message", "string"], { optional: ["extendedMessageControl", "bitmap8"] },
      ],
    },
  },
};

// Prepayment cluster 0x0705 (ZSE D.7).
const PREPAYMENT: ClusterSpec = {
  name: "prepayment",
  attributes: {
    0x0000: "paymentControlConfiguration", 0x0001: "creditRemaining", 0x0002: "emergencyCreditRemaining", 0x0003: "creditStatus",
    0x0004: "creditRemainingTimestamp", 0x0005: "accumulatedDebt", 0x0006: "overallDebtCap",
    0x0010: "emergencyCreditLimit", 0x0011: "emergencyCreditThreshold",
    0x0020: "totalCreditAdded", 0x0021: "maxCreditLimit", 0x0022: "maxCreditPerTopUp",
    0x0030: "friendlyCreditWarning", 0x0031: "lowCreditWarningLevel", 0x0032: "ihdLowCreditWarningLevel", 0x0033: "interruptSuspendTime",
    0x0040: "cutOffValue",
    ...debtAttributes(0x0210, 1), ...debtAttributes(0x0220, 2), ...debtAttributes(0x0230, 3),
  },
  toServer: {
    0x00: { name: "selectAvailableEmergencyCredit", fields: [["commandIssueDateTime", "utcTime"], ["originatingDevice", "uint8", ORIGINATING_DEVICE]] },
    0x02: {
      name: "changeDebt",
      fields: [
        ["issuerEventId", "uint32"], ["debtLabel", "string"], ["debtAmount", "int32"], ["debtRecoveryMethod", "uint8", DEBT_RECOVERY_METHOD],
        ["debtAmountType", "uint8", DEBT_AMOUNT_TYPE], ["debtRecoveryStartTime", "utcTime"], ["debtRecoveryCollectionTime", "minuteOfDay"],
        ["debtRecoveryFrequency", "uint8", RECOVERY_FREQUENCY], ["debtRecoveryAmount", "int32"], ["debtRecoveryBalancePercentage", "uint16"],
      ],
    },
    0x03: {
      name: "emergencyCreditSetup",
      fields: [["issuerEventId", "uint32"], ["startTime", "utcTime"], ["emergencyCreditLimit", "uint32"], ["emergencyCreditThreshold", "uint32"]],
    },
    0x04: { name: "consumerTopUp", fields: [["originatingDevice", "uint8", ORIGINATING_DEVICE], ["topUpCode", "string"]] },
    0x05: {
      name: "creditAdjustment",
      fields: [["issuerEventId", "uint32"], ["startTime", "utcTime"], ["creditAdjustmentType", "uint8", CREDIT_ADJUSTMENT_TYPE], ["creditAdjustmentValue", "int32"]],
    },
    0x06: {
      name: "changePaymentMode",
      fields: [...PROVIDER_EVENT, ["implementationDateTime", "utcTime"], ["proposedPaymentControlConfiguration", "bitmap16"], ["cutOffValue", "int32"]],
    },
    0x07: {
      name: "getPrepaySnapshot",
      fields: [["earliestStartTime", "utcTime"], ["latestEndTime", "utcTime"], ["snapshotOffset", "uint8"], ["snapshotCause", "bitmap32"]],
    },
    0x08: { name: "getTopUpLog", fields: [["latestEndTime", "utcTime"], ["numberOfRecords", "uint8"]] },
    0x09: { name: "setLowCreditWarningLevel", fields: [["lowCreditWarningLevel", "uint32"]] },
    0x0a: { name: "getDebtRepaymentLog", fields: [["latestEndTime", "utcTime"], ["numberOfDebts", "uint8"], ["debtType", "uint8", DEBT_TYPE]] },
    0x0b: {
      name: "setMaximumCreditLimit",
      fields: [...PROVIDER_EVENT, ["implementationDateTime", "utcTime"], ["maximumCreditLevel", "uint32"], ["maximumCreditPerTopUp", "uint32"]],
    },
    0x0c: { name: "setOverallDebtCap", fields: [...PROVIDER_EVENT, ["implementationDateTime", "utcTime"], ["overallDebtCap", "int32"]] },
  },
  toClient: {
    0x01: {
      name: "publishPrepaySnapshot",
      fields: [
        ["snapshotId", "uint32"], ["snapshotTime", "utcTime"], ["totalSnapshotsFound", "uint8"], ["commandIndex", "uint8"],
        ["totalCommands", "uint8"], ["snapshotCause", "bitmap32"], ["snapshotPayloadType", "uint8", PREPAY_SNAPSHOT_PAYLOAD_TYPE],
        // Payload type 0, debt/credit status; the GBCS names are accumulated debt register, time debt
        // registers 1 and 2, payment debt register, emergency credit balance and meter balance.
        {
          on: "snapshotPayloadType",
          cases: {
            0x00: [
              ["accumulatedDebt", "int32"], ["timeDebt1Remaining", "uint32"], ["timeDebt2Remaining", "uint32"],
              ["paymentDebtRemaining", "uint32"], ["emergencyCreditBalance", "int32"], ["meterBalance", "int32"],
            ],
          },
          otherwise: "snapshotPayload",
        },
      ],
    },
    0x02: {
      name: "changePaymentModeResponse",
      fields: [["friendlyCredit", "bitmap8"], ["friendlyCreditCalendarId", "uint32"], ["emergencyCreditLimit", "uint32"], ["emergencyCreditThreshold", "uint32"]],
    },
    0x03: {
      name: "consumerTopUpResponse",
      fields: [["resultType", "uint8", TOP_UP_RESULT], ["topUpValue", "int32"], ["sourceOfTopUp", "uint8", ORIGINATING_DEVICE], ["creditRemaining", "int32"]],
    },
    0x05: {
      name: "publishTopUpLog",
      fields: [
        ["commandIndex", "uint8"], ["totalCommands", "uint8"],
        { list: "topUps", count: null, item: [["topUpCode", "string"], ["topUpAmount", "int32"], ["topUpTime", "utcTime"]] },
      ],
    },
    0x06: {
      name: "publishDebtLog",
      fields: [
        ["commandIndex", "uint8"], ["totalCommands", "uint8"],
        {
          list: "debtPayments",
          count: null,
          item: [["collectionTime", "utcTime"], ["amountCollected", "uint32"], ["debtType", "uint8", DEBT_TYPE], ["outstandingDebt", "uint32"]],
        },
      ],
    },
  },
};

// Calendar cluster 0x0707 (ZSE D.9).
const CALENDAR_HEADER: readonly FieldSpec[] = [...PROVIDER_EVENT, ["issuerCalendarId", "uint32"]];
const CALENDAR: ClusterSpec = {
  name: "calendar",
  attributes: {},
  toServer: {
    0x01: { name: "getDayProfiles", fields: [["providerId", "uint32"], ["issuerCalendarId", "uint32"], ["startDayId", "uint8"], ["numberOfDays", "uint8"]] },
    0x02: { name: "getWeekProfiles", fields: [["providerId", "uint32"], ["issuerCalendarId", "uint32"], ["startWeekId", "uint8"], ["numberOfWeeks", "uint8"]] },
    0x03: { name: "getSeasons", fields: [["providerId", "uint32"], ["issuerCalendarId", "uint32"]] },
    0x04: {
      name: "getSpecialDays",
      fields: [["startTime", "utcTime"], ["numberOfEvents", "uint8"], ["calendarType", "uint8", CALENDAR_TYPE], ["providerId", "uint32"], ["issuerCalendarId", "uint32"]],
    },
  },
  toClient: {
    0x00: {
      name: "publishCalendar",
      fields: [
        ...CALENDAR_HEADER, ["startTime", "utcTime"], ["calendarType", "uint8", CALENDAR_TYPE], ["calendarTimeReference", "uint8"],
        ["calendarName", "string"], ["numberOfSeasons", "uint8"], ["numberOfWeekProfiles", "uint8"], ["numberOfDayProfiles", "uint8"],
      ],
    },
    0x01: {
      name: "publishDayProfile",
      fields: [
        ...CALENDAR_HEADER, ["dayId", "uint8"], ["numberOfScheduleEntries", "uint8"], ["commandIndex", "uint8"], ["numberOfCommands", "uint8"],
        ["calendarType", "uint8", CALENDAR_TYPE],
        { list: "scheduleEntries", count: "numberOfScheduleEntries", item: [["startTime", "minuteOfDay"], ["priceTier", "uint8"]] },
      ],
    },
    0x02: {
      name: "publishWeekProfile",
      fields: [...CALENDAR_HEADER, ["weekId", "uint8"], { list: "dayIdsMondayToSunday", count: 7, item: [["dayId", "uint8"]] }],
    },
    0x03: {
      name: "publishSeasons",
      fields: [
        ...CALENDAR_HEADER, ["commandIndex", "uint8"], ["numberOfCommands", "uint8"],
        { list: "seasons", count: null, item: [["startDate", "date"], ["weekId", "uint8"]] },
      ],
    },
    0x04: {
      name: "publishSpecialDays",
      fields: [
        ...CALENDAR_HEADER, ["startTime", "utcTime"], ["calendarType", "uint8", CALENDAR_TYPE], ["numberOfSpecialDays", "uint8"],
        ["commandIndex", "uint8"], ["numberOfCommands", "uint8"],
        { list: "specialDays", count: "numberOfSpecialDays", item: [["date", "date"], ["dayId", "uint8"]] },
      ],
    },
  },
};

// Device Management cluster 0x0708 (ZSE D.10).
const DEVICE_MANAGEMENT: ClusterSpec = {
  name: "deviceManagement",
  attributes: {},
  toServer: {
    0x04: {
      name: "reportEventConfiguration",
      fields: [
        ["commandIndex", "uint8"], ["totalCommands", "uint8"],
        { list: "events", count: null, item: [["eventId", "eventCode"], ["eventConfiguration", "bitmap8"]] },
      ],
    },
  },
  toClient: {
    0x00: {
      name: "publishChangeOfTenancy",
      fields: [...PROVIDER_EVENT, ["tariffType", "bitmap8", TARIFF_TYPE], ["implementationDateTime", "utcTime"], ["proposedTenancyChangeControl", "bitmap32"]],
    },
    0x01: {
      name: "publishChangeOfSupplier",
      fields: [
        ["currentProviderId", "uint32"], ["issuerEventId", "uint32"], ["tariffType", "bitmap8", TARIFF_TYPE], ["proposedProviderId", "uint32"],
        ["providerChangeImplementationTime", "utcTime"], ["providerChangeControl", "bitmap32"], ["proposedProviderName", "string"],
        ["proposedProviderContactDetails", "string"],
      ],
    },
    0x02: {
      name: "requestNewPasswordResponse",
      fields: [
        ["issuerEventId", "uint32"], ["implementationDateTime", "utcTime"], ["durationInMinutes", "uint16"],
        ["passwordType", "uint8", PASSWORD_TYPE], ["password", "string"],
      ],
    },
    0x03: { name: "updateSiteId", fields: [["issuerEventId", "uint32"], ["siteIdTime", "utcTime"], ["providerId", "uint32"], ["siteId", "string"]] },
    0x04: {
      name: "setEventConfiguration",
      fields: [
        ["issuerEventId", "uint32"], ["startDateTime", "utcTime"], ["eventConfiguration", "bitmap8"],
        ["configurationControl", "uint8", EVENT_CONFIGURATION_CONTROL],
        // GBCS uses apply-by-list only: a count, then the event ids.
        ["numberOfEvents", "uint8"], { list: "eventIds", count: "numberOfEvents", item: [["eventId", "eventCode"]] },
      ],
    },
    0x05: { name: "getEventConfiguration", fields: [["eventId", "eventCode"]] },
    0x06: { name: "updateCin", fields: [["issuerEventId", "uint32"], ["cinImplementationTime", "utcTime"], ["providerId", "uint32"], ["customerIdNumber", "string"]] },
  },
};

// Events cluster 0x0709 (ZSE D.11).
const EVENTS: ClusterSpec = {
  name: "events",
  attributes: {},
  toServer: {
    0x00: {
      name: "getEventLog",
      fields: [
        ["eventControlAndLogId", "bitmap8"], ["eventId", "uint16"], ["startTime", "utcTime"], ["endTime", "utcTime"],
        ["numberOfEvents", "uint8"], ["eventOffset", "uint16"],
      ],
    },
    0x01: { name: "clearEventLogRequest", fields: [["logId", "uint8", LOG_ID]] },
  },
  toClient: {
    0x01: {
      name: "publishEventLog",
      fields: [
        ["totalNumberOfEvents", "uint16"], ["commandIndex", "uint8"], ["totalCommands", "uint8"], ["logPayloadControl", "bitmap8"],
        { list: "events", count: null, item: [["logId", "uint8", LOG_ID], ["eventId", "eventCode"], ["eventTime", "utcTime"], ["eventData", "string"]] },
      ],
    },
    0x02: { name: "clearEventLogResponse", fields: [["clearedEventsLogs", "bitmap8"]] },
  },
};

// Basic cluster 0x0000 (ZCL 3.2).
const BASIC: ClusterSpec = {
  name: "basic",
  attributes: {
    0x0000: "zclVersion", 0x0001: "applicationVersion", 0x0002: "stackVersion", 0x0003: "hardwareVersion", 0x0004: "manufacturerName",
    0x0005: "modelIdentifier", 0x0006: "dateCode", 0x0007: "powerSource",
  },
  toServer: {},
  toClient: {},
};

export const CLUSTERS: Readonly<Record<number, ClusterSpec>> = {
  0x0000: BASIC, 0x0700: PRICE, 0x0702: METERING, 0x0703: MESSAGING, 0x0705: PREPAYMENT, 0x0707: CALENDAR,
  0x0708: DEVICE_MANAGEMENT, 0x0709: EVENTS,
};

function numbered(first: number, count: number, name: (n: number) => string): Record<number, string> {
  const names: Record<number, string> = {};
  for (let n = 1; n <= count; n++) names[first + n - 1] = name(n);
  return names;
}

// Price attributes 0x0400-0x04FF: tier (high nibble, 0 = no tier) x block (low nibble + 1).
function tierBlockPrices(): Record<number, string> {
  const names: Record<number, string> = {};
  for (let tier = 0; tier < 16; tier++) {
    for (let block = 0; block < 16; block++) {
      names[0x0400 + tier * 16 + block] = tier === 0 ? `noTierBlock${block + 1}Price` : `tier${tier}Block${block + 1}Price`;
    }
  }
  return names;
}

// Prepayment debt attribute sets: 0x02n0 label, 0x02n1 amount, ... for debts 1-3 (ZSE D.7.2.2.3).
function debtAttributes(first: number, debt: number): Record<number, string> {
  return {
    [first]: `debtLabel${debt}`, [first + 1]: `debtAmount${debt}`, [first + 2]: `debtRecoveryMethod${debt}`,
    [first + 3]: `debtRecoveryStartTime${debt}`, [first + 4]: `debtRecoveryCollectionTime${debt}`,
    [first + 6]: `debtRecoveryFrequency${debt}`, [first + 7]: `debtRecoveryAmount${debt}`, [first + 9]: `debtRecoveryTopUpPercentage${debt}`,
  };
}
