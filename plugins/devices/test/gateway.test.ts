// The devices plugin behind a real gateway: a supplier reads an electricity meter (ECS17b) and
// updates its tariff with a signed Pre-Command (ECS01a), and the meter's state changes as its
// response says. Also ECS01a on its own from the RTDS vectors: immediate, and future dated with
// the 0x8F66 alert, byte for byte where the values agree.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseResponse } from "@opendcc/duis";
import { ACCESS_CONTROL_BROKER, KeyRing, parseGbcs, signPreCommand, unsignedApdu } from "@opendcc/gbcs";
import { fromHex, parseFrame, sharedSecret, toHex, wrapApdu } from "@opendcc/kernel";
import { describeWithFixtures, fixturesDir, rtdsDir } from "../../../test/support/fixtures.js";
import { requestXml, signAs, startTestGateway, SUPPLIER, type TestGateway } from "../../../packages/server/test/support.js";
import { createDevicesPlugin, type DeviceEmulator } from "../src/index.js";
import { CHF, ESME, testEstate } from "./support.js";

const MPAN = "1200000000001";
const rtds = (file: string) => fromHex(readFileSync(join(rtdsDir, file), "utf8").trim());
const contentHex = (message: Uint8Array) => {
  const frame = parseFrame(message);
  return toHex(message.subarray(frame.content.offset, frame.content.offset + frame.content.length));
};
/** The unsigned APDU of an RTDS command or pre-command (what a supplier signs). */
const preCommandOf = (message: Uint8Array) => {
  const frame = parseFrame(message);
  return unsignedApdu(message.subarray(frame.apdu.offset, frame.content.offset + frame.content.length));
};

async function gatewayWithDevices(): Promise<{ gateway: TestGateway; devices: DeviceEmulator; ring: KeyRing; supplierDs: CryptoKey }> {
  let devices: DeviceEmulator | null = null;
  const ring = new KeyRing();
  // The gateway's command keys: the ACB's KA private key, and device KA certificates from the plugin on demand.
  const gateway = await startTestGateway({ commandKeys: { brokerSecret: (deviceId) => (devices as DeviceEmulator).commandKeys(ring).brokerSecret(deviceId) } });
  const { smki } = gateway;
  const acbKa = await smki.issue({ eui: ACCESS_CONTROL_BROKER, usage: "ka", commonName: "ACB", roleCode: "04" });
  ring.add({ eui: ACCESS_CONTROL_BROKER, role: "ka", certificate: null, publicKey: acbKa.keys.publicKey, privateKey: acbKa.keys.privateKey });
  const supplierKa = await smki.issue({ eui: SUPPLIER, usage: "ka", commonName: "SUPPLIER-A", roleCode: "02" });
  const supplierDs = await smki.issue({ eui: SUPPLIER, usage: "ds", commonName: "SUPPLIER-A", roleCode: "02" });
  const created = await createDevicesPlugin({ accessControlBrokerKa: acbKa.pem, parties: [{ ds: supplierDs.der, ka: supplierKa.der }], now: () => gateway.clock, smki });
  devices = created.devices;
  devices.add({ deviceId: CHF, kind: "CHF" });
  devices.add({ deviceId: ESME, kind: "ESME", hubId: CHF });
  gateway.dcc.useTransport(created.plugin.deviceTransport);

  const xml = gateway.certificates.get(SUPPLIER)!;
  await gateway.admin("POST", "/users", [{ userId: SUPPLIER, partyId: "SUPPLIER-A", roles: ["IS"], certificates: [{ usage: "xml", pem: xml.pem }, { usage: "ds", pem: supplierDs.pem }] }]);
  await gateway.admin("POST", "/inventory/devices", [
    { deviceId: CHF, type: "CHF", status: "commissioned" },
    { deviceId: ESME, type: "ESME", status: "commissioned", mpxn: MPAN, chfId: CHF },
  ]);
  await gateway.admin("PUT", "/registration", `mpxn,fuel,role,partyId,effectiveFrom,effectiveTo\n${MPAN},electricity,IS,SUPPLIER-A,2020-01-01,\n`, "text/csv");
  // The user's side: the supplier's KA private key (to check and decrypt responses), the device's certificates.
  ring.add({ eui: SUPPLIER, role: "ka", certificate: null, publicKey: supplierKa.keys.publicKey, privateKey: supplierKa.keys.privateKey });
  return { gateway, devices, ring, supplierDs: supplierDs.keys.privateKey };
}

