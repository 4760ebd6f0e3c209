// HAN membership end to end over HTTP (issue point 6 "join and unjoin an IHD"): the hub's device
// log read from the CHF (8.9, CCS05), the IHD unjoined from and joined to the electricity meter
// (8.8.2 CS04B, 8.7.2 CS03B: the meter's own device log), then taken off the hub's HAN (8.11
// Remove, CCS02) and put back (8.11 Add, CCS01, with the device type the inventory holds: DUIS
// names an IHD by ID only), which the Smart Metering Inventory's device log follows.
import { describe, expect, it } from "vitest";
import { children, node, parseResponse, text } from "@opendcc/duis";
import { joinNonCritical, readDeviceLog, removeFromDeviceLog, unjoinNonCritical } from "./bodies.js";
import { startE2e, type E2e } from "./support.js";

const DCC = "90B3D51F30000002";
/** SRV 8.11 Add of a device that is no meter: no ImportMPxN, so its GBCS type is the inventory's. */
const addType2ToDeviceLog = (deviceId: string) => ({
  srv: "8.11", element: "UpdateHANDeviceLog",
  children: [node("DeviceID", deviceId), node("RequestType", "Add"), node("AddDeviceToCHFWhitelist", [node("JoinTimePeriod", "90"), node("InstallCode", "30313233343536373839414243444546")])],
});
/** SRV 8.2 Read Inventory by a hub: the hub and the devices on its HAN, as DUIS DSPInventory records. */
const readInventory = (deviceId: string) => ({ srv: "8.2", element: "ReadInventory", children: [node("DeviceID", deviceId)] });

type Status = { responseCode: { code: number; name: string } };

async function sent(e2e: E2e, target: string, body: Parameters<E2e["client"]["send"]>[0]["body"]) {
  const answer = await e2e.client.send({ target, body });
  expect([answer.status, answer.code, answer.reason]).toEqual([200, "I99", null]);
  const delivered = await e2e.delivered(answer.built.key);
  expect(delivered.response.header.responseCode).toBe("I0");
  return delivered.gbcs;
}

/** The device IDs 8.2 Read Inventory (over HTTP, CV 8) returns for a hub: the hub and its HAN as the inventory has it. */
async function hubSystem(e2e: E2e, chf: string): Promise<string[]> {
  const answer = await e2e.client.send({ target: DCC, body: readInventory(chf), cv: 8 });
  expect([answer.status, answer.code]).toEqual([200, "I0"]);
  const body = parseResponse(answer.xml).body;
  const inventory = body.kind === "ResponseMessage" && body.content?.kind === "DSPInventory" ? body.content.node : null;
  return children(inventory ?? node("none"), "Device").map((device) => (text(device, "DeviceID") ?? "").replace(/-/g, "")).sort();
}

describe("HAN over HTTP", () => {
  it("the IHD on the hub's device log, unjoined from and joined to the ESME, then removed from the hub and added back", async () => {
    const e2e = await startE2e();
    const { chf, esme, gsme, gpf, ihd } = e2e.premises;
    const inventoryLog = () => e2e.gateway.dcc.services.inventory.deviceLog(chf).map((entry) => entry.deviceId).sort();

    const hubLog = await sent(e2e, chf, readDeviceLog);
    expect(hubLog).toMatchObject({ originator: chf, messageCode: "0x0004" });
    const active = (hubLog?.payload.fields as { results: { value: string[][] }[] }).results[0]?.value.map((entry) => entry[0]);
    expect(active).toEqual([esme, gsme, gpf, ihd]);

    const unjoined = await sent(e2e, esme, unjoinNonCritical(ihd));
    expect(unjoined).toMatchObject({ useCase: "CS04B", originator: esme });
    expect(unjoined?.payload.fields as Status).toEqual({ responseCode: { code: 0, name: "success" } });
    expect((await e2e.device(esme)).deviceLog).toEqual([]);
    const again = await sent(e2e, esme, unjoinNonCritical(ihd));
    expect(again?.payload.fields as Status).toEqual({ responseCode: { code: 1, name: "notInDeviceLog" } });

    const joined = await sent(e2e, esme, joinNonCritical(ihd));
    expect(joined).toMatchObject({ useCase: "CS03B", originator: esme });
    expect(joined?.payload.fields as Status).toEqual({ responseCode: { code: 0, name: "success" } });
    expect((await e2e.device(esme)).deviceLog).toEqual([{ deviceId: ihd, kind: "IHD" }]);

    expect(inventoryLog()).toEqual([esme, gsme, gpf, ihd].sort());
    const removed = await sent(e2e, chf, removeFromDeviceLog(ihd));
    expect(removed).toMatchObject({ useCase: "CCS02", originator: chf });
    expect((removed?.payload.fields as { results: { result: string }[] }).results.map((r) => r.result)).toEqual(["success"]);
    expect((await e2e.device(chf)).deviceLog.map((entry) => entry.deviceId)).toEqual([esme, gsme, gpf]);
    expect(inventoryLog()).toEqual([esme, gsme, gpf].sort());
    expect(await hubSystem(e2e, chf)).toEqual([chf, esme, gsme, gpf].sort());

    // The IHD is in the inventory but off the hub's log: 8.11 Add puts it back, as a Type 2 device (GBCS DeviceType 6).
    const added = await sent(e2e, chf, addType2ToDeviceLog(ihd));
    expect(added).toMatchObject({ useCase: "CCS01", originator: chf });
    expect((added?.payload.fields as { results: { result: string }[] }).results.map((r) => r.result)).toEqual(["success", "success", "success"]);
    expect((await e2e.device(chf)).deviceLog).toEqual([
      { deviceId: esme, kind: "ESME" }, { deviceId: gsme, kind: "GSME" }, { deviceId: gpf, kind: "GPF" }, { deviceId: ihd, kind: "IHD" },
    ]);
    expect(inventoryLog()).toEqual([esme, gsme, gpf, ihd].sort());
    expect(e2e.gateway.dcc.services.inventory.deviceLog(chf).find((entry) => entry.deviceId === ihd)?.type).toBe("IHD");
    expect(await hubSystem(e2e, chf)).toEqual([chf, esme, gsme, gpf, ihd].sort());
  });

  it("refuses an 8.11 Add of a device the inventory does not hold: its type would be unknown", async () => {
    const e2e = await startE2e();
    const answer = await e2e.client.send({ target: e2e.premises.chf, body: addType2ToDeviceLog("00DB1234567890FF") });
    expect([answer.status, answer.code]).toEqual([200, "E19"]);
    expect(answer.reason).toMatch(/DeviceID 00DB1234567890FF is not a device in the Smart Metering Inventory/);
  });
});
