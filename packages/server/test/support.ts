// A gateway for tests: the real app, DCC and DUIS codec, users with certificates from a test
// SMKI loaded through the admin API, and a DUIS client that builds and signs requests.
import { afterAll, afterEach } from "vitest";
import { createDuisCodec, openDcc, type CommandKeys, type Dcc, type GatewayStore } from "@opendcc/core";
import { SqlGatewayStore } from "@opendcc/store";
import { openPostgres } from "@opendcc/store/postgres";
import { openEmbedded } from "@opendcc/store/embedded";
import { startPostgresServer, type PostgresServer } from "@opendcc/store/testing";
import { node, signDocument, writeRequest, certificateIssuerSerial, type CommandVariant, type DuisNode } from "@opendcc/duis";
import { TestSmki, type IssuedCertificate } from "@opendcc/gbcs";
import type { Hono } from "hono";
import { createApp } from "../src/index.js";

export const DCC_EUI = "90B3D51F30000002";
export const SUPPLIER = "90B3D51F30010000";
export const NETWORK_OPERATOR = "90B3D51F30020000";
export const OTHER_USER = "00DB123456780004";

export interface TestGateway {
  readonly app: Hono;
  readonly dcc: Dcc;
  readonly smki: TestSmki;
  readonly certificates: Map<string, IssuedCertificate>;
  /** The DCC's XML-signing certificate: responses are signed with its key. */
  readonly dccCertificate: IssuedCertificate;
  clock: Date;
  admin(method: string, path: string, body?: unknown, contentType?: string): Promise<Response>;
  /** Posts DUIS XML to /api/v1/<endpoint>; returns the HTTP response and its XML. */
  send(endpoint: string, xml: string): Promise<{ status: number; xml: string; code: string | null; reason: string | null }>;
}

export interface RequestSpec {
  readonly originator?: string;
  readonly target?: string;
  readonly counter: bigint | number;
  readonly cv: CommandVariant;
  readonly srv: string;
  readonly sr?: string;
  readonly element: string;
  readonly children?: DuisNode[];
  readonly executionDateTime?: string;
}

export function requestXml(spec: RequestSpec): string {
  return writeRequest({
    schemaVersion: "5.2",
    header: {
      requestId: { originator: spec.originator ?? SUPPLIER, target: spec.target ?? DCC_EUI, counter: BigInt(spec.counter) },
      commandVariant: spec.cv,
      serviceReference: spec.sr ?? spec.srv.split(".").slice(0, 2).join("."),
      serviceReferenceVariant: spec.srv,
    },
    body: { element: spec.element, content: node(spec.element, spec.children ?? []), ...(spec.executionDateTime ? { executionDateTime: spec.executionDateTime } : {}) },
    signature: null,
  });
}

export async function signAs(gateway: TestGateway, userId: string, xml: string): Promise<string> {
  const certificate = gateway.certificates.get(userId);
  if (!certificate) throw new Error(`no test certificate for ${userId}`);
  const { issuerName, serialDecimal } = certificateIssuerSerial(certificate.der);
  return signDocument(xml, { privateKey: certificate.keys.privateKey, issuerName, serialNumber: serialDecimal });
}

// OPENDCC_TEST_STORE=postgres runs every gateway of the suite on a PostgreSQL server (a fresh
// database each), =embedded on the embedded store (PGlite), so the same tests prove the in-memory,
// the embedded and the server-backed gateway.
let server: PostgresServer | null = null;
let databases = 0;
const open: Dcc[] = [];

async function storeForTest(): Promise<GatewayStore | undefined> {
  if (process.env.OPENDCC_TEST_STORE === "embedded") return SqlGatewayStore.open(await openEmbedded({ memory: true }));
  if (process.env.OPENDCC_TEST_STORE !== "postgres") return undefined;
  server ??= await startPostgresServer();
  const name = `gateway_${process.pid}_${++databases}`;
  const admin = await openPostgres(server.url, { max: 1 });
  try {
    await admin.exec(`CREATE DATABASE ${name}`);
  } finally {
    await admin.close();
  }
  const url = new URL(server.url);
  url.pathname = `/${name}`;
  return SqlGatewayStore.open(await openPostgres(url.toString(), { max: 2 }));
}

afterEach(async () => {
  await Promise.all(open.splice(0).map((dcc) => dcc.close()));
});
afterAll(async () => {
  await server?.stop();
}, 60_000);

