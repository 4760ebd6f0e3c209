// Gas reads whose GBZ payload does not depend on the request: attribute reads and fixed gets
// (GBCS use cases GCS13a/b/c, 14, 20r, 21a/b/e/f/j/k/m, 33, 38, 46, 60/60a). Every vector of these
// use cases carries the same components, whatever the request.
import type { GbcsWriter } from "@opendcc/kernel";
import { clientCommand, readAttributes, serverCommand, writeGbz, type GbzComponent } from "../gbz.js";
import { defineUseCase, type DeviceType, type UseCaseEncoder } from "../types.js";
import {
  BASIC, CALENDAR_COMMAND, CALENDAR_TYPE, CLUSTER, DEVICE_MANAGEMENT_PUBLISH, METERING_ATTRIBUTE as M,
  PREPAYMENT_ATTRIBUTE as P, PRICE_ATTRIBUTE as PR, PRICE_COMMAND,
} from "./gas-clusters.js";

/** Reads are answered by the GSME or, from its mirror, by the Gas Proxy Function. */
const GAS_READERS: readonly DeviceType[] = ["GSME", "GPF"];

/** Issuer Calendar IDs the calendar gets ask for: any (FFFFFFFF) or "the current one" (FFFFFFFE). */
const ANY_CALENDAR = 0xffffffff;
const CURRENT_CALENDAR = 0xfffffffe;

/** The four Calendar gets that read a whole calendar of one type (ZSE D.9.2.3). */
function calendarReads(calendarType: number, issuerCalendarId: number): GbzComponent[] {
  const ids = (w: GbcsWriter) => w.uintLe(0, 4).uintLe(issuerCalendarId, 4);
  const firstOfAll = (w: GbcsWriter) => ids(w).byte(1).byte(0); // start id 1, number 0 = all
  return [
    clientCommand(CLUSTER.calendar, CALENDAR_COMMAND.getDayProfiles, firstOfAll),
    clientCommand(CLUSTER.calendar, CALENDAR_COMMAND.getWeekProfiles, firstOfAll),
    clientCommand(CLUSTER.calendar, CALENDAR_COMMAND.getSeasons, ids),
    // start time 0, all events, calendar type, provider 0, issuer calendar id
    clientCommand(CLUSTER.calendar, CALENDAR_COMMAND.getSpecialDays, (w) => w.uintLe(0, 4).byte(0).byte(calendarType).uintLe(0, 4).uintLe(issuerCalendarId, 4)),
  ];
}

/** Get Billing Period: from any time, any issuer event, one command, delivered tariff. */
const billingPeriodRead = clientCommand(CLUSTER.price, PRICE_COMMAND.getBillingPeriod, (w) => w.uintLe(0, 4).uintLe(0xffffffff, 4).byte(1).byte(0));

const meterBalanceReads = [
  readAttributes(CLUSTER.metering, [M.billToDateDelivered]),
  readAttributes(CLUSTER.prepayment, [P.creditRemaining]),
];

interface FixedRead {
  readonly useCase: string;
  readonly srv: string;
  readonly messageCode: number;
  readonly deviceTypes?: readonly DeviceType[];
  readonly components: readonly GbzComponent[];
}

