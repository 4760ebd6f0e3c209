// One group commit's changes as few statements, sent as one batch (core's journal.ts: the
// requests arriving together share one write). The changes are first reduced to their net effect
// per row, then each table gets one statement per operation: a row alone with VALUES, several
// with one statement over a JSON array serialized once. The batch is one round trip and one
// transaction (embedded-session.ts, postgres.ts), whatever the number of requests in it.
//
// Net effect: for a keyed table the last change of a key wins (an upsert or a delete), so the
// statements of one commit touch each row once. Audit entries are appended in order; RequestID
// counters keep the greatest (several gateways may write one originator's). Rows whose order
// matters are inserted in the order their changes came (the audit trail's id; the outbox's seq,
// the order of delivery).
import type { AuditEntry, Change, KeptCommand } from "@opendcc/core";
import type { Executor, Statement } from "./database.js";
import { storeUser } from "./stored-user.js";
import { serializeJson } from "./values.js";

/** A keyed table's rows: the record to store, or DELETE. */
const DELETE = Symbol("delete");
type Rows<K, V> = Map<K, V | typeof DELETE>;

/** One commit's changes, reduced to what each table gets. */
export interface NetChanges {
  readonly audit: AuditEntry[];
  readonly counters: Map<string, bigint>;
  readonly devices: Rows<string, unknown>;
  readonly deviceLogs: Rows<string, { entries: unknown; extendedPanId: string | null }>;
  readonly parties: Rows<string, unknown>;
  readonly users: Rows<string, unknown>;
  registration: { value: unknown } | null;
  thresholds: { value: unknown } | null;
  readonly quarantine: Rows<number, unknown>;
  readonly outbox: Rows<number, { userId: string; record: unknown }>;
  readonly endpoints: Rows<string, string>;
  readonly schedules: Rows<number, { userId: string; deviceId: string; nextRunAt: string; record: unknown }>;
  readonly commands: Rows<string, { state: string; dueAt: string | null; record: unknown }>;
}

/** Reduces changes (in the order they were made) to their net effect per table and row. */
export function netChanges(changes: readonly Change[]): NetChanges {
  const net: NetChanges = {
    audit: [], counters: new Map(), devices: new Map(), deviceLogs: new Map(), parties: new Map(), users: new Map(), registration: null, thresholds: null,
    quarantine: new Map(), outbox: new Map(), endpoints: new Map(), schedules: new Map(), commands: new Map(),
  };
  for (const change of changes) {
    switch (change.kind) {
      case "audit":
        net.audit.push(change.entry);
        break;
      case "counter": {
        const stored = net.counters.get(change.originator);
        if (stored === undefined || stored < change.counter) net.counters.set(change.originator, change.counter);
        break;
      }
      case "device":
        net.devices.set(change.record.deviceId, change.record);
        break;
      case "deviceLog": {
        // The HAN's extended PAN id is kept when a later write does not name one.
        const before = net.deviceLogs.get(change.chfId);
        const kept = before && before !== DELETE ? before.extendedPanId : null;
        net.deviceLogs.set(change.chfId, { entries: change.entries, extendedPanId: change.extendedPanId ?? kept });
        break;
      }
      case "party":
        net.parties.set(change.party.partyId, change.party);
        break;
      case "user":
        net.users.set(change.user.userId, storeUser(change.user));
        break;
      case "registration":
        net.registration = { value: change.appointments };
        break;
      case "thresholds":
        net.thresholds = { value: change.thresholds };
        break;
      case "quarantined":
        net.quarantine.set(change.held.id, change.held);
        break;
      case "unquarantined":
        net.quarantine.set(change.id, DELETE);
        break;
      case "outbox":
        // A message queued and delivered in one commit is deleted (a no-op); its place in the Map,
        // hence its seq, is where it was first queued.
        net.outbox.set(change.message.id, { userId: change.message.userId, record: change.message });
        break;
      case "delivered":
        net.outbox.set(change.id, DELETE);
        break;
      case "endpoint":
        net.endpoints.set(change.userId, change.url ?? DELETE);
        break;
      case "schedule":
        net.schedules.set(change.schedule.id, { userId: change.schedule.userId, deviceId: change.schedule.deviceId, nextRunAt: change.schedule.nextRunAt, record: change.schedule });
        break;
      case "unscheduled":
        net.schedules.set(change.id, DELETE);
        break;
      case "command":
        net.commands.set(keptKey(change.command), { state: change.command.state, dueAt: dueAt(change.command), record: change.command });
        break;
      case "commandReleased":
        net.commands.set(change.key, DELETE);
        break;
      case "anomaly":
        break; // a shared store sums them per bucket (shared-store.ts)
    }
  }
  return net;
}

