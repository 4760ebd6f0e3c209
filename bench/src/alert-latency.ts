// Alert latency (issue 5 point 2): alerts reach the user within 60 s of their notification at the
// Communications Hub Function (seed 003 paragraph 129; business-rules DEM-01). A gateway with the
// devices plugin (e2e/gateway.ts: the real DCC, a prepayment fleet, Supplier A's user) runs in this
// process; the user's endpoint (a push receiver) takes the signed DUIS DeviceAlertMessages. Meters
// are made to raise Low Credit (0x810D, Table 5.4 A10) by a state change on the device, their
// credit falling below the low-credit threshold: first a burst across the fleet at once, then a
// steady rate. Measured per alert: the device's state change that raises it -> the alert pushed to
// the endpoint (originator and alert code from the GBCS payload). Writes bench/results/alert-latency.json.
//
//   node bench/dist/alert-latency.js [--burst 1000] [--rate 50] [--seconds 20] [--store embedded|memory] [--wan-latency 0]
import type { Server } from "node:http";
import { mkdirSync, writeFileSync } from "node:fs";
import { cpus } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { headerOf } from "@opendcc/gbcs";
import { parseFrame } from "@opendcc/kernel";
import type { DeviceEmulator } from "@opendcc/plugin-devices";
import { premisesDevices, startE2eGateway, type E2eStore } from "./e2e/gateway.js";
import { listenForPushes } from "./e2e/receiver.js";
import { makeSupplierUsers } from "./e2e/users.js";
import { resultsDir } from "./report.js";

/** DEM-01: alerts within 60 s of notification at the CHF. */
export const ALERT_TARGET_MS = 60_000;
const LOW_CREDIT = "810D";
/** Below the emulator's default low-credit threshold (500 pence) and above disablement (0): one alert per meter. */
const LOW_BALANCE_PENCE = 100;
/** How long alerts still on their way are waited for after the last one is raised. */
const GRACE_MS = 120_000;

export interface AlertLatencyOptions {
  /** Alerts raised at once, across that many meters. */
  readonly burst: number;
  /** Alerts per second in the steady phase, and its length. */
  readonly rate: number;
  readonly seconds: number;
  readonly store: E2eStore;
  /** Mean WAN latency of every hub (the emulator spreads it ±50%). */
  readonly wanLatencyMs: number;
  readonly progress?: (line: string) => void;
}

export interface LatencySummary {
  readonly alerts: number;
  readonly delivered: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
  readonly within60s: number;
  /** From the first alert raised to the last delivered. */
  readonly drainedMs: number;
}

export interface AlertLatencyResult {
  readonly date: string;
  readonly node: string;
  readonly cpu: string;
  readonly cores: number;
  readonly options: Omit<AlertLatencyOptions, "progress">;
  readonly premises: number;
  readonly burst: LatencySummary;
  readonly steady: LatencySummary & { readonly achievedRate: number };
  readonly targetMs: number;
  readonly duplicates: number;
}

/** The user's "receive response" endpoint: notes when each device alert arrives, by originator and alert code. */
class AlertReceiver {
  readonly arrived = new Map<string, number>();
  duplicates = 0;
  private server: Server | null = null;
  private waiting: { count: number; resolve: () => void } | null = null;

  async listen(): Promise<string> {
    const pushes = await listenForPushes((xml) => this.take(xml, performance.now()));
    this.server = pushes.server;
    return pushes.url;
  }

  /** Resolves when `count` distinct alerts have arrived, or after `timeoutMs`. */
  waitFor(count: number, timeoutMs: number): Promise<void> {
    if (this.arrived.size >= count) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, timeoutMs);
      this.waiting = { count, resolve: () => (clearTimeout(timer), resolve()) };
    });
  }

  close(): Promise<void> {
    return new Promise((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private take(xml: string, at: number): void {
    const code = /<sr:AlertCode>([^<]+)</.exec(xml)?.[1];
    const payload = /<sr:GBCSPayload>([^<]+)</.exec(xml)?.[1];
    if (!code || !payload) return;
    const gbcs = Buffer.from(payload, "base64");
    const key = alertKey(headerOf(gbcs, parseFrame(gbcs)).originator, code);
    if (this.arrived.has(key)) this.duplicates++;
    else this.arrived.set(key, at);
    if (this.waiting && this.arrived.size >= this.waiting.count) {
      this.waiting.resolve();
      this.waiting = null;
    }
  }
}

const alertKey = (deviceId: string, code: string) => `${deviceId}:${code}`;

/** The meters alerts are raised on: both meters of each premises in turn (ESME: DLMS, GSME: GBZ). */
function meters(count: number, firstPremises: number): string[] {
  const ids: string[] = [];
  for (let p = firstPremises; ids.length < count; p++) {
    const { esme, gsme } = premisesDevices(p);
    ids.push(esme, gsme);
  }
  return ids.slice(0, count);
}

/**
 * The state change on the meter: its credit falls below the low-credit threshold and the meter,
 * settling its balance, raises 0x810D at once (plugins/devices estate.ts `settle`).
 */
function runLow(devices: DeviceEmulator, deviceId: string): void {
  const estate = devices.estate;
  const index = estate.indexOf(deviceId);
  if (index === null) throw new Error(`no emulated meter ${deviceId}`);
  const now = new Date();
  estate.setCredit(index, LOW_BALANCE_PENCE, now);
  estate.settle(index, now);
}

function summarise(raised: ReadonlyMap<string, number>, arrived: ReadonlyMap<string, number>): LatencySummary {
  const latencies: number[] = [];
  let first = Infinity;
  let last = 0;
  for (const [key, at] of raised) {
    first = Math.min(first, at);
    const delivered = arrived.get(key);
    if (delivered === undefined) continue;
    latencies.push(delivered - at);
    last = Math.max(last, delivered);
  }
  latencies.sort((a, b) => a - b);
  const percentile = (p: number) => round(latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))] ?? 0);
  return {
    alerts: raised.size, delivered: latencies.length, p50Ms: percentile(50), p99Ms: percentile(99), maxMs: round(latencies.at(-1) ?? 0),
    within60s: latencies.filter((ms) => ms <= ALERT_TARGET_MS).length, drainedMs: latencies.length > 0 ? round(last - first) : 0,
  };
}

