// A group commit is one batch (group-commit.ts): the changes reduced to their net effect per row,
// one statement per table and operation. Everything a commit writes is there after a restart, in
// the order it was made, whether a table got one row (VALUES) or several (one statement over a
// JSON array); the embedded store on disk and a PostgreSQL server keep the same.
import { rmSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AuditEntry, Change, DeviceRecord, KeptCommand, OutboxMessage, QuarantinedRequest, Schedule, User } from "@opendcc/core";
import type { Database } from "../src/database.js";
import { openEmbedded } from "../src/embedded.js";
import { SqlGatewayStore } from "../src/gateway-store.js";
import { netChanges } from "../src/group-commit.js";
import { openPostgres } from "../src/postgres.js";
import { startPostgresServer, type PostgresServer } from "../src/testing/postgres-server.js";
import { tempDir } from "./support/adapters.js";
import { describeWithServer } from "./support/server.js";

const USER_A = "90B3D51F30010000";
const USER_B = "90B3D51F30020000";

const audit = (counter: number, outcome: AuditEntry["outcome"] = "accepted"): AuditEntry => ({
  at: `2026-11-23T12:00:${String(counter % 60).padStart(2, "0")}.000Z`, requestId: `${USER_A}:00DB1234567890A1:${counter}`, srv: "4.1.1", outcome,
  responseCode: outcome === "accepted" ? "I99" : "E3", reason: outcome === "accepted" ? null : "bad", xml: `<sr:Request n="${counter}">${"x".repeat(1500)}</sr:Request>`,
});
const device = (n: number, status: DeviceRecord["status"] = "commissioned"): DeviceRecord => ({
  deviceId: `00DB12345678${String(n).padStart(4, "0")}`, type: "ESME", status, manufacturer: "OpenDCC", model: "E1", firmwareVersion: "1.0",
  mpxn: `130000000${n}`, chfId: null, associatedWith: null, premises: { postcode: "SW1A 1AA", address: null, uprn: null }, statusChangedAt: "2026-11-23T12:00:00.000Z",
});
const user = (userId: string): User => ({
  userId, partyId: "DCC0001", roles: ["IS", "GS"], suspended: false,
  certificates: [{ der: new Uint8Array([0x30, 0x82, 0x00, 0xff]), usage: "xml", issuer: "CN=Z1,OU=07", serial: "12345", notBefore: "2026-01-01T00:00:00Z", notAfter: "2027-01-01T00:00:00Z" }],
});
const message = (id: number, userId = USER_A): OutboxMessage => ({
  id, userId, createdAt: "2026-11-23T12:00:00.000Z", xml: `<sr:Response id="${id}">${"y".repeat(2200)}</sr:Response>`, attempts: 0, nextAttemptAt: "2026-11-23T12:00:00.000Z", lastError: null,
});
const held = (id: number): QuarantinedRequest => ({ id, at: "2026-11-23T12:00:00.000Z", requestId: `${USER_A}:00DB1234567890A1:${id}`, srv: "4.1.1", userId: USER_A, endpoint: "http://a/", reason: "anomaly", xml: "<x/>" });
const schedule = (id: number, nextRunAt: string): Schedule => ({
  id, userId: USER_A, deviceId: "00DB1234567890A1", srv: "4.1.1", frequency: "Daily", startAt: "2026-11-23T12:00:00.000Z", nextRunAt, parameters: { read: true },
});
const command = (counter: number): KeptCommand => ({
  state: "future-dated", requestId: `${USER_A}:00DB1234567890A1:${counter}`, srv: "4.1.1", deviceId: "00DB1234567890A1", effect: null,
  userId: USER_A, serviceReference: "4.1", dueAt: "2026-11-24T12:00:00.000Z", command: "DD00",
});

