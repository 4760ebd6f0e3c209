// The fleet and load commands from the built CLI and bench (run after the build, as `pnpm test`
// does): `opendcc fleet provision` prints its summary and a snapshot that loads; a 2-second
// `bench e2e` run (through runE2eBench, so that bench/results/e2e.json is left alone) drives the
// whole path without errors; bad options are usage errors (exit 2).
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const cli = join(root, "packages/cli/dist/main.js");
const bench = join(root, "bench/dist/index.js");
const built = existsSync(cli) && existsSync(join(root, "bench/dist/e2e/gateway-process.js"));
const opendcc = (...args: string[]) => spawnSync(process.execPath, [cli, ...args], { encoding: "utf8", timeout: 60_000 });

describe.skipIf(!built)("fleet and bench e2e from the CLI (needs the build)", () => {
  it("fleet provision --premises 2000 --snapshot FILE: counts, seconds, bytes per premises, a snapshot that loads", () => {
    const dir = mkdtempSync(join(tmpdir(), "opendcc-fleet-"));
    try {
      const snapshot = join(dir, "fleet.msgpack");
      const run = opendcc("fleet", "provision", "--premises", "2000", "--snapshot", snapshot);
      expect(run.status).toBe(0);
      const summary = JSON.parse(run.stdout) as Record<string, unknown> & { bytesPerPremises: Record<string, number>; snapshot: { bytes: number } };
      expect(summary).toMatchObject({ ok: true, premises: 2000, devices: 10_000, inventoryRecords: 10_000, appointments: 8000, prepaymentPremises: 200 });
      expect(summary.bytesPerPremises.devices).toBeGreaterThan(0);
      expect(summary.bytesPerPremises.devices).toBeLessThan(2000);
      expect(statSync(snapshot).size).toBe(summary.snapshot.bytes);
      expect(run.stderr).toContain("devices: premises 2,000/2,000 (100%)");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("usage errors exit 2 with one line", () => {
    for (const args of [["fleet", "provision"], ["fleet", "provision", "--premises", "0"], ["fleet", "list"], ["bench", "e2e", "--seconds", "0"], ["bench", "e2e", "--store", "postgres://x"], ["bench", "e2e", "--premises", "3", "--connections", "8"]]) {
      const run = opendcc(...args);
      expect([run.status, run.stderr.trim().split("\n").length]).toEqual([2, 1]);
      expect(run.stderr).toMatch(/^opendcc: /);
    }
  });

  it("bench e2e for 2 seconds: every Service Request acknowledged and its device response delivered", async () => {
    const { runE2eBench } = (await import(bench)) as typeof import("../../bench/src/index.js");
    const { result } = await runE2eBench({ seconds: 2, premises: 40, connections: 4, store: "memory", presignRate: 150 });
    expect(result.errors).toBe(0);
    expect(result.requestsPerSecond).toBeGreaterThan(10);
    expect(Object.keys(result.srvMix)).toEqual(expect.arrayContaining(["4.1.1 ESME (ECS17b)", "4.1.1 GSME (GCS13a)", "7.1/7.2/7.3 supply (ECS42/43/44)", "1.1.1 tariff (ECS01a)", "2.2 top-up (CS01a)"]));
    // A top-up whose UTRN a meter refused would raise an alert (0x8F63 or 0x8F51).
    expect(result.alerts).toBe(0);
    expect(result.p99Ms).toBeGreaterThanOrEqual(result.p50Ms);
    expect(result.gateway.cpuMsPerRequest).toBeGreaterThan(0);
  });
});
