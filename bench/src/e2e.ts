// `opendcc bench e2e`: the whole path under load (issue point 7). A gateway process (gateway-process.ts:
// the DCC with the embedded store in memory, or none, and the devices plugin as its transport, over
// a provisioned fleet) is driven over HTTP by supplier users, one connection each, with a mix of
// signed DUIS Service Requests (load.ts): DUIS over HTTP -> checks -> transform -> (critical: the
// Pre-Command round trip) -> ACB MAC -> emulated device -> response -> DUIS response pushed to the
// users' endpoint (receiver.ts). Reports Service Requests per second (acknowledged and their
// device response delivered), latency percentiles to the acknowledgement and to the delivery,
// errors, the gateway's CPU per request, and where its time goes (a CPU profile of the measured
// window). Writes bench/results/e2e.json. Needs the bench built (bench/dist).
import { fork, type ChildProcess } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { cpus } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { DuisClient } from "./e2e/client.js";
import type { E2eStore } from "./e2e/gateway.js";
import type { GatewayCommand, GatewayReport } from "./e2e/gateway-process.js";
import { Connection, type Outcome } from "./e2e/load.js";
import { summariseProfile, type ProfileSummary } from "./e2e/profile.js";
import { Receiver } from "./e2e/receiver.js";
import { makeSupplierUsers } from "./e2e/users.js";
import { resultsDir, type Row } from "./report.js";

const gatewayEntry = resolve(dirname(fileURLToPath(import.meta.url)), "../dist/e2e/gateway-process.js");

export interface E2eOptions {
  readonly seconds: number;
  /** Premises in the fleet (inventory, registration data, emulator). */
  readonly premises: number;
  readonly connections: number;
  /** Premises the load is spread over (their meters' keys are made and each meter read once before the run); default min(premises, 500). */
  readonly activePremises?: number;
  readonly store?: E2eStore;
  readonly profile?: boolean;
  /** Requests signed ahead per connection per second of run (more are signed during the run if needed). */
  readonly presignRate?: number;
  readonly progress?: (line: string) => void;
}

export interface E2eResult {
  /** Service Requests acknowledged and their device response delivered, per second. */
  readonly requestsPerSecond: number;
  /** Request sent -> device response delivered (critical: from Command Variant 4). */
  readonly p50Ms: number;
  readonly p99Ms: number;
  /** Request sent -> synchronous answer (critical: the Signed Pre-Command's I99). */
  readonly ackP50Ms: number;
  readonly ackP99Ms: number;
  readonly acknowledgedPerSecond: number;
  readonly errors: number;
  readonly errorsByKind: Record<string, number>;
  readonly srvMix: Record<string, number>;
  readonly premises: number;
  readonly activePremises: number;
  readonly connections: number;
  readonly cores: number;
  readonly seconds: number;
  readonly store: string;
  readonly requests: number;
  readonly alerts: number;
  readonly gateway: { readonly cpuMsPerRequest: number; readonly eventLoopUtilization: number; readonly rssMB: number; readonly loadSeconds: number; readonly warmSeconds: number };
  readonly loadGenerator: { readonly cpuMsPerRequest: number; readonly presigned: number; readonly signedLive: number };
  readonly byOperation: Record<string, { readonly requests: number; readonly p50Ms: number; readonly p99Ms: number; readonly ackP50Ms: number }>;
}

const percentile = (values: readonly number[], p: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return round(sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0);
};
const round = (n: number, digits = 2) => Math.round(n * 10 ** digits) / 10 ** digits;

class GatewayProcess {
  private readonly reports: GatewayReport[] = [];
  private waiting: (() => void) | null = null;
  private stderr = "";

  private constructor(readonly child: ChildProcess) {
    child.on("message", (report: GatewayReport) => {
      this.reports.push(report);
      this.waiting?.();
    });
    child.stderr?.on("data", (chunk: Buffer) => (this.stderr = (this.stderr + chunk.toString()).slice(-4000)));
    child.on("exit", () => this.waiting?.());
  }

  static start(): GatewayProcess {
    return new GatewayProcess(fork(gatewayEntry, [], { stdio: ["ignore", "ignore", "pipe", "ipc"] }));
  }

  send(command: GatewayCommand): void {
    this.child.send(command);
  }