/** One commit with every kind of change, several rows of each where a table can have several. */
function everything(): Change[] {
  return [
    ...[1, 2, 3].map((n): Change => ({ kind: "audit", entry: audit(n) })),
    { kind: "counter", originator: USER_A, counter: 3n },
    { kind: "counter", originator: USER_A, counter: 2n }, // lower than one already written: the greatest stays
    { kind: "counter", originator: USER_B, counter: 2n ** 63n + 7n }, // beyond int8: numeric(20)
    { kind: "device", record: device(1, "pending") },
    { kind: "device", record: device(2) },
    { kind: "device", record: device(1) }, // the last of a key wins
    { kind: "deviceLog", chfId: "00DB1234567890C1", entries: [{ deviceId: "00DB123456780001", type: "ESME" }], extendedPanId: "0123456789ABCDEF" },
    { kind: "deviceLog", chfId: "00DB1234567890C1", entries: [] }, // no PAN id named: the one before is kept
    { kind: "deviceLog", chfId: "00DB1234567890C2", entries: [{ deviceId: "00DB123456780002", type: "GSME", linkKey: "00112233445566778899AABBCCDDEEFF" }] },
    { kind: "party", party: { partyId: "DCC0001", name: "Supplier A" } },
    { kind: "party", party: { partyId: "DCC0002", name: "Supplier B" } },
    { kind: "user", user: user(USER_B) },
    { kind: "user", user: user(USER_A) },
    { kind: "registration", appointments: [] },
    { kind: "registration", appointments: [{ mpxn: "1300000001", fuel: "electricity", role: "IS", partyId: "DCC0001", effectiveFrom: "2020-01-01", effectiveTo: null }] },
    { kind: "thresholds", thresholds: [{ windowMs: 60_000, limit: 10 }] },
    { kind: "quarantined", held: held(7) },
    { kind: "quarantined", held: held(8) },
    { kind: "unquarantined", id: 7 },
    { kind: "outbox", message: message(12) },
    { kind: "outbox", message: message(10) },
    { kind: "outbox", message: message(11, USER_B) },
    { kind: "outbox", message: { ...message(12), attempts: 1, lastError: "HTTP 503" } }, // attempted: keeps its place
    { kind: "outbox", message: message(13) },
    { kind: "delivered", id: 13 }, // queued and pushed within the commit: nothing left of it
    { kind: "endpoint", userId: USER_A, url: "http://old/" },
    { kind: "endpoint", userId: USER_A, url: "http://a/" },
    { kind: "endpoint", userId: USER_B, url: "http://b/" },
    { kind: "schedule", schedule: schedule(21, "2026-11-24T12:00:00.000Z") },
    { kind: "schedule", schedule: schedule(22, "2026-11-25T12:00:00.000Z") },
    { kind: "command", command: command(31) },
    { kind: "command", command: command(32) },
    { kind: "commandReleased", key: `future-dated/${USER_A}:00DB1234567890A1:32` },
  ];
}

describe("a group commit reduced to its net effect", () => {
  it("keeps the last change of each row, the greatest counter, audit entries in order, and a queued-and-delivered message as a delete", () => {
    const net = netChanges(everything());
    expect(net.audit.map((a) => a.requestId)).toEqual([1, 2, 3].map((n) => `${USER_A}:00DB1234567890A1:${n}`));
    expect([...net.counters]).toEqual([[USER_A, 3n], [USER_B, 2n ** 63n + 7n]]);
    expect(net.devices.get(device(1).deviceId)).toEqual(device(1));
    expect(net.deviceLogs.get("00DB1234567890C1")).toEqual({ entries: [], extendedPanId: "0123456789ABCDEF" });
    expect([...net.outbox.keys()]).toEqual([12, 10, 11, 13]); // the order first queued
    expect(typeof net.outbox.get(13)).toBe("symbol");
    expect(typeof net.quarantine.get(7)).toBe("symbol");
    expect(net.registration?.value).toHaveLength(1);
  });
});

/** What load() gives back after everything() and a second commit. */
async function expectRestored(store: SqlGatewayStore): Promise<void> {
  const snapshot = await store.load();
  expect(snapshot.recentAudit).toEqual([1, 2, 3, 4].map((n) => audit(n)).concat([audit(5, "rejected")]));
  expect(snapshot.counters.map((c) => [c.originator, c.counter]).sort()).toEqual([[USER_A, 4n], [USER_B, 2n ** 63n + 7n]]);
  expect([...snapshot.devices].sort((a, b) => a.deviceId.localeCompare(b.deviceId))).toEqual([device(1), device(2, "withdrawn")]);
  expect([...snapshot.deviceLogs].sort((a, b) => a.chfId.localeCompare(b.chfId))).toEqual([
    { chfId: "00DB1234567890C1", entries: [], extendedPanId: "0123456789ABCDEF" },
    { chfId: "00DB1234567890C2", entries: [{ deviceId: "00DB123456780002", type: "GSME", linkKey: "00112233445566778899AABBCCDDEEFF" }] },
  ]);
  expect(snapshot.parties).toEqual([{ partyId: "DCC0001", name: "Supplier A" }, { partyId: "DCC0002", name: "Supplier B" }]);
  expect(snapshot.users).toEqual([user(USER_A), user(USER_B)]);
  expect(snapshot.appointments).toEqual([{ mpxn: "1300000001", fuel: "electricity", role: "IS", partyId: "DCC0001", effectiveFrom: "2020-01-01", effectiveTo: null }]);
  expect(snapshot.thresholds).toEqual([{ windowMs: 60_000, limit: 10 }]);
  expect(snapshot.quarantine).toEqual([held(8)]);
  expect(snapshot.outbox).toEqual([message(10), message(11, USER_B), { ...message(12), attempts: 1, lastError: "HTTP 503" }]);
  expect([...snapshot.endpoints].sort((a, b) => a.userId.localeCompare(b.userId))).toEqual([{ userId: USER_A, url: "http://a/" }]);
  expect(snapshot.schedules).toEqual([schedule(22, "2026-11-26T12:00:00.000Z")]);
  expect(snapshot.commands).toEqual([command(31)]);
}

