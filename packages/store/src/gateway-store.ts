// The gateway's state in SQL (core's GatewayStore port): the audit trail, RequestID counters,
// inventory, users, registration data, anomaly thresholds and quarantine. One write = one
// transaction carrying a whole group commit. The same SQL runs embedded and on a server.
import type { AuditEntry, Change, GatewaySnapshot, GatewayStore, SharedStore } from "@opendcc/core";
import type { Database } from "./database.js";
import { writeChanges } from "./group-commit.js";
import { migrate, type Migration } from "./migrate.js";
import { anomalyCountsStatement, feedStatement, PostgresSharedStore, sharedSettings, type SharedSettings } from "./shared-store.js";
import { loadUser, type StoredUser } from "./stored-user.js";

export const GATEWAY_MIGRATIONS: readonly Migration[] = [
  {
    id: "gateway-001-state",
    sql: `
      CREATE TABLE gateway_audit (
        id bigserial PRIMARY KEY,
        at timestamptz NOT NULL,
        request_id text,
        srv text,
        outcome text NOT NULL,
        response_code text NOT NULL,
        reason text,
        xml text NOT NULL
      );
      CREATE INDEX gateway_audit_at ON gateway_audit (at);
      CREATE INDEX gateway_audit_request ON gateway_audit (request_id);
      CREATE TABLE gateway_counters (originator text PRIMARY KEY, counter numeric(20, 0) NOT NULL);
      CREATE TABLE gateway_devices (device_id text PRIMARY KEY, record jsonb NOT NULL);
      CREATE TABLE gateway_device_logs (chf_id text PRIMARY KEY, entries jsonb NOT NULL);
      CREATE TABLE gateway_parties (party_id text PRIMARY KEY, record jsonb NOT NULL);
      CREATE TABLE gateway_users (user_id text PRIMARY KEY, record jsonb NOT NULL);
      CREATE TABLE gateway_registration (id int PRIMARY KEY CHECK (id = 1), appointments jsonb NOT NULL);
      CREATE TABLE gateway_thresholds (id int PRIMARY KEY CHECK (id = 1), thresholds jsonb NOT NULL);
      CREATE TABLE gateway_quarantine (id integer PRIMARY KEY, record jsonb NOT NULL);
    `,
  },
  {
    id: "gateway-002-delivery",
    sql: `
      CREATE TABLE gateway_outbox (id integer PRIMARY KEY, user_id text NOT NULL, record jsonb NOT NULL);
      CREATE INDEX gateway_outbox_user ON gateway_outbox (user_id, id);
      CREATE TABLE gateway_endpoints (user_id text PRIMARY KEY, url text NOT NULL);
    `,
  },
  {
    id: "gateway-003-schedules",
    sql: `
      CREATE TABLE gateway_schedules (id integer PRIMARY KEY, user_id text NOT NULL, device_id text NOT NULL, record jsonb NOT NULL);
      CREATE INDEX gateway_schedules_device ON gateway_schedules (device_id);
    `,
  },
  {
    // Several gateway instances on one server (shared-store.ts): ids from blocks of a sequence
    // (bigint: a national DCC queues billions of messages), delivery in commit order (seq), due
    // schedules found by index, shared anomaly counts, the change feed and leases.
    id: "gateway-004-instances",
    sql: `
      ALTER TABLE gateway_quarantine ALTER COLUMN id TYPE bigint;
      ALTER TABLE gateway_outbox ALTER COLUMN id TYPE bigint;
      ALTER TABLE gateway_outbox ADD COLUMN seq bigserial;
      CREATE INDEX gateway_outbox_user_seq ON gateway_outbox (user_id, seq);
      ALTER TABLE gateway_schedules ALTER COLUMN id TYPE bigint;
      ALTER TABLE gateway_schedules ADD COLUMN next_run_at timestamptz;
      UPDATE gateway_schedules SET next_run_at = (record->>'nextRunAt')::timestamptz;
      CREATE INDEX gateway_schedules_due ON gateway_schedules (next_run_at);
      -- Block n holds the ids n * 10000 + 1 .. (n + 1) * 10000; the first free block is above every id in use.
      CREATE SEQUENCE gateway_id_blocks MINVALUE 0 START 0;
      SELECT setval('gateway_id_blocks', (SELECT (coalesce(max(id), 0) + 9999) / 10000 FROM (
        SELECT id FROM gateway_quarantine UNION ALL SELECT id FROM gateway_outbox UNION ALL SELECT id FROM gateway_schedules) used), false);
      CREATE TABLE gateway_anomaly_counts (
        user_id text NOT NULL, srv text NOT NULL, window_ms bigint NOT NULL, bucket bigint NOT NULL, count integer NOT NULL,
        PRIMARY KEY (user_id, srv, window_ms, bucket)
      );
      CREATE TABLE gateway_feed (
        seq bigserial PRIMARY KEY,
        txid xid8 NOT NULL DEFAULT pg_current_xact_id(),
        origin text NOT NULL,
        at timestamptz NOT NULL DEFAULT now(),
        changes jsonb NOT NULL
      );
      CREATE INDEX gateway_feed_txid ON gateway_feed (txid);
      CREATE TABLE gateway_leases (name text PRIMARY KEY, holder text NOT NULL, expires_at timestamptz NOT NULL);
    `,
  },
  {
    // Device commands kept between two steps (core's kept-commands.ts): Pre-Commands awaiting a
    // signature, commands the DCC holds until their execution date-time (due_at, found by index
    // and locked by the instance that sends them), commands delivered locally awaiting 8.13.
    id: "gateway-005-kept-commands",
    sql: `
      CREATE TABLE gateway_kept_commands (key text PRIMARY KEY, state text NOT NULL, due_at timestamptz, record jsonb NOT NULL);
      CREATE INDEX gateway_kept_commands_due ON gateway_kept_commands (due_at) WHERE due_at IS NOT NULL;
    `,
  },
  {
    // A hub's HAN extended PAN id, backed up with its device log (seed 003 paragraph 189).
    id: "gateway-006-han-pan-id",
    sql: "ALTER TABLE gateway_device_logs ADD COLUMN extended_pan_id text;",
  },
  {
    // Cheaper group commits (bench e2e): every Service Request adds an audit row and an outbox
    // row (its signed response, deleted once pushed).
    // - The outbox's (user_id, id) index is covered by (user_id, seq) since 004; nothing reads by id per user.
    // - The audit trail is read by id; `at` follows the order of insertion, so a BRIN index
    //   (a summary per range of pages, nearly free to keep) still finds a time range.
    // - An outbox row (about 2.3 KB with its XML) lives seconds: kept whole in its row up to 8 KB
    //   rather than compressed by TOAST at every insert (the threshold is 2 KB).
    id: "gateway-007-cheaper-writes",
    sql: `
      DROP INDEX gateway_outbox_user;
      DROP INDEX gateway_audit_at;
      CREATE INDEX gateway_audit_at ON gateway_audit USING brin (at);
      ALTER TABLE gateway_outbox SET (toast_tuple_target = 8160);
    `,
  },
];