export interface TestGatewayOptions {
  readonly commandKeys?: CommandKeys;
  /** The store to keep state in (default: none, or a PostgreSQL database under OPENDCC_TEST_STORE=postgres). */
  readonly store?: GatewayStore;
  readonly cosSigningKey?: CryptoKey;
}

export async function startTestGateway(options: TestGatewayOptions = {}): Promise<TestGateway> {
  const smki = await TestSmki.create();
  const dccCertificate = await smki.issue({ eui: DCC_EUI, usage: "ds", commonName: "OpenDCC", roleCode: "04" });
  const gateway = await openTestGateway({ smki, dccCertificate, certificates: new Map(), clock: new Date("2026-11-23T10:00:00Z") }, options.store ?? await storeForTest(), options);
  const users = [
    { userId: SUPPLIER, partyId: "SUPPLIER-A", role: "IS", roleCode: "02" },
    { userId: "90B3D51F30030000", partyId: "SUPPLIER-A", role: "GS", roleCode: "02" },
    { userId: NETWORK_OPERATOR, partyId: "DNO-1", role: "ED", roleCode: "03" },
    { userId: OTHER_USER, partyId: "OTHER-1", role: "OU", roleCode: "06" },
  ];
  for (const user of users) gateway.certificates.set(user.userId, await smki.issue({ eui: user.userId, usage: "ds", commonName: user.partyId, roleCode: user.roleCode }));
  const ok = async (response: Response) => {
    if (response.status >= 300) throw new Error(`admin call failed: ${response.status} ${await response.text()}`);
  };
  await ok(await gateway.admin("POST", "/parties", [
    { partyId: "SUPPLIER-A", name: "Supplier A" }, { partyId: "DNO-1", name: "Network Operator 1" }, { partyId: "OTHER-1", name: "Other User 1" },
  ]));
  await ok(await gateway.admin("POST", "/users", users.map((u) => ({ userId: u.userId, partyId: u.partyId, roles: [u.role], certificates: [{ usage: "xml", pem: gateway.certificates.get(u.userId)!.pem }] }))));
  return gateway;
}

/**
 * A restart: closes the gateway's DCC (and its store) and opens a new one on `store()` (the same data)
 * with the same keys, users' certificates and clock. Nothing is loaded: it all comes from the store.
 */
export async function reopenTestGateway(gateway: TestGateway, store: () => Promise<GatewayStore>, options: TestGatewayOptions = {}): Promise<TestGateway> {
  open.splice(open.indexOf(gateway.dcc), 1);
  await gateway.dcc.close();
  return openTestGateway(gateway, await store(), options);
}

async function openTestGateway(
  from: Pick<TestGateway, "smki" | "dccCertificate" | "certificates" | "clock">, store: GatewayStore | undefined, options: TestGatewayOptions,
): Promise<TestGateway> {
  const gateway = { clock: from.clock } as TestGateway;
  const now = () => gateway.clock;
  const codec = createDuisCodec({ dccKey: { privateKey: from.dccCertificate.keys.privateKey, certificate: from.dccCertificate.der }, now });
  const dcc = await openDcc({
    codec, now, ...(store ? { store } : {}),
    ...(options.commandKeys ? { commandKeys: options.commandKeys } : {}), ...(options.cosSigningKey ? { cosSigningKey: options.cosSigningKey } : {}),
  });
  open.push(dcc);
  const app = createApp({ dcc });
  Object.assign(gateway, {
    app, dcc, smki: from.smki, certificates: from.certificates, dccCertificate: from.dccCertificate,
    admin: async (method: string, path: string, body?: unknown, contentType = "application/json") => app.request(`/admin/v1${path}`, {
      method,
      ...(body === undefined ? {} : { body: typeof body === "string" ? body : JSON.stringify(body), headers: { "content-type": contentType } }),
    }),
    send: async (endpoint: string, xml: string) => {
      const response = await app.request(`/api/v1/${endpoint}`, { method: "POST", body: xml, headers: { "content-type": "application/xml" } });
      const text = await response.text();
      return { status: response.status, xml: text, code: /<sr:ResponseCode>([^<]+)</.exec(text)?.[1] ?? null, reason: response.headers.get("x-opendcc-reason") };
    },
  });
  return gateway;
}