/** A second commit: one row per table (the VALUES statements) and deletes. */
const second: Change[] = [
  { kind: "audit", entry: audit(4) },
  { kind: "audit", entry: audit(5, "rejected") },
  { kind: "counter", originator: USER_A, counter: 4n },
  { kind: "device", record: device(2, "withdrawn") },
  { kind: "endpoint", userId: USER_B, url: null },
  { kind: "unscheduled", id: 21 },
  { kind: "schedule", schedule: schedule(22, "2026-11-26T12:00:00.000Z") },
];

describe("group commits on the embedded store", () => {
  it("restores after a restart everything written in one batch, in order", async () => {
    const dir = tempDir("group-commit");
    try {
      const first = await SqlGatewayStore.open(await openEmbedded({ dataDir: dir }));
      await first.write(everything());
      await first.write(second);
      await first.close();
      const again = await SqlGatewayStore.open(await openEmbedded({ dataDir: dir }));
      await expectRestored(again);
      await again.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("writes a commit as one batch: one call, whatever the number of requests in it", async () => {
    const db = await openEmbedded({ memory: true });
    const batches: number[] = [];
    const counting: Database = { ...db, batch: (statements) => (batches.push(statements.length), db.batch(statements)) };
    const store = await SqlGatewayStore.open(counting);
    const requests = (from: number): Change[] => Array.from({ length: 50 }, (_, i): Change[] => [
      { kind: "audit", entry: audit(from + i) }, { kind: "counter", originator: USER_A, counter: BigInt(from + i) },
    ]).flat();
    await store.write(requests(1));
    await store.write([...[100, 101, 102].map((id): Change => ({ kind: "outbox", message: message(id) })), { kind: "delivered", id: 100 }]);
    // 50 audit rows: one statement; 50 counters of one originator: one row; three messages: one insert, one delete.
    expect(batches).toEqual([2, 2]);
    const audited = await db.query<{ request_id: string }>("SELECT request_id FROM gateway_audit ORDER BY id");
    expect(audited.map((row) => Number(row.request_id.split(":")[2]))).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    expect(await db.query("SELECT id FROM gateway_outbox ORDER BY seq")).toEqual([{ id: 101n }, { id: 102n }]);
    await store.close();
  });
});

describeWithServer("group commits on a PostgreSQL server", () => {
  let server: PostgresServer;
  let db: Database;

  beforeAll(async () => {
    server = await startPostgresServer();
    db = await openPostgres(server.url);
  }, 60_000);

  afterAll(async () => {
    await db?.close();
    await server?.stop();
  });

  it("restores everything written in one batch, in order, and feeds it to the other instances", async () => {
    const writer = await SqlGatewayStore.open(db, { shared: { instanceId: "a" } });
    const reader = await SqlGatewayStore.open(await openPostgres(server.url), { shared: { instanceId: "b" } });
    const cursor = (await reader.shared!.readFeed(null)).cursor;
    await writer.write(everything());
    await writer.write(second);
    await expectRestored(reader);
    const { changes } = await reader.shared!.readFeed(cursor);
    expect(changes.filter((c) => c.kind === "outbox").map((c) => (c as { message: OutboxMessage }).message.id)).toEqual([12, 10, 11, 12, 13]);
    expect(changes.find((c) => c.kind === "user")).toEqual({ kind: "user", user: user(USER_B) });
    await reader.close();
  });
});
