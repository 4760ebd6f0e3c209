// The gateway's edge entry in the real workerd, keeping its state in a real PostgreSQL server:
// the same requests get the same answers as from the Node entry, and what the edge accepted is in
// the database.
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDuisCodec, openDcc } from "@opendcc/core";
import { certificateIssuerSerial, children, node, parseResponse, signDocument, text, writeRequest } from "@opendcc/duis";
import { TestSmki, toPem, type IssuedCertificate } from "@opendcc/gbcs";
import { exportPrivateKey } from "@opendcc/kernel";
import { createApp } from "@opendcc/server";
import { openPostgres } from "@opendcc/store/postgres";
import { postgresAvailability, startPostgresServer, type PostgresServer } from "@opendcc/store/testing";
import { startWorker, type RunningWorker } from "./workerd.js";

const availability = postgresAvailability();
if (!availability.available && process.env.OPENDCC_REQUIRE_POSTGRES === "1") throw new Error(`OPENDCC_REQUIRE_POSTGRES=1 but ${availability.reason}`);
const describeWithServer = availability.available ? describe : describe.skip;

const SUPPLIER = "90B3D51F30010000";
const DCC = "90B3D51F30000002";

function request(counter: number, srv: "12.2" | "8.2" | "4.1.1"): string {
  const bodies = {
    "12.2": node("DevicePrenotification", [node("DeviceID", "00-DB-12-34-56-78-90-A0"), node("DeviceManufacturer", "AB01"), node("DeviceModel", "M1"), node("DeviceType", "ESME")]),
    "8.2": node("ReadInventory", [node("DeviceID", "00-DB-12-34-56-78-90-A0")]),
    "4.1.1": node("ReadInstantaneousImportRegisters"),
  };
  const body = bodies[srv];
  return writeRequest({
    schemaVersion: "5.2",
    header: { requestId: { originator: SUPPLIER, target: srv === "4.1.1" ? "00DB1234567890A0" : DCC, counter: BigInt(counter) }, commandVariant: srv === "4.1.1" ? 1 : 8, serviceReference: srv === "4.1.1" ? "4.1" : srv, serviceReferenceVariant: srv },
    body: { element: body.name, content: body },
    signature: null,
  });
}

describeWithServer("the gateway on workerd with PostgreSQL", () => {
  let server: PostgresServer;
  let worker: RunningWorker;
  let user: IssuedCertificate;
  let nodeApp: ReturnType<typeof createApp>;

  beforeAll(async () => {
    server = await startPostgresServer();
    const smki = await TestSmki.create();
    const dccCertificate = await smki.issue({ eui: DCC, usage: "ds", commonName: "OpenDCC", roleCode: "04" });
    user = await smki.issue({ eui: SUPPLIER, usage: "ds", commonName: "Supplier A", roleCode: "02" });
    worker = await startWorker(fileURLToPath(new URL("../../packages/server/src/edge.ts", import.meta.url)), {
      bindings: {
        DATABASE_URL: server.url,
        DCC_XML_KEY: toPem("PRIVATE KEY", await exportPrivateKey(dccCertificate.keys.privateKey)),
        DCC_XML_CERT: dccCertificate.pem,
      },
      localNetwork: true,
    });
    const dcc = await openDcc({ codec: createDuisCodec({ dccKey: { privateKey: dccCertificate.keys.privateKey, certificate: dccCertificate.der } }), deliveryIntervalMs: 0 });
    nodeApp = createApp({ dcc });
  }, 90_000);
  afterAll(async () => {
    await worker?.stop();
    await server?.stop();
  });

  it("bundles within the common 3 MB limit (uncompressed here, so compressed is well within)", () => {
    expect(worker.bundleBytes).toBeLessThan(3 * 1024 * 1024);
  });

  it("answers as the Node entry does, and keeps what it accepted in PostgreSQL", async () => {
    const { issuerName, serialDecimal } = certificateIssuerSerial(user.der);
    const setup = [
      ["POST", "/admin/v1/parties", [{ partyId: "SUPPLIER-A", name: "Supplier A" }]],
      ["POST", "/admin/v1/users", [{ userId: SUPPLIER, partyId: "SUPPLIER-A", roles: ["IS"], certificates: [{ usage: "xml", pem: user.pem }] }]],
    ] as const;
    const both = async (path: string, init: RequestInit) => {
      const edge = await fetch(new URL(path, worker.url), init);
      const local = await nodeApp.request(path, init);
      return { edge: { status: edge.status, text: await edge.text() }, local: { status: local.status, text: await local.text() } };
    };
    for (const [method, path, body] of setup) {
      const answers = await both(path, { method, body: JSON.stringify(body), headers: { "content-type": "application/json" } });
      expect(answers.edge, worker.stderr()).toEqual(answers.local);
      expect(answers.edge.status).toBe(201);
    }
    let counter = 1000;
    for (const [srv, endpoint] of [["12.2", "serviceD"], ["8.2", "serviceD"], ["4.1.1", "serviceS"]] as const) {
      const signed = await signDocument(request(++counter, srv), { privateKey: user.keys.privateKey, issuerName, serialNumber: serialDecimal });
      const answers = await both(`/api/v1/${endpoint}`, { method: "POST", body: signed, headers: { "content-type": "application/xml" } });
      const edge = parseResponse(answers.edge.text);
      const local = parseResponse(answers.local.text);
      expect(edge.header.responseCode, srv).toBe(local.header.responseCode);
      expect(edge.body, srv).toEqual(local.body);
      if (srv === "8.2") {
        const content = edge.body.kind === "ResponseMessage" ? edge.body.content : undefined;
        expect(content?.kind === "DSPInventory" ? children(content.node, "Device").map((d) => text(d, "DeviceStatus")) : []).toEqual(["Pending"]);
      }
    }
    const db = await openPostgres(server.url);
    try {
      const rows = await db.query<{ srv: string; outcome: string }>("SELECT srv, outcome FROM gateway_audit ORDER BY id");
      expect(rows.map((r) => [r.srv, r.outcome])).toEqual([["12.2", "accepted"], ["8.2", "accepted"], ["4.1.1", "rejected"]]);
      expect((await db.query("SELECT device_id FROM gateway_devices")).length).toBe(1);
    } finally {
      await db.close();
    }
  });
});
