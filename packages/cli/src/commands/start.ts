// `opendcc start`: the gateway with its demo DCC, ready for a DUIS client. On Node (default) with
// the embedded store in the data folder and the devices plugin as its device transport: a small
// emulated fleet that answers. On workerd (the edge entry) with PostgreSQL or the isolate's memory,
// and no devices. Prints where it listens, where the demo users' keys are, and examples to try.
import { existsSync } from "node:fs";
import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { join, relative, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { COS_PARTY_ID, createDuisCodec, openDcc, type DeviceTransport } from "@opendcc/core";
import { ACCESS_CONTROL_BROKER, KeyRing, TestSmki, toPem } from "@opendcc/gbcs";
import { exportPrivateKey, importPrivateKey, pemToDer } from "@opendcc/kernel";
import { createDemoEstate, REFERENCE_PREMISES, type DemoEstate } from "@opendcc/plugin-devices";
import { startPlugins } from "@opendcc/server";
import { createNodePusher, nodeEcdsa, startNodeServer } from "@opendcc/server/node";
import { SqlGatewayStore } from "@opendcc/store";
import { openDatabase } from "@opendcc/store/open";
import { DEMO_USERS, buildDemo, loadDemo, postDemo, readDemoUserCertificates, trustAnchorsOf, writeDemoUserKeys, writeKeyPair, type DemoUserCertificates } from "../demo.js";
import { UsageError } from "../output.js";
import { startWorker } from "../workerd.js";
import { trySession, writeExamples } from "./start-examples.js";

export interface StartOptions {
  readonly port: string | undefined;
  readonly premises: string | undefined;
  readonly runtime: string | undefined;
  readonly store: string | undefined;
  readonly data: string | undefined;
  /** Plugin modules to start, comma-separated (package names or paths; each default-exports a plugin). */
  readonly plugins?: string | undefined;
}

/** The DCC's EUI: it signs responses (XML) and, as the Access Control Broker, MACs commands (KA). */
const DCC_EUI = ACCESS_CONTROL_BROKER;
const DEFAULT_PREMISES = 3;
const SNAPSHOT = "devices.msgpack";
/** How often a changed device estate is written to the data folder (ms). */
const SNAPSHOT_EVERY_MS = 2000;

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
  /** The Access Control Broker's key-agreement certificate and PKCS#8 key. */
  readonly acbKa: { readonly pem: string; readonly key: string };
  /** The CoS party's digital-signing certificate and PKCS#8 key: it signs 6.23 (seed 003 paragraphs 142-146). */
  readonly cosDs: { readonly pem: string; readonly key: string };
  readonly users: readonly DemoUserCertificates[];
  /** True when this start made the keys: the DCC's state is new and the demo is to be loaded. */
  readonly fresh: boolean;
}

const acbFile = (dir: string, ext: "pem" | "key") => join(dir, `${DCC_EUI.toLowerCase()}-ka.${ext}`);
const cosFile = (dir: string, ext: "pem" | "key") => join(dir, `${COS_PARTY_ID.toLowerCase()}-ds.${ext}`);
/** SMKI remote party role of the Transitional CoS party (GBCS: 05). */
const COS_ROLE_CODE = "05";

/** The CoS party's signing pair, made by `smki` (a data folder from before the CoS party gets one from a new test CA). */
async function writeCosKeys(dir: string, smki: TestSmki): Promise<void> {
  await writeKeyPair(dir, COS_PARTY_ID, "ds", await smki.issue({ eui: COS_PARTY_ID, usage: "ds", commonName: "OpenDCC CoS party", roleCode: COS_ROLE_CODE }));
}

