// Kept device commands in the SQL store (migration gateway-005-kept-commands): written and loaded
// on both adapters; on a server shared by several gateway instances, a due future-dated command is
// sent by exactly one of them (FOR UPDATE SKIP LOCKED) and a release succeeds once.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Change, KeptCommand } from "@opendcc/core";
import { SqlGatewayStore } from "../src/gateway-store.js";
import { openEmbedded } from "../src/embedded.js";
import { openPostgres } from "../src/postgres.js";
import { startPostgresServer, type PostgresServer } from "../src/testing/postgres-server.js";
import { describeWithServer } from "./support/server.js";

const held = (counter: number, dueAt: string): KeptCommand => ({
  state: "future-dated", requestId: `90B3D51F30010000:00DB1234567890A1:${counter}`, srv: "4.1.1", deviceId: "00DB1234567890A1", effect: null,
  userId: "90B3D51F30010000", serviceReference: "4.1", dueAt, command: "DD00",
});
const awaiting: KeptCommand = {
  state: "awaiting-signature", requestId: "90B3D51F30010000:00DB1234567890A1:5", srv: "7.3", deviceId: "00DB1234567890A1", preCommand: "DF09", effect: { kind: "commission", deviceId: "00DB1234567890A1" },
};

describe("kept commands on the embedded store", () => {
  it("are written, loaded back whole, and released", async () => {
    const store = await SqlGatewayStore.open(await openEmbedded({ memory: true }));
    await store.write([{ kind: "command", command: awaiting }, { kind: "command", command: held(1, "2026-11-23T12:00:00.000Z") }]);
    expect((await store.load()).commands).toEqual([awaiting, held(1, "2026-11-23T12:00:00.000Z")]); // by key
    await store.write([{ kind: "commandReleased", key: `awaiting-signature/${awaiting.requestId}` }]);
    expect((await store.load()).commands).toEqual([held(1, "2026-11-23T12:00:00.000Z")]);
    await store.close();
  });
});

describeWithServer("kept commands shared by instances on a server", () => {
  let server: PostgresServer;
  let stores: SqlGatewayStore[];

  beforeAll(async () => {
    server = await startPostgresServer();
    stores = await Promise.all(["a", "b", "c"].map(async (instanceId) => SqlGatewayStore.open(await openPostgres(server.url, { max: 3 }), { shared: { instanceId } })));
  }, 60_000);

  afterAll(async () => {
    await Promise.all(stores.map((s) => s.close()));
    await server?.stop();
  });

  it("sends each due future-dated command exactly once over three instances, and only the due ones", async () => {
    await stores[0]!.write([
      ...[1, 2, 3, 4, 5].map((n): Change => ({ kind: "command", command: held(100 + n, "2026-11-23T12:00:00.000Z") })),
      { kind: "command", command: held(200, "2026-11-24T12:00:00.000Z") },
    ]);
    const sent: string[] = [];
    const run = async (command: { requestId: string }) => {
      sent.push(command.requestId);
      await new Promise((resolve) => setTimeout(resolve, 20)); // a slow WAN: the others meet locked rows
      return [];
    };
    const at = new Date("2026-11-23T12:00:01Z");
    const written = await Promise.all(stores.map((s) => s.shared!.runDueCommands(at, run)));
    expect(sent.sort()).toEqual([101, 102, 103, 104, 105].map((n) => `90B3D51F30010000:00DB1234567890A1:${n}`));
    expect(written.flat().filter((c) => c.kind === "commandReleased")).toHaveLength(5);
    expect(await Promise.all(stores.map((s) => s.shared!.runDueCommands(at, run)))).toEqual([[], [], []]);
    expect((await stores[1]!.load()).commands.map((c) => c.requestId)).toEqual(["90B3D51F30010000:00DB1234567890A1:200"]);
  });

  it("releases a kept command for one caller only, and tells the other instances through the feed", async () => {
    const cursor = (await stores[2]!.shared!.readFeed(null)).cursor;
    await stores[0]!.write([{ kind: "command", command: awaiting }]);
    const key = `awaiting-signature/${awaiting.requestId}`;
    const results = await Promise.all(stores.map((s) => s.shared!.releaseCommand(key)));
    expect(results.filter(Boolean)).toHaveLength(1);
    const { changes } = await stores[2]!.shared!.readFeed(cursor);
    expect(changes).toContainEqual({ kind: "command", command: awaiting });
    expect(changes.filter((c) => c.kind === "commandReleased")).toEqual(results[2] ? [] : [{ kind: "commandReleased", key }]);
  });
});
