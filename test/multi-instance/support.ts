// Several real gateway processes (`opendcc start`, the Node entry) on one PostgreSQL server, a
// DUIS client that signs with the demo users' keys, and an HTTP receiver standing in for users'
// "receive response" endpoints.
import { spawn, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { certificateIssuerSerial, node, signDocument, writeRequest, type DuisNode } from "@opendcc/duis";
import { importPrivateKey, pemToDer } from "@opendcc/kernel";

const main = resolve(dirname(fileURLToPath(import.meta.url)), "../../packages/cli/dist/main.js");
export const DCC_EUI = "90B3D51F30000002";

export interface Instance {
  readonly name: string;
  readonly url: string;
  readonly child: ChildProcess;
  output(): string;
}

/** Starts one gateway on the shared database; the first one started with `data` loads the demo. */
export async function startInstance(name: string, data: string, databaseUrl: string, env: Record<string, string> = {}): Promise<Instance> {
  const child = spawn(process.execPath, [main, "start", "--port", "0", "--premises", "1", "--data", data, "--store", databaseUrl], {
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, OPENDCC_INSTANCE_ID: name, ...env },
  });
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const deadline = Date.now() + 30_000;
  while (!/Press Ctrl\+C/.test(output)) {
    if (Date.now() > deadline || child.exitCode !== null) {
      child.kill("SIGKILL");
      throw new Error(`gateway ${name} did not start: ${output}`);
    }
    await sleep(50);
  }
  return { name, url: /listening on (http:\/\/[\d.:]+)/.exec(output)![1]!, child, output: () => output };
}

export async function stopInstance(instance: Instance, signal: NodeJS.Signals = "SIGTERM"): Promise<void> {
  if (instance.child.exitCode !== null || instance.child.signalCode !== null) return;
  const exited = new Promise<void>((done) => instance.child.once("exit", () => done()));
  instance.child.kill(signal);
  await exited;
}

export const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

/** Polls until `check` holds, or fails with `what` after `ms`. */
export async function eventually(what: string, check: () => boolean | Promise<boolean>, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

export interface Signer {
  readonly userId: string;
  sign(xml: string): Promise<string>;
}

/** Signs as a demo user with the key `opendcc start` wrote to the data folder. */
export async function signerFor(data: string, userId: string): Promise<Signer> {
  const keyPem = readFileSync(join(data, "keys", `${userId.toLowerCase()}-xml.key`), "utf8");
  const certPem = readFileSync(join(data, "keys", `${userId.toLowerCase()}-xml.pem`), "utf8");
  const privateKey = await importPrivateKey(pemToDer(keyPem), "ds");
  const { issuerName, serialDecimal } = certificateIssuerSerial(certPem);
  return { userId, sign: (xml) => signDocument(xml, { privateKey, issuerName, serialNumber: serialDecimal }) };
}

export function request(originator: string, counter: bigint, srv: string, element: string, children: DuisNode[]): string {
  return writeRequest({
    schemaVersion: "5.2",
    header: { requestId: { originator, target: DCC_EUI, counter }, commandVariant: 8, serviceReference: srv.split(".").slice(0, 2).join("."), serviceReferenceVariant: srv },
    body: { element, content: node(element, children) },
    signature: null,
  });
}

export const readInventory = (originator: string, counter: bigint) => request(originator, counter, "8.2", "ReadInventory", [node("DeviceID", "00-DB-12-34-56-78-90-A0")]);

export const preNotification = (originator: string, counter: bigint, deviceId: string) =>
  request(originator, counter, "12.2", "DevicePrenotification", [node("DeviceID", deviceId.replace(/(..)(?!$)/g, "$1-")), node("DeviceType", "IHD")]);

/** Posts signed DUIS XML to /api/v1/serviceD; returns the DUIS response code. */
export async function send(instance: Instance, xml: string): Promise<string> {
  const response = await fetch(`${instance.url}/api/v1/serviceD`, { method: "POST", body: xml, headers: { "content-type": "application/xml" } });
  const text = await response.text();
  const code = /<sr:ResponseCode>(\w+)</.exec(text)?.[1];
  if (!code) throw new Error(`${instance.name} answered HTTP ${response.status} without a response code: ${text.slice(0, 300)}`);
  return code;
}

export async function admin(instance: Instance, method: string, path: string, body?: unknown): Promise<unknown> {
  const response = await fetch(`${instance.url}/admin/v1${path}`, {
    method, ...(body === undefined ? {} : { body: JSON.stringify(body), headers: { "content-type": "application/json" } }),
  });
  if (!response.ok) throw new Error(`${instance.name} ${method} ${path}: HTTP ${response.status} ${await response.text()}`);
  return response.json();
}

export interface Received {
  readonly path: string;
  readonly xml: string;
}

/** Users' endpoints: every POST is kept (per path, in arrival order) and answered 200 after `delayMs`. */
export async function startReceiver(delayMs = 0): Promise<{ url: string; received: Received[]; close(): Promise<void> }> {
  const received: Received[] = [];
  const server: Server = createServer((req, res) => {
    let body = "";
    req.on("data", (chunk: Buffer) => (body += chunk.toString()));
    req.on("end", () => {
      received.push({ path: req.url ?? "", xml: body });
      setTimeout(() => res.writeHead(200).end(), delayMs);
    });
  });
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    close: () => new Promise((done) => {
      server.closeAllConnections();
      server.close(() => done());
    }),
  };
}

/** The RequestID a DCC Alert AD1 (quarantined request) names, as ORIGINATOR:TARGET:COUNTER without dashes. */
export function alertedRequestId(xml: string): string | null {
  return /RequestID>([^<]+)</.exec(xml)?.[1]?.replaceAll("-", "") ?? null;
}