// The data folder keeps the DCC's keys and the demo users' keys; a first start makes them, later
// starts read them (so the users' keys and the devices' trust in them survive a restart).
async function keysFor(dataDir: string): Promise<Keys> {
  const dir = join(dataDir, "keys");
  await mkdir(dir, { recursive: true });
  const dccKeyFile = join(dir, "dcc-xml.key");
  const dccCertFile = join(dir, "dcc-xml.pem");
  const fresh = !existsSync(dccKeyFile);
  if (fresh) {
    const smki = await TestSmki.create();
    const dcc = await smki.issue({ eui: DCC_EUI, usage: "ds", commonName: "OpenDCC", roleCode: "04" });
    await writeDemoUserKeys(smki, dir);
    await writeKeyPair(dir, DCC_EUI, "ka", await smki.issue({ eui: DCC_EUI, usage: "ka", commonName: "OpenDCC Access Control Broker", roleCode: "04" }));
    await writeCosKeys(dir, smki);
    await writeFile(join(dir, "test-smki-ca.pem"), smki.ca.pem);
    await writeFile(dccCertFile, dcc.pem);
    await writeFile(dccKeyFile, toPem("PRIVATE KEY", await exportPrivateKey(dcc.keys.privateKey)), { mode: 0o600 }); // last: its presence marks a complete set
  } else if (!existsSync(acbFile(dir, "key"))) {
    throw new UsageError(`${dataDir} was made by an earlier OpenDCC (no Access Control Broker key in ${dir}); start with a new --data folder`);
  } else if (!existsSync(cosFile(dir, "key"))) {
    await writeCosKeys(dir, await TestSmki.create());
  }
  return {
    dir, fresh,
    dccKeyPem: await readFile(dccKeyFile, "utf8"),
    dccCertPem: await readFile(dccCertFile, "utf8"),
    acbKa: { pem: await readFile(acbFile(dir, "pem"), "utf8"), key: await readFile(acbFile(dir, "key"), "utf8") },
    cosDs: { pem: await readFile(cosFile(dir, "pem"), "utf8"), key: await readFile(cosFile(dir, "key"), "utf8") },
    users: await readDemoUserCertificates(dir),
  };
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
  const premises = integer(options.premises, "premises", DEFAULT_PREMISES);
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
  const keys = await keysFor(dataDir);
  const examples = await writeExamples(dataDir);

  const running = runtime === "node" ? await startOnNode(port, dataDir, options.store, keys, premises, plugins) : await startOnWorkerd(port, options.store, keys, premises);
  const show = (path: string) => {
    const short = relative(process.cwd(), path);
    return short === "" ? "." : short.startsWith("..") ? path : short;
  };
  const { ESME, GSME, CHF, GPF, PPMID, HCALCS, IHD } = REFERENCE_PREMISES;
  const referencePremises = premises > 0 || !keys.fresh;
  console.log(`OpenDCC gateway (${runtime}) listening on ${running.url}
  DUIS (DCC Boxed paths): ${running.url}/api/v1/serviceS | serviceT | serviceD
  admin API:              ${running.url}/admin/v1   (OpenAPI: ${running.url}/openapi.json)
  health, metrics:        ${running.url}/healthz, ${running.url}/metrics
  store:                  ${running.store}
  demo fleet:             ${running.fleet}${referencePremises ? `
                          premises 0: ESME ${ESME}, GSME ${GSME}, CHF ${CHF}, GPF ${GPF},
                          PPMID ${PPMID}, HCALCS ${HCALCS}, IHD ${IHD}` : ""}
  devices:                ${running.devices}
  demo users' keys:       ${show(keys.dir)}/  (<eui>-xml: DUIS XML signing; <eui>-ds, <eui>-ka, suppliers' <eui>-pp-ka: GBCS;
                          .key PKCS#8, .pem certificate; a --keystore folder. DCC: dcc-xml.pem, ACB ${DCC_EUI.toLowerCase()}-ka.pem,
                          CoS party ${COS_PARTY_ID.toLowerCase()}-ds.pem)
  demo users:             ${DEMO_USERS.map((u) => `${u.userId} ${u.roles.join("/")}`).join(", ")}

Try it (a POSIX shell in this folder):
  ${trySession(running.url, show(keys.dir), show(examples.dir), runtime === "node" && referencePremises)}

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
  /** What the fleet is, and where the devices are (said in the banner). */
  readonly fleet: string;
  readonly devices: string;
  stop(): Promise<void>;
}

const fleetText = (estate: DemoEstate, restored: boolean, premises: number) =>
  restored ? `as kept in ${SNAPSHOT} (--premises applies to a new --data folder)` : `${premises} premises, ${estate.records.length} devices (CHF, GPF, ESME, GSME, IHD each; premises 0 also a PPMID and an HCALCS)`;

/** The demo estate: restored from a snapshot file when one is named and exists, or made. */
async function demoEstate(snapshotFile: string | null, keys: Keys, premises: number): Promise<{ estate: DemoEstate; restored: boolean }> {
  const snapshot = snapshotFile && existsSync(snapshotFile) ? new Uint8Array(await readFile(snapshotFile)) : undefined;
  const estate = await createDemoEstate({
    // The devices trust the users and the CoS party, whose signature a 6.23 command carries.
    premises, accessControlBrokerKa: keys.acbKa.pem, parties: [...trustAnchorsOf(keys.users), { ds: keys.cosDs.pem }],
    ...(snapshot ? { snapshot } : {}),
  });
  return { estate, restored: snapshot !== undefined };
}

async function saveSnapshot(dataDir: string, estate: DemoEstate): Promise<void> {
  const file = join(dataDir, SNAPSHOT);
  // Whole or not at all; a temporary file of its own, as several instances may share a data folder.
  const temporary = `${file}.${process.pid}.new`;
  await writeFile(temporary, estate.devices.snapshot());
  await rename(temporary, file);
}

/**
 * The reference premises' device certificates, written beside the users' keys so that
 * `gbcs parse --keystore <data>/keys` checks and decrypts their responses.
 */
async function writeDeviceCertificates(dir: string, estate: DemoEstate): Promise<void> {
  const { ESME, GSME, CHF, GPF } = REFERENCE_PREMISES;
  for (const eui of [ESME, GSME, CHF, GPF]) {
    let certificates;
    try {
      certificates = await estate.devices.certificates(eui);
    } catch {
      return; // no reference premises (--premises 0)
    }
    await writeFile(join(dir, `${eui.toLowerCase()}-ka.pem`), certificates.ka.pem);
    await writeFile(join(dir, `${eui.toLowerCase()}-ds.pem`), certificates.ds.pem);
  }
}

async function startOnNode(port: number, dataDir: string, storeUrl: string | undefined, keys: Keys, premises: number, plugins: readonly Plugin[]): Promise<Running> {
  // A new DCC gets a new estate; a restart the one it had (keys, counters, tariffs, supply).
  const { estate, restored } = await demoEstate(keys.fresh ? null : join(dataDir, SNAPSHOT), keys, premises);
  await writeDeviceCertificates(keys.dir, estate);
  await saveSnapshot(dataDir, estate);
  // The DCC MACs commands as the Access Control Broker: ECDH(its KA key, the device's KA
  // certificate, fetched from the devices plugin on first use).
  const ring = await KeyRing.fromFiles([
    { name: `${DCC_EUI.toLowerCase()}-ka.pem`, text: keys.acbKa.pem },
    { name: `${DCC_EUI.toLowerCase()}-ka.key`, text: keys.acbKa.key },
  ]);
  // The embedded store lives in the data folder unless --store names another (postgres://...).
  const store = await SqlGatewayStore.open(await openDatabase(storeUrl ?? join(dataDir, "db")));
  // On Node, DUIS signatures go through node:crypto and pushes through node:http (server node.ts).
  const codec = createDuisCodec({ dccKey: { privateKey: await importKey(keys.dccKeyPem), certificate: keys.dccCertPem }, ecdsa: nodeEcdsa });
  const dcc = await openDcc({ codec, store, push: createNodePusher(), commandKeys: estate.devices.commandKeys(ring), cosSigningKey: await importKey(keys.cosDs.key) });
  if (keys.fresh) {
    loadDemo(dcc, buildDemo(keys.users, estate.records, estate.deviceLogs));
    await dcc.commit();
  }
  // The estate is written to the data folder when it may have changed: after commands and answers.
  let changed = false;
  const devices = estate.devices;
  const transport: DeviceTransport = {
    send: (command) => ((changed = true), devices.send(command)),
    distributeFirmware: (distribution) => ((changed = true), devices.distributeFirmware(distribution)),
    onMessage: (receiver) => devices.onMessage((message) => ((changed = true), receiver(message))),
    onHubConnected: (receiver) => devices.onHubConnected(receiver),
  };
  const saver = setInterval(() => {
    if (!changed) return;
    changed = false;
    saveSnapshot(dataDir, estate).catch((error: Error) => console.error(`opendcc: cannot save the device estate: ${error.message}`));
  }, SNAPSHOT_EVERY_MS);
  // Their migrations run in the store first; the devices plugin's transport carries the commands.
  const host = await startPlugins(dcc, [{ ...estate.plugin, deviceTransport: transport }, ...plugins]);
  const server = await startNodeServer({ dcc, port, plugins: host });
  return {
    url: server.url,
    store: storeUrl ? "PostgreSQL server" : `embedded, in ${join(dataDir, "db")}`,
    fleet: fleetText(estate, restored, premises),
    devices: `emulated (devices plugin), state kept in ${join(dataDir, SNAPSHOT)}; ${server.url}/plugins/devices/devices/<eui>`,
    stop: async () => {
      clearInterval(saver);
      await server.close();
      await host.stop();
      await saveSnapshot(dataDir, estate);
      await dcc.close();
    },
  };
}

async function startOnWorkerd(port: number, storeUrl: string | undefined, keys: Keys, premises: number): Promise<Running> {
  const entry = createRequire(import.meta.url).resolve("@opendcc/server/edge");
  const worker = await startWorker(entry, {
    ...(port === 0 ? {} : { port }), // 0: any free port, as on Node
    localNetwork: true,
    bindings: { DCC_XML_KEY: keys.dccKeyPem, DCC_XML_CERT: keys.dccCertPem, ...(storeUrl ? { DATABASE_URL: storeUrl } : {}) },
  });
  const url = worker.url.replace(/\/$/, "");
  // The inventory is the one the Node start would have; the emulator itself does not run here.
  const { estate } = await demoEstate(null, keys, premises);
  if (keys.fresh) await postDemo(url, buildDemo(keys.users, estate.records, estate.deviceLogs));
  return {
    url,
    store: storeUrl ? "PostgreSQL server" : "the isolate's memory (gone when it stops; use --store postgres://... to keep it)",
    fleet: keys.fresh ? `${premises} premises in the inventory` : "as stored",
    devices: "none: the devices plugin runs on Node only, so device services find no device transport here (use --runtime node)",
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
