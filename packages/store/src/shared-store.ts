// Several gateway instances on one PostgreSQL server (core's SharedStore port). Each instance
// answers from its own in-memory indexes; what must hold across instances is decided here:
// - RequestID counters: one conditional upsert (`stored < new`) for a batch of claims, before the
//   requests execute;
// - anomaly counts: added per (user, SRV, window, bucket) in each group commit; the totals are
//   read with the claims;
// - ids: blocks of 10,000 from a sequence;
// - due schedules: rows locked with FOR UPDATE SKIP LOCKED, moved on and answered in one transaction;
// - delivery: a lease per user outbox (a row with an expiry, taken over when it lapses);
// - everything else an instance changes (users, registration, inventory, quarantine, schedules,
//   endpoints, outbox) goes into a change feed that the others read every feedIntervalMs.
//
// The feed is read by transaction id, not by sequence number: a row's seq is taken when it is
// inserted but it becomes visible at COMMIT, so a reader going by seq could pass a row that
// commits later with a lower seq. A reader instead takes the rows of transactions below the
// oldest one still running (pg_snapshot_xmin), which are all finished, and next time starts there.
import type { AnomalyTotal, Change, CounterClaim, KeptCommand, OutboxMessage, Schedule, SharedStore } from "@opendcc/core";
import type { Database, Executor, Statement } from "./database.js";
import { writeChanges } from "./group-commit.js";
import { loadUser, storeUser, type StoredUser } from "./stored-user.js";

export interface SharedSettings {
  readonly instanceId: string;
  readonly feedIntervalMs: number;
  readonly leaseMs: number;
}

const ID_BLOCK = 10_000;
/** Feed rows older than this are dropped: an instance reads the state whole at start. */
const FEED_RETENTION = "1 hour";

/** Settings given, else from the environment (when there is one), else defaults. */
export function sharedSettings(given: Partial<SharedSettings>): SharedSettings {
  const env = (globalThis as { process?: { env?: Record<string, string | undefined>; pid?: number } }).process;
  const number = (name: string, fallback: number): number => {
    const value = env?.env?.[name];
    if (value === undefined || value === "") return fallback;
    const parsed = Number(value);
    if (!Number.isInteger(parsed) || parsed < 1) throw new Error(`${name} must be a positive integer (milliseconds), not "${value}"`);
    return parsed;
  };
  return {
    instanceId: given.instanceId ?? env?.env?.OPENDCC_INSTANCE_ID ?? `${env?.pid ?? "instance"}-${crypto.randomUUID().slice(0, 8)}`,
    feedIntervalMs: given.feedIntervalMs ?? number("OPENDCC_FEED_INTERVAL_MS", 100),
    leaseMs: given.leaseMs ?? number("OPENDCC_LEASE_MS", 10_000),
  };
}

// What the feed carries: every change other instances keep in memory. Not the audit trail (each
// instance keeps its own recent list), not counters (claimed through the store) nor anomaly hits
// (summed in the store).
type FeedChange = Exclude<Change, { kind: "audit" | "counter" | "anomaly" | "user" }> | { readonly kind: "user"; readonly user: StoredUser };

/** The feed row of a commit (null when nothing in it is for the others). */
export function feedStatement(origin: string, changes: readonly Change[]): Statement | null {
  const feed: FeedChange[] = [];
  for (const change of changes) {
    if (change.kind === "audit" || change.kind === "counter" || change.kind === "anomaly") continue;
    feed.push(change.kind === "user" ? { kind: "user", user: storeUser(change.user) } : change);
  }
  if (feed.length === 0) return null;
  return { sql: "INSERT INTO gateway_feed (origin, changes) VALUES ($1, $2)", params: [origin, feed] };
}