const FIXED_READS: readonly FixedRead[] = [
  { useCase: "GCS13a", srv: "4.1.1", messageCode: 0x0074, components: [readAttributes(CLUSTER.metering, [M.divisor, M.multiplier, M.unitOfMeasure, M.currentSummationDelivered])] },
  { useCase: "GCS13c", srv: "4.1.2", messageCode: 0x00b6, components: [readAttributes(CLUSTER.metering, [M.divisor, M.multiplier, M.unitOfMeasure, M.tier1Summation, M.tier2Summation, M.tier3Summation, M.tier4Summation])] },
  { useCase: "GCS13b", srv: "4.1.4", messageCode: 0x00b8, components: [readAttributes(CLUSTER.metering, [M.block1Summation, M.block2Summation, M.block3Summation, M.block4Summation, M.divisor, M.multiplier, M.unitOfMeasure])] },
  {
    useCase: "GCS14", srv: "4.3", messageCode: 0x0075, components: [
      readAttributes(CLUSTER.price, [PR.priceTrailingDigit, PR.currency]),
      readAttributes(CLUSTER.prepayment, [P.accumulatedDebt, P.emergencyCreditRemaining, P.creditRemaining, P.debtAmount3, P.debtAmount1, P.debtAmount2]),
    ],
  },
  {
    useCase: "GCS21f", srv: "4.11.1", messageCode: 0x009f, components: [
      readAttributes(CLUSTER.price, [
        PR.thresholdDivisor, PR.thresholdMultiplier, PR.block1Threshold, PR.block2Threshold, PR.block3Threshold, PR.unitOfMeasure,
        PR.noTierBlock1Price, PR.noTierBlock2Price, PR.noTierBlock3Price, PR.noTierBlock4Price,
        PR.tier1Block1Price, PR.tier2Block1Price, PR.tier3Block1Price, PR.tier4Block1Price, PR.currency, PR.priceTrailingDigit, PR.standingCharge,
      ]),
      ...calendarReads(CALENDAR_TYPE.delivered, ANY_CALENDAR),
      clientCommand(CLUSTER.price, PRICE_COMMAND.getCurrentPrice, (w) => w.byte(0)),
    ],
  },
  {
    useCase: "GCS21b", srv: "4.13", messageCode: 0x00b5, components: [
      readAttributes(CLUSTER.prepayment, [
        P.debtRecoveryTopUpPercentage3, P.overallDebtCap, P.debtRecoveryFrequency1, P.debtRecoveryFrequency2, P.cutOffValue,
        P.emergencyCreditLimit, P.emergencyCreditThreshold, P.lowCreditWarningLevel, P.maxCreditLimit, P.maxCreditPerTopUp,
        P.debtRecoveryAmount1, P.debtRecoveryAmount2,
      ]),
      readAttributes(CLUSTER.price, [PR.priceTrailingDigit]),
      ...calendarReads(CALENDAR_TYPE.friendlyCredit, CURRENT_CALENDAR),
    ],
  },
  // 4.18: GCS60 on a GSME; through the Gas Proxy Function (the GSME's mirror) GCS60a, same reads.
  { useCase: "GCS60", srv: "4.18", messageCode: 0x008d, deviceTypes: ["GSME"], components: meterBalanceReads },
  { useCase: "GCS60a", srv: "4.18", messageCode: 0x012a, deviceTypes: ["GPF", "GSME"], components: meterBalanceReads },
  // 6.2.3 is GCS21d (0x009D) or, for GSMEs with every billing periodicity, GCS21k (0x00DA): the
  // same command, told apart only by the device's GBCS version (the caller names the use case).
  { useCase: "GCS21k", srv: "6.2.3", messageCode: 0x00da, components: [billingPeriodRead] },
  { useCase: "GCS21d", srv: "6.2.3", messageCode: 0x009d, components: [billingPeriodRead] },
  // 6.2.4: GCS21m (0x00FB) reads the identity without the hardware version that GCS21e (0x009E),
  // for devices of the older GBCS versions, also reads; the inventory knows which (the caller names it).
  {
    useCase: "GCS21m", srv: "6.2.4", messageCode: 0x00fb, components: [
      readAttributes(CLUSTER.basic, [BASIC.manufacturerName, BASIC.modelIdentifier]),
      readAttributes(CLUSTER.metering, [M.supplyDepletionState, M.supplyTamperState]),
    ],
  },
  {
    useCase: "GCS21e", srv: "6.2.4", messageCode: 0x009e, components: [
      readAttributes(CLUSTER.basic, [BASIC.manufacturerName, BASIC.modelIdentifier, BASIC.hwVersion]),
      readAttributes(CLUSTER.metering, [M.supplyDepletionState, M.supplyTamperState]),
    ],
  },
  { useCase: "GCS46", srv: "6.2.7", messageCode: 0x0089, components: [readAttributes(CLUSTER.metering, [M.siteId])] },
  {
    useCase: "GCS21a", srv: "6.2.8", messageCode: 0x007b, components: [
      readAttributes(CLUSTER.price, [PR.calorificValueTrailingDigit, PR.calorificValueUnit, PR.calorificValue, PR.conversionFactorTrailingDigit, PR.conversionFactor]),
      readAttributes(CLUSTER.metering, [M.uncontrolledFlowDivisor, M.uncontrolledFlowMultiplier, M.uncontrolledFlowUnit, M.uncontrolledFlowThreshold, M.flowStabilisationPeriod, M.flowMeasurementPeriod]),
    ],
  },
  { useCase: "GCS21j", srv: "6.2.9", messageCode: 0x00bf, components: [readAttributes(CLUSTER.prepayment, [P.paymentControlConfiguration])] },
  // Get Event Configuration for every event (81FF).
  { useCase: "GCS20r", srv: "6.2.10", messageCode: 0x00f1, components: [serverCommand(CLUSTER.deviceManagement, DEVICE_MANAGEMENT_PUBLISH.getEventConfiguration, (w) => w.uintLe(0x81ff, 2))] },
  { useCase: "GCS33", srv: "7.4", messageCode: 0x0082, components: [readAttributes(CLUSTER.metering, [M.batteryLifeRemaining, M.supplyStatus])] },
  { useCase: "GCS38", srv: "11.2", messageCode: 0x0084, components: [readAttributes(CLUSTER.metering, [M.currentMeterId])] },
];

export const GAS_READ_ENCODERS: readonly UseCaseEncoder[] = FIXED_READS.map((read) => defineUseCase({
  useCase: read.useCase, srv: read.srv, deviceTypes: read.deviceTypes ?? GAS_READERS, messageCode: read.messageCode, critical: false,
  write: (w) => writeGbz(w, read.components),
}));