  async next<K extends GatewayReport["kind"]>(kind: K): Promise<Extract<GatewayReport, { kind: K }>> {
    for (;;) {
      const report = this.reports.shift();
      if (report?.kind === "failed") throw new Error(`the gateway process failed: ${report.error}`);
      if (report?.kind === kind) return report as Extract<GatewayReport, { kind: K }>;
      if (report) continue;
      if (this.child.exitCode !== null) throw new Error(`the gateway process exited (${this.child.exitCode}): ${this.stderr}`);
      await new Promise<void>((resolve) => (this.waiting = resolve));
    }
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = new Promise<void>((resolve) => this.child.once("exit", () => resolve()));
    this.send({ kind: "stop" });
    const timer = setTimeout(() => this.child.kill("SIGKILL"), 10_000);
    await exited;
    clearTimeout(timer);
  }
}

async function put(url: string, body: unknown): Promise<void> {
  const response = await fetch(url, { method: "PUT", body: JSON.stringify(body), headers: { "content-type": "application/json" } });
  if (!response.ok) throw new Error(`PUT ${url}: HTTP ${response.status} ${await response.text()}`);
}

export async function runE2eBench(options: E2eOptions): Promise<{ result: E2eResult; profile: ProfileSummary | null }> {
  const say = options.progress ?? (() => {});
  const store = options.store ?? "embedded";
  const activePremises = Math.min(options.premises, options.activePremises ?? 500);
  if (activePremises < options.connections) throw new Error(`${options.connections} connections need at least as many premises (got ${activePremises})`);
  const warmUpSeconds = Math.min(2, Math.max(0.5, options.seconds / 5));

  say(`making ${options.connections} supplier users' keys`);
  const users = await makeSupplierUsers(options.connections);
  const gateway = GatewayProcess.start();
  const receiver = new Receiver();
  try {
    say(`starting the gateway: ${options.premises} premises, store ${store}, keys for ${activePremises} premises' meters`);
    gateway.send({ kind: "start", premises: options.premises, activePremises, users: users.map((u) => u.certificates), store });
    const started = await gateway.next("started");
    const receiveAt = await receiver.listen();
    for (const user of users) await put(`${started.url}/admin/v1/users/${user.userId}/endpoint`, { url: `${receiveAt}${user.userId}` });

    const connections = users.map((user, c) => {
      const premises: number[] = [];
      for (let p = c; p < activePremises; p += options.connections) premises.push(p);
      return new Connection(c, new DuisClient(started.url, user), premises);
    });
    say(`reading each of the ${activePremises * 2} active meters once`);
    await Promise.all(connections.map((c) => c.prime(receiver)));
    const presign = Math.ceil(((options.presignRate ?? 1500) * (options.seconds + warmUpSeconds)) / options.connections);
    say(`signing ${presign * connections.length} requests ahead`);
    for (const connection of connections) await connection.prepare(presign);

    say(`warming up for ${warmUpSeconds} s`);
    await Promise.all(connections.map((c) => c.run(performance.now() + warmUpSeconds * 1000, receiver, 8)));
    const warmed = connections.map((c) => c.outcomes.length);

    say(`measuring for ${options.seconds} s`);
    gateway.send({ kind: "measure", profile: options.profile ?? false });
    const clientCpu = process.cpuUsage();
    const start = performance.now();
    await Promise.all(connections.map((c) => c.run(start + options.seconds * 1000, receiver, 8)));
    const end = performance.now();
    gateway.send({ kind: "measured" });
    const measured = await gateway.next("measured");
    const clientCpuUsed = process.cpuUsage(clientCpu);
    const outcomes: Outcome[] = connections.flatMap((c, i) => c.outcomes.slice(warmed[i]));
    // The device responses still on their way get a grace period.
    await Promise.all(outcomes.filter((o) => o.code === "I99").map((o) => receiver.waitFor(o.key, 10_000)));

    const errorsByKind: Record<string, number> = {};
    const error = (kind: string) => (errorsByKind[kind] = (errorsByKind[kind] ?? 0) + 1);
    const delivered: { outcome: Outcome; ms: number; at: number }[] = [];
    for (const outcome of outcomes) {
      if (outcome.code !== "I99") {
        error(`answer ${outcome.code}`);
        continue;
      }
      const delivery = receiver.delivered.get(outcome.key);
      if (!delivery) error("device response not delivered within 10 s");
      else if (delivery.code !== "I0") error(`delivered ${delivery.code}`);
      else delivered.push({ outcome, ms: delivery.at - outcome.startedAt, at: delivery.at });
    }
    const acknowledged = outcomes.filter((o) => o.code === "I99");
    const srvMix: Record<string, number> = {};
    const byOperation: E2eResult["byOperation"] = {};
    for (const name of new Set(outcomes.map((o) => o.operation))) {
      const ours = delivered.filter((d) => d.outcome.operation === name);
      srvMix[name] = outcomes.filter((o) => o.operation === name).length;
      byOperation[name] = {
        requests: ours.length, p50Ms: percentile(ours.map((d) => d.ms), 50), p99Ms: percentile(ours.map((d) => d.ms), 99),
        ackP50Ms: percentile(ours.map((d) => d.outcome.ackMs), 50),
      };
    }
    const count = Math.max(1, delivered.length);
    const result: E2eResult = {
      // Completed in the window: acknowledged and the device response delivered before it closed.
      requestsPerSecond: Math.round(delivered.filter((d) => d.at <= end).length / ((end - start) / 1000)),
      p50Ms: percentile(delivered.map((d) => d.ms), 50),
      p99Ms: percentile(delivered.map((d) => d.ms), 99),
      ackP50Ms: percentile(acknowledged.map((o) => o.ackMs), 50),
      ackP99Ms: percentile(acknowledged.map((o) => o.ackMs), 99),
      acknowledgedPerSecond: Math.round(acknowledged.length / ((end - start) / 1000)),
      errors: Object.values(errorsByKind).reduce((a, b) => a + b, 0),
      errorsByKind, srvMix,
      premises: options.premises, activePremises, connections: options.connections, cores: cpus().length,
      seconds: round((end - start) / 1000), store: store === "embedded" ? "embedded PostgreSQL (PGlite), in memory" : "none (in-memory indexes only)",
      requests: outcomes.length, alerts: receiver.alerts,
      gateway: {
        cpuMsPerRequest: round(measured.cpuMs / count, 3), eventLoopUtilization: round(measured.eventLoopUtilization, 3), rssMB: Math.round(measured.rssMB),
        loadSeconds: round(started.loadSeconds), warmSeconds: round(started.warmSeconds),
      },
      loadGenerator: {
        cpuMsPerRequest: round((clientCpuUsed.user + clientCpuUsed.system) / 1000 / count, 3),
        presigned: presign * connections.length, signedLive: connections.reduce((n, c) => n + c.signedLive, 0),
      },
      byOperation,
    };
    return { result, profile: measured.profile ? summariseProfile(measured.profile) : null };
  } finally {
    await gateway.stop();
    await receiver.close();
  }
}

