// The fleet (premises with inventory records), snapshots (msgpackr), the WAN per hub, and the
// plugin's routes through the SDK's harness (certificates by EUI and key usage).
import { beforeEach, describe, expect, it } from "vitest";
import { readCertificate } from "@opendcc/gbcs";
import { startPluginForTest } from "@opendcc/plugin-sdk/testing";
import { createDevicesPlugin, fleetEui } from "../src/index.js";
import { CHF, ESME, testEstate, type TestEstate } from "./support.js";

let t: TestEstate;
beforeEach(async () => {
  t = await testEstate();
});

describe("fleet", () => {
  it("provisions premises of CHF, GPF, ESME, GSME and IHD with inventory records and device logs", () => {
    const fleet = t.devices.provisionFleet(3, { prepaymentEvery: 2 });
    expect(fleet).toMatchObject({ firstPremises: 0, count: 3 });
    const records = [...fleet.records()];
    expect(records).toHaveLength(15);
    expect(records.slice(0, 5).map((r) => [r.deviceId, r.type, r.chfId, r.associatedWith, r.mpxn])).toEqual([
      ["00DB200000000002", "CHF", "00DB200000000002", null, null],
      ["00DB200000000003", "GPF", "00DB200000000002", null, null],
      ["00DB200000000000", "ESME", "00DB200000000002", null, "1300000000000"],
      ["00DB200000000001", "GSME", "00DB200000000002", "00DB200000000003", "8000000"],
      ["00DB200000000005", "IHD", "00DB200000000002", "00DB200000000000", null],
    ]);
    expect(records.every((r) => r.status === "commissioned")).toBe(true);
    expect([...fleet.deviceLogs()][2]).toEqual({ chfId: fleetEui(0x20000000, 2, 2), deviceIds: ["00DB200000020003", "00DB200000020000", "00DB200000020001", "00DB200000020005"] });
    expect(t.devices.device("00DB200000020000")).toMatchObject({ kind: "ESME", paymentMode: "prepayment", hubId: "00DB200000020002", supply: "enabled" });
    expect(t.devices.device("00DB200000010000").paymentMode).toBe("credit");
    expect(t.devices.device("00DB200000010002").deviceLog.map((e) => e.kind)).toEqual(["ESME", "GSME", "GPF", "IHD"]);
    expect(() => t.devices.device("00DB200000030000")).toThrow(/no emulated device 00DB200000030000/);
    // A second block carries on the numbering.
    expect(t.devices.provisionFleet(1).firstPremises).toBe(3);
    expect(t.devices.device("00DB200000030001").kind).toBe("GSME");
  });

  it("answers commands to fleet devices like any other", async () => {
    t.devices.provisionFleet(2);
    const meter = "00DB200000010000";
    const certificates = await t.devices.certificates(meter);
    const certificate = readCertificate(certificates.ka.der);
    expect(certificate).toMatchObject({ eui: meter, usage: "ka" });
    const { importPublicKey } = await import("@opendcc/kernel");
    t.ring.add({ eui: meter, role: "ka", certificate, publicKey: await importPublicKey(certificate.spki, "ka"), privateKey: null });
    await t.send(meter, await t.command({ srv: "4.1.1", deviceType: "ESME", target: meter, counter: 9000n }));
    const [response] = await t.take();
    expect(response).toMatchObject({ originator: meter, useCase: "ECS17b", protection: { checked: ["mac", "encryption"] } });
  });
});

describe("snapshots", () => {
  it("save and load: state, counters, keys and held commands survive", async () => {
    t.devices.provisionFleet(2);
    await t.send(ESME, await t.command({ srv: "7.2", deviceType: "ESME", target: ESME, counter: 4000n }));
    await t.take();
    const before = t.devices.device(ESME);
    const certificates = await t.devices.certificates(ESME);
    const bytes = t.devices.snapshot();
    expect(bytes.length).toBeLessThan(20_000);

    const fresh = await testEstate();
    fresh.devices.restore(bytes);
    expect(fresh.devices.device(ESME)).toEqual(before);
    expect(fresh.devices.device("00DB200000010001").kind).toBe("GSME");
    expect((await fresh.devices.certificates(ESME)).ka.der).toEqual(certificates.ka.der);
    // Loading into the running emulator (same trust anchors): later changes are undone, counters kept.
    await t.send(ESME, await t.command({ srv: "7.1", deviceType: "ESME", target: ESME, counter: 4001n }));
    expect(t.devices.device(ESME).supply).toBe("enabled");
    t.devices.restore(bytes);
    expect(t.devices.device(ESME)).toEqual(before);
    await t.send(ESME, await t.command({ srv: "4.1.1", deviceType: "ESME", target: ESME, counter: 4000n }));
    expect(t.log.join("\n")).toMatch(/counter 4000 is not greater than the last accepted \(4000\)/);
    expect(() => fresh.devices.restore(new Uint8Array([0x81, 0xa7, 0x76, 0x65, 0x72, 0x73, 0x69, 0x6f, 0x6e, 0x02]))).toThrow(/snapshot version 2 is not 1/);
  });
});

