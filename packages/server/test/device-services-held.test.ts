// Device services beyond the round trip, over HTTP with a controllable clock: future-dated requests
// the DCC holds and their cancellation (duis.md 1.4), a change of supplier through the CoS party
// (seed 003 paragraphs 140-147), and a locally delivered command's response returned with 8.13
// (paragraphs 192-194, 406).
import { beforeEach, describe, expect, it } from "vitest";
import { formatEui, node, parseResponse, writeRequest, type DuisResponse } from "@opendcc/duis";
import { headerOf, signPreCommand, signedBytes } from "@opendcc/gbcs";
import { generateKeyPair, parseFrame, toHex, verify, type EcKeyPair } from "@opendcc/kernel";
import { CHANGE_OF_SUPPLIER_ALERT, COS_PARTY_ID } from "@opendcc/core";
import { requestXml, signAs, startTestGateway, type TestGateway } from "./support.js";
import { DevicesOnTheWan, TestWanKeys } from "./wan.js";

const GSME = "00DB1234567890A1";
const CHF = "00DB1234567890A2";
const ESME = "00DB1234567890A0";
/** Supplier A's import supplier user. */
const SUPPLIER = "90B3D51F30010000";
const MPRN = "1234567890";
/** Supplier A's gas supplier user (the losing supplier in the change of supplier). */
const SUPPLIER_A_GAS = "90B3D51F30030000";
/** Supplier B's gas supplier user (the gaining one). */
const SUPPLIER_B_GAS = "90B3D51F30050000";

let gateway: TestGateway;
let keys: TestWanKeys;
let wan: DevicesOnTheWan;
let cos: EcKeyPair;
let counter = 9000n;

const outbox = async (userId: string): Promise<DuisResponse[]> =>
  ((await (await gateway.admin("GET", `/users/${userId}/outbox`)).json()) as { xml: string }[]).map((m) => parseResponse(m.xml));
const settle = () => new Promise((resolve) => setTimeout(resolve, 20));

beforeEach(async () => {
  keys = await TestWanKeys.create([GSME, CHF, ESME]);
  cos = await generateKeyPair("ds");
  gateway = await startTestGateway({ commandKeys: keys.commandKeys(), cosSigningKey: cos.privateKey });
  wan = new DevicesOnTheWan(keys);
  gateway.dcc.useTransport(wan);
  await gateway.admin("POST", "/inventory/devices", [
    { deviceId: CHF, type: "CHF", status: "commissioned" },
    { deviceId: GSME, type: "GSME", status: "commissioned", mpxn: MPRN, chfId: CHF },
  ]);
  // Supplier A until 1 December, Supplier B from then.
  await gateway.admin("PUT", "/registration", `mpxn,fuel,role,partyId,effectiveFrom,effectiveTo\n${MPRN},gas,GS,SUPPLIER-A,2020-01-01,2026-12-01\n${MPRN},gas,GS,SUPPLIER-B,2026-12-01,\n`, "text/csv");
});

describe("future-dated requests the DCC holds (Future Dated Response Pattern DSP)", () => {
  const read = (executionDateTime: string, cv: 1 | 2 = 1) => requestXml({
    counter: ++counter, cv, srv: "4.1.1", sr: "4.1", element: "ReadInstantaneousImportRegisters", target: GSME, originator: SUPPLIER_A_GAS, executionDateTime,
  });
  const send = async (xml: string, endpoint = "serviceS") => gateway.send(endpoint, await signAs(gateway, SUPPLIER_A_GAS, xml));

  it("acknowledges (I99), sends nothing until the execution time, then sends the MAC'd command once", async () => {
    expect((await send(read("2026-11-23T11:00:00.00Z"))).code).toBe("I99");
    const id = counter;
    await gateway.dcc.runSchedules();
    expect(wan.received).toHaveLength(0);
    gateway.clock = new Date("2026-11-23T11:00:00Z");
    await gateway.dcc.runSchedules();
    await gateway.dcc.runSchedules();
    expect(wan.received).toHaveLength(1);
    expect(headerOf(wan.received[0]!.gbcs, parseFrame(wan.received[0]!.gbcs))).toMatchObject({ cra: 1, counter: id, recipient: GSME });
  });

  it("is sent at once when its execution time has passed", async () => {
    expect((await send(read("2026-11-23T09:00:00.00Z"))).code).toBe("I99");
    expect(wan.received).toHaveLength(1);
  });

  it("is cancelled by the same SRV with ExecutionDateTime 3000-12-31 and a higher counter (I0), and E49 when nothing is held", async () => {
    expect((await send(read("2026-11-23T11:00:00.00Z"))).code).toBe("I99");
    expect((await send(read("2026-11-23T12:00:00.00Z"))).code).toBe("I99");
    const cancel = await send(read("3000-12-31T00:00:00.00Z"));
    expect(cancel.code).toBe("I0");
    gateway.clock = new Date("2026-11-24T00:00:00Z");
    await gateway.dcc.runSchedules();
    expect(wan.received).toHaveLength(0);
    const nothing = await send(read("3000-12-31T00:00:00.00Z"));
    expect(nothing.code).toBe("E49");
    expect(nothing.reason).toMatch(/holds no future-dated 4\.1\.1 of 90B3D51F30030000 for 00DB1234567890A1/);
  });

  it("is refused for local delivery (E12): only the WAN variants may be future dated", async () => {
    const answer = await send(read("2026-11-23T11:00:00.00Z", 2), "serviceD");
    expect(answer.code).toBe("E12");
  });
});

