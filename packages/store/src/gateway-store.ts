// The gateway's state in SQL (core's GatewayStore port): the audit trail, RequestID counters,
// inventory, users, registration data, anomaly thresholds and quarantine. One write = one
// transaction carrying a whole group commit. The same SQL runs embedded and on a server.
import type { AuditEntry, Change, GatewaySnapshot, GatewayStore, User } from "@opendcc/core";
import type { Database, Executor } from "./database.js";
import { migrate, type Migration } from "./migrate.js";

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
];

/** How many audit entries a restart brings back into memory (the admin API's recent list). */
const RECENT_AUDIT = 1000;

// Certificates' DER bytes travel through jsonb as base64.
type StoredUser = Omit<User, "certificates"> & { certificates: (Omit<User["certificates"][number], "der"> & { der: string })[] };

function toBase64(bytes: Uint8Array): string {
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}

function storeUser(user: User): StoredUser {
  return { ...user, certificates: user.certificates.map((c) => ({ ...c, der: toBase64(c.der) })) };
}

function loadUser(stored: StoredUser): User {
  return { ...stored, certificates: stored.certificates.map((c) => ({ ...c, der: Uint8Array.from(atob(c.der), (ch) => ch.charCodeAt(0)) })) };
}

export class SqlGatewayStore implements GatewayStore {
  private constructor(private readonly db: Database) {}

  /** Applies the gateway's migrations and returns the store. */
  static async open(db: Database): Promise<SqlGatewayStore> {
    await migrate(db, GATEWAY_MIGRATIONS);
    return new SqlGatewayStore(db);
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
        return await work(new SqlGatewayStore(db));
      } finally {
        await db.close();
      }
    };
    return {
      load: () => withStore((store) => store.load()),
      write: (changes) => withStore((store) => store.write(changes)),
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
      deviceLogs: (await this.db.query<{ chf_id: string; entries: GatewaySnapshot["deviceLogs"][number]["entries"] }>("SELECT chf_id, entries FROM gateway_device_logs")).map((row) => ({ chfId: row.chf_id, entries: row.entries })),
      parties: await records("SELECT record FROM gateway_parties ORDER BY party_id"),
      users: (await records<StoredUser>("SELECT record FROM gateway_users ORDER BY user_id")).map(loadUser),
      appointments: (await single("SELECT appointments AS value FROM gateway_registration WHERE id = 1")) ?? [],
      thresholds: await single("SELECT thresholds AS value FROM gateway_thresholds WHERE id = 1"),
      quarantine: await records("SELECT record FROM gateway_quarantine ORDER BY id"),
      recentAudit: audit.map((row) => ({ at: row.at.toISOString(), requestId: row.request_id, srv: row.srv, outcome: row.outcome, responseCode: row.response_code, reason: row.reason, xml: row.xml })),
      outbox: await records("SELECT record FROM gateway_outbox ORDER BY id"),
      endpoints: (await this.db.query<{ user_id: string; url: string }>("SELECT user_id, url FROM gateway_endpoints")).map((row) => ({ userId: row.user_id, url: row.url })),
      schedules: await records("SELECT record FROM gateway_schedules ORDER BY id"),
    };
  }

  write(changes: readonly Change[]): Promise<void> {
    return this.db.transaction(async (tx) => {
      for (const change of changes) await apply(tx, change);
    });
  }

  close(): Promise<void> {
    return this.db.close();
  }
}

async function apply(tx: Executor, change: Change): Promise<void> {
  switch (change.kind) {
    case "audit": {
      const e = change.entry;
      await tx.query("INSERT INTO gateway_audit (at, request_id, srv, outcome, response_code, reason, xml) VALUES ($1, $2, $3, $4, $5, $6, $7)",
        [e.at, e.requestId, e.srv, e.outcome, e.responseCode, e.reason, e.xml]);
      return;
    }
    case "counter":
      // GREATEST: several gateways may write counters for one originator (scale-out).
      await tx.query("INSERT INTO gateway_counters (originator, counter) VALUES ($1, $2) ON CONFLICT (originator) DO UPDATE SET counter = GREATEST(gateway_counters.counter, EXCLUDED.counter)",
        [change.originator, change.counter.toString()]);
      return;
    case "device":
      await tx.query("INSERT INTO gateway_devices (device_id, record) VALUES ($1, $2) ON CONFLICT (device_id) DO UPDATE SET record = EXCLUDED.record", [change.record.deviceId, change.record]);
      return;
    case "deviceLog":
      await tx.query("INSERT INTO gateway_device_logs (chf_id, entries) VALUES ($1, $2) ON CONFLICT (chf_id) DO UPDATE SET entries = EXCLUDED.entries", [change.chfId, change.entries]);
      return;
    case "party":
      await tx.query("INSERT INTO gateway_parties (party_id, record) VALUES ($1, $2) ON CONFLICT (party_id) DO UPDATE SET record = EXCLUDED.record", [change.party.partyId, change.party]);
      return;
    case "user":
      await tx.query("INSERT INTO gateway_users (user_id, record) VALUES ($1, $2) ON CONFLICT (user_id) DO UPDATE SET record = EXCLUDED.record", [change.user.userId, storeUser(change.user)]);
      return;
    case "registration":
      await tx.query("INSERT INTO gateway_registration (id, appointments) VALUES (1, $1) ON CONFLICT (id) DO UPDATE SET appointments = EXCLUDED.appointments", [change.appointments]);
      return;
    case "thresholds":
      await tx.query("INSERT INTO gateway_thresholds (id, thresholds) VALUES (1, $1) ON CONFLICT (id) DO UPDATE SET thresholds = EXCLUDED.thresholds", [change.thresholds]);
      return;
    case "quarantined":
      await tx.query("INSERT INTO gateway_quarantine (id, record) VALUES ($1, $2) ON CONFLICT (id) DO UPDATE SET record = EXCLUDED.record", [change.held.id, change.held]);
      return;
    case "unquarantined":
      await tx.query("DELETE FROM gateway_quarantine WHERE id = $1", [change.id]);
      return;
    case "outbox":
      await tx.query("INSERT INTO gateway_outbox (id, user_id, record) VALUES ($1, $2, $3) ON CONFLICT (id) DO UPDATE SET record = EXCLUDED.record", [change.message.id, change.message.userId, change.message]);
      return;
    case "delivered":
      await tx.query("DELETE FROM gateway_outbox WHERE id = $1", [change.id]);
      return;
    case "schedule":
      await tx.query("INSERT INTO gateway_schedules (id, user_id, device_id, record) VALUES ($1, $2, $3, $4) ON CONFLICT (id) DO UPDATE SET record = EXCLUDED.record",
        [change.schedule.id, change.schedule.userId, change.schedule.deviceId, change.schedule]);
      return;
    case "unscheduled":
      await tx.query("DELETE FROM gateway_schedules WHERE id = $1", [change.id]);
      return;
    case "endpoint":
      if (change.url === null) await tx.query("DELETE FROM gateway_endpoints WHERE user_id = $1", [change.userId]);
      else await tx.query("INSERT INTO gateway_endpoints (user_id, url) VALUES ($1, $2) ON CONFLICT (user_id) DO UPDATE SET url = EXCLUDED.url", [change.userId, change.url]);
      return;
  }
}
