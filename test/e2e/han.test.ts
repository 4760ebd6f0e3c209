// HAN membership end to end over HTTP (issue point 6 "join and unjoin an IHD"): the hub's device
// log read from the CHF (8.9, CCS05), the IHD unjoined from and joined to the electricity meter
// (8.8.2 CS04B, 8.7.2 CS03B: the meter's own device log), then taken off the hub's HAN (8.11
// Remove, CCS02), which the Smart Metering Inventory's device log follows.
import { describe, expect, it } from "vitest";
import { joinNonCritical, readDeviceLog, removeFromDeviceLog, unjoinNonCritical } from "./bodies.js";
import { startE2e, type E2e } from "./support.js";

type Status = { responseCode: { code: number; name: string } };

async function sent(e2e: E2e, target: string, body: Parameters<E2e["client"]["send"]>[0]["body"]) {
  const answer = await e2e.client.send({ target, body });
  expect([answer.status, answer.code, answer.reason]).toEqual([200, "I99", null]);
  const delivered = await e2e.delivered(answer.built.key);
  expect(delivered.response.header.responseCode).toBe("I0");
  return delivered.gbcs;
}

describe("HAN over HTTP", () => {
  it("the IHD on the hub's device log, unjoined from and joined to the ESME, then removed from the hub", async () => {
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
  });
});
