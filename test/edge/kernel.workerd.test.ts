// The kernel's loader on an edge runtime: bundled with its WASM as a compiled module (no
// filesystem), run in the real workerd, it answers exactly as it does in Node.
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { probeKernel } from "./kernel-probe.js";
import { startWorker, type RunningWorker } from "./workerd.js";

describe("kernel in workerd", () => {
  let worker: RunningWorker;
  beforeAll(async () => {
    worker = await startWorker(fileURLToPath(new URL("./kernel-worker.ts", import.meta.url)));
  }, 30_000);
  afterAll(() => worker?.stop());

  it("gives the same answers as in Node", async () => {
    const response = await fetch(worker.url);
    expect(response.status).toBe(200);
    const edge = (await response.json()) as Record<string, unknown>;
    const node = await probeKernel();
    // ECDSA is randomised, so signatures are compared by their verification only; a fresh
    // sealed block and frame are deterministic.
    expect(edge).toEqual(node);
    expect(edge.macVerifies).toBe(true);
    expect(edge.signatureVerifies).toBe(true);
    expect(edge.opened).toBe("half-hourly profile");
  });
});
