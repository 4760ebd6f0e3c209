// Nothing accepted is lost (design: a request is durable before it is acknowledged) and the hot
// path never waits on one database round trip per request: every state change goes into the
// journal, and a request's answer waits for the group commit that carries its changes. Requests
// arriving together share one write.
import type { AnomalyThreshold } from "./anomaly.js";
import type { OutboxMessage } from "./delivery.js";
import type { AuditEntry } from "./gateway.js";
import type { DeviceLogEntry, DeviceRecord } from "./inventory.js";
import type { KeptCommand } from "./kept-commands.js";
import type { Party, User } from "./parties.js";
import type { QuarantinedRequest } from "./quarantine.js";
import type { Appointment } from "./registration.js";
import type { Schedule } from "./schedules.js";
import type { SharedStore } from "./shared-store.js";

export type Change =
  | { readonly kind: "audit"; readonly entry: AuditEntry }
  | { readonly kind: "counter"; readonly originator: string; readonly counter: bigint }
  | { readonly kind: "device"; readonly record: DeviceRecord }
  | { readonly kind: "deviceLog"; readonly chfId: string; readonly entries: readonly DeviceLogEntry[]; readonly extendedPanId?: string }
  | { readonly kind: "party"; readonly party: Party }
  | { readonly kind: "user"; readonly user: User }
  | { readonly kind: "registration"; readonly appointments: readonly Appointment[] }
  | { readonly kind: "thresholds"; readonly thresholds: readonly AnomalyThreshold[] }
  | { readonly kind: "quarantined"; readonly held: QuarantinedRequest }
  | { readonly kind: "unquarantined"; readonly id: number }
  | { readonly kind: "outbox"; readonly message: OutboxMessage }
  | { readonly kind: "delivered"; readonly id: number }
  | { readonly kind: "endpoint"; readonly userId: string; readonly url: string | null }
  | { readonly kind: "schedule"; readonly schedule: Schedule }
  | { readonly kind: "unscheduled"; readonly id: number }
  // Device commands kept between two steps (kept-commands.ts), keyed by state and RequestID.
  | { readonly kind: "command"; readonly command: KeptCommand }
  | { readonly kind: "commandReleased"; readonly key: string }
  // A request counted by anomaly detection, for a store shared by several instances (added to
  // the shared per user, SRV and window bucket counts in the same transaction).
  | { readonly kind: "anomaly"; readonly userId: string; readonly srv: string; readonly atMs: number; readonly windowsMs: readonly number[] };

/** Everything the in-memory indexes are rebuilt from at start. */
export interface GatewaySnapshot {
  readonly counters: readonly { readonly originator: string; readonly counter: bigint }[];
  readonly devices: readonly DeviceRecord[];
  readonly deviceLogs: readonly { readonly chfId: string; readonly entries: readonly DeviceLogEntry[]; readonly extendedPanId?: string }[];
  readonly parties: readonly Party[];
  readonly users: readonly User[];
  readonly appointments: readonly Appointment[];
  readonly thresholds: readonly AnomalyThreshold[] | null;
  readonly quarantine: readonly QuarantinedRequest[];
  readonly recentAudit: readonly AuditEntry[];
  readonly outbox: readonly OutboxMessage[];
  readonly endpoints: readonly { readonly userId: string; readonly url: string }[];
  readonly schedules: readonly Schedule[];
  readonly commands: readonly KeptCommand[];
}

/** Where the journal goes: the store's adapters implement it. */
export interface GatewayStore {
  load(): Promise<GatewaySnapshot>;
  /** Writes the changes in one transaction; resolves when they are durable. */
  write(changes: readonly Change[]): Promise<void>;
  /**
   * Applies a plugin's migrations once each (ids prefixed with the plugin's name), before its
   * setup runs (plugins.ts). A store without one cannot run plugins that declare migrations.
   */
  migratePlugin?(plugin: string, migrations: readonly { readonly id: string; readonly sql: string }[]): Promise<void>;
  close(): Promise<void>;
  /** Present when several gateway instances may share the store (a PostgreSQL server). */
  readonly shared?: SharedStore;
}

export class Journal {
  /** Set when a write failed: memory and store may now disagree, so nothing more is acknowledged. */
  private failure: Error | null = null;
  private pending: Change[] = [];
  private flushing: Promise<void> | null = null;
  private waiters: { resolve: () => void; reject: (error: unknown) => void }[] = [];

  constructor(private readonly store: GatewayStore | null) {}

  /** Null while every write has succeeded. */
  get failed(): Error | null {
    return this.failure;
  }

  private replaying = false;
  private readonly preparing = new Set<Promise<void>>();

  /**
   * Work that appends changes after an await (e.g. signing an alert) and must be durable with the
   * changes appended so far: the next commit waits for it.
   */
  prepare(work: Promise<void>): void {
    const tracked = work.catch((error: unknown) => console.error(`journal: prepared work failed: ${(error as Error).message}`)).finally(() => this.preparing.delete(tracked));
    this.preparing.add(tracked);
  }

  /** True while another instance's changes are applied (see replay). */
  get isReplaying(): boolean {
    return this.replaying;
  }

  append(change: Change): void {
    if (this.store && !this.replaying) this.pending.push(change);
  }

  /** Runs `apply` for changes already durable (another instance's): nothing appended meanwhile is written. */
  replay(apply: () => void): void {
    this.replaying = true;
    try {
      apply();
    } finally {
      this.replaying = false;
    }
  }

  /**
   * Resolves when everything appended so far is durable. Calls that arrive while a write is in
   * flight are carried by the next one together.
   */
  commit(): Promise<void> {
    if (this.preparing.size > 0) return Promise.all(this.preparing).then(() => this.commit());
    if (this.failure) return Promise.reject(this.failure);
    if (!this.store || (this.pending.length === 0 && !this.flushing)) return Promise.resolve();
    return new Promise((resolve, reject) => {
      this.waiters.push({ resolve, reject });
      if (!this.flushing) this.flushing = this.flush();
    });
  }

  private async flush(): Promise<void> {
    // The first write waits for the end of this turn of the event loop, so that the requests
    // handled in it share it: an embedded store answers within the turn, so without this each
    // would commit alone. Later writes take what arrived while the previous one was in flight.
    await nextTurn();
    while (this.waiters.length > 0) {
      const batch = this.pending;
      const waiters = this.waiters;
      this.pending = [];
      this.waiters = [];
      try {
        if (batch.length > 0) await (this.store as GatewayStore).write(batch);
        waiters.forEach((w) => w.resolve());
      } catch (error) {
        // Fail closed: the changes already made in memory are not durable, so the gateway stops
        // acknowledging anything until it restarts from the store.
        this.failure = new Error(`the store failed; the gateway refuses work until restarted: ${(error as Error).message}`, { cause: error });
        waiters.forEach((w) => w.reject(this.failure));
        this.waiters.splice(0).forEach((w) => w.reject(this.failure));
        break;
      }
    }
    this.flushing = null;
  }
}

/** Resolves after the current turn of the event loop: setImmediate where there is one (Node), else a zero timer. */
function nextTurn(): Promise<void> {
  const immediate = (globalThis as { setImmediate?: (callback: () => void) => unknown }).setImmediate;
  return new Promise((resolve) => (immediate ? immediate(resolve) : setTimeout(resolve, 0)));
}
