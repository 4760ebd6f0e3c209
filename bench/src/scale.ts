// `opendcc bench scale`: 1, 2 and 4 gateway processes (`opendcc start`, the Node entry) on one
// PostgreSQL server, loaded over HTTP with signed non-device Service Requests (12.2 Device
// Pre-notification: each one writes a device record, an audit entry and a feed row) by 32 users, each user one client sending its requests in counter order, round
// robin over the instances. Reports requests/s and latency percentiles per instance count
// (bench/results/scale.json and, with the profile, scale-instances.json), and where one
// instance's CPU time goes (--cpu-prof).
// Needs the CLI built (packages/cli/dist) and a PostgreSQL server: initdb/pg_ctl on this machine
// or OPENDCC_DATABASE_URL (see @opendcc/store's testing support).
import { spawn, type ChildProcess } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { certificateIssuerSerial, node, signDocument, writeRequest } from "@opendcc/duis";
import { TestSmki } from "@opendcc/gbcs";
import { resultsDir, type Row } from "./report.js";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const cli = join(root, "packages/cli/dist/main.js");
const DCC_EUI = "90B3D51F30000002";
const USERS = 32;
const INSTANCE_COUNTS = [1, 2, 4];

interface Instance {
  readonly url: string;
  readonly child: ChildProcess;
}

interface PostgresServer {
  readonly url: string;
  stop(): Promise<void>;
}

export interface ScaleRun {
  readonly instances: number;
  readonly requests: number;
  readonly seconds: number;
  readonly requestsPerSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  /** Response codes and how many of each (all I99 when the run is clean). */
  readonly codes: Record<string, number>;
}