/** A plugin's migrations as the store records them: ids prefixed with the plugin's name. */
export function pluginMigrations(plugin: string, migrations: readonly Migration[]): Migration[] {
  return migrations.map((m) => ({ id: `plugin/${plugin}/${m.id}`, sql: m.sql }));
}

/** How many audit entries a restart brings back into memory (the admin API's recent list). */
const RECENT_AUDIT = 1000;

export interface GatewayStoreOptions {
  /**
   * Whether several gateway instances share this database (default: when it is a server). Then
   * the store also decides the facts that must hold across instances and feeds each instance the
   * others' changes (shared-store.ts). Settings not given come from OPENDCC_INSTANCE_ID,
   * OPENDCC_FEED_INTERVAL_MS and OPENDCC_LEASE_MS.
   */
  readonly shared?: boolean | Partial<SharedSettings>;
}

export class SqlGatewayStore implements GatewayStore {
  readonly shared?: SharedStore;

  private constructor(private readonly db: Database, settings: SharedSettings | null) {
    if (settings) this.shared = new PostgresSharedStore(db, settings);
  }

  /** Applies the gateway's migrations and returns the store. */
  static async open(db: Database, options: GatewayStoreOptions = {}): Promise<SqlGatewayStore> {
    await migrate(db, GATEWAY_MIGRATIONS);
    const shared = options.shared ?? db.kind === "server";
    return new SqlGatewayStore(db, shared === false ? null : sharedSettings(shared === true ? {} : shared));
  }