/**
 * Writes the changes as one batch (none when nothing changes), `extra` statements (the shared
 * store's anomaly counts and change feed) at its end: on a database, one transaction of its own.
 */
export async function writeChanges(executor: Executor, changes: readonly Change[], extra: readonly Statement[] = []): Promise<void> {
  const all = [...statements(netChanges(changes)), ...extra];
  if (all.length > 0) await executor.batch(all);
}

/**
 * How a table's rows are written: a row alone with VALUES; several with one statement over a
 * JSON array (jsonb_array_elements), which costs one statement instead of one per row.
 */
interface Table<R> {
  readonly one: string;
  readonly oneParams: (row: R) => unknown[];
  readonly many: string;
  readonly manyParams: (rows: readonly R[]) => unknown[];
}

function write<R>(out: Statement[], table: Table<R>, rows: readonly R[]): void {
  if (rows.length === 1) out.push({ sql: table.one, params: table.oneParams(rows[0] as R) });
  else if (rows.length > 1) out.push({ sql: table.many, params: table.manyParams(rows) });
}

function remove(out: Statement[], table: string, key: string, type: "text" | "bigint", keys: readonly (string | number)[]): void {
  if (keys.length === 1) out.push({ sql: `DELETE FROM ${table} WHERE ${key} = $1`, params: keys });
  else if (keys.length > 1) out.push({ sql: `DELETE FROM ${table} WHERE ${key} = ANY($1::${type}[])`, params: [keys] });
}

/** A JSON array of rows for a `::text::jsonb` parameter: serialized once, for a whole table's rows. */
const json = (value: unknown): string => serializeJson(value);

const byKey = <K extends string | number>(a: K, b: K): number => (a < b ? -1 : a > b ? 1 : 0);

/** Keys to delete and rows to upsert; text keys sorted, so that instances lock rows in one order. */
function split<K extends string | number, V>(rows: Rows<K, V>, sorted: boolean): { upserts: [K, V][]; deletes: K[] } {
  const upserts: [K, V][] = [];
  const deletes: K[] = [];
  for (const [key, value] of rows) {
    if (value === DELETE) deletes.push(key);
    else upserts.push([key, value]);
  }
  if (sorted) {
    upserts.sort(([a], [b]) => byKey(a, b));
    deletes.sort(byKey);
  }
  return { upserts, deletes };
}

const AUDIT: Table<AuditEntry> = {
  one: "INSERT INTO gateway_audit (at, request_id, srv, outcome, response_code, reason, xml) VALUES ($1, $2, $3, $4, $5, $6, $7)",
  oneParams: (a) => [a.at, a.requestId, a.srv, a.outcome, a.responseCode, a.reason, a.xml],
  // In order: the trail's id is the order of the requests.
  many: `INSERT INTO gateway_audit (at, request_id, srv, outcome, response_code, reason, xml)
    SELECT (e->>0)::timestamptz, e->>1, e->>2, e->>3, e->>4, e->>5, e->>6 FROM jsonb_array_elements($1::text::jsonb) WITH ORDINALITY AS r(e, n) ORDER BY n`,
  manyParams: (rows) => [json(rows.map((a) => [a.at, a.requestId, a.srv, a.outcome, a.responseCode, a.reason, a.xml]))],
};

// GREATEST: several gateways may write counters for one originator (scale-out).
const COUNTERS: Table<[string, bigint]> = {
  one: "INSERT INTO gateway_counters AS g (originator, counter) VALUES ($1, $2) ON CONFLICT (originator) DO UPDATE SET counter = GREATEST(g.counter, EXCLUDED.counter)",
  oneParams: ([originator, counter]) => [originator, counter.toString()],
  many: `INSERT INTO gateway_counters AS g (originator, counter) SELECT * FROM unnest($1::text[], $2::numeric[])
    ON CONFLICT (originator) DO UPDATE SET counter = GREATEST(g.counter, EXCLUDED.counter)`,
  manyParams: (rows) => [rows.map(([originator]) => originator), rows.map(([, counter]) => counter.toString())],
};