/** Adds the anomaly hits among `changes` to the shared counts, one row per user, SRV, window and bucket. */
export function anomalyCountsStatement(changes: readonly Change[]): Statement | null {
  const counts = new Map<string, number>();
  for (const change of changes) {
    if (change.kind !== "anomaly") continue;
    for (const windowMs of change.windowsMs) {
      // The kernel's buckets: 60 per window.
      const key = JSON.stringify([change.userId, change.srv, windowMs, Math.floor(change.atMs / (windowMs / 60))]);
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
  }
  if (counts.size === 0) return null;
  // Sorted, so that two instances lock the same rows in the same order (no deadlock).
  const rows = [...counts.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([key, n]) => [...(JSON.parse(key) as [string, string, number, number]), n] as const);
  return {
    sql: `INSERT INTO gateway_anomaly_counts AS a (user_id, srv, window_ms, bucket, count)
      SELECT * FROM unnest($1::text[], $2::text[], $3::bigint[], $4::bigint[], $5::int[])
      ON CONFLICT (user_id, srv, window_ms, bucket) DO UPDATE SET count = a.count + EXCLUDED.count`,
    params: [rows.map((r) => r[0]), rows.map((r) => r[1]), rows.map((r) => r[2]), rows.map((r) => r[3]), rows.map((r) => r[4])],
  };
}

/** Writes changes made in a transaction of this store (a due schedule run, a release) with their feed row. */
function writeShared(tx: Executor, origin: string, changes: readonly Change[]): Promise<void> {
  const feed = feedStatement(origin, changes);
  return writeChanges(tx, changes, feed ? [feed] : []);
}

export class PostgresSharedStore implements SharedStore {
  readonly instanceId: string;
  readonly feedIntervalMs: number;
  readonly leaseMs: number;

  constructor(private readonly db: Database, settings: SharedSettings) {
    this.instanceId = settings.instanceId;
    this.feedIntervalMs = settings.feedIntervalMs;
    this.leaseMs = settings.leaseMs;
  }

  async reserveIds(size: number): Promise<number> {
    if (size !== ID_BLOCK) throw new RangeError(`id blocks hold ${ID_BLOCK} ids`);
    const [row] = await this.db.query<{ block: bigint }>("SELECT nextval('gateway_id_blocks') AS block");
    return Number(row?.block) * ID_BLOCK + 1;
  }

  async claimCounters(claims: readonly CounterClaim[], nowMs: number, windowsMs: readonly number[]): Promise<{ fresh: boolean[]; totals: AnomalyTotal[] }> {
    if (claims.length === 0) return { fresh: [], totals: [] };
    // Sorted by originator: concurrent batches lock rows in one order. A row is updated only where
    // the stored counter is lower; RETURNING names the claims that won.
    const order = claims.map((_, i) => i).sort((a, b) => ((claims[a] as CounterClaim).originator < (claims[b] as CounterClaim).originator ? -1 : 1));
    const originators = order.map((i) => (claims[i] as CounterClaim).originator);
    const [won, totals] = await Promise.all([
      this.db.query<{ originator: string }>(`INSERT INTO gateway_counters AS g (originator, counter)
        SELECT * FROM unnest($1::text[], $2::numeric[])
        ON CONFLICT (originator) DO UPDATE SET counter = EXCLUDED.counter WHERE g.counter < EXCLUDED.counter
        RETURNING g.originator`, [originators, order.map((i) => (claims[i] as CounterClaim).counter.toString())]),
      windowsMs.length === 0 ? Promise.resolve([]) : this.db.query<{ user_id: string; srv: string; window_ms: bigint; count: number }>(`SELECT user_id, srv, window_ms, sum(count)::int AS count
        FROM gateway_anomaly_counts
        WHERE user_id = ANY($1::text[]) AND window_ms = ANY($3::bigint[]) AND bucket > floor($2::float8 / (window_ms / 60.0))::bigint - 60
        GROUP BY user_id, srv, window_ms`, [originators, nowMs, windowsMs]),
    ]);
    const winners = new Set(won.map((row) => row.originator));
    return {
      fresh: claims.map((claim) => winners.has(claim.originator)),
      totals: totals.map((row) => ({ userId: row.user_id, srv: row.srv, windowMs: Number(row.window_ms), count: row.count })),
    };
  }

  async readFeed(cursor: string | null): Promise<{ changes: Change[]; cursor: string }> {
    const rows = await this.db.query<{ horizon: string; changes: FeedChange[] | null }>(`WITH h AS (SELECT pg_snapshot_xmin(pg_current_snapshot()) AS horizon)
      SELECT h.horizon::text AS horizon, f.changes FROM h
      LEFT JOIN gateway_feed f ON $1::xid8 IS NOT NULL AND f.txid >= $1::xid8 AND f.txid < h.horizon AND f.origin <> $2
      ORDER BY f.txid, f.seq`, [cursor, this.instanceId]);
    const changes: Change[] = [];
    for (const row of rows) {
      for (const change of row.changes ?? []) changes.push(change.kind === "user" ? { kind: "user", user: loadUser(change.user) } : change);
    }
    return { changes, cursor: rows[0]?.horizon ?? (cursor as string) };
  }

  runDueSchedules(now: Date, run: (schedule: Schedule) => Promise<readonly Change[]>): Promise<readonly Change[]> {
    return this.db.transaction(async (tx) => {
      // Another instance running the same schedule holds its row: skipped here, and moved on
      // (no longer due) when this statement next sees it.
      const due = await tx.query<{ record: Schedule }>("SELECT record FROM gateway_schedules WHERE next_run_at <= $1 ORDER BY next_run_at, id LIMIT 100 FOR UPDATE SKIP LOCKED", [now]);
      const written: Change[] = [];
      for (const { record } of due) written.push(...await run(record)); // the schedule moved on, and its answer queued
      await writeShared(tx, this.instanceId, written);
      return written;
    });
  }

  releaseCommand(key: string): Promise<boolean> {
    return this.db.transaction(async (tx) => {
      const deleted = await tx.query("DELETE FROM gateway_kept_commands WHERE key = $1 RETURNING key", [key]);
      if (deleted.length === 0) return false;
      const feed = feedStatement(this.instanceId, [{ kind: "commandReleased", key }]) as Statement;
      await tx.query(feed.sql, feed.params);
      return true;
    });
  }

  runDueCommands(now: Date, run: (command: Extract<KeptCommand, { state: "future-dated" }>) => Promise<readonly Change[]>): Promise<readonly Change[]> {
    return this.db.transaction(async (tx) => {
      // As for schedules: a command another instance is sending is locked, so skipped here, and
      // gone when this statement next looks.
      const due = await tx.query<{ key: string; record: Extract<KeptCommand, { state: "future-dated" }> }>(
        "SELECT key, record FROM gateway_kept_commands WHERE due_at <= $1 ORDER BY due_at, key LIMIT 100 FOR UPDATE SKIP LOCKED", [now]);
      const written: Change[] = [];
      for (const { key, record } of due) written.push({ kind: "commandReleased", key }, ...await run(record));
      await writeShared(tx, this.instanceId, written);
      return written;
    });
  }

  async outboxUsers(): Promise<string[]> {
    const rows = await this.db.query<{ user_id: string }>("SELECT DISTINCT o.user_id FROM gateway_outbox o JOIN gateway_endpoints e ON e.user_id = o.user_id");
    return rows.map((row) => row.user_id);
  }

  async leaseOutbox(userId: string): Promise<boolean> {
    const rows = await this.db.query(`INSERT INTO gateway_leases AS l (name, holder, expires_at) VALUES ($1, $2, now() + $3::int * interval '1 millisecond')
      ON CONFLICT (name) DO UPDATE SET holder = EXCLUDED.holder, expires_at = EXCLUDED.expires_at
      WHERE l.holder = EXCLUDED.holder OR l.expires_at < now()
      RETURNING l.holder`, [`outbox:${userId}`, this.instanceId, this.leaseMs]);
    return rows.length === 1;
  }

  async releaseOutbox(userId: string): Promise<void> {
    await this.db.query("DELETE FROM gateway_leases WHERE name = $1 AND holder = $2", [`outbox:${userId}`, this.instanceId]);
  }

  async outboxHead(userId: string): Promise<{ message: OutboxMessage; url: string } | null> {
    const [row] = await this.db.query<{ record: OutboxMessage; url: string }>(
      "SELECT o.record, e.url FROM gateway_outbox o JOIN gateway_endpoints e ON e.user_id = o.user_id WHERE o.user_id = $1 ORDER BY o.seq LIMIT 1", [userId]);
    return row ? { message: row.record, url: row.url } : null;
  }

  async prune(nowMs: number): Promise<void> {
    await this.db.query("DELETE FROM gateway_anomaly_counts WHERE bucket <= floor($1::float8 / (window_ms / 60.0))::bigint - 60", [nowMs]);
    await this.db.query(`DELETE FROM gateway_feed WHERE at < now() - interval '${FEED_RETENTION}'`);
    await this.db.query("DELETE FROM gateway_leases WHERE expires_at < now() - interval '1 minute'");
  }
}