async function startInstance(data: string, databaseUrl: string, name: string, profileDir?: string): Promise<Instance> {
  const child = spawn(process.execPath, [...(profileDir ? ["--cpu-prof", `--cpu-prof-dir=${profileDir}`] : []), cli, "start", "--port", "0", "--premises", "1", "--data", data, "--store", databaseUrl], {
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, OPENDCC_INSTANCE_ID: name },
  });
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const deadline = Date.now() + 60_000;
  while (!/Press Ctrl\+C/.test(output)) {
    if (Date.now() > deadline || child.exitCode !== null) {
      child.kill("SIGKILL");
      throw new Error(`gateway ${name} did not start: ${output}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return { url: /listening on (http:\/\/[\d.:]+)/.exec(output)![1]!, child };
}

async function stop(instance: Instance): Promise<void> {
  if (instance.child.exitCode !== null) return;
  const exited = new Promise<void>((done) => instance.child.once("exit", () => done()));
  instance.child.kill("SIGTERM");
  await exited;
}

async function json(url: string, method: string, body: unknown): Promise<void> {
  const response = await fetch(url, { method, body: JSON.stringify(body), headers: { "content-type": "application/json" } });
  if (!response.ok) throw new Error(`${method} ${url}: HTTP ${response.status} ${await response.text()}`);
}

/** Bench users (Other Users), registered through the first instance. */
async function benchUsers(first: Instance): Promise<{ userId: string; sign(xml: string): Promise<string> }[]> {
  const smki = await TestSmki.create();
  await json(`${first.url}/admin/v1/parties`, "POST", [{ partyId: "BENCH", name: "Bench users" }]);
  const users = [];
  for (let i = 0; i < USERS; i++) {
    const userId = `00DB9000000000${i.toString(16).toUpperCase().padStart(2, "0")}`;
    const issued = await smki.issue({ eui: userId, usage: "ds", commonName: `Bench ${i}`, roleCode: "06" });
    const { issuerName, serialDecimal } = certificateIssuerSerial(issued.pem);
    users.push({ userId, pem: issued.pem, sign: (xml: string) => signDocument(xml, { privateKey: issued.keys.privateKey, issuerName, serialNumber: serialDecimal }) });
  }
  await json(`${first.url}/admin/v1/users`, "POST", users.map((u) => ({ userId: u.userId, partyId: "BENCH", roles: ["OU"], certificates: [{ usage: "xml", pem: u.pem }] })));
  return users;
}

function preNotification(originator: string, counter: bigint, user: number): string {
  const deviceId = `00-DB-A0-${user.toString(16).toUpperCase().padStart(2, "0")}-00-${(Number(counter) >> 8 & 0xff).toString(16).toUpperCase().padStart(2, "0")}-${(Number(counter) & 0xff).toString(16).toUpperCase().padStart(2, "0")}-05`;
  return writeRequest({
    schemaVersion: "5.2",
    header: { requestId: { originator, target: DCC_EUI, counter }, commandVariant: 8, serviceReference: "12.2", serviceReferenceVariant: "12.2" },
    body: { element: "DevicePrenotification", content: node("DevicePrenotification", [node("DeviceID", deviceId), node("DeviceType", "IHD")]) },
    signature: null,
  });
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;

async function run(instanceCount: number, requestsPerUser: number, profile: boolean): Promise<{ result: ScaleRun; profileDir: string | null }> {
  const { startPostgresServer } = (await import(pathToFileURL(join(root, "packages/store/dist/testing/postgres-server.js")).href)) as { startPostgresServer(): Promise<PostgresServer> };
  const server = await startPostgresServer();
  const data = mkdtempSync(join(tmpdir(), "opendcc-scale-"));
  const profileDir = profile ? mkdtempSync(join(tmpdir(), "opendcc-prof-")) : null;
  const instances: Instance[] = [];
  try {
    instances.push(await startInstance(data, server.url, "gw1", profileDir ?? undefined));
    for (let i = 2; i <= instanceCount; i++) instances.push(await startInstance(data, server.url, `gw${i}`));
    const users = await benchUsers(instances[0]!);
    await new Promise((r) => setTimeout(r, 500)); // the users reach every instance through the change feed
    // Signed ahead, so that the clients measure the gateways rather than their own signing.
    const warmUp = 10;
    const signed = await Promise.all(users.map(async (user, u) => {
      const xmls: string[] = [];
      for (let i = 0; i < warmUp + requestsPerUser; i++) xmls.push(await user.sign(preNotification(user.userId, BigInt(1000 + i), u)));
      return xmls;
    }));
    const post = async (instance: Instance, xml: string): Promise<string> => {
      const response = await fetch(`${instance.url}/api/v1/serviceD`, { method: "POST", body: xml, headers: { "content-type": "application/xml" } });
      return /<sr:ResponseCode>(\w+)</.exec(await response.text())?.[1] ?? `HTTP ${response.status}`;
    };
    await Promise.all(signed.map(async (xmls, u) => {
      for (let i = 0; i < warmUp; i++) await post(instances[(u + i) % instanceCount]!, xmls[i]!);
    }));
    const latencies: number[] = [];
    const codes: Record<string, number> = {};
    const started = performance.now();
    await Promise.all(signed.map(async (xmls, u) => {
      for (let i = warmUp; i < xmls.length; i++) {
        const at = performance.now();
        const code = await post(instances[(u + i) % instanceCount]!, xmls[i]!);
        latencies.push(performance.now() - at);
        codes[code] = (codes[code] ?? 0) + 1;
      }
    }));
    const seconds = (performance.now() - started) / 1000;
    latencies.sort((a, b) => a - b);
    return {
      result: {
        instances: instanceCount, requests: latencies.length, seconds: round(seconds, 2), requestsPerSecond: Math.round(latencies.length / seconds),
        p50Ms: round(percentile(latencies, 50), 2), p99Ms: round(percentile(latencies, 99), 2), codes,
      },
      profileDir,
    };
  } finally {
    await Promise.all(instances.map(stop));
    await server.stop();
    rmSync(data, { recursive: true, force: true });
  }
}

const round = (n: number, digits: number) => Math.round(n * 10 ** digits) / 10 ** digits;

interface ProfileNode {
  readonly id: number;
  readonly callFrame: { readonly functionName: string; readonly url: string };
}

/** Self time of one instance's --cpu-prof, by where the code lives and by function. */
function summariseProfile(dir: string): { byArea: Record<string, number>; topFunctions: { fn: string; percent: number }[] } {
  const file = readdirSync(dir).find((f) => f.endsWith(".cpuprofile"));
  if (!file) throw new Error(`no .cpuprofile in ${dir}`);
  const profile = JSON.parse(readFileSync(join(dir, file), "utf8")) as { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] };
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  const area = (n: ProfileNode): string => {
    const { url, functionName } = n.callFrame;
    if (functionName === "(idle)") return "idle";
    if (functionName === "(garbage collector)") return "garbage collection";
    if (!url) return functionName.startsWith("(") ? functionName.slice(1, -1) : "native";
    const pkg = /node_modules\/(?:\.pnpm\/[^/]+\/node_modules\/)?((?:@[^/]+\/)?[^/]+)/.exec(url)?.[1] ?? /\/packages\/([^/]+)\//.exec(url)?.[1];
    if (pkg) return pkg.startsWith("@opendcc/") ? pkg : /\/packages\//.test(url) && !url.includes("node_modules") ? `@opendcc/${pkg}` : pkg;
    return url.startsWith("node:") ? `node:${url.slice(5).split("/")[0]}` : "other";
  };
  const byArea: Record<string, number> = {};
  const byFunction = new Map<string, number>();
  for (const [id, time] of self) {
    const n = byId.get(id)!;
    const a = area(n);
    byArea[a] = (byArea[a] ?? 0) + time;
    const fn = `${n.callFrame.functionName || "(anonymous)"} [${a}]`;
    byFunction.set(fn, (byFunction.get(fn) ?? 0) + time);
  }
  const percent = (t: number) => round((100 * t) / total, 1);
  return {
    byArea: Object.fromEntries(Object.entries(byArea).sort(([, a], [, b]) => b - a).slice(0, 15).map(([k, v]) => [k, percent(v)])),
    topFunctions: [...byFunction.entries()].sort(([, a], [, b]) => b - a).slice(0, 15).map(([fn, t]) => ({ fn, percent: percent(t) })),
  };
}

/** Runs 1, 2 and 4 instances; writes bench/results/scale-instances.json; returns rows for the table. */
export async function scaleSuite(options: { time: number }): Promise<Row[]> {
  // --time (ms per task elsewhere) sets the load: 500 (the default) gives 60 requests per user.
  const requestsPerUser = Math.max(10, Math.round((options.time / 500) * 60));
  const runs: ScaleRun[] = [];
  let profile: ReturnType<typeof summariseProfile> | null = null;
  for (const count of INSTANCE_COUNTS) {
    const { result, profileDir } = await run(count, requestsPerUser, count === 1);
    runs.push(result);
    if (profileDir) {
      profile = summariseProfile(profileDir);
      rmSync(profileDir, { recursive: true, force: true });
    }
  }
  mkdirSync(resultsDir, { recursive: true });
  writeFileSync(join(resultsDir, "scale-instances.json"), `${JSON.stringify({
    suite: "scale", date: new Date().toISOString(), node: process.version, cpu: cpus()[0]?.model ?? "unknown", cores: cpus().length,
    load: `${USERS} users, each one client sending 12.2 Device Pre-notification in counter order, round robin over the instances; load generator on the same machine`,
    runs, profileOfOneInstance: profile,
  }, null, 2)}\n`);
  const base = runs[0]!.requestsPerSecond;
  return runs.map((r) => ({
    group: "signed 12.2 over HTTP, one PostgreSQL", size: null, option: `${r.instances} instance${r.instances > 1 ? "s" : ""} (p99 ${r.p99Ms} ms)`,
    perSecond: r.requestsPerSecond, ratioToBaseline: r.requestsPerSecond / base, baseline: "1 instance (p99 " + runs[0]!.p99Ms + " ms)",
    medianMicroseconds: r.p50Ms * 1000, samples: r.requests,
  }));
}