/** A table of (key, record jsonb) rows. */
function records<K extends string | number>(table: string, key: string, type: "text" | "bigint"): Table<[K, unknown]> {
  return {
    one: `INSERT INTO ${table} (${key}, record) VALUES ($1, $2) ON CONFLICT (${key}) DO UPDATE SET record = EXCLUDED.record`,
    oneParams: ([k, record]) => [k, record],
    many: `INSERT INTO ${table} (${key}, record) SELECT (e->>0)::${type}, e->1 FROM jsonb_array_elements($1::text::jsonb) AS r(e)
      ON CONFLICT (${key}) DO UPDATE SET record = EXCLUDED.record`,
    manyParams: (rows) => [json(rows)],
  };
}
const DEVICES = records<string>("gateway_devices", "device_id", "text");
const PARTIES = records<string>("gateway_parties", "party_id", "text");
const USERS = records<string>("gateway_users", "user_id", "text");
const QUARANTINE = records<number>("gateway_quarantine", "id", "bigint");

type DeviceLogRow = [string, { entries: unknown; extendedPanId: string | null }];
// The HAN's extended PAN id is kept when a write does not name one.
const DEVICE_LOGS: Table<DeviceLogRow> = {
  one: `INSERT INTO gateway_device_logs AS l (chf_id, entries, extended_pan_id) VALUES ($1, $2, $3)
    ON CONFLICT (chf_id) DO UPDATE SET entries = EXCLUDED.entries, extended_pan_id = COALESCE(EXCLUDED.extended_pan_id, l.extended_pan_id)`,
  oneParams: ([chfId, log]) => [chfId, log.entries, log.extendedPanId],
  many: `INSERT INTO gateway_device_logs AS l (chf_id, entries, extended_pan_id) SELECT e->>0, e->1, e->>2 FROM jsonb_array_elements($1::text::jsonb) AS r(e)
    ON CONFLICT (chf_id) DO UPDATE SET entries = EXCLUDED.entries, extended_pan_id = COALESCE(EXCLUDED.extended_pan_id, l.extended_pan_id)`,
  manyParams: (rows) => [json(rows.map(([chfId, log]) => [chfId, log.entries, log.extendedPanId]))],
};

type OutboxRow = [number, { userId: string; record: unknown }];
const OUTBOX: Table<OutboxRow> = {
  one: "INSERT INTO gateway_outbox (id, user_id, record) VALUES ($1, $2, $3) ON CONFLICT (id) DO UPDATE SET record = EXCLUDED.record",
  oneParams: ([id, m]) => [id, m.userId, m.record],
  // In the order queued: seq is the order of delivery.
  many: `INSERT INTO gateway_outbox (id, user_id, record)
    SELECT (e->>0)::bigint, e->>1, e->2 FROM jsonb_array_elements($1::text::jsonb) WITH ORDINALITY AS r(e, n) ORDER BY n
    ON CONFLICT (id) DO UPDATE SET record = EXCLUDED.record`,
  manyParams: (rows) => [json(rows.map(([id, m]) => [id, m.userId, m.record]))],
};

const ENDPOINTS: Table<[string, string]> = {
  one: "INSERT INTO gateway_endpoints (user_id, url) VALUES ($1, $2) ON CONFLICT (user_id) DO UPDATE SET url = EXCLUDED.url",
  oneParams: ([userId, url]) => [userId, url],
  many: "INSERT INTO gateway_endpoints (user_id, url) SELECT * FROM unnest($1::text[], $2::text[]) ON CONFLICT (user_id) DO UPDATE SET url = EXCLUDED.url",
  manyParams: (rows) => [rows.map(([userId]) => userId), rows.map(([, url]) => url)],
};

