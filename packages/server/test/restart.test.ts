// Nothing accepted is lost (design): what the gateway acknowledged survives a restart on the
// embedded store: devices loaded through the admin API, Pre-Commands awaiting their signature
// (seed 003 paragraph 155), and future-dated requests the DCC holds until their time (duis.md 1.4).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { parseResponse, writeRequest } from "@opendcc/duis";
import { headerOf, signPreCommand } from "@opendcc/gbcs";
import { parseFrame } from "@opendcc/kernel";
import { SqlGatewayStore } from "@opendcc/store";
import { openEmbedded } from "@opendcc/store/embedded";
import { reopenTestGateway, requestXml, signAs, startTestGateway, type TestGateway, type TestGatewayOptions } from "./support.js";
import { DevicesOnTheWan, TestWanKeys } from "./wan.js";

const GSME = "00DB1234567890A1";
const CHF = "00DB1234567890A2";
const MPRN = "1234567890";
const GAS_SUPPLIER = "90B3D51F30030000";

let dataDir: string;
let keys: TestWanKeys;
let options: TestGatewayOptions;
let gateway: TestGateway;
let counter = 7000n;

const openStore = async () => SqlGatewayStore.open(await openEmbedded({ dataDir }));
async function restart(): Promise<DevicesOnTheWan> {
  gateway = await reopenTestGateway(gateway, openStore, options);
  const wan = new DevicesOnTheWan(keys);
  gateway.dcc.useTransport(wan);
  return wan;
}
const outbox = async (userId: string) => ((await (await gateway.admin("GET", `/users/${userId}/outbox`)).json()) as { xml: string }[]).map((m) => parseResponse(m.xml));

beforeEach(async () => {
  dataDir = mkdtempSync(join(tmpdir(), "opendcc-restart-"));
  keys = await TestWanKeys.create([GSME, CHF]);
  options = { commandKeys: keys.commandKeys() };
  gateway = await startTestGateway({ ...options, store: await openStore() });
  const loaded = await gateway.admin("POST", "/inventory/devices", [
    { deviceId: CHF, type: "CHF", status: "commissioned" },
    { deviceId: "00-DB-12-34-56-78-90-A1", type: "GSME", status: "commissioned", mpxn: MPRN, chfId: CHF },
  ]);
  expect(loaded.status).toBe(201);
  await gateway.admin("PUT", "/registration", `mpxn,fuel,role,partyId,effectiveFrom,effectiveTo\n${MPRN},gas,GS,SUPPLIER-A,2020-01-01,\n`, "text/csv");
});

afterEach(() => {
  rmSync(dataDir, { recursive: true, force: true });
});

describe("after a restart on the embedded store", () => {
  it("still has a hub's HAN backup: the device log's link keys and the extended PAN id (paragraph 189)", async () => {
    gateway.dcc.services.inventory.recordHanSecurityDetails(CHF, { extendedPanId: "0001020304050607", linkKeys: { [GSME]: "00112233445566778899AABBCCDDEEFF" } });
    await gateway.dcc.commit();
    await restart();
    expect(gateway.dcc.services.inventory.extendedPanId(CHF)).toBe("0001020304050607");
  });

  it("still has the devices loaded through the admin API (inventory.load is journaled)", async () => {
    await restart();
    const response = await gateway.admin("GET", `/inventory/devices/${GSME}`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ deviceId: GSME, type: "GSME", status: "commissioned", mpxn: MPRN, chfId: CHF, statusChangedAt: "2026-11-23T10:00:00.000Z" });
  });

  it("accepts the Signed Pre-Command of a Pre-Command issued before it (CV 4, restart, CV 5), once", async () => {
    const ds = await gateway.smki.issue({ eui: GAS_SUPPLIER, usage: "ds", commonName: "SUPPLIER-A", roleCode: "02" });
    await gateway.admin("POST", "/users", [{ userId: GAS_SUPPLIER, partyId: "SUPPLIER-A", roles: ["GS"], certificates: [{ usage: "xml", pem: gateway.certificates.get(GAS_SUPPLIER)!.pem }, { usage: "ds", pem: ds.pem }] }]);
    const id = ++counter;
    const transform = await gateway.send("serviceT", await signAs(gateway, GAS_SUPPLIER, requestXml({ counter: id, cv: 4, srv: "7.3", sr: "7.3", element: "ArmSupply", target: GSME, originator: GAS_SUPPLIER })));
    expect(transform.code).toBe("I0");
    const body = parseResponse(transform.xml).body;
    if (body.kind !== "ResponseMessage" || body.content?.kind !== "PreCommand") throw new Error("no PreCommand");
    const signed = await signPreCommand(body.content.gbcsPayload, ds.keys.privateKey);

    const wan = await restart();
    const signedRequest = async () => signAs(gateway, GAS_SUPPLIER, writeRequest({
      schemaVersion: "5.2",
      header: { requestId: { originator: GAS_SUPPLIER, target: GSME, counter: id }, commandVariant: 5, serviceReference: "7.3", serviceReferenceVariant: "7.3" },
      body: { element: "SignedPreCommand", gbcsPayload: signed },
      signature: null,
    }));
    expect((await gateway.send("serviceS", await signedRequest())).code).toBe("I99");
    expect(wan.received).toHaveLength(1);
    expect(headerOf(wan.received[0]!.gbcs, parseFrame(wan.received[0]!.gbcs))).toMatchObject({ counter: id, originator: GAS_SUPPLIER, recipient: GSME });
    // Used: neither this life nor the next takes it again.
    expect((await gateway.send("serviceS", await signedRequest())).code).toBe("E42");
    await restart();
    expect((await gateway.send("serviceS", await signedRequest())).code).toBe("E42");
  });

  it("sends a future-dated request the DCC holds (pattern DSP) at its time, after a restart, once", async () => {
    const wan = new DevicesOnTheWan(keys);
    gateway.dcc.useTransport(wan);
    const id = ++counter;
    const xml = requestXml({ counter: id, cv: 1, srv: "4.1.1", sr: "4.1", element: "ReadInstantaneousImportRegisters", target: GSME, originator: GAS_SUPPLIER, executionDateTime: "2026-11-23T12:00:00.00Z" });
    expect((await gateway.send("serviceS", await signAs(gateway, GAS_SUPPLIER, xml))).code).toBe("I99");
    await gateway.dcc.runSchedules();
    expect(wan.received).toHaveLength(0); // not yet due

    gateway.clock = new Date("2026-11-23T12:00:01Z");
    const after = await restart();
    await gateway.dcc.runSchedules();
    expect(after.received).toHaveLength(1);
    expect(headerOf(after.received[0]!.gbcs, parseFrame(after.received[0]!.gbcs))).toMatchObject({ cra: 1, counter: id, originator: GAS_SUPPLIER, recipient: GSME, messageCode: 0x0074 });
    await new Promise((resolve) => setTimeout(resolve, 20));
    const delivered = (await outbox(GAS_SUPPLIER)).find((r) => r.header.requestId?.counter === id);
    expect(delivered?.header.responseCode).toBe("I0");
    expect(delivered?.body).toMatchObject({ kind: "ResponseMessage", serviceReferenceVariant: "4.1.1", content: { kind: "GBCSPayload" } });

    await gateway.dcc.runSchedules();
    const again = await restart();
    await gateway.dcc.runSchedules();
    expect(after.received).toHaveLength(1);
    expect(again.received).toHaveLength(0);
  });
});
