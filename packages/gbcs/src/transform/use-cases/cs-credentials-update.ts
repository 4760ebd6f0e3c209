// The Update Security Credentials command of CS02b / CS02g (gbcs.md 4, ASN.1 DER), as a value:
// SEQUENCE {
//   authorising remote party control SEQUENCE { credentials replacement mode,
//     [1] disapply time-based CPV checks, [2] authorising party's trust anchor cell,
//     [3] authorising party's sequence number (the originator counter), [4] new floor,
//     [5] new specialist (top-up) floors, [6] other parties' sequence number changes },
//   SEQUENCE OF { replacement certificate, target trust anchor cell },
//   SEQUENCE OF certification path certificate,
//   execution date-time OPTIONAL }
import type { GbcsWriter } from "@opendcc/kernel";
import { derGeneralizedTime, derInteger, derKeyUsage, derRaw, derSequence, derTagged, type KeyUsageName } from "./security-der.js";

/** RemotePartyRole of the GBCS trust anchor cells. */
export const REMOTE_PARTY_ROLE = {
  root: 0, recovery: 1, supplier: 2, networkOperator: 3, accessControlBroker: 4, transitionalCoS: 5,
  wanProvider: 6, loadController: 8,
} as const;

/** CellUsage of a trust anchor cell: management (the DEFAULT, omitted) or prepayment top-up. */
const PREPAYMENT_TOP_UP_CELL = 1;
/** SeqNumberUsage of a specialist floor: prepayment top-up. */
const PREPAYMENT_TOP_UP_SEQUENCE = 0;
/** ApplyTimeBasedCPVChecks ::= INTEGER { apply(0), disapply(1) } DEFAULT apply. */
const DISAPPLY = 1;

export interface TrustAnchorCell {
  readonly role: number;
  readonly usage: KeyUsageName;
  readonly topUp?: boolean;
}

export interface SeqNumberChange {
  readonly role: number;
  readonly floor: bigint;
  readonly topUpFloor?: bigint | undefined;
}

export interface CredentialsUpdate {
  readonly mode: number;
  readonly applyTimeBasedCpvChecks: boolean;
  /** Absent when the authoriser has no signing cell on the device (the ACB authorises by MAC). */
  readonly authorisingCell: TrustAnchorCell | null;
  readonly seqNumber: bigint;
  readonly newFloor?: bigint | undefined;
  readonly newTopUpFloor?: bigint | undefined;
  readonly otherChanges?: readonly SeqNumberChange[] | undefined;
  readonly replacements: readonly { readonly certificate: Uint8Array; readonly field: string; readonly cell: TrustAnchorCell }[];
  readonly certificationPath: readonly { readonly certificate: Uint8Array; readonly field: string }[];
  readonly executionDateTime?: Date | null;
}

function cellContents(w: GbcsWriter, cell: TrustAnchorCell): void {
  derInteger(w, cell.role);
  derKeyUsage(w, cell.usage);
  if (cell.topUp) derInteger(w, PREPAYMENT_TOP_UP_CELL);
}

function topUpFloors(w: GbcsWriter, floor: bigint): void {
  derSequence(w, (s) => {
    derInteger(s, PREPAYMENT_TOP_UP_SEQUENCE);
    derInteger(s, floor);
  });
}

export function writeCredentialsUpdate(writer: GbcsWriter, update: CredentialsUpdate): void {
  derSequence(writer, (command) => {
    derSequence(command, (control) => {
      derInteger(control, update.mode);
      if (!update.applyTimeBasedCpvChecks) derInteger(control, DISAPPLY, 0x81);
      const cell = update.authorisingCell;
      if (cell) derTagged(control, 0xa2, (c) => cellContents(c, cell));
      derInteger(control, update.seqNumber, 0x83);
      if (update.newFloor !== undefined) derInteger(control, update.newFloor, 0x84);
      const topUp = update.newTopUpFloor;
      if (topUp !== undefined) derTagged(control, 0xa5, (f) => topUpFloors(f, topUp));
      const changes = update.otherChanges;
      if (changes?.length) {
        derTagged(control, 0xa6, (list) => changes.forEach((change) => derSequence(list, (c) => {
          derInteger(c, change.role);
          derInteger(c, change.floor);
          const changeTopUp = change.topUpFloor;
          if (changeTopUp !== undefined) derSequence(c, (f) => topUpFloors(f, changeTopUp));
        })));
      }
    });
    derSequence(command, (list) => update.replacements.forEach((replacement) => derSequence(list, (r) => {
      derRaw(r, replacement.certificate, replacement.field);
      derSequence(r, (c) => cellContents(c, replacement.cell));
    })));
    derSequence(command, (list) => update.certificationPath.forEach((path) => derRaw(list, path.certificate, path.field)));
    if (update.executionDateTime) derGeneralizedTime(command, update.executionDateTime);
  });
}

