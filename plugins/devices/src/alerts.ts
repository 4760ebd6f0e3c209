// The alerts a device raises, with their Annex 5 Table 5.4 row (seed 003; alerts.json) and GBCS
// alert code (the codes of @opendcc/gbcs's parse/alert-codes.ts). Critical ones go out as the
// signed Generic Critical Alert (0x1000), the rest as the MAC'd Generic Non-Critical Alert
// (0x1001), as the RTDS GCA/GNCA vectors do.
export interface AlertSpec {
  readonly row: string | null;
  readonly critical: boolean;
}

export const ALERT = {
  /** A2 Trusted Source Authentication Failure: MAC, signature or counter did not check. */
  authenticationFailure: 0x8f3d,
  /**
   * A3 Not intended recipient of Command. GBCS's code tables (as we hold them) give this row no
   * code of its own; 0x8F53 is "failed authentication or authorisation not covered by other codes".
   */
  notIntendedRecipient: 0x8f53,
  /** A4 Source Does not have Permission for Command. */
  noPermission: 0x8f30,
  lowCredit: 0x810d,
  disabledForCredit: 0x8f0f,
  supplyArmed: 0x8f32,
  utrnNotAuthentic: 0x8f63,
  utrnDuplicate: 0x8f51,
  futureDatedSuccess: 0x8f66,
  futureDatedFailure: 0x8f67,
  /** Firmware Distribution Receipt: an image arrived and verified (its hash follows). */
  firmwareVerified: 0x8f72,
  /** A distributed firmware image failed the device's checks (it is dropped). */
  firmwareFailedVerification: 0x8f1c,
  /** The firmware version running changed (logged on activation). */
  firmwareChanged: 0x8f43,
  /** A24 Supply Outage Restored: power came back after less than 3 minutes (ECS80, power.ts). */
  supplyOutageRestored: 0x8f35,
  /** A25 Supply Outage Restored - Outage >= 3 minutes (ECS80, power.ts). */
  supplyOutageRestoredLong: 0x8f36,
} as const;

const SPECS: ReadonlyMap<number, AlertSpec> = new Map<number, AlertSpec>([
  [ALERT.authenticationFailure, { row: "A2", critical: true }],
  [ALERT.notIntendedRecipient, { row: "A3", critical: true }],
  [ALERT.noPermission, { row: "A4", critical: true }],
  [ALERT.lowCredit, { row: "A10", critical: false }],
  [ALERT.disabledForCredit, { row: "A11", critical: true }],
  [ALERT.supplyArmed, { row: "A28", critical: true }],
  [ALERT.utrnNotAuthentic, { row: null, critical: false }],
  [ALERT.utrnDuplicate, { row: null, critical: false }],
  [ALERT.supplyOutageRestored, { row: "A24", critical: true }],
  [ALERT.supplyOutageRestoredLong, { row: "A25", critical: true }],
]);

export function alertSpec(code: number): AlertSpec {
  return SPECS.get(code) ?? { row: null, critical: false };
}

export const GENERIC_CRITICAL = 0x1000;
export const GENERIC_NON_CRITICAL = 0x1001;
/** Future-dated outcome alerts: ASN.1 (firmware activation, security credentials), DLMS COSEM and GBZ layouts. */
export const FUTURE_DATED_FIRMWARE = 0x00ca;
export const FUTURE_DATED_CREDENTIALS = 0x00cb;
export const FUTURE_DATED_DLMS = 0x00cc;
export const FUTURE_DATED_GBZ = 0x00cd;
/** Firmware Distribution Receipt Alerts: DLMS (ESME, CHF) and GBZ (gas) layouts (RTDS FDRA). */
export const FIRMWARE_RECEIPT_DLMS = 0x00ce;
export const FIRMWARE_RECEIPT_GBZ = 0x00cf;
/** ECS80 Supply Outage Restore Alert from ESME: signed, to the network operator (RTDS ECS80 vector). */
export const SUPPLY_OUTAGE_RESTORE = 0x0067;
