// Gas log reads over a DUIS ReadLogPeriod (GBCS GCS15b/c/d/e, 16a/b, 17, 18, 61): snapshots,
// sampled data, top-up and debt logs between the period's start and end.
import type { GbcsWriter } from "@opendcc/kernel";
import type { ServiceFields } from "../fields.js";
import { unknownRemotePartyHeader } from "../acb.js";
import { clientCommand, writeGbz, zigbeeTime, type GbzComponent } from "../gbz.js";
import { TransformError, defineUseCase, type DeviceType, type UseCaseEncoder } from "../types.js";
import { CLUSTER, METERING_COMMAND, PREPAYMENT_COMMAND } from "./gas-clusters.js";

const GAS_READERS: readonly DeviceType[] = ["GSME", "GPF"];

interface Period {
  readonly start: Date;
  readonly end: Date;
}

function periodOf(fields: ServiceFields): Period {
  const start = fields.dateTime("ReadLogPeriod", "StartDateTime");
  const end = fields.dateTime("ReadLogPeriod", "EndDateTime");
  if (end < start) throw new TransformError("ReadLogPeriod/EndDateTime is before its StartDateTime", "ReadLogPeriod/EndDateTime");
  return { start, end };
}

/** Snapshot causes (ZSE D.3.2.2.5.7 bitmap). */
const SNAPSHOT_CAUSE = { general: 0x00000001, billingPeriod: 0x00000002, changeOfTariffOrMode: 0x00006008 } as const;

/**
 * Get Snapshot (Metering) or Get Prepay Snapshot (Prepayment): earliest start, latest end, the
 * offset (the n-th snapshot back) and the cause. GBCS reads a log as one command per offset.
 */
function snapshots(cluster: number, count: number, cause: number, period: Period): GbzComponent[] {
  const commandId = cluster === CLUSTER.metering ? METERING_COMMAND.getSnapshot : PREPAYMENT_COMMAND.getPrepaySnapshot;
  return Array.from({ length: count }, (_, offset) => clientCommand(cluster, commandId, (w) => {
    w.uintLe(zigbeeTime(period.start), 4).uintLe(zigbeeTime(period.end), 4).byte(offset).uintLe(cause, 4);
  }));
}

/** Billing data logs hold 12 entries (GCS15b/c); daily read logs 31 (GCS16a/b). */
const BILLING_LOG_ENTRIES = 12;
const DAILY_LOG_ENTRIES = 31;

/** Get Sampled Data (Metering): sample id, earliest sample time, sample type 0, samples in the period. */
function sampledData(sampleId: number, intervalSeconds: number, period: Period): GbzComponent {
  const samples = Math.floor((period.end.getTime() - period.start.getTime()) / 1000 / intervalSeconds) + 1;
  if (samples > 0xffff) throw new TransformError(`ReadLogPeriod spans ${samples} samples; at most 65535 can be read`, "ReadLogPeriod");
  return clientCommand(CLUSTER.metering, METERING_COMMAND.getSampledData, (w) => {
    w.uintLe(sampleId, 2).uintLe(zigbeeTime(period.start), 4).byte(0).uintLe(samples, 2);
  });
}

/** The debt log holds the last 10 payment-based debt collections; the top-up log the last 5 top-ups. */
const DEBT_LOG_ENTRIES = 10;
const PAYMENT_BASED_DEBT = 0x02;
const TOP_UP_LOG_ENTRIES = 5;

interface LogRead {
  readonly useCase: string;
  readonly srv: string;
  readonly messageCode: number;
  readonly components: (period: Period) => readonly GbzComponent[];
}

const LOG_READS: readonly LogRead[] = [
  {
    useCase: "GCS15b", srv: "4.4.2", messageCode: 0x00c3, components: (period) => [
      ...snapshots(CLUSTER.prepayment, BILLING_LOG_ENTRIES, SNAPSHOT_CAUSE.changeOfTariffOrMode, period),
      ...snapshots(CLUSTER.metering, BILLING_LOG_ENTRIES, SNAPSHOT_CAUSE.changeOfTariffOrMode, period),
    ],
  },
  {
    useCase: "GCS15c", srv: "4.4.3", messageCode: 0x0076, components: (period) => [
      ...snapshots(CLUSTER.metering, BILLING_LOG_ENTRIES, SNAPSHOT_CAUSE.billingPeriod, period),
      ...snapshots(CLUSTER.prepayment, BILLING_LOG_ENTRIES, SNAPSHOT_CAUSE.billingPeriod, period),
    ],
  },
  // The logs of debt payments and credits start at the period's start (from-date-time).
  {
    useCase: "GCS15d", srv: "4.4.4", messageCode: 0x00c4, components: (period) => [
      clientCommand(CLUSTER.prepayment, PREPAYMENT_COMMAND.getDebtRepaymentLog, (w) => w.uintLe(zigbeeTime(period.end), 4).byte(DEBT_LOG_ENTRIES).byte(PAYMENT_BASED_DEBT), zigbeeTime(period.start)),
    ],
  },
  {
    useCase: "GCS15e", srv: "4.4.5", messageCode: 0x00c5, components: (period) => [
      clientCommand(CLUSTER.prepayment, PREPAYMENT_COMMAND.getTopUpLog, (w) => w.uintLe(zigbeeTime(period.end), 4).byte(TOP_UP_LOG_ENTRIES), zigbeeTime(period.start)),
    ],
  },
  { useCase: "GCS16a", srv: "4.6.1", messageCode: 0x0077, components: (period) => snapshots(CLUSTER.metering, DAILY_LOG_ENTRIES, SNAPSHOT_CAUSE.general, period) },
  { useCase: "GCS16b", srv: "4.14", messageCode: 0x0096, components: (period) => snapshots(CLUSTER.prepayment, DAILY_LOG_ENTRIES, SNAPSHOT_CAUSE.general, period) },
  // Sampled data: the profile log (sample 0, half-hourly), the network data log (2, six-minutely)
  // and the daily consumption log (1, daily).
  { useCase: "GCS17", srv: "4.8.1", messageCode: 0x0078, components: (period) => [sampledData(0, 1800, period)] },
  { useCase: "GCS18", srv: "4.10", messageCode: 0x0079, components: (period) => [sampledData(2, 360, period)] },
  { useCase: "GCS61", srv: "4.17", messageCode: 0x00a0, components: (period) => [sampledData(1, 86400, period)] },
];

export const GAS_LOG_ENCODERS: readonly UseCaseEncoder[] = LOG_READS.map((read) => defineUseCase({
  useCase: read.useCase, srv: read.srv, deviceTypes: GAS_READERS, messageCode: read.messageCode, critical: false,
  header: unknownRemotePartyHeader,
  write: (w: GbcsWriter, context) => writeGbz(w, read.components(periodOf(context.fields))),
}));
