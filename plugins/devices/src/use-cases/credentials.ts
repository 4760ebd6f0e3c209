// CS02b Update Security Credentials, supplier by Transitional CoS (SRV 6.23, 0x0107, critical):
// the CoS party, which signs the command, replaces the supplier's trust anchor cells (digital
// signing, key agreement, prepayment key agreement) with the gaining supplier's and sets the floors
// of its originator counters. From then on the device takes supplier commands from the gaining
// supplier only (command-checks.ts) and sends it its alerts. The response (device-signed, with
// date-time) is { command accepted, execution outcome }: the counter and mode, the floors, and per
// cell the status and the existing and replacing subject's EUI and key identifier (RTDS 6.23
// IMMEDIATE). A future execution date-time is answered with { command accepted } and carried out
// then, with the 0x00CB alert carrying the same outcome (RTDS 6.15.1 8F66 alert).
//
// The emulated device does not validate certificate paths: a replacing certificate is accepted
// when it is of a supplier the estate trusts (the plugin's `parties` / `trustParty`), and is
// otherwise refused as a bad certificate.
import type { Estate } from "../estate.js";
import type { TrustedParty } from "../keys.js";
import { ROLE } from "../model.js";
import { derBits, derEnumerated, derInteger, derNull, derOctets, derSequence } from "../protocol/asn1.js";
import { fromHex } from "@opendcc/kernel";
import { at, defineUseCase, list } from "./types.js";

const SUPPLIER_BY_TRANSITIONAL_COS = 7;
const SUPPLIER_ROLE = 2;
const STATUS = { success: 0, badCertificate: 5 } as const;
const PREPAYMENT_TOP_UP = 1;
const NO_SUBJECT = "0000000000000000";

/** Who the device's supplier cells name now, and the trusted parties it may be given. */
export interface SupplierAnchors {
  readonly current: TrustedParty | undefined;
  party(eui: string): TrustedParty | undefined;
}

type Slot = "ds" | "ka" | "ppKa";

function slotOf(cell: unknown): Slot {
  if (list(cell, "keyUsage").includes("digitalSignature")) return "ds";
  return at(cell, "cellUsage", "code") === PREPAYMENT_TOP_UP ? "ppKa" : "ka";
}

function cellIdentifier(cell: unknown): Uint8Array {
  const slot = slotOf(cell);
  const bits = slot === "ds" ? derBits(7, 0x80) : derBits(3, 0x08);
  const usage = at(cell, "cellUsage", "code");
  return derSequence(derInteger(Number(at(cell, "remotePartyRole", "code"))), bits, ...(usage === undefined ? [] : [derInteger(Number(usage))]));
}

function seqNumberChanges(changes: readonly unknown[]): Uint8Array {
  return derSequence(...changes.map((change) => {
    const specialist = list(change, "specialistFloorSeqNumbers");
    return derSequence(
      derInteger(Number(at(change, "remotePartyRole", "code"))), derInteger(BigInt(String(at(change, "floorSeqNumber") ?? 0))),
      ...(specialist.length === 0 ? [] : [derSequence(...specialist.map((s) => derSequence(derInteger(Number(at(s, "seqNumberUsage", "code"))), derInteger(BigInt(String(at(s, "seqNumber") ?? 0))))))]),
    );
  }));
}

/**
 * Replaces the device's supplier cells as the command's fields say; returns the execution outcome
 * (DER) and whether every cell was replaced.
 */
export function replaceSupplier(estate: Estate, index: number, anchors: SupplierAnchors, fields: unknown): { outcome: Uint8Array; replaced: boolean } {
  const control = at(fields, "authorisingRemotePartyControl");
  const changes = list(control, "otherRemotePartySeqNumberChanges");
  const existing = anchors.current;
  const results = list(fields, "replacements").map((replacement) => {
    const cell = at(replacement, "targetTrustAnchorCell");
    const slot = slotOf(cell);
    const eui = String(at(replacement, "replacingCertificate", "subjectEui") ?? "");
    const gaining = anchors.party(eui);
    const ok = at(cell, "remotePartyRole", "code") === SUPPLIER_ROLE && gaining?.roleCode === ROLE.supplier && gaining.keyIds[slot] !== null;
    return { cell, slot, eui, gaining: ok ? gaining : undefined };
  });
  const replaced = results.length > 0 && results.every((r) => r.gaining) && new Set(results.map((r) => r.eui)).size === 1;
  const outcomes = results.map((r) => derSequence(
    cellIdentifier(r.cell), derEnumerated(replaced ? STATUS.success : STATUS.badCertificate),
    derOctets(fromHex(existing?.eui ?? NO_SUBJECT)), derOctets(fromHex(existing?.keyIds[r.slot] ?? NO_SUBJECT)),
    derOctets(fromHex(/^[0-9A-F]{16}$/.test(r.eui) ? r.eui : NO_SUBJECT)), derOctets(fromHex(r.gaining?.keyIds[r.slot] ?? NO_SUBJECT)),
  ));
  const first = results[0];
  if (replaced && first) {
    const hot = estate.hotState(index);
    hot.supplier = first.eui;
    // The gaining supplier's counters start from the floors the command sets.
    const floors = changes.find((c) => at(c, "remotePartyRole", "code") === SUPPLIER_ROLE);
    hot.counters.set(first.eui, BigInt(String(at(floors, "floorSeqNumber") ?? 0)));
    const topUp = list(floors, "specialistFloorSeqNumbers").find((s) => at(s, "seqNumberUsage", "code") === 0);
    hot.lastTopUp = BigInt(String(at(topUp, "seqNumber") ?? 0));
  }
  const outcome = derSequence(
    derInteger(BigInt(String(at(control, "authorisingRemotePartySeqNumber") ?? 0))), derInteger(SUPPLIER_BY_TRANSITIONAL_COS),
    seqNumberChanges(changes), derSequence(...outcomes),
  );
  return { outcome, replaced };
}

export const CS02bSupplierByTransCoS = defineUseCase({
  name: "CS02b", messageCode: 0x0107, kinds: ["ESME", "GSME", "GPF"], critical: true, roles: [ROLE.transitionalCoS], dateTime: true,
  execute(context) {
    const fields = context.command.payload.fields;
    const mode = at(fields, "authorisingRemotePartyControl", "credentialsReplacementMode", "code");
    if (mode !== SUPPLIER_BY_TRANSITIONAL_COS) throw new Error(`CS02b 0x0107 carries replacement mode ${String(mode)}, not supplier by Transitional CoS (7)`);
    const when = at(fields, "executionDateTime");
    const time = when === undefined ? null : new Date(String(when));
    if (time && Number.isNaN(time.getTime())) throw new Error(`CS02b execution date-time ${String(when)} is not a date-time`);
    if (time && time.getTime() > context.now.getTime()) {
      context.hold({ at: time.getTime(), action: { kind: "credentials", update: fields }, alert: { family: "asn1", deferred: new Uint8Array(0) } });
      return derSequence(derNull());
    }
    return derSequence(derNull(), replaceSupplier(context.estate, context.index, context.anchors(), fields).outcome);
  },
});
