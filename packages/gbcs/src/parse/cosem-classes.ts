// COSEM interface classes GBCS uses: class id -> name, attribute and method names, in lowerCamelCase.
// Source: the DLMS UA Blue Book (IEC 62056-6-2) interface class definitions; class 9000 is GBCS's
// own "GBCS extended data" class (GBCS section 10, an active and a passive value with an activation
// time). Attribute 1 is always the logical name.

export interface CosemClass {
  readonly name: string;
  /** Attribute names from attribute 2 on. */
  readonly attributes: readonly string[];
  /** Method names from method 1 on. */
  readonly methods: readonly string[];
}

const CLASSES: Readonly<Record<number, CosemClass>> = {
  1: { name: "Data", attributes: ["value"], methods: [] },
  3: { name: "Register", attributes: ["value", "scalerUnit"], methods: ["reset"] },
  4: { name: "ExtendedRegister", attributes: ["value", "scalerUnit", "status", "captureTime"], methods: ["reset"] },
  5: {
    name: "DemandRegister",
    attributes: ["currentAverageValue", "lastAverageValue", "scalerUnit", "status", "captureTime", "startTimeCurrent", "period", "numberOfPeriods"],
    methods: ["reset", "nextPeriod"],
  },
  7: {
    name: "ProfileGeneric",
    attributes: ["buffer", "captureObjects", "capturePeriod", "sortMethod", "sortObject", "entriesInUse", "profileEntries"],
    methods: ["reset", "capture"],
  },
  8: {
    name: "Clock",
    attributes: ["time", "timeZone", "status", "daylightSavingsBegin", "daylightSavingsEnd", "daylightSavingsDeviation", "daylightSavingsEnabled", "clockBase"],
    methods: ["adjustToQuarter", "adjustToMeasuringPeriod", "adjustToMinute", "adjustToPresetTime", "presetAdjustingTime", "shiftTime"],
  },
  9: { name: "ScriptTable", attributes: ["scripts"], methods: ["execute"] },
  10: { name: "Schedule", attributes: ["entries"], methods: ["enableDisable", "insert", "delete"] },
  11: { name: "SpecialDaysTable", attributes: ["entries"], methods: ["insert", "delete"] },
  20: {
    name: "ActivityCalendar",
    attributes: [
      "calendarNameActive", "seasonProfileActive", "weekProfileTableActive", "dayProfileTableActive",
      "calendarNamePassive", "seasonProfilePassive", "weekProfileTablePassive", "dayProfileTablePassive", "activatePassiveCalendarTime",
    ],
    methods: ["activatePassiveCalendar"],
  },
  21: { name: "RegisterMonitor", attributes: ["thresholds", "monitoredValue", "actions"], methods: [] },
  22: { name: "SingleActionSchedule", attributes: ["executedScript", "type", "executionTime"], methods: [] },
  30: {
    name: "DataProtection",
    attributes: ["protectionBuffer", "protectionObjectList", "protectionParametersGet", "protectionParametersSet", "requiredProtection"],
    methods: ["getProtectedAttributes", "setProtectedAttributes", "invokeProtectedMethod"],
  },
  70: { name: "DisconnectControl", attributes: ["outputState", "controlState", "controlMode"], methods: ["remoteDisconnect", "remoteReconnect"] },
  71: {
    name: "Limiter",
    attributes: [
      "monitoredValue", "thresholdActive", "thresholdNormal", "thresholdEmergency", "minOverThresholdDuration",
      "minUnderThresholdDuration", "emergencyProfile", "emergencyProfileGroupIdList", "emergencyProfileActive", "actions",
    ],
    methods: [],
  },
  104: {
    name: "ZigBeeNetworkControl",
    attributes: ["enableDisableJoining", "joinTimeout", "activeDevices"],
    methods: [
      "registerDevice", "unregisterDevice", "unregisterAllDevices", "backupPan", "restorePan", "identifyDevice", "removeMirror",
      "updateNetworkKey", "updateLinkKey", "createPan", "removePan",
    ],
  },
  111: {
    name: "Account",
    attributes: [
      "accountModeAndStatus", "currentCreditInUse", "currentCreditStatus", "availableCredit", "amountToClear", "clearanceThreshold",
      "aggregatedDebt", "creditReferenceList", "chargeReferenceList", "creditChargeConfiguration", "tokenGatewayConfiguration",
      "accountActivationTime", "accountClosureTime", "currency", "lowCreditThreshold", "nextCreditAvailableThreshold", "maxProvision",
      "maxProvisionPeriod",
    ],
    methods: ["activateAccount", "closeAccount", "resetAccount"],
  },
  112: {
    name: "Credit",
    attributes: [
      "currentCreditAmount", "creditType", "priority", "warningThreshold", "limit", "creditConfiguration", "creditStatus",
      "presetCreditAmount", "creditAvailableThreshold", "period",
    ],
    methods: ["updateAmount", "setAmountToValue", "invokeCredit"],
  },
  113: {
    name: "Charge",
    attributes: [
      "totalAmountPaid", "chargeType", "priority", "unitChargeActive", "unitChargePassive", "unitChargeActivationTime", "period",
      "chargeConfiguration", "lastCollectionTime", "lastCollectionAmount", "totalAmountRemaining", "proportion",
    ],
    methods: ["updateUnitCharge", "activatePassiveUnitCharge", "collect", "updateTotalAmountRemaining", "setTotalAmountRemaining"],
  },
  115: { name: "TokenGateway", attributes: ["token", "tokenTime", "tokenDescription", "tokenDeliveryMethod", "tokenStatus"], methods: ["enter"] },
  9000: { name: "GbcsExtendedData", attributes: ["valueActive", "scalerUnitActive", "valuePassive", "scalerUnitPassive", "activatePassiveValueTime"], methods: [] },
};

