// ZigBee SE clusters and the attribute / command ids the gas use cases use (gbcs.md section 4;
// ZSE 1.4 annex D). Attribute ids are written little-endian on the wire.

export const CLUSTER = {
  basic: 0x0000,
  price: 0x0700,
  metering: 0x0702,
  messaging: 0x0703,
  prepayment: 0x0705,
  calendar: 0x0707,
  deviceManagement: 0x0708,
} as const;

export const BASIC = { hwVersion: 0x0003, manufacturerName: 0x0004, modelIdentifier: 0x0005 } as const;

export const METERING_ATTRIBUTE = {
  currentSummationDelivered: 0x0000,
  supplyStatus: 0x0014,
  tier1Summation: 0x0100, tier2Summation: 0x0102, tier3Summation: 0x0104, tier4Summation: 0x0106,
  batteryLifeRemaining: 0x0205,
  currentMeterId: 0x0206,
  unitOfMeasure: 0x0300, multiplier: 0x0301, divisor: 0x0302,
  siteId: 0x0307,
  supplyTamperState: 0x0607, supplyDepletionState: 0x0608,
  block1Summation: 0x0700, block2Summation: 0x0701, block3Summation: 0x0702, block4Summation: 0x0703,
  billToDateDelivered: 0x0a00,
  uncontrolledFlowThreshold: 0x0b10, uncontrolledFlowUnit: 0x0b11, uncontrolledFlowMultiplier: 0x0b12,
  uncontrolledFlowDivisor: 0x0b13, flowStabilisationPeriod: 0x0b14, flowMeasurementPeriod: 0x0b15,
} as const;

export const PRICE_ATTRIBUTE = {
  block1Threshold: 0x0100, block2Threshold: 0x0101, block3Threshold: 0x0102,
  thresholdMultiplier: 0x0202, thresholdDivisor: 0x0203,
  standingCharge: 0x0301,
  conversionFactor: 0x0302, conversionFactorTrailingDigit: 0x0303,
  calorificValue: 0x0304, calorificValueUnit: 0x0305, calorificValueTrailingDigit: 0x0306,
  noTierBlock1Price: 0x0400, noTierBlock2Price: 0x0401, noTierBlock3Price: 0x0402, noTierBlock4Price: 0x0403,
  tier1Block1Price: 0x0410, tier2Block1Price: 0x0420, tier3Block1Price: 0x0430, tier4Block1Price: 0x0440,
  unitOfMeasure: 0x0615, currency: 0x0616, priceTrailingDigit: 0x0617,
} as const;

export const PREPAYMENT_ATTRIBUTE = {
  paymentControlConfiguration: 0x0000,
  creditRemaining: 0x0001,
  emergencyCreditRemaining: 0x0002,
  accumulatedDebt: 0x0005,
  overallDebtCap: 0x0006,
  emergencyCreditLimit: 0x0010, emergencyCreditThreshold: 0x0011,
  maxCreditLimit: 0x0021, maxCreditPerTopUp: 0x0022,
  lowCreditWarningLevel: 0x0031,
  cutOffValue: 0x0040,
  debtAmount1: 0x0211, debtRecoveryFrequency1: 0x0216, debtRecoveryAmount1: 0x0217,
  debtAmount2: 0x0221, debtRecoveryFrequency2: 0x0226, debtRecoveryAmount2: 0x0227,
  debtAmount3: 0x0231, debtRecoveryTopUpPercentage3: 0x0239,
} as const;

/** Client-to-server commands. */
export const PRICE_COMMAND = { getCurrentPrice: 0x00, getBillingPeriod: 0x0b } as const;
export const METERING_COMMAND = { getSnapshot: 0x06, startSampling: 0x07, getSampledData: 0x08, changeSupply: 0x0b, setSupplyStatus: 0x0d, setUncontrolledFlowThreshold: 0x0e } as const;
export const PREPAYMENT_COMMAND = {
  selectAvailableEmergencyCredit: 0x00, changeDebt: 0x02, emergencyCreditSetup: 0x03, creditAdjustment: 0x05,
  changePaymentMode: 0x06, getPrepaySnapshot: 0x07, getTopUpLog: 0x08, setLowCreditWarningLevel: 0x09,
  getDebtRepaymentLog: 0x0a, setMaximumCreditLimit: 0x0b, setOverallDebtCap: 0x0c,
} as const;
export const CALENDAR_COMMAND = { getDayProfiles: 0x01, getWeekProfiles: 0x02, getSeasons: 0x03, getSpecialDays: 0x04 } as const;

/** Server-to-client (publish) commands. */
export const PRICE_PUBLISH = { blockPeriod: 0x01, conversionFactor: 0x02, calorificValue: 0x03, tariffInformation: 0x04, priceMatrix: 0x05, blockThresholds: 0x06, billingPeriod: 0x09 } as const;
export const CALENDAR_PUBLISH = { calendar: 0x00, dayProfile: 0x01, weekProfile: 0x02, seasons: 0x03, specialDays: 0x04 } as const;
export const DEVICE_MANAGEMENT_PUBLISH = { changeOfTenancy: 0x00, changeOfSupplier: 0x01, requestNewPasswordResponse: 0x02, updateSiteId: 0x03, setEventConfiguration: 0x04, getEventConfiguration: 0x05, updateCin: 0x06 } as const;
export const MESSAGING_PUBLISH = { displayMessage: 0x00 } as const;

/** ZSE calendar types. */
export const CALENDAR_TYPE = { delivered: 0x00, friendlyCredit: 0x03 } as const;
