// Gas device configuration and messages: supplier message (GCS07), change of tenancy (GCS09),
// PIN (GCS11), supplier name (GCS44), MPRN (GCS41), gas conversion (GCS23), gas flow (GCS24/24a),
// billing calendar (GCS25/25a), valve (GCS32, GCS39), network data log (GCS31).
import type { GbcsWriter } from "@opendcc/kernel";
import { onBehalfOfUser } from "../acb.js";
import type { ServiceFields } from "../fields.js";
import { ISSUER_EVENT_ID, clientCommand, serverCommand, writeGbz, zclString, zigbeeTime } from "../gbz.js";
import { TransformError, defineUseCase, type UseCaseEncoder } from "../types.js";
import { CLUSTER, DEVICE_MANAGEMENT_PUBLISH, MESSAGING_PUBLISH, METERING_COMMAND, PRICE_PUBLISH } from "./gas-clusters.js";
import { NO_PROVIDER } from "./gas-calendar.js";

/** Display Message: message id, control 0, start now, shown until replaced (FFFF minutes). */
const GCS07 = defineUseCase({
  useCase: "GCS07", srv: "3.1", deviceTypes: ["GSME"], messageCode: 0x0071, critical: false,
  write: (w, { fields }) => writeGbz(w, [serverCommand(CLUSTER.messaging, MESSAGING_PUBLISH.displayMessage, (p) => {
    p.uintLe(ISSUER_EVENT_ID, 4).byte(0).uintLe(0, 4).uintLe(0xffff, 2);
    zclString(p, fields.text("SupplierMessage"), "SupplierMessage");
  })]),
});

/** Proposed Tenancy Change Control GBCS sets for a change of tenancy (the RTDS value). */
const TENANCY_CHANGE_CONTROL = 0x00000200;

/** Publish Change of Tenancy to the GPF: data before the restriction date-time is withheld. */
const GCS09 = defineUseCase({
  useCase: "GCS09", srv: "3.2", deviceTypes: ["GPF"], messageCode: 0x0072, critical: false,
  write: (w, { fields }) => writeGbz(w, [serverCommand(CLUSTER.deviceManagement, DEVICE_MANAGEMENT_PUBLISH.changeOfTenancy, (p) => {
    p.uintLe(NO_PROVIDER, 4).uintLe(ISSUER_EVENT_ID, 4).byte(0).uintLe(zigbeeTime(fields.dateTime("RestrictionDateTime")), 4).uintLe(TENANCY_CHANGE_CONTROL, 4);
  })]),
});

/** Request New Password Response with an empty password of type 2 (the privacy PIN): PIN off. */
const PRIVACY_PIN = 0x02;
const GCS11 = defineUseCase({
  useCase: "GCS11", srv: "3.5", deviceTypes: ["GSME"], messageCode: 0x0073, critical: false,
  write: (w) => writeGbz(w, [serverCommand(CLUSTER.deviceManagement, DEVICE_MANAGEMENT_PUBLISH.requestNewPasswordResponse, (p) => {
    p.uintLe(ISSUER_EVENT_ID, 4).uintLe(0, 4).uintLe(0, 2).byte(PRIVACY_PIN).byte(0);
  })]),
});

/** Provider Change Control GBCS sets when only the supplier's name and contact change. */
const PROVIDER_CHANGE_CONTROL = 0x00001800;
const GCS44 = defineUseCase({
  useCase: "GCS44", srv: "3.4", deviceTypes: ["GSME"], messageCode: 0x0088, critical: false,
  write: (w, { fields }) => writeGbz(w, [serverCommand(CLUSTER.deviceManagement, DEVICE_MANAGEMENT_PUBLISH.changeOfSupplier, (p) => {
    p.uintLe(NO_PROVIDER, 4).uintLe(ISSUER_EVENT_ID, 4).byte(0).uintLe(NO_PROVIDER, 4).uintLe(0, 4).uintLe(PROVIDER_CHANGE_CONTROL, 4);
    zclString(p, fields.text("SupplierName"), "SupplierName");
    zclString(p, fields.text("SupplierTelephoneNumber"), "SupplierTelephoneNumber");
  })]),
});

/** Update Site ID: the MPRN, from now. */
const GCS41 = defineUseCase({
  useCase: "GCS41", srv: "6.20.1", deviceTypes: ["GSME"], messageCode: 0x0087, critical: false,
  write: (w, { fields }) => writeGbz(w, [serverCommand(CLUSTER.deviceManagement, DEVICE_MANAGEMENT_PUBLISH.updateSiteId, (p) => {
    p.uintLe(ISSUER_EVENT_ID, 4).uintLe(0, 4).uintLe(NO_PROVIDER, 4);
    zclString(p, fields.text("ImportMPRN"), "ImportMPRN", 32);
  })]),
});