describe("change of supplier (6.23) through the CoS party", () => {
  let gainingDs: Uint8Array;

  beforeEach(async () => {
    const xml = await gateway.smki.issue({ eui: SUPPLIER_B_GAS, usage: "ds", commonName: "SUPPLIER-B", roleCode: "02" });
    gateway.certificates.set(SUPPLIER_B_GAS, xml);
    await gateway.admin("POST", "/parties", [{ partyId: "SUPPLIER-B", name: "Supplier B" }]);
    await gateway.admin("POST", "/users", [{ userId: SUPPLIER_B_GAS, partyId: "SUPPLIER-B", roles: ["GS"], certificates: [{ usage: "xml", pem: xml.pem }] }]);
    gainingDs = (await gateway.smki.issue({ eui: SUPPLIER_B_GAS, usage: "ds", commonName: "SUPPLIER-B", roleCode: "02" })).der;
  });

  const base64 = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes));
  const changeOfSupplier = async (from: string, mpxn = MPRN) => gateway.send("serviceS", await signAs(gateway, from, requestXml({
    counter: ++counter, cv: 1, srv: "6.23", element: "UpdateSecurityCredentialsCoS", target: GSME, originator: from, executionDateTime: "2026-12-01T00:00:00.00Z",
    children: [
      node("SupplierFloorSeqNumber", "0"),
      node("SupplierReplacementCertificates", [node("DigitalSigningCertificate", base64(gainingDs)), node("KeyAgreementCertificate", base64(gainingDs))]),
      node("CertificationPathCertificates", [node("Certificate", base64(gateway.smki.ca.der))]),
      node("ImportMPxN", mpxn),
    ],
  })));

  it("is signed by the CoS party, sent MAC'd, answered to the gaining supplier, and both suppliers get a DCC Alert", async () => {
    const answer = await changeOfSupplier(SUPPLIER_B_GAS);
    expect(answer.code).toBe("I99");
    expect(wan.received).toHaveLength(1);
    const command = wan.received[0]!.gbcs;
    const frame = parseFrame(command);
    expect(headerOf(command, frame)).toMatchObject({ cra: 1, originator: COS_PARTY_ID, recipient: GSME, counter, messageCode: 0x0107 });
    // The signature is the CoS party's, over the command's content (not the user's).
    const apdu = command.subarray(frame.apdu.offset, frame.apdu.offset + frame.apdu.length);
    const inner = parseFrame(apdu);
    expect(inner.signature).toBe("present");
    const signature = apdu.subarray(inner.signatureOffset!, inner.signatureOffset! + 64);
    expect(await verify(cos.publicKey, signedBytes(apdu, inner), signature)).toBe(true);

    await settle();
    const gaining = await outbox(SUPPLIER_B_GAS);
    expect(gaining.find((r) => r.body.kind === "ResponseMessage")).toMatchObject({
      header: { responseCode: "I0", requestId: { originator: SUPPLIER_B_GAS, target: GSME, counter } }, body: { serviceReferenceVariant: "6.23", content: { kind: "GBCSPayload" } },
    });
    for (const userId of [SUPPLIER_B_GAS, SUPPLIER_A_GAS]) {
      const alerts = (await outbox(userId)).filter((r) => r.body.kind === "DCCAlertMessage");
      expect(alerts, userId).toHaveLength(1);
      expect(alerts[0]!.body).toMatchObject({ kind: "DCCAlertMessage", dccAlertCode: CHANGE_OF_SUPPLIER_ALERT, event: { name: "ChangeOfSupplier" } });
      expect(JSON.stringify(alerts[0]!.body)).toContain(formatEui(GSME));
    }
  });

  it("is refused by the gateway when the sender is not the supplier on the execution date (E4), and by the CoS party for another MPxN (E43)", async () => {
    const losing = await changeOfSupplier(SUPPLIER_A_GAS);
    expect(losing.code).toBe("E4");
    const otherMpxn = await changeOfSupplier(SUPPLIER_B_GAS, "9999999999");
    expect(otherMpxn.code).toBe("E43");
    expect(otherMpxn.reason).toMatch(/^CoS party: the request names MPxN 9999999999/);
    expect(wan.received).toHaveLength(0);
  });
});

