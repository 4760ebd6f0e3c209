// What a store shared by several gateway instances adds to the GatewayStore port (a PostgreSQL
// server; the embedded store has none of it and runs exactly as one process). Each instance still
// answers from its in-memory indexes; the facts that must hold across instances are decided in
// the database: RequestID counters (claimed before execution, batched), anomaly counts (summed
// per user, SRV and window bucket), ids (blocks of a sequence), due schedules (rows locked with
// SKIP LOCKED), delivery (a lease per user outbox), and a change feed that carries every other
// state change to the other instances.
import type { AnomalyDetector } from "./anomaly.js";
import type { Delivery, OutboxMessage } from "./delivery.js";
import type { SmartMeteringInventory } from "./inventory.js";
import type { Change } from "./journal.js";
import type { KeptCommands, KeptCommand } from "./kept-commands.js";
import type { UserDirectory } from "./parties.js";
import type { Quarantine } from "./quarantine.js";
import type { RegistrationData } from "./registration.js";
import type { Schedule, Schedules } from "./schedules.js";

export interface CounterClaim {
  readonly originator: string;
  readonly counter: bigint;
}

/** Requests counted for one user and SRV in the window of `windowMs` ending now, over all instances. */
export interface AnomalyTotal {
  readonly userId: string;
  readonly srv: string;
  readonly windowMs: number;
  readonly count: number;
}

export interface SharedStore {
  /** This instance's name in the change feed and in leases. */
  readonly instanceId: string;
  /** How often other instances' changes are read (ms): the staleness bound of the local indexes. */
  readonly feedIntervalMs: number;
  /** How long a delivery lease lasts without renewal (ms): how soon a dead instance's outboxes are taken over. */
  readonly leaseMs: number;
  /** Reserves `size` ids that no other instance gets; returns the first. */
  reserveIds(size: number): Promise<number>;
  /**
   * Claims counters for all instances in one statement (`stored < new`): `fresh[i]` is true when
   * claims[i] was above every counter stored for its originator, and it is then stored (durably).
   * Also returns the current anomaly totals of the claiming originators.
   */
  claimCounters(claims: readonly CounterClaim[], nowMs: number, windowsMs: readonly number[]): Promise<{ fresh: boolean[]; totals: AnomalyTotal[] }>;
  /** Changes other instances committed since `cursor` (null: from now), and the cursor to read on from. */
  readFeed(cursor: string | null): Promise<{ changes: Change[]; cursor: string }>;
  /**
   * Runs each schedule due at `now` exactly once over all instances: `run` is called with the
   * schedule locked, and the changes it returns (the schedule moved on, its answer queued) commit
   * together; they are returned once durable.
   */
  runDueSchedules(now: Date, run: (schedule: Schedule) => Promise<readonly Change[]>): Promise<readonly Change[]>;
  /**
   * Releases a kept device command for all instances (a Signed Pre-Command accepted, a held
   * command cancelled): true for the one caller that removed it; the release goes into the feed.
   */
  releaseCommand(key: string): Promise<boolean>;
  /**
   * Sends each future-dated command held by the DCC and due at `now` exactly once over all
   * instances (its row locked, as for schedules); the changes `run` returns commit with its release.
   */
  runDueCommands(now: Date, run: (command: Extract<KeptCommand, { state: "future-dated" }>) => Promise<readonly Change[]>): Promise<readonly Change[]>;
  /** Users that have queued messages and an endpoint. */
  outboxUsers(): Promise<string[]>;
  /** Takes or renews the lease on the user's outbox; false when another live instance holds it. */
  leaseOutbox(userId: string): Promise<boolean>;
  releaseOutbox(userId: string): Promise<void>;
  /** The oldest message queued for the user (by commit order), with the user's endpoint. */
  outboxHead(userId: string): Promise<{ message: OutboxMessage; url: string } | null>;
  /** Drops what no one needs any more (old anomaly buckets, old feed rows, expired leases). */
  prune(nowMs: number): Promise<void>;
}

/**
 * Ids (DSPScheduleIDs, quarantine and outbox ids) no other instance hands out, taken synchronously
 * from a block of a database sequence; the next block is reserved when half of this one is used.
 */
export class IdBlocks {
  private nextId = 0;
  private end = 0;
  private spare: number | null = null;
  private reserving: Promise<void> | null = null;

  private constructor(private readonly reserve: (size: number) => Promise<number>, private readonly size: number) {}

  static async open(reserve: (size: number) => Promise<number>, size = 10_000): Promise<IdBlocks> {
    const blocks = new IdBlocks(reserve, size);
    blocks.nextId = await reserve(size);
    blocks.end = blocks.nextId + size;
    return blocks;
  }

  take(): number {
    if (this.nextId >= this.end) {
      if (this.spare === null) throw new Error(`more than ${this.size / 2} ids were needed before the next block could be reserved`);
      this.nextId = this.spare;
      this.end = this.spare + this.size;
      this.spare = null;
    }
    if (this.spare === null && !this.reserving && this.end - this.nextId <= this.size / 2) {
      this.reserving = this.reserve(this.size)
        .then((first) => void (this.spare = first))
        .catch((error: unknown) => console.error(`ids: reserving a block failed: ${(error as Error).message}`))
        .finally(() => (this.reserving = null));
    }
    return this.nextId++;
  }
}

/** The in-memory indexes another instance's changes are applied to. */
export interface Indexes {
  readonly users: UserDirectory;
  readonly registration: RegistrationData;
  readonly inventory: SmartMeteringInventory;
  readonly anomaly: AnomalyDetector;
  readonly quarantine: Quarantine;
  readonly schedules: Schedules;
  readonly delivery: Delivery;
  readonly commands: KeptCommands;
}

/**
 * Applies a change another instance made (already durable) to this instance's indexes. The
 * caller mutes the journal meanwhile (Journal.replay), so nothing is written twice.
 */
export function applyRemoteChange(change: Change, to: Indexes): void {
  switch (change.kind) {
    case "party": return to.users.addParty(change.party);
    case "user": return to.users.addUser(change.user);
    case "registration": return to.registration.replaceAll(change.appointments);
    case "thresholds": return to.anomaly.configure(change.thresholds);
    case "device": return to.inventory.restore(change.record);
    case "deviceLog": return to.inventory.restoreDeviceLog(change.chfId, change.entries, change.extendedPanId);
    case "quarantined": return to.quarantine.restore(change.held);
    case "unquarantined": return to.quarantine.forget(change.id);
    case "schedule": return to.schedules.restore(change.schedule);
    case "unscheduled": return to.schedules.forget(change.id);
    case "outbox": return to.delivery.remember(change.message);
    case "delivered": return to.delivery.forget(change.id);
    case "endpoint": return to.delivery.rememberEndpoint(change.userId, change.url);
    case "command": return to.commands.restore(change.command);
    case "commandReleased": return to.commands.forget(change.key);
    case "audit": case "counter": case "anomaly": return; // not in the feed
  }
}
