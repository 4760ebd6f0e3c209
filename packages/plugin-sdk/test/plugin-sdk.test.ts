// The plugin lifecycle through the SDK's harness: setup, events, routes, jobs, teardown, and a
// failing plugin that cannot take the host down.
import { describe, expect, it } from "vitest";
import { definePlugin } from "../src/index.js";
import { startPluginForTest } from "../src/testing.js";

const accepted = { requestId: "90B3D51F30010000:00DB1234567890A0:1", srv: "4.1.1", userId: "90B3D51F30010000", responseCode: "I99" };

describe("plugin SDK", () => {
  it("runs setup, delivers events, serves routes under /plugins/<name> and tears down", async () => {
    const seen: string[] = [];
    let tornDown = false;
    const host = await startPluginForTest(definePlugin({
      name: "counter",
      setup(ctx) {
        ctx.on("request.accepted", (event) => void seen.push(event.srv));
      },
      routes(router) {
        router.get("/seen", (c) => c.json(seen));
      },
      teardown() {
        tornDown = true;
      },
    }));
    expect(host.status).toEqual([{ name: "counter", state: "running", error: null, handlerErrors: 0 }]);
    host.emit("request.accepted", accepted);
    host.emit("request.accepted", { ...accepted, srv: "8.2" });
    const response = await host.request("/seen");
    expect(await response.json()).toEqual(["4.1.1", "8.2"]);
    await host.stop();
    expect(tornDown).toBe(true);
    host.emit("request.accepted", accepted);
    expect(seen).toHaveLength(2);
  });

  it("disables a plugin whose setup throws, and counts handler and job errors without propagating them", async () => {
    const broken = await startPluginForTest(definePlugin({ name: "broken", setup() { throw new Error("no database"); } }));
    expect(broken.status[0]).toMatchObject({ state: "failed", error: "no database" });
    expect(broken.log.join("\n")).toMatch(/setup failed, plugin disabled: no database/);

    let jobRuns = 0;
    const flaky = await startPluginForTest(definePlugin({
      name: "flaky",
      setup(ctx) {
        ctx.on("request.accepted", () => { throw new Error("handler bug"); });
        ctx.on("request.rejected", async () => { throw new Error("async handler bug"); });
        ctx.addJob({ name: "tick", everyMs: 10, run: () => { jobRuns++; throw new Error("job bug"); } });
      },
    }));
    expect(() => flaky.emit("request.accepted", accepted)).not.toThrow();
    flaky.emit("request.rejected", { requestId: null, srv: null, responseCode: "E43", reason: "bad" });
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(jobRuns).toBeGreaterThan(0);
    expect(flaky.log.some((line) => /request.accepted handler failed: handler bug/.test(line))).toBe(true);
    expect(flaky.log.some((line) => /async handler bug/.test(line))).toBe(true);
    expect(flaky.log.some((line) => /job tick failed: job bug/.test(line))).toBe(true);
    await flaky.stop();
  });

  it("applies the plugin's migrations through the given migrate before setup, and reports a failed one", async () => {
    const calls: string[] = [];
    const plugin = definePlugin({ name: "ledger", migrations: [{ id: "001", sql: "CREATE TABLE ledger_rows (id int)" }], setup: () => void calls.push("setup") });
    const host = await startPluginForTest(plugin, { migrate: async (name, migrations) => void calls.push(`${name}:${migrations.map((m) => m.id).join(",")}`) });
    expect(calls).toEqual(["ledger:001", "setup"]);
    expect(host.status[0]?.state).toBe("running");
    const failing = await startPluginForTest(plugin, { migrate: async () => Promise.reject(new Error("relation exists")) });
    expect(failing.status[0]).toMatchObject({ state: "failed", error: "relation exists" });
    // Without a migrate (no store), the host says the migrations were not applied and runs the plugin.
    const bare = await startPluginForTest(plugin);
    expect(bare.log).toContain("plugin ledger: no store, its 1 migration(s) are not applied");
    await Promise.all([host.stop(), failing.stop(), bare.stop()]);
  });

  it("refuses names that cannot be a route segment", () => {
    expect(() => definePlugin({ name: "Bad Name" })).toThrow(/lowercase/);
  });
});