describe("8.13 Return Local Command Response", () => {
  const returnResponse = async (from: string, original: { target: string; counter: bigint }, gbcs: Uint8Array) => gateway.send("serviceD", await signAs(gateway, from, requestXml({
    counter: ++counter, cv: 8, srv: "8.13", element: "ReturnLocalCommandResponse", originator: from,
    children: [node("OriginalRequestID", `${formatEui(from)}:${formatEui(original.target)}:${original.counter}`), node("DeviceGBCSResponse", btoa(String.fromCharCode(...gbcs)))],
  })));
  const localCommand = (answer: { xml: string; code: string | null; reason: string | null }): Uint8Array => {
    expect(answer, answer.reason ?? "").toMatchObject({ code: "I0" });
    const body = parseResponse(answer.xml).body;
    if (body.kind !== "ResponseMessage" || body.content?.kind !== "LocalCommand") throw new Error("no LocalCommand");
    return body.content.gbcsPayload;
  };

  it("takes the response to a commissioning done locally (8.1.1, CV 4 then 6): I0, delivered as over the WAN, the device commissioned, once", async () => {
    await gateway.admin("POST", "/inventory/devices", [{ deviceId: ESME, type: "ESME", status: "installed-not-commissioned", mpxn: "1200000000001", chfId: CHF }]);
    const ds = await gateway.smki.issue({ eui: SUPPLIER, usage: "ds", commonName: "SUPPLIER-A", roleCode: "02" });
    await gateway.admin("POST", "/users", [{ userId: SUPPLIER, partyId: "SUPPLIER-A", roles: ["IS"], certificates: [{ usage: "xml", pem: gateway.certificates.get(SUPPLIER)!.pem }, { usage: "ds", pem: ds.pem }] }]);
    const id = ++counter;
    const transform = await gateway.send("serviceT", await signAs(gateway, SUPPLIER, requestXml({
      counter: id, cv: 4, srv: "8.1.1", sr: "8.1", element: "CommissionDeviceSynchroniseClock", target: ESME, originator: SUPPLIER, children: [node("CurrentDateTime", "2026-11-23T10:00:00.00Z"), node("TolerancePeriod", "10")],
    })));
    const transformed = parseResponse(transform.xml).body;
    if (transformed.kind !== "ResponseMessage" || transformed.content?.kind !== "PreCommand") throw new Error(`no PreCommand: ${transform.reason}`);
    const signed = await signPreCommand(transformed.content.gbcsPayload, ds.keys.privateKey);
    const command = localCommand(await gateway.send("serviceD", await signAs(gateway, SUPPLIER, writeRequest({
      schemaVersion: "5.2",
      header: { requestId: { originator: SUPPLIER, target: ESME, counter: id }, commandVariant: 6, serviceReference: "8.1", serviceReferenceVariant: "8.1.1" },
      body: { element: "SignedPreCommand", gbcsPayload: signed },
      signature: null,
    }))));
    expect(wan.received).toHaveLength(0);

    const response = await keys.responseTo(command);
    const answer = await returnResponse(SUPPLIER, { target: ESME, counter: id }, response);
    expect(answer, answer.reason ?? "").toMatchObject({ code: "I0" });
    expect(await (await gateway.admin("GET", `/inventory/devices/${ESME}`)).json()).toMatchObject({ status: "commissioned", statusChangedAt: "2026-11-23T10:00:00.000Z" });
    await settle();
    const delivered = (await outbox(SUPPLIER)).find((r) => r.header.requestId?.counter === id);
    expect(delivered).toMatchObject({ header: { responseCode: "I0" }, body: { serviceReferenceVariant: "8.1.1", content: { kind: "GBCSPayload" } } });
    if (delivered?.body.kind !== "ResponseMessage" || delivered.body.content?.kind !== "GBCSPayload") throw new Error("no GBCSPayload");
    expect(toHex(delivered.body.content.gbcsPayload)).toBe(toHex(response));
    // Once only.
    expect((await returnResponse(SUPPLIER, { target: ESME, counter: id }, response)).reason).toMatch(/no command for local delivery was returned/);
  });

  it("refuses a response that is not the original's: another counter, an alert (CRA 3), an unknown request", async () => {
    const command = localCommand(await gateway.send("serviceD", await signAs(gateway, SUPPLIER_A_GAS, requestXml({
      counter: ++counter, cv: 2, srv: "4.1.1", sr: "4.1", element: "ReadInstantaneousImportRegisters", target: GSME, originator: SUPPLIER_A_GAS,
    }))));
    const id = counter;
    const wrongCounter = await returnResponse(SUPPLIER_A_GAS, { target: GSME, counter: id }, await keys.responseTo(command, { counter: id + 1n }));
    expect(wrongCounter.code).toBe("E43");
    expect(wrongCounter.reason).toMatch(new RegExp(`its counter is ${id + 1n}, not ${id}`));
    const alert = await returnResponse(SUPPLIER_A_GAS, { target: GSME, counter: id }, await keys.responseTo(command, { cra: 3 }));
    expect(alert.reason).toMatch(/its CRA flag is 3, not 2/);
    const unknown = await returnResponse(SUPPLIER_A_GAS, { target: GSME, counter: id - 100n }, await keys.responseTo(command));
    expect(unknown.reason).toMatch(/no command for local delivery was returned for OriginalRequestID/);
    // The genuine one is still taken afterwards.
    expect((await returnResponse(SUPPLIER_A_GAS, { target: GSME, counter: id }, await keys.responseTo(command))).code).toBe("I0");
  });
});