describe("the WAN", () => {
  it("delays by the hub's latency, loses some commands when intermittent, holds alerts while down", async () => {
    t.devices.setWan(CHF, "connected", 60);
    const started = Date.now();
    await t.send(ESME, await t.command({ srv: "4.1.1", deviceType: "ESME", target: ESME, counter: 100n }));
    expect(Date.now() - started).toBeGreaterThanOrEqual(55);
    expect(t.devices.device(CHF).wan).toEqual({ state: "connected", latencyMs: 60 });

    t.devices.setWan(CHF, "intermittent", 0);
    const outcomes: string[] = [];
    for (let i = 0; i < 20; i++) {
      const command = await t.command({ srv: "4.1.1", deviceType: "ESME", target: ESME, counter: 200n + BigInt(i) });
      outcomes.push(await t.devices.send({ requestId: "x", deviceId: ESME, gbcs: command }).then(() => "sent", (e: Error) => e.message));
    }
    const lost = outcomes.filter((o) => /lost \(intermittent WAN\)/.test(o)).length;
    expect(lost).toBeGreaterThan(0);
    expect(lost).toBeLessThan(20);

    await t.devices.idle();
    t.devices.setWan(CHF, "none");
    const already = t.received.length;
    t.clock = new Date(t.clock.getTime() + 60 * 86_400_000);
    await t.devices.tick();
    expect(t.received.length).toBe(already);
    t.devices.setWan(CHF, "connected", 0);
    await t.devices.idle();
    expect(t.received.length).toBe(already + 2);
    expect(() => t.devices.setWan(ESME, "none")).toThrow(/is a ESME, not a Communications Hub Function/);
  });
});

describe("the plugin", () => {
  it("is the device transport and serves certificates by EUI and key usage, device state and WAN state", async () => {
    const { plugin, devices } = await createDevicesPlugin({ accessControlBrokerKa: (await testEstateAcb()).pem, tickMs: 10 });
    expect(plugin.deviceTransport).toBe(devices);
    devices.add({ deviceId: CHF, kind: "CHF" });
    devices.add({ deviceId: ESME, kind: "ESME", hubId: CHF });
    const host = await startPluginForTest(plugin);
    expect(host.status).toEqual([{ name: "devices", state: "running", error: null, handlerErrors: 0 }]);
    const pem = await (await host.request(`/smki/${ESME}/ka`)).text();
    expect(pem).toBe((await devices.certificates(ESME)).ka.pem);
    const der = new Uint8Array(await (await host.request(`/smki/${ESME}/ds?format=der`)).arrayBuffer());
    expect(readCertificate(der)).toMatchObject({ eui: ESME, usage: "ds" });
    expect((await host.request(`/smki/${ESME}/xx`)).status).toBe(400);
    expect((await host.request("/smki/00DB000000000009/ka")).status).toBe(404);
    expect(await (await host.request(`/devices/${ESME}`)).json()).toMatchObject({ deviceId: ESME, kind: "ESME", supply: "enabled" });
    const put = await host.request(`/hubs/${CHF}/wan`, { method: "PUT", body: JSON.stringify({ state: "intermittent", latencyMs: 250 }), headers: { "content-type": "application/json" } });
    expect(await put.json()).toEqual({ state: "intermittent", latencyMs: 250 });
    expect((await host.request(`/hubs/${CHF}/wan`, { method: "PUT", body: JSON.stringify({ state: "sometimes" }) })).status).toBe(400);
    await host.stop();
  });
});

async function testEstateAcb() {
  const { TestSmki, ACCESS_CONTROL_BROKER } = await import("@opendcc/gbcs");
  const smki = await TestSmki.create();
  return smki.issue({ eui: ACCESS_CONTROL_BROKER, usage: "ka", commonName: "ACB", roleCode: "04" });
}