async function deliveredResponses(gateway: TestGateway, devices: DeviceEmulator, ring: KeyRing) {
  await devices.idle();
  await new Promise((resolve) => setTimeout(resolve, 20));
  const outbox = await (await gateway.admin("GET", `/users/${SUPPLIER}/outbox`)).json() as { xml: string }[];
  const check = new KeyRing();
  for (const entry of ring.all()) check.add(entry);
  const { readCertificate } = await import("@opendcc/gbcs");
  const { importPublicKey } = await import("@opendcc/kernel");
  for (const usage of ["ka", "ds"] as const) {
    const certificate = readCertificate((await devices.certificates(ESME))[usage].der);
    check.add({ eui: ESME, role: usage, certificate, publicKey: await importPublicKey(certificate.spki, usage), privateKey: null });
  }
  const parsed = [];
  for (const { xml } of outbox) {
    const response = parseResponse(xml);
    if (response.body.kind !== "ResponseMessage" || response.body.content?.kind !== "GBCSPayload") continue;
    parsed.push({ header: response.header, gbcs: await parseGbcs(response.body.content.gbcsPayload, { ring: check }) });
  }
  return parsed;
}

describe("through a real gateway", () => {
  it("reads a meter (ECS17b): the user gets the register the meter holds, MAC'd and encrypted for it", async () => {
    const { gateway, devices, ring } = await gatewayWithDevices();
    const answer = await gateway.send("serviceS", await signAs(gateway, SUPPLIER, requestXml({ counter: 7001, cv: 1, srv: "4.1.1", element: "ReadInstantaneousImportRegisters", target: ESME })));
    expect(answer.code).toBe("I99");
    const [delivered] = await deliveredResponses(gateway, devices, ring);
    expect(delivered?.header).toMatchObject({ responseCode: "I0", requestId: { originator: SUPPLIER, target: ESME, counter: 7001n } });
    expect(delivered?.gbcs.protection?.checked).toEqual(["mac", "encryption"]);
    const register = (delivered?.gbcs.payload.fields as { results: { value: { attributes: { value: { value: number }[] }[] } }[] }).results[0]?.value.attributes[0]?.value[0]?.value;
    expect(register).toBe(devices.device(ESME).register?.value);
  });

  describeWithFixtures("a critical tariff update (ECS01a) from the RTDS DUIS sample", () => {
    it("goes out as a Pre-Command, comes back signed, and the meter takes the tariff its signed response confirms", async () => {
      const { gateway, devices, ring, supplierDs } = await gatewayWithDevices();
      const sample = readFileSync(join(fixturesDir, "duis", "ECS01a_1.1.1_IMMEDIATE_BLOCK_SUCCESS_REQUEST_DUIS.XML"), "utf8").replace(/<ds:Signature[\s\S]*<\/ds:Signature>/, "");
      const preCommandAnswer = await gateway.send("serviceT", await signAs(gateway, SUPPLIER, sample));
      expect(preCommandAnswer.code).toBe("I0");
      const body = parseResponse(preCommandAnswer.xml).body;
      if (body.kind !== "ResponseMessage" || body.content?.kind !== "PreCommand") throw new Error("no Pre-Command");
      const signed = await signPreCommand(body.content.gbcsPayload, supplierDs);
      const signedXml = sample
        .replace(/<sr:CommandVariant>4</, "<sr:CommandVariant>5<")
        .replace(/<sr:Body>[\s\S]*<\/sr:Body>/, `<sr:Body><sr:SignedPreCommand><sr:GBCSPayload>${btoa(String.fromCharCode(...signed))}</sr:GBCSPayload></sr:SignedPreCommand></sr:Body>`);
      expect(devices.device(ESME).tariff.source).toBe("default");
      expect((await gateway.send("serviceS", await signAs(gateway, SUPPLIER, signedXml))).code).toBe("I99");
      const [delivered] = await deliveredResponses(gateway, devices, ring);
      expect(delivered?.gbcs).toMatchObject({ useCase: "ECS01a", signed: true, protection: { checked: ["signature"] } });
      const results = (delivered?.gbcs.payload.fields as { results: { result: string }[] }).results;
      expect(results.length).toBeGreaterThan(10);
      expect(results.every((r) => r.result === "success")).toBe(true);
      const tariff = devices.device(ESME).tariff;
      expect(tariff.source).toBe("ECS01a");
      expect(Object.keys(tariff.values)).toContain("20/0-0:13.0.0.255/9");
    });
  });
});