export function cosemClass(classId: number): CosemClass | undefined {
  return CLASSES[classId];
}

/** The attribute's name, or `attribute<N>` when the class or attribute is not in the table. */
export function attributeName(classId: number, id: number): string {
  if (id === 1) return "logicalName";
  return CLASSES[classId]?.attributes[id - 2] ?? `attribute${id}`;
}

export function methodName(classId: number, id: number): string {
  return CLASSES[classId]?.methods[id - 1] ?? `method${id}`;
}

/** DLMS physical units (Blue Book, the unit enumeration of the scal_unit_type) as their symbols. */
const UNITS: Readonly<Record<number, string>> = {
  1: "a", 2: "mo", 3: "wk", 4: "d", 5: "h", 6: "min", 7: "s", 8: "°", 9: "°C", 10: "currency", 11: "m", 12: "m/s", 13: "m3",
  14: "m3 (corrected)", 15: "m3/h", 16: "m3/h (corrected)", 17: "m3/d", 18: "m3/d (corrected)", 19: "l", 20: "kg", 21: "N", 22: "Nm",
  23: "Pa", 24: "bar", 25: "J", 26: "J/h", 27: "W", 28: "VA", 29: "var", 30: "Wh", 31: "VAh", 32: "varh", 33: "A", 34: "C", 35: "V",
  36: "V/m", 37: "F", 38: "Ω", 39: "Ωm2/m", 40: "Wb", 41: "T", 42: "A/m", 43: "H", 44: "Hz", 45: "1/(Wh)", 46: "1/(varh)",
  47: "1/(VAh)", 48: "V2h", 49: "A2h", 50: "kg/s", 51: "S", 52: "K", 53: "1/(V2h)", 54: "1/(A2h)", 55: "1/m3", 56: "%", 57: "Ah",
  60: "Wh/m3", 61: "J/m3", 62: "Mol %", 63: "g/m3", 64: "Pa s", 65: "J/kg", 70: "dBm", 71: "dBμV", 72: "dB",
  253: "reserved", 254: "other", 255: "count",
};

export function unitSymbol(code: number): string {
  return UNITS[code] ?? `unit${code}`;
}
