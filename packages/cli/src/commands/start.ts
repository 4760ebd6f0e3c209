// `opendcc start`: the gateway with its demo DCC on Node, ready for a DUIS client. Prints where it
// listens, where the demo users' keys are, and a request to try.
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join, relative, resolve } from "node:path";
import { createDuisCodec, openDcc } from "@opendcc/core";
import { TestSmki, toPem } from "@opendcc/gbcs";
import { exportPrivateKey, importPrivateKey, pemToDer } from "@opendcc/kernel";
import { SqlGatewayStore } from "@opendcc/store";
import { openDatabase } from "@opendcc/store/open";
import { startNodeServer } from "@opendcc/server/node";
import { DEMO_USERS, loadDemoFleet, loadDemoUsers } from "../demo.js";
import { UsageError } from "../output.js";

export interface StartOptions {
  readonly port: string | undefined;
  readonly premises: string | undefined;
  readonly runtime: string | undefined;
  readonly store: string | undefined;
  readonly data: string | undefined;
}

const DCC_EUI = "90B3D51F30000002";

function positiveInteger(value: string | undefined, name: string, fallback: number, min = 0): number {
  if (value === undefined) return fallback;
  const number = Number(value);
  if (!Number.isInteger(number) || number < min) throw new UsageError(`--${name} must be an integer of at least ${min}, not "${value}"`);
  return number;
}

export async function start(options: StartOptions): Promise<number> {
  const port = positiveInteger(options.port, "port", 8079);
  const premises = positiveInteger(options.premises, "premises", 10);
  if (options.runtime && options.runtime !== "node") throw new UsageError(`--runtime ${options.runtime} is not available yet; this build runs the Node entry only`);
  const dataDir = resolve(options.data ?? ".opendcc");
  const keysDir = join(dataDir, "keys");
  const examplesDir = join(dataDir, "examples");
  await mkdir(keysDir, { recursive: true });
  await mkdir(examplesDir, { recursive: true });

  // The embedded store lives in the data folder unless --store names another (postgres://...).
  const store = await SqlGatewayStore.open(await openDatabase(options.store ?? join(dataDir, "db")));
  const dccKeyFile = join(keysDir, "dcc-xml.key");
  const dccCertFile = join(keysDir, "dcc-xml.pem");
  const snapshotHasUsers = (await store.load()).users.length > 0;
  let dccKey: { privateKey: CryptoKey; certificate: string };
  let smki: TestSmki | null = null;
  let fleetSummary = "as stored";
  if (snapshotHasUsers) {
    // A restart: the store has the DCC's state, the data folder its keys.
    dccKey = { privateKey: await importPrivateKey(pemToDer(await readFile(dccKeyFile, "utf8")), "ds"), certificate: await readFile(dccCertFile, "utf8") };
  } else {
    smki = await TestSmki.create();
    const dccCertificate = await smki.issue({ eui: DCC_EUI, usage: "ds", commonName: "OpenDCC", roleCode: "04" });
    dccKey = { privateKey: dccCertificate.keys.privateKey, certificate: dccCertificate.pem };
    await writeFile(dccCertFile, dccCertificate.pem);
    await writeFile(join(keysDir, "test-smki-ca.pem"), smki.ca.pem);
    await writeFile(dccKeyFile, toPem("PRIVATE KEY", await exportPrivateKey(dccCertificate.keys.privateKey)), { mode: 0o600 });
  }
  const codec = createDuisCodec({ dccKey });
  const dcc = await openDcc({ codec, store });
  if (smki) {
    const keys = await loadDemoUsers(dcc, smki);
    const fleet = loadDemoFleet(dcc, premises);
    await dcc.commit();
    for (const key of keys) {
      await writeFile(join(keysDir, `${key.userId.toLowerCase()}-xml.key`), key.keyPem, { mode: 0o600 });
      await writeFile(join(keysDir, `${key.userId.toLowerCase()}-xml.pem`), key.certificatePem);
    }
    fleetSummary = `${premises} premises, ${fleet.devices} devices`;
  }
  const example = join(examplesDir, "read-inventory.xml");
  await writeFile(example, readInventoryExample());

  const server = await startNodeServer({ dcc, port });
  const supplier = DEMO_USERS[0]!.userId.toLowerCase();
  // Paths as short as they can be: relative below the working directory, absolute elsewhere.
  const show = (path: string) => {
    const short = relative(process.cwd(), path);
    return short === "" ? "." : short.startsWith("..") ? path : short;
  };
  console.log(`OpenDCC gateway listening on ${server.url}
  DUIS (DCC Boxed paths): ${server.url}/api/v1/serviceS | serviceT | serviceD
  admin API:              ${server.url}/admin/v1   (OpenAPI: ${server.url}/openapi.json)
  health, metrics:        ${server.url}/healthz, ${server.url}/metrics
  store:                  ${options.store ? "PostgreSQL server" : `embedded, in ${show(join(dataDir, "db"))}`}
  demo fleet:             ${fleetSummary} (first: ESME 00DB1234567890A0, GSME ...A1, CHF ...A2, GPF ...A3, IHD ...A5)
  demo users' keys:       ${show(keysDir)}/  (<eui>-xml.key PKCS#8 + <eui>-xml.pem; DCC response certificate dcc-xml.pem)
  demo users:             ${DEMO_USERS.map((u) => `${u.userId} ${u.roles.join("/")}`).join(", ")}

Try it (reads the inventory of the first premises as Supplier A):
  npx -y pnpm@10 opendcc duis send ${show(example)} --key ${show(keysDir)}/${supplier}-xml.key --cert ${show(keysDir)}/${supplier}-xml.pem --url ${server.url}

Press Ctrl+C to stop.`);
  await new Promise<void>((done) => {
    const stop = () => void server.close().then(() => dcc.close()).then(done);
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
  });
  return 0;
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