/** An xs:decimal as an integer of `decimals` fixed decimal places, e.g. "1.02264" at 5 -> 102264. */
function scaledDecimal(fields: ServiceFields, decimals: number, max: number, name: string): number {
  const text = fields.text(name);
  const match = /^\+?(\d+)(?:\.(\d*))?$/.exec(text);
  const fraction = match?.[2] ?? "";
  if (!match || fraction.replace(/0+$/, "").length > decimals) throw new TransformError(`${name}: "${text}" is not a decimal with at most ${decimals} decimal places`, name);
  const value = Number(match[1]) * 10 ** decimals + Number(fraction.padEnd(decimals, "0").slice(0, decimals) || "0");
  if (value > max) throw new TransformError(`${name}: ${text} is too large`, name);
  return value;
}

/** Trailing-digit bitmaps: the number of decimal places in the high nibble. */
const CONVERSION_FACTOR_DECIMALS = 5;
const CALORIFIC_VALUE_DECIMALS = 1;
const MEGAJOULES_PER_CUBIC_METRE = 0x01;

/** Publish Conversion Factor and Publish Calorific Value, effective now. */
const GCS23 = defineUseCase({
  useCase: "GCS23", srv: "6.6", deviceTypes: ["GSME"], messageCode: 0x007c, critical: true,
  write: (w, { fields }) => writeGbz(w, [
    serverCommand(CLUSTER.price, PRICE_PUBLISH.conversionFactor, (p) => {
      p.uintLe(ISSUER_EVENT_ID, 4).uintLe(0, 4).uintLe(scaledDecimal(fields, CONVERSION_FACTOR_DECIMALS, 0xffffffff, "ConversionFactor"), 4).byte(CONVERSION_FACTOR_DECIMALS << 4);
    }),
    serverCommand(CLUSTER.price, PRICE_PUBLISH.calorificValue, (p) => {
      p.uintLe(ISSUER_EVENT_ID, 4).uintLe(0, 4).uintLe(scaledDecimal(fields, CALORIFIC_VALUE_DECIMALS, 0xffffffff, "CalorificValue"), 4).byte(MEGAJOULES_PER_CUBIC_METRE).byte(CALORIFIC_VALUE_DECIMALS << 4);
    }),
  ]),
});

/** ZSE supply states (D-68) a tamper or battery depletion leaves the valve in. */
const SUPPLY_STATE: Readonly<Record<string, number>> = { Locked: 0x00, Unchanged: 0x03 };
const SUPPLY_OFF = 0x00;
const SUPPLY_UNCHANGED = 0x03;
const CUBIC_METRES_PER_HOUR = 0x01;

/**
 * GCS24 (integer flow rate, divisor 1) and GCS24a (UncontrolledGasFlowRateDecimal, 4 decimal
 * places, divisor 10000): Set Uncontrolled Flow Threshold, then Set Supply Status.
 */
function gasFlowRate(fields: ServiceFields): { readonly useCase: string; readonly code: number; readonly value: number; readonly divisor: number } {
  if (fields.has("UncontrolledGasFlowRateDecimal")) return { useCase: "GCS24a", code: 0x00fc, value: scaledDecimal(fields, 4, 0xffff, "UncontrolledGasFlowRateDecimal"), divisor: 10000 };
  return { useCase: "GCS24", code: 0x007d, value: fields.intIn(0, 0xffff, "UncontrolledGasFlowRate"), divisor: 1 };
}

const GCS24 = defineUseCase({
  useCase: "GCS24/GCS24a", srv: "6.7", deviceTypes: ["GSME"], critical: true,
  chosenUseCase: (context) => gasFlowRate(context.fields).useCase,
  messageCode: (context) => gasFlowRate(context.fields).code,
  write: (w, { fields }) => {
    const rate = gasFlowRate(fields);
    writeGbz(w, [
      clientCommand(CLUSTER.metering, METERING_COMMAND.setUncontrolledFlowThreshold, (p) => {
        p.uintLe(NO_PROVIDER, 4).uintLe(ISSUER_EVENT_ID, 4).uintLe(rate.value, 2).byte(CUBIC_METRES_PER_HOUR).uintLe(1, 2).uintLe(rate.divisor, 2);
        p.byte(fields.intIn(0, 0xff, "StabilisationPeriod")).uintLe(fields.intIn(0, 0xffff, "MeasurementPeriod"), 2);
      }),
      clientCommand(CLUSTER.metering, METERING_COMMAND.setSupplyStatus, (p) => {
        p.uintLe(ISSUER_EVENT_ID, 4).byte(fields.oneOf(SUPPLY_STATE, "SupplyTamperState")).byte(fields.oneOf(SUPPLY_STATE, "SupplyDepletionState"));
        p.byte(SUPPLY_OFF).byte(SUPPLY_UNCHANGED); // uncontrolled flow shuts the valve; no load limit on gas
      }),
    ]);
  },
});