type ScheduleRow = [number, { userId: string; deviceId: string; nextRunAt: string; record: unknown }];
const SCHEDULES: Table<ScheduleRow> = {
  one: `INSERT INTO gateway_schedules (id, user_id, device_id, next_run_at, record) VALUES ($1, $2, $3, $4, $5)
    ON CONFLICT (id) DO UPDATE SET record = EXCLUDED.record, next_run_at = EXCLUDED.next_run_at`,
  oneParams: ([id, s]) => [id, s.userId, s.deviceId, s.nextRunAt, s.record],
  many: `INSERT INTO gateway_schedules (id, user_id, device_id, next_run_at, record)
    SELECT (e->>0)::bigint, e->>1, e->>2, (e->>3)::timestamptz, e->4 FROM jsonb_array_elements($1::text::jsonb) AS r(e)
    ON CONFLICT (id) DO UPDATE SET record = EXCLUDED.record, next_run_at = EXCLUDED.next_run_at`,
  manyParams: (rows) => [json(rows.map(([id, s]) => [id, s.userId, s.deviceId, s.nextRunAt, s.record]))],
};

type CommandRow = [string, { state: string; dueAt: string | null; record: unknown }];
const COMMANDS: Table<CommandRow> = {
  one: `INSERT INTO gateway_kept_commands (key, state, due_at, record) VALUES ($1, $2, $3, $4)
    ON CONFLICT (key) DO UPDATE SET record = EXCLUDED.record, due_at = EXCLUDED.due_at`,
  oneParams: ([key, c]) => [key, c.state, c.dueAt, c.record],
  many: `INSERT INTO gateway_kept_commands (key, state, due_at, record)
    SELECT e->>0, e->>1, (e->>2)::timestamptz, e->3 FROM jsonb_array_elements($1::text::jsonb) AS r(e)
    ON CONFLICT (key) DO UPDATE SET record = EXCLUDED.record, due_at = EXCLUDED.due_at`,
  manyParams: (rows) => [json(rows.map(([key, c]) => [key, c.state, c.dueAt, c.record]))],
};

/** The statements of one commit, a table at a time in a fixed order (instances lock tables in one order). */
function statements(net: NetChanges): Statement[] {
  const out: Statement[] = [];
  write(out, AUDIT, net.audit);
  write(out, COUNTERS, [...net.counters].sort(([a], [b]) => byKey(a, b)));
  const keyed = <K extends string | number, V>(table: Table<[K, V]>, name: string, key: string, type: "text" | "bigint", rows: Rows<K, V>, sorted: boolean) => {
    const { upserts, deletes } = split(rows, sorted);
    write(out, table, upserts);
    remove(out, name, key, type, deletes);
  };
  keyed(DEVICES, "gateway_devices", "device_id", "text", net.devices, true);
  keyed(DEVICE_LOGS, "gateway_device_logs", "chf_id", "text", net.deviceLogs, true);
  keyed(PARTIES, "gateway_parties", "party_id", "text", net.parties, true);
  keyed(USERS, "gateway_users", "user_id", "text", net.users, true);
  if (net.registration) {
    out.push({ sql: "INSERT INTO gateway_registration (id, appointments) VALUES (1, $1) ON CONFLICT (id) DO UPDATE SET appointments = EXCLUDED.appointments", params: [net.registration.value] });
  }
  if (net.thresholds) {
    out.push({ sql: "INSERT INTO gateway_thresholds (id, thresholds) VALUES (1, $1) ON CONFLICT (id) DO UPDATE SET thresholds = EXCLUDED.thresholds", params: [net.thresholds.value] });
  }
  keyed(QUARANTINE, "gateway_quarantine", "id", "bigint", net.quarantine, false);
  keyed(OUTBOX, "gateway_outbox", "id", "bigint", net.outbox, false);
  keyed(ENDPOINTS, "gateway_endpoints", "user_id", "text", net.endpoints, true);
  keyed(SCHEDULES, "gateway_schedules", "id", "bigint", net.schedules, false);
  keyed(COMMANDS, "gateway_kept_commands", "key", "text", net.commands, true);
  return out;
}

// Types only from core: the port's bundle stays free of core's runtime (workerd.test.ts).
/** Core's keptKey (kept-commands.ts): state/requestId. */
function keptKey(command: KeptCommand): string {
  return `${command.state}/${command.requestId}`;
}

function dueAt(command: KeptCommand): string | null {
  return command.state === "future-dated" ? command.dueAt : null;
}
