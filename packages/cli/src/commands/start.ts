// `opendcc start`: the gateway with its demo DCC, ready for a DUIS client. On Node (default) with
// the embedded store in the data folder, or on workerd (the edge entry) with PostgreSQL or the
// isolate's memory. Prints where it listens, where the demo users' keys are, and a request to try.
import { existsSync } from "node:fs";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { join, relative, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { createDuisCodec, openDcc } from "@opendcc/core";
import { TestSmki, toPem } from "@opendcc/gbcs";
import { exportPrivateKey, importPrivateKey, pemToDer } from "@opendcc/kernel";
import { startPlugins } from "@opendcc/server";
import { startNodeServer } from "@opendcc/server/node";
import { SqlGatewayStore } from "@opendcc/store";
import { openDatabase } from "@opendcc/store/open";
import { DEMO_USERS, buildDemo, loadDemo, postDemo, type Demo } from "../demo.js";
import { UsageError } from "../output.js";
import { startWorker } from "../workerd.js";

export interface StartOptions {
  readonly port: string | undefined;
  readonly premises: string | undefined;
  readonly runtime: string | undefined;
  readonly store: string | undefined;
  readonly data: string | undefined;
  /** Plugin modules to start, comma-separated (package names or paths; each default-exports a plugin). */
  readonly plugins?: string | undefined;
}

const DCC_EUI = "90B3D51F30000002";

type Plugin = Parameters<typeof startPlugins>[1][number];

function integer(value: string | undefined, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  const number = Number(value);
  if (!Number.isInteger(number) || number < 0) throw new UsageError(`--${name} must be a non-negative integer, not "${value}"`);
  return number;
}

interface Keys {
  readonly dir: string;
  readonly dccKeyPem: string;
  readonly dccCertPem: string;
  /** A new demo to load, or null when the keys (and the state) are from an earlier start. */
  readonly demo: Demo | null;
}

// The data folder keeps the DCC's key and the demo users' keys; a first start makes them.
async function keysFor(dataDir: string, premises: number): Promise<Keys> {
  const dir = join(dataDir, "keys");
  await mkdir(dir, { recursive: true });
  const dccKeyFile = join(dir, "dcc-xml.key");
  const dccCertFile = join(dir, "dcc-xml.pem");
  if (existsSync(dccKeyFile) && existsSync(dccCertFile)) {
    return { dir, dccKeyPem: await readFile(dccKeyFile, "utf8"), dccCertPem: await readFile(dccCertFile, "utf8"), demo: null };
  }
  const smki = await TestSmki.create();
  const dcc = await smki.issue({ eui: DCC_EUI, usage: "ds", commonName: "OpenDCC", roleCode: "04" });
  const demo = await buildDemo(smki, premises, new Date());
  for (const key of demo.keys) {
    await writeFile(join(dir, `${key.userId.toLowerCase()}-xml.key`), key.keyPem, { mode: 0o600 });
    await writeFile(join(dir, `${key.userId.toLowerCase()}-xml.pem`), key.certificatePem);
  }
  const dccKeyPem = toPem("PRIVATE KEY", await exportPrivateKey(dcc.keys.privateKey));
  await writeFile(join(dir, "test-smki-ca.pem"), smki.ca.pem);
  await writeFile(dccCertFile, dcc.pem);
  await writeFile(dccKeyFile, dccKeyPem, { mode: 0o600 }); // last: its presence marks a complete set
  return { dir, dccKeyPem, dccCertPem: dcc.pem, demo };
}

/**
 * Options fall back to the environment, for operators who configure a service rather than a
 * command line: OPENDCC_PORT, OPENDCC_PREMISES, OPENDCC_RUNTIME, OPENDCC_DATABASE_URL, OPENDCC_DATA.
 */
export function fromEnvironment(options: StartOptions, env: NodeJS.ProcessEnv = process.env): StartOptions {
  return {
    port: options.port ?? env.OPENDCC_PORT,
    premises: options.premises ?? env.OPENDCC_PREMISES,
    runtime: options.runtime ?? env.OPENDCC_RUNTIME,
    store: options.store ?? env.OPENDCC_DATABASE_URL,
    data: options.data ?? env.OPENDCC_DATA,
    plugins: options.plugins ?? env.OPENDCC_PLUGINS,
  };
}

export async function start(given: StartOptions): Promise<number> {
  const options = fromEnvironment(given);
  const port = integer(options.port, "port", 8079);
  const premises = integer(options.premises, "premises", 10);
  const runtime = options.runtime ?? "node";
  if (runtime !== "node" && runtime !== "workerd") throw new UsageError(`--runtime must be node or workerd, not "${runtime}"`);
  if (runtime === "workerd" && options.store && !/^postgres(ql)?:\/\//.test(options.store)) {
    throw new UsageError("on workerd --store must be a postgres:// URL (the embedded store needs Node)");
  }
  const dataDir = resolve(options.data ?? ".opendcc");
  // Without a database an isolate starts empty, so a workerd start in memory needs a new demo.
  if (runtime === "workerd" && !options.store && existsSync(join(dataDir, "keys", "dcc-xml.key"))) {
    throw new UsageError(`${dataDir} holds an earlier DCC's keys; on workerd without --store, start with a new --data folder`);
  }
  if (runtime === "workerd" && options.plugins) throw new UsageError("plugins run on Node only for now (--runtime node)");
  const plugins = await loadPlugins(options.plugins);
  const keys = await keysFor(dataDir, premises);
  const example = join(dataDir, "examples", "read-inventory.xml");
  await mkdir(join(dataDir, "examples"), { recursive: true });
  await writeFile(example, readInventoryExample());

  const running = runtime === "node" ? await startOnNode(port, dataDir, options.store, keys, plugins) : await startOnWorkerd(port, options.store, keys);
  const show = (path: string) => {
    const short = relative(process.cwd(), path);
    return short === "" ? "." : short.startsWith("..") ? path : short;
  };
  const supplier = DEMO_USERS[0]!.userId.toLowerCase();
  const fleet = keys.demo ? `${premises} premises, ${keys.demo.devices.length} devices` : "as stored";
  console.log(`OpenDCC gateway (${runtime}) listening on ${running.url}
  DUIS (DCC Boxed paths): ${running.url}/api/v1/serviceS | serviceT | serviceD
  admin API:              ${running.url}/admin/v1   (OpenAPI: ${running.url}/openapi.json)
  health, metrics:        ${running.url}/healthz, ${running.url}/metrics
  store:                  ${running.store}
  demo fleet:             ${fleet} (first: ESME 00DB1234567890A0, GSME ...A1, CHF ...A2, GPF ...A3, IHD ...A5)
  demo users' keys:       ${show(keys.dir)}/  (<eui>-xml.key PKCS#8 + <eui>-xml.pem; DCC response certificate dcc-xml.pem)
  demo users:             ${DEMO_USERS.map((u) => `${u.userId} ${u.roles.join("/")}`).join(", ")}

Try it (reads the inventory of the first premises as Supplier A):
  npx -y pnpm@10 opendcc duis send ${show(example)} --key ${show(keys.dir)}/${supplier}-xml.key --cert ${show(keys.dir)}/${supplier}-xml.pem --url ${running.url}

Press Ctrl+C to stop.`);
  await new Promise<void>((done) => {
    const stop = () => void running.stop().then(done);
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
  });
  return 0;
}

interface Running {
  readonly url: string;
  readonly store: string;
  stop(): Promise<void>;
}

async function startOnNode(port: number, dataDir: string, storeUrl: string | undefined, keys: Keys, plugins: readonly Plugin[]): Promise<Running> {
  // The embedded store lives in the data folder unless --store names another (postgres://...).
  const store = await SqlGatewayStore.open(await openDatabase(storeUrl ?? join(dataDir, "db")));
  const codec = createDuisCodec({ dccKey: { privateKey: await importKey(keys.dccKeyPem), certificate: keys.dccCertPem } });
  const dcc = await openDcc({ codec, store });
  if (keys.demo) {
    loadDemo(dcc, keys.demo);
    await dcc.commit();
  }
  // Their migrations run in the store first; a devices plugin's transport carries the commands.
  const host = await startPlugins(dcc, plugins);
  const server = await startNodeServer({ dcc, port, plugins: host });
  return {
    url: server.url,
    store: storeUrl ? "PostgreSQL server" : `embedded, in ${join(dataDir, "db")}`,
    stop: () => server.close().then(() => host.stop()).then(() => dcc.close()),
  };
}

async function startOnWorkerd(port: number, storeUrl: string | undefined, keys: Keys): Promise<Running> {
  const entry = createRequire(import.meta.url).resolve("@opendcc/server/edge");
  const worker = await startWorker(entry, {
    ...(port === 0 ? {} : { port }), // 0: any free port, as on Node
    localNetwork: true,
    bindings: { DCC_XML_KEY: keys.dccKeyPem, DCC_XML_CERT: keys.dccCertPem, ...(storeUrl ? { DATABASE_URL: storeUrl } : {}) },
  });
  if (keys.demo) await postDemo(worker.url.replace(/\/$/, ""), keys.demo);
  return {
    url: worker.url.replace(/\/$/, ""),
    store: storeUrl ? "PostgreSQL server" : "the isolate's memory (gone when it stops; use --store postgres://... to keep it)",
    stop: () => worker.stop(),
  };
}

/** Each module's default export (or its `plugin` export) is a plugin definition. */
async function loadPlugins(list: string | undefined): Promise<Plugin[]> {
  const specifiers = (list ?? "").split(",").map((s) => s.trim()).filter((s) => s !== "");
  const plugins: Plugin[] = [];
  for (const specifier of specifiers) {
    const url = /^[./]/.test(specifier) ? pathToFileURL(resolve(specifier)).href : specifier;
    let module: { default?: unknown; plugin?: unknown };
    try {
      module = await import(url) as typeof module;
    } catch (error) {
      throw new UsageError(`plugin "${specifier}" cannot be loaded: ${(error as Error).message}`);
    }
    const plugin = (module.default ?? module.plugin) as Plugin | undefined;
    if (!plugin || typeof plugin.name !== "string") throw new UsageError(`plugin "${specifier}" exports no plugin definition (default export with a name)`);
    plugins.push(plugin);
  }
  return plugins;
}

function importKey(pem: string): Promise<CryptoKey> {
  return importPrivateKey(pemToDer(pem), "ds");
}

function readInventoryExample(): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<sr:Request xmlns:ds="http://www.w3.org/2000/09/xmldsig#" xmlns:sr="http://www.dccinterface.co.uk/ServiceUserGateway" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" schemaVersion="5.2">
  <sr:Header>
    <sr:RequestID>90-B3-D5-1F-30-01-00-00:90-B3-D5-1F-30-00-00-02:1000</sr:RequestID>
    <sr:CommandVariant>8</sr:CommandVariant>
    <sr:ServiceReference>8.2</sr:ServiceReference>
    <sr:ServiceReferenceVariant>8.2</sr:ServiceReferenceVariant>
  </sr:Header>
  <sr:Body>
    <sr:ReadInventory>
      <sr:DeviceID>00-DB-12-34-56-78-90-A0</sr:DeviceID>
    </sr:ReadInventory>
  </sr:Body>
</sr:Request>
`;
}