/** Billing periodicities in months; GCS25 knows monthly billing, GCS25a every periodicity. */
const PERIODICITY_MONTHS: Readonly<Record<string, number>> = { Monthly: 1, Quarterly: 3, SixMonthly: 6, Annually: 12 };
/** Duration type: months (low nibble 3), counted from the start of the period (high nibble 2). */
const MONTHS_FROM_START = 0x23;
const DELIVERED_TARIFF = 0x00;
const BLOCK_PERIOD_CONTROL = 0x02;
const TARIFF_RESOLUTION = 0x01;

/** GCS25 sets a monthly billing calendar, GCS25a ("all periodicities") any other. */
const monthlyBilling = (fields: ServiceFields) => fields.oneOf(PERIODICITY_MONTHS, "GasBillingCalendar", "Periodicity") === 1;

/** Publish Billing Period and Publish Block Period over the same calendar. */
const GCS25 = defineUseCase({
  useCase: "GCS25/GCS25a", srv: "6.8", deviceTypes: ["GSME"], critical: true,
  chosenUseCase: ({ fields }) => (monthlyBilling(fields) ? "GCS25" : "GCS25a"),
  messageCode: ({ fields }) => (monthlyBilling(fields) ? 0x007e : 0x00d8),
  write: (w, { fields }) => {
    const start = zigbeeTime(fields.dateTime("GasBillingCalendar", "BillingPeriodStart"));
    const months = fields.oneOf(PERIODICITY_MONTHS, "GasBillingCalendar", "Periodicity");
    const period = (p: GbcsWriter) => p.uintLe(NO_PROVIDER, 4).uintLe(ISSUER_EVENT_ID, 4).uintLe(start, 4).uintLe(months, 3);
    writeGbz(w, [
      serverCommand(CLUSTER.price, PRICE_PUBLISH.billingPeriod, (p) => period(p).byte(MONTHS_FROM_START).byte(DELIVERED_TARIFF)),
      serverCommand(CLUSTER.price, PRICE_PUBLISH.blockPeriod, (p) => period(p).byte(BLOCK_PERIOD_CONTROL).byte(MONTHS_FROM_START).byte(DELIVERED_TARIFF).byte(TARIFF_RESOLUTION)),
    ]);
  },
});

/** Change Supply: now, to off (GCS32) or armed (GCS39), acknowledgement required. */
const SUPPLY_CONTROL_ACKNOWLEDGE = 0x01;
const changeSupply = (status: number) => clientCommand(CLUSTER.metering, METERING_COMMAND.changeSupply, (p) => {
  p.uintLe(NO_PROVIDER, 4).uintLe(ISSUER_EVENT_ID, 4).uintLe(0, 4).uintLe(0, 4).byte(status).byte(SUPPLY_CONTROL_ACKNOWLEDGE);
});
const GCS32 = defineUseCase({
  useCase: "GCS32", srv: "7.2", deviceTypes: ["GSME"], messageCode: 0x0081, critical: true,
  write: (w) => writeGbz(w, [changeSupply(0x00)]),
});
const GCS39 = defineUseCase({
  useCase: "GCS39", srv: "7.3", deviceTypes: ["GSME"], messageCode: 0x0085, critical: true,
  write: (w) => writeGbz(w, [changeSupply(0x01)]),
});

/**
 * GCS31 Start Network Data Log (SRV 14.1, RecordNetworkDataGAS, no fields): Start Sampling of the
 * consumption delivered, now, every 6 minutes, 41 samples (the RTDS 14.1 vector). The Access
 * Control Broker sends it for the Gas Network Operator.
 */
const CONSUMPTION_DELIVERED = 0x00;
const NETWORK_DATA_INTERVAL_SECONDS = 360;
const NETWORK_DATA_SAMPLES = 41;
const GCS31 = defineUseCase({
  useCase: "GCS31", srv: "14.1", deviceTypes: ["GSME"], messageCode: 0x0080, critical: false, header: onBehalfOfUser,
  write: (w) => writeGbz(w, [clientCommand(CLUSTER.metering, METERING_COMMAND.startSampling, (p) => {
    p.uintLe(ISSUER_EVENT_ID, 4).uintLe(0, 4).byte(CONSUMPTION_DELIVERED).uintLe(NETWORK_DATA_INTERVAL_SECONDS, 2).uintLe(NETWORK_DATA_SAMPLES, 2);
  })]),
});

export const GAS_DEVICE_ENCODERS: readonly UseCaseEncoder[] = [GCS07, GCS09, GCS11, GCS44, GCS41, GCS23, GCS24, GCS25, GCS32, GCS39, GCS31];