/** Writes bench/results/e2e.json: the result, the profile and the machine. */
export function writeE2eResult(result: E2eResult, profile: ProfileSummary | null): string {
  mkdirSync(resultsDir, { recursive: true });
  const file = join(resultsDir, "e2e.json");
  writeFileSync(file, `${JSON.stringify({
    suite: "e2e", date: new Date().toISOString(), node: process.version, cpu: cpus()[0]?.model ?? "unknown", cores: cpus().length,
    load: "one supplier user per connection, requests in counter order, at most 8 awaiting their device response; XML-signed ahead; load generator and gateway process on the same machine",
    result, profileOfTheGateway: profile,
  }, null, 2)}\n`);
  return file;
}

/**
 * As a suite of runBenchmarks (a table row; its file is then the rows only). `opendcc bench e2e`
 * runs runE2eBench with its own options and writes the full result with writeE2eResult.
 */
export async function e2eSuite(options: { time: number }): Promise<Row[]> {
  const { result } = await runE2eBench({ seconds: Math.max(2, options.time / 50), premises: 10_000, connections: 32 });
  return [{
    group: "signed DUIS over HTTP to emulated devices and back", size: null, option: `p99 ${result.p99Ms} ms, ${result.errors} errors`,
    perSecond: result.requestsPerSecond, ratioToBaseline: null, baseline: null, medianMicroseconds: result.p50Ms * 1000, samples: result.requests,
  }];
}
