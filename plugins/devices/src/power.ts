// Power at a premises (issue 5 point 2; Annex 5 Table 5.4 rows A21, A24, A25 in alerts.json).
// While the power is off the hub is down: nothing crosses its WAN either way (commands fail
// naming the power loss, what devices raise waits as with WAN state "none"), and the WAN state the
// hub had is kept for when the power returns. Then each ESME on the hub sends the signed Supply
// Outage Restore Alert (ECS80, message code 0x0067) to the network operator it trusts: 0x8F36
// (A25) when the outage lasted 3 minutes or more, else 0x8F35 (A24). A21 Power Loss is issued by
// the CSP's solution, not by a device, so it is not emulated here.
import type { GbcsWriter } from "@opendcc/kernel";
import { ALERT } from "./alerts.js";
import type { Estate } from "./estate.js";
import type { TrustStore, TrustedParty } from "./keys.js";
import { ROLE, type WanState } from "./model.js";
import { notification } from "./protocol/dlms.js";
import { cosemDateTime } from "./protocol/frames.js";

/** What can happen to the power at a premises (POST /plugins/devices/hubs/{eui}/power). */
export const POWER = ["lost", "restored"] as const;
export type PowerEvent = (typeof POWER)[number];

/** Table 5.4 A25: an outage of 3 minutes or more (by the emulator's clock) is reported as 0x8F36. */
export const LONG_OUTAGE_MS = 3 * 60_000;

export interface WanSetting {
  readonly state: WanState;
  readonly latencyMs: number;
}

export interface Outage {
  readonly since: Date;
  /** The hub's WAN when the power returns: as it was, or as set during the outage. */
  wan: WanSetting;
}

/** A command for a device behind a hub without power: it cannot be sent. */
export class HubPowerLost extends Error {
  override readonly name = "HubPowerLost";
}

/** Asking for a power change that is no change (lost twice, restored without a loss). */
export class PowerStateError extends Error {
  override readonly name = "PowerStateError";
}

/** What a power change did, as the route answers it. */
export interface PowerChange {
  readonly hubId: string;
  readonly state: PowerEvent;
  readonly lostAt: string;
  readonly restoredAt: string | null;
  /** On restoration: the alert the hub's ESMEs raised and the network operator it went to (null: none trusted, nothing sent). */
  readonly alert: { readonly code: string; readonly deviceIds: readonly string[]; readonly to: string | null } | null;
}

/** The hubs whose premises have no power, by estate index. */
export class PowerCuts {
  private readonly outages = new Map<number, Outage>();

  isLost(hub: number): boolean {
    return this.outages.has(hub);
  }

  /** Throws HubPowerLost when the hub's premises has no power. */
  check(hub: number, hubId: string): void {
    const outage = this.outages.get(hub);
    if (outage) throw new HubPowerLost(`the power is lost at the premises of communications hub ${hubId} (since ${outage.since.toISOString()}): the hub is down`);
  }

  lose(hub: number, hubId: string, wan: WanSetting, at: Date): Outage {
    const current = this.outages.get(hub);
    if (current) throw new PowerStateError(`the power is already lost at the premises of communications hub ${hubId} (since ${current.since.toISOString()})`);
    const outage: Outage = { since: at, wan };
    this.outages.set(hub, outage);
    return outage;
  }

  /** A WAN change while the power is off takes effect when it returns. */
  keepWan(hub: number, wan: WanSetting): void {
    const outage = this.outages.get(hub);
    if (outage) outage.wan = wan;
  }

  restore(hub: number, hubId: string): Outage {
    const outage = this.outages.get(hub);
    if (!outage) throw new PowerStateError(`the power is not lost at the premises of communications hub ${hubId}`);
    this.outages.delete(hub);
    return outage;
  }
}

const cuts = new WeakMap<Estate, PowerCuts>();

/**
 * The power cuts of an estate. They belong to it (hub indexes are its own) but are not in its
 * snapshots: an estate loaded from one starts with power everywhere, its hubs' WAN as saved.
 */
export function powerCutsOf(estate: Estate): PowerCuts {
  let found = cuts.get(estate);
  if (!found) {
    found = new PowerCuts();
    cuts.set(estate, found);
  }
  return found;
}

/**
 * The ECS80 alert for an outage: its code and DLMS DATA-NOTIFICATION content as the RTDS vector
 * lays it out, { alert code, alert time, outage start, restoration } with COSEM date-times whose
 * clock status is FF (the vector's, as notification() writes the alert time).
 */
export function restorationAlert(lostAt: Date, restoredAt: Date): { code: number; content: (counter: bigint, at: Date) => Uint8Array } {
  const code = restoredAt.getTime() - lostAt.getTime() >= LONG_OUTAGE_MS ? ALERT.supplyOutageRestoredLong : ALERT.supplyOutageRestored;
  const times = [lostAt, restoredAt].map((at) => cosemDateTime(at, 0xff));
  const items = times.map((time) => (w: GbcsWriter) => void w.dlmsOctets(time));
  return { code, content: (counter, at) => notification(counter, code, at, items) };
}

/** The network operator the devices trust (role 03): where ECS80 alerts go. */
export function networkOperatorOf(trust: TrustStore): TrustedParty | undefined {
  return trust.all().find((party) => party.roleCode === ROLE.networkOperator);
}
