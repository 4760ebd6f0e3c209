// Commissioning end to end over HTTP (issue point 3): a new premises' hub and meters, installed in
// the emulated estate but not yet joined, go through the gateway: pre-notification (12.2,
// pending), the hub's install success on the SM WAN (8.14.1, commissioned), each meter added to
// the hub's device log (8.11, CCS01: on the HAN and 'installed not commissioned'), then
// commissioned (8.1.1, critical: ECS70 / GCS28 clock synchronisation). Enrolment follows
// paragraphs 173-174: the electricity system is enrolled once its ESME and CHF are commissioned;
// the gas system needs its GPF commissioned too. No GBCS use case commissions a GPF (8.1.1 maps to
// ECS70 and GCS28 only), so the DCC itself sets it commissioned on 8.1.1 (paragraph 186).
import { describe, expect, it } from "vitest";
import { addToDeviceLog, commissionDevice, hubInstalled, hubInstalledWithoutWan, preNotify, updateMpxn } from "./bodies.js";
import { readImportRegisters, startE2e, type E2e } from "./support.js";

const DCC = "90B3D51F30000002";
const HUB = { chf: "00DB1234567890B2", gpf: "00DB1234567890B3", esme: "00DB1234567890B0", gsme: "00DB1234567890B1" } as const;
const MPAN = "1300000099999";
const MPRN = "8099999";

type BodySpec = Parameters<E2e["client"]["send"]>[0]["body"];