const round = (n: number) => Math.round(n * 10) / 10;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function runAlertLatencyBench(options: AlertLatencyOptions): Promise<AlertLatencyResult> {
  const say = options.progress ?? (() => {});
  const steadyCount = Math.round(options.rate * options.seconds);
  const premises = Math.ceil((options.burst + steadyCount) / 2);
  const [user] = await makeSupplierUsers(1);
  if (!user) throw new Error("no user");
  say(`starting the gateway: ${premises} prepayment premises, store ${options.store}`);
  const gateway = await startE2eGateway({
    premises, users: [user.certificates], store: options.store, prepaymentEvery: 1, log: (line) => console.error(line),
  });
  const receiver = new AlertReceiver();
  try {
    const endpoint = await receiver.listen();
    const put = await fetch(`${gateway.url}/admin/v1/users/${user.userId}/endpoint`, {
      method: "PUT", body: JSON.stringify({ url: `${endpoint}${user.userId}` }), headers: { "content-type": "application/json" },
    });
    if (!put.ok) throw new Error(`setting the user's endpoint: HTTP ${put.status} ${await put.text()}`);
    say(`making the keys of ${premises * 2} meters (installed meters have theirs)`);
    await gateway.warm(premises);
    for (let p = 0; p < premises; p++) gateway.devices.setWan(premisesDevices(p).chf, "connected", options.wanLatencyMs);

    const burstMeters = meters(options.burst, 0);
    const steadyMeters = meters(steadyCount, Math.ceil(options.burst / 2));
    const burst = new Map<string, number>();
    say(`burst: ${burstMeters.length} meters run low at once`);
    for (const deviceId of burstMeters) {
      burst.set(alertKey(deviceId, LOW_CREDIT), performance.now());
      runLow(gateway.devices, deviceId);
    }
    await receiver.waitFor(burst.size, GRACE_MS);

    say(`steady: ${options.rate} a second for ${options.seconds} s`);
    const steady = new Map<string, number>();
    const start = performance.now();
    for (let n = 0; n < steadyMeters.length; n++) {
      const due = start + (n * 1000) / options.rate;
      const wait = due - performance.now();
      if (wait > 1) await sleep(wait);
      const deviceId = steadyMeters[n] as string;
      steady.set(alertKey(deviceId, LOW_CREDIT), performance.now());
      runLow(gateway.devices, deviceId);
    }
    const raisedSeconds = (performance.now() - start) / 1000;
    await receiver.waitFor(burst.size + steady.size, GRACE_MS);
    // Anything pushed twice would show here.
    await sleep(500);

    const { progress: _progress, ...given } = options;
    return {
      date: new Date().toISOString(), node: process.version, cpu: cpus()[0]?.model ?? "unknown", cores: cpus().length,
      options: given, premises,
      burst: summarise(burst, receiver.arrived),
      steady: { ...summarise(steady, receiver.arrived), achievedRate: steady.size > 0 ? round(steady.size / raisedSeconds) : 0 },
      targetMs: ALERT_TARGET_MS, duplicates: receiver.duplicates,
    };
  } finally {
    await receiver.close();
    await gateway.close();
  }
}

export function writeAlertLatencyResult(result: AlertLatencyResult): string {
  mkdirSync(resultsDir, { recursive: true });
  const path = join(resultsDir, "alert-latency.json");
  writeFileSync(path, `${JSON.stringify(result, null, 2)}\n`);
  return path;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      burst: { type: "string", default: "1000" }, rate: { type: "string", default: "50" }, seconds: { type: "string", default: "20" },
      store: { type: "string", default: "embedded" }, "wan-latency": { type: "string", default: "0" },
    },
  });
  const store = values.store;
  if (store !== "embedded" && store !== "memory") throw new Error(`--store must be embedded or memory, not ${store}`);
  const number = (name: string, text: string) => {
    const n = Number(text);
    if (!Number.isFinite(n) || n < 0) throw new Error(`--${name} must be a number of at least 0, not ${text}`);
    return n;
  };
  const result = await runAlertLatencyBench({
    burst: number("burst", values.burst), rate: number("rate", values.rate), seconds: number("seconds", values.seconds), store,
    wanLatencyMs: number("wan-latency", values["wan-latency"]), progress: (line) => console.error(line),
  });
  const path = writeAlertLatencyResult(result);
  console.log(JSON.stringify(result));
  console.error(`written to ${path}`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().then(() => process.exit(0), (error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
