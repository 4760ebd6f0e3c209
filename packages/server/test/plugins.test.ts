// Plugins started beside a DCC (startPlugins, as `opendcc start` does): their migrations are applied
// by the store once, before their setup, with ids prefixed by the plugin's name; a failed migration
// disables the plugin; a devices plugin's transport carries the DCC's commands (design step 6).
import { describe, expect, it } from "vitest";
import type { Hono } from "hono";
import type { PluginDefinition } from "@opendcc/core";
import type { Database } from "@opendcc/store";
import { SqlGatewayStore } from "@opendcc/store";
import { openEmbedded } from "@opendcc/store/embedded";
import { startPlugins } from "../src/index.js";
import { requestXml, signAs, startTestGateway } from "./support.js";
import { DevicesOnTheWan, TestWanKeys } from "./wan.js";

const GSME = "00DB1234567890A1";
const CHF = "00DB1234567890A2";

async function gatewayOnEmbedded(options: { keys?: TestWanKeys } = {}): Promise<{ db: Database; gateway: Awaited<ReturnType<typeof startTestGateway>> }> {
  const db = await openEmbedded({ memory: true });
  const gateway = await startTestGateway({ store: await SqlGatewayStore.open(db), ...(options.keys ? { commandKeys: options.keys.commandKeys() } : {}) });
  return { db, gateway };
}

describe("plugin migrations", () => {
  it("are applied once by the store, before setup, recorded as plugin/<name>/<id>", async () => {
    const { db, gateway } = await gatewayOnEmbedded();
    const seen: string[] = [];
    const plugin = (): PluginDefinition<Hono> => ({
      name: "tally",
      migrations: [{ id: "001-things", sql: "CREATE TABLE tally_things (id int PRIMARY KEY)" }, { id: "002-more", sql: "ALTER TABLE tally_things ADD COLUMN label text" }],
      // Setup runs after the migrations committed (the table exists when it starts).
      setup: async () => void seen.push("setup"),
    });
    const host = await startPlugins(gateway.dcc, [plugin()], { log: (line) => seen.push(line) });
    expect(host.status()).toEqual([{ name: "tally", state: "running", error: null, handlerErrors: 0 }]);
    expect(seen).toEqual(["setup"]);
    expect(await db.query("SELECT id FROM schema_migrations WHERE id LIKE 'plugin/%' ORDER BY id")).toEqual([{ id: "plugin/tally/001-things" }, { id: "plugin/tally/002-more" }]);
    await db.query("INSERT INTO tally_things (id, label) VALUES (1, 'one')");
    // A second start (a restart) applies nothing again: CREATE TABLE would fail if it did.
    await host.stop();
    const again = await startPlugins(gateway.dcc, [plugin()]);
    expect(again.status()[0]?.state).toBe("running");
    expect(await db.query("SELECT label FROM tally_things")).toEqual([{ label: "one" }]);
    await again.stop();
  });

  it("disable the plugin when one fails, naming it; its setup never runs", async () => {
    const { gateway } = await gatewayOnEmbedded();
    let setUp = false;
    const host = await startPlugins(gateway.dcc, [{
      name: "broken", migrations: [{ id: "001", sql: "CREATE TABLE broken_x (" }], setup: () => void (setUp = true),
    }], { log: () => undefined });
    expect(host.status()[0]).toMatchObject({ name: "broken", state: "failed", error: expect.stringMatching(/migration "plugin\/broken\/001" failed/) });
    expect(setUp).toBe(false);
  });
});

describe("a devices plugin's transport", () => {
  it("carries the DCC's commands once the plugins are started", async () => {
    const keys = await TestWanKeys.create([GSME]);
    const { gateway } = await gatewayOnEmbedded({ keys });
    await gateway.admin("POST", "/inventory/devices", [{ deviceId: CHF, type: "CHF", status: "commissioned" }, { deviceId: GSME, type: "GSME", status: "commissioned", mpxn: "1234567890", chfId: CHF }]);
    await gateway.admin("PUT", "/registration", "mpxn,fuel,role,partyId,effectiveFrom,effectiveTo\n1234567890,gas,GS,SUPPLIER-A,2020-01-01,\n", "text/csv");
    const read = async (counter: number) => gateway.send("serviceS", await signAs(gateway, "90B3D51F30030000", requestXml({
      counter, cv: 1, srv: "4.1.1", sr: "4.1", element: "ReadInstantaneousImportRegisters", target: GSME, originator: "90B3D51F30030000",
    })));
    expect((await read(100)).code).toBe("E45"); // no transport yet
    const wan = new DevicesOnTheWan(keys);
    const host = await startPlugins(gateway.dcc, [{ name: "devices", deviceTransport: wan }]);
    expect((await read(101)).code).toBe("I99");
    expect(wan.received.map((m) => m.deviceId)).toEqual([GSME]);
    await host.stop();
  });
});