describe("commissioning over HTTP", () => {
  it("pre-notified, hub on the WAN, meters joined to the HAN and commissioned; enrolment exactly when paragraphs 173-174 say", async () => {
    const clock = new Date();
    const e2e = await startE2e({ now: () => clock });
    const { devices, dcc } = e2e.gateway;
    const inventory = dcc.services.inventory;
    const status = (deviceId: string) => inventory.get(deviceId)?.status;
    const nonDevice = async (body: BodySpec) => {
      const answer = await e2e.client.send({ target: DCC, body, cv: 8 });
      // Executed there and then; this gateway answers such updates I99 (nothing more to deliver).
      expect([answer.status, answer.code, answer.reason]).toEqual([200, "I99", null]);
    };
    const onDevice = async (target: string, body: BodySpec) => {
      const answer = await e2e.client.send({ target, body });
      expect([answer.code, answer.reason]).toEqual(["I99", null]);
      return e2e.delivered(answer.built.key);
    };

    // The installer fits the hub (CHF and its gas proxy) and the meters: in the estate, meters not on the HAN.
    devices.add({ deviceId: HUB.chf, kind: "CHF" });
    devices.add({ deviceId: HUB.gpf, kind: "GPF", hubId: HUB.chf });
    devices.add({ deviceId: HUB.esme, kind: "ESME", hubId: HUB.chf, joined: false });
    devices.add({ deviceId: HUB.gsme, kind: "GSME", hubId: HUB.chf, joined: false });
    expect((await e2e.device(HUB.chf)).deviceLog).toEqual([{ deviceId: HUB.gpf, kind: "GPF" }]);
    // The DCC's hub ordering puts the hub in the inventory; the supplier pre-notifies its meters (paragraph 183).
    const premises = { postcode: "SW1A 2AA", address: "2 Demo Street", uprn: "100000000002" };
    const delivered = (deviceId: string, type: string) => ({
      deviceId, type, status: "pending", manufacturer: "OD02", model: "EMULATED", firmwareVersion: "00010000", mpxn: null, chfId: type === "GPF" ? HUB.chf : null, associatedWith: null, premises,
    });
    await e2e.json("POST", "/admin/v1/inventory/devices", [delivered(HUB.chf, "CHF"), delivered(HUB.gpf, "GPF")]);
    await nonDevice(preNotify(HUB.esme, "ESME"));
    await nonDevice(preNotify(HUB.gsme, "GSME"));
    expect([HUB.chf, HUB.gpf, HUB.esme, HUB.gsme].map(status)).toEqual(["pending", "pending", "pending", "pending"]);

    // 8.14.1: the hub connected to the SM WAN is commissioned (paragraph 185).
    await nonDevice(hubInstalled(HUB.chf, MPAN));
    expect(status(HUB.chf)).toBe("commissioned");
    const appointments = await e2e.json<unknown[]>("GET", "/admin/v1/registration");
    await e2e.json("PUT", "/admin/v1/registration", [
      ...appointments,
      { mpxn: MPAN, fuel: "electricity", role: "IS", partyId: e2e.user.certificates.partyId, effectiveFrom: "2020-01-01", effectiveTo: null },
      { mpxn: MPRN, fuel: "gas", role: "GS", partyId: e2e.user.certificates.partyId, effectiveFrom: "2020-01-01", effectiveTo: null },
    ]);
    await nonDevice(updateMpxn(HUB.esme, MPAN));
    await nonDevice(updateMpxn(HUB.gsme, MPRN));

    // 8.11: the meters join the hub's HAN (CCS01): on the device, and 'installed not commissioned' (paragraph 184).
    for (const [meter, mpxn] of [[HUB.esme, MPAN], [HUB.gsme, MPRN]] as const) {
      const joined = await onDevice(HUB.chf, addToDeviceLog(meter, mpxn));
      expect(joined.gbcs).toMatchObject({ useCase: "CCS01", originator: HUB.chf });
      expect((joined.gbcs?.payload.fields as { results: { result: string }[] }).results.map((r) => r.result)).toEqual(["success", "success", "success"]);
      expect(status(meter)).toBe("installed-not-commissioned");
      expect(inventory.get(meter)?.chfId).toBe(HUB.chf);
    }
    expect((await e2e.device(HUB.chf)).deviceLog.map((entry) => entry.deviceId)).toEqual([HUB.gpf, HUB.esme, HUB.gsme]);
    expect(inventory.isEnrolled(HUB.esme)).toBe(false);

    // 8.1.1 on the ESME (critical): ECS70, and the electricity system is enrolled (paragraph 173).
    const esme = await e2e.client.critical({ target: HUB.esme, body: commissionDevice(clock) });
    expect([esme.preCommand.code, esme.answer.code]).toEqual(["I0", "I99"]);
    const synchronised = await e2e.delivered(esme.built.key);
    expect(synchronised.gbcs).toMatchObject({ useCase: "ECS70", signed: true, protection: { checked: ["signature"] } });
    expect((synchronised.gbcs?.payload.fields as { results: { result: string }[] }).results.every((r) => r.result === "success")).toBe(true);
    expect(status(HUB.esme)).toBe("commissioned");
    expect(inventory.isEnrolled(HUB.esme)).toBe(true);
    const read = await onDevice(HUB.esme, readImportRegisters);
    expect(read.gbcs).toMatchObject({ useCase: "ECS17b", protection: { checked: ["mac", "encryption"] } });

    // 8.1.1 on the GSME before its gas proxy: the inventory would not commission it (paragraphs
    // 174, 187), so the DCC refuses it before anything goes to the meter (E5).
    const early = await e2e.client.send({ target: HUB.gsme, body: commissionDevice(clock), cv: 4 });
    expect(early.code).toBe("E5");
    expect(early.reason).toMatch(/the gas proxy of CHF .* is not commissioned/);
    expect(status(HUB.gsme)).toBe("installed-not-commissioned");
    expect(inventory.isEnrolled(HUB.gsme)).toBe(false);

    // 8.1.1 on the gas proxy: the DCC commissions it in the inventory there and then (I0, paragraph 186).
    const proxy = await e2e.client.send({ target: HUB.gpf, body: commissionDevice(clock), cv: 4 });
    expect([proxy.code, proxy.reason]).toEqual(["I0", null]);
    expect(status(HUB.gpf)).toBe("commissioned");

    // Now the gas meter's 8.1.1 commissions it and the gas system is enrolled (paragraph 174).
    const gsme = await e2e.client.critical({ target: HUB.gsme, body: commissionDevice(clock) });
    expect(gsme.answer.code).toBe("I99");
    await e2e.delivered(gsme.built.key);
    expect(status(HUB.gsme)).toBe("commissioned");
    expect(inventory.isEnrolled(HUB.gsme)).toBe(true);
  });

  it("install and leave: the hub installed with no SM WAN (8.14.2) cannot be reached; when its WAN comes the DCC commissions it (paragraph 185) and the meter joins and is commissioned", async () => {
    const clock = new Date();
    const e2e = await startE2e({ now: () => clock });
    const { devices, dcc } = e2e.gateway;
    const inventory = dcc.services.inventory;
    const status = (deviceId: string) => inventory.get(deviceId)?.status;
    const hub = { chf: "00DB1234567890C2", gpf: "00DB1234567890C3", esme: "00DB1234567890C0" };
    const mpan = "1300000088888";
    devices.add({ deviceId: hub.chf, kind: "CHF" });
    devices.add({ deviceId: hub.gpf, kind: "GPF", hubId: hub.chf });
    devices.add({ deviceId: hub.esme, kind: "ESME", hubId: hub.chf, joined: false });
    // No SM WAN where the hub is fitted.
    await e2e.json("PUT", `/plugins/devices/hubs/${hub.chf}/wan`, { state: "none" });
    const premises = { postcode: "SW1A 3AA", address: "3 Demo Street", uprn: "100000000003" };
    await e2e.json("POST", "/admin/v1/inventory/devices", [hub.chf, hub.gpf].map((deviceId, i) => ({
      deviceId, type: i === 0 ? "CHF" : "GPF", status: "pending", manufacturer: "OD02", model: "EMULATED", firmwareVersion: "00010000", mpxn: null, chfId: i === 0 ? null : hub.chf, associatedWith: null, premises,
    })));
    const appointments = await e2e.json<unknown[]>("GET", "/admin/v1/registration");
    await e2e.json("PUT", "/admin/v1/registration", [...appointments, { mpxn: mpan, fuel: "electricity", role: "IS", partyId: e2e.user.certificates.partyId, effectiveFrom: "2020-01-01", effectiveTo: null }]);
    for (const body of [preNotify(hub.esme, "ESME"), updateMpxn(hub.esme, mpan), hubInstalledWithoutWan(hub.chf, mpan)]) {
      const answer = await e2e.client.send({ target: DCC, body, cv: 8 });
      expect([answer.code, answer.reason]).toEqual(["I99", null]);
    }
    expect(status(hub.chf)).toBe("installed-not-commissioned");

    // Until the WAN comes, the hub cannot be reached: the join is refused, and the meter stays off the HAN.
    const early = await e2e.client.send({ target: hub.chf, body: addToDeviceLog(hub.esme, mpan) });
    expect(early.code).toBe("E20");
    expect(early.reason).toMatch(/WAN connection of communications hub 00DB1234567890C2 is down/);
    expect(status(hub.esme)).toBe("pending");

    // The WAN comes: the CSP reports the hub's connection and the DCC commissions it (paragraph 185).
    await e2e.json("PUT", `/plugins/devices/hubs/${hub.chf}/wan`, { state: "connected", latencyMs: 5 });
    expect(status(hub.chf)).toBe("commissioned");
    const joined = await e2e.client.send({ target: hub.chf, body: addToDeviceLog(hub.esme, mpan) });
    expect(joined.code).toBe("I99");
    expect((await e2e.delivered(joined.built.key)).gbcs).toMatchObject({ useCase: "CCS01", originator: hub.chf });
    expect(status(hub.esme)).toBe("installed-not-commissioned");
    const commissioned = await e2e.client.critical({ target: hub.esme, body: commissionDevice(clock) });
    expect(commissioned.answer.code).toBe("I99");
    await e2e.delivered(commissioned.built.key);
    expect(status(hub.esme)).toBe("commissioned");
    expect(inventory.isEnrolled(hub.esme)).toBe(true);
  });
});