  /**
   * A store that opens a connection for each load and write and closes it after: for edge
   * runtimes, where a connection belongs to the request that opened it and cannot serve the next.
   */
  static perOperation(connect: () => Promise<Database>): GatewayStore {
    let migrated = false;
    const withStore = async <T>(work: (store: SqlGatewayStore) => Promise<T>): Promise<T> => {
      const db = await connect();
      try {
        if (!migrated) await migrate(db, GATEWAY_MIGRATIONS);
        migrated = true;
        return await work(new SqlGatewayStore(db, null));
      } finally {
        await db.close();
      }
    };
    return {
      load: () => withStore((store) => store.load()),
      write: (changes) => withStore((store) => store.write(changes)),
      migratePlugin: (plugin, migrations) => withStore((store) => store.migratePlugin(plugin, migrations)),
      close: async () => undefined,
    };
  }

  async load(): Promise<GatewaySnapshot> {
    const records = async <T>(sql: string) => (await this.db.query<{ record: T }>(sql)).map((row) => row.record);
    const single = async <T>(sql: string) => (await this.db.query<{ value: T }>(sql))[0]?.value ?? null;
    const audit = await this.db.query<{ at: Date; request_id: string | null; srv: string | null; outcome: AuditEntry["outcome"]; response_code: string; reason: string | null; xml: string }>(
      `SELECT at, request_id, srv, outcome, response_code, reason, xml FROM (SELECT * FROM gateway_audit ORDER BY id DESC LIMIT ${RECENT_AUDIT}) recent ORDER BY id`,
    );
    return {
      counters: (await this.db.query<{ originator: string; counter: string }>("SELECT originator, counter FROM gateway_counters")).map((row) => ({ originator: row.originator, counter: BigInt(row.counter) })),
      devices: await records("SELECT record FROM gateway_devices"),
      deviceLogs: (await this.db.query<{ chf_id: string; entries: GatewaySnapshot["deviceLogs"][number]["entries"]; extended_pan_id: string | null }>("SELECT chf_id, entries, extended_pan_id FROM gateway_device_logs"))
        .map((row) => ({ chfId: row.chf_id, entries: row.entries, ...(row.extended_pan_id ? { extendedPanId: row.extended_pan_id } : {}) })),
      parties: await records("SELECT record FROM gateway_parties ORDER BY party_id"),
      users: (await records<StoredUser>("SELECT record FROM gateway_users ORDER BY user_id")).map(loadUser),
      appointments: (await single("SELECT appointments AS value FROM gateway_registration WHERE id = 1")) ?? [],
      thresholds: await single("SELECT thresholds AS value FROM gateway_thresholds WHERE id = 1"),
      quarantine: await records("SELECT record FROM gateway_quarantine ORDER BY id"),
      recentAudit: audit.map((row) => ({ at: row.at.toISOString(), requestId: row.request_id, srv: row.srv, outcome: row.outcome, responseCode: row.response_code, reason: row.reason, xml: row.xml })),
      outbox: await records("SELECT record FROM gateway_outbox ORDER BY id"),
      endpoints: (await this.db.query<{ user_id: string; url: string }>("SELECT user_id, url FROM gateway_endpoints")).map((row) => ({ userId: row.user_id, url: row.url })),
      schedules: await records("SELECT record FROM gateway_schedules ORDER BY id"),
      commands: await records("SELECT record FROM gateway_kept_commands ORDER BY key"),
    };
  }

  /** Applies a plugin's migrations once each, recorded as plugin/<name>/<id> (core's plugin host calls it before setup). */
  async migratePlugin(plugin: string, migrations: readonly Migration[]): Promise<void> {
    await migrate(this.db, pluginMigrations(plugin, migrations));
  }

  /**
   * One group commit: one batch (group-commit.ts), one transaction and one round trip; a shared
   * store adds its anomaly counts and change feed to it.
   */
  write(changes: readonly Change[]): Promise<void> {
    const extra = this.shared ? [anomalyCountsStatement(changes), feedStatement(this.shared.instanceId, changes)].filter((statement) => statement !== null) : [];
    return writeChanges(this.db, changes, extra);
  }

  close(): Promise<void> {
    return this.db.close();
  }
}