describeWithFixtures("ECS01a from the RTDS vectors", () => {
  it("immediate: the signed response is the RTDS response; future dated: held, then carried out with the 0x8F66 alert", async () => {
    const t = await testEstate();
    const mac = async (apdu: Uint8Array) => wrapApdu(await sharedSecret(t.acb.privateKey, t.ring.publicKey(ESME, "ka") as CryptoKey), apdu);
    const immediate = preCommandOf(rtds("1.1.1_ECS01a/ECS01a_1.1.1_IMMEDIATE_TOU_SUCCESS_COMMAND_GBCS.HEX"));
    await t.send(ESME, await mac(await signPreCommand(immediate, t.keys.supplierDs.privateKey)));
    const [response] = await t.take();
    expect(response?.protection?.checked).toEqual(["signature"]);
    expect(contentHex(response!.bytes)).toBe(contentHex(rtds("1.1.1_ECS01a/ECS01a_1.1.1_IMMEDIATE_TOU_SUCCESS_RESPONSE_GBCS.HEX")));
    expect(t.devices.device(ESME).tariff.values["20/0-0:13.0.0.255/7"]).toEqual([{ name: "winter", start: "2014-10-27T00:00:00Z", weekName: "01" }, { name: "summer", start: "2015-03-29T00:00:00Z", weekName: "02" }]);
    const immediateTariff = t.devices.device(ESME).tariff;

    const future = preCommandOf(rtds("1.1.1_ECS01a/ECS01a_1.1.1_FUTURE_DATED_TOU_BLOCK_SUCCESS_PRECOMMAND_GBCS.HEX"));
    await t.send(ESME, await mac(await signPreCommand(future, t.keys.supplierDs.privateKey)));
    const [held] = await t.take();
    expect(contentHex(held!.bytes)).toBe(contentHex(rtds("1.1.1_ECS01a/ECS01a_1.1.1_FUTURE_DATED_TOU_BLOCK_SUCCESS_RESPONSE_GBCS.HEX")));
    expect(t.devices.device(ESME).tariff).toEqual(immediateTariff);
    expect(t.devices.device(ESME).pending).toEqual([{ at: "2030-01-15T09:00:00.000Z", messageCode: "0x0019", originator: SUPPLIER, action: expect.stringMatching(/^tariff \d+$/) }]);

    t.clock = new Date("2030-01-15T09:00:00Z");
    await t.devices.tick();
    const [alert] = await t.take();
    expect(alert).toMatchObject({ cra: 3, messageCode: "0x00CC", signed: true, protection: { checked: ["signature"] }, payload: { fields: { alertCode: "0x8F66" } } });
    // RTDS ECS01a 8F66 alert: the same content but for the device's own alert counter in the invoke-id.
    const expected = contentHex(rtds("1.1.1_ECS01a/ECS01a_1.1.1_8F66_FUTURE_DATED_TOU_BLOCK_SUCCESS_ALERT_CURRENCY_UNIT_GBCS.HEX"));
    expect(contentHex(alert!.bytes).slice(10)).toBe(expected.slice(10));
    expect(t.devices.device(ESME).tariff.values["20/0-0:13.0.0.255/9"]).not.toEqual(immediateTariff.values["20/0-0:13.0.0.255/9"]);
    expect(t.devices.device(ESME).pending).toEqual([]);
  });
});

