// Power lost and restored at a premises, end to end over HTTP (issue 5 point 2; Table 5.4 A24/A25;
// plugins/devices power.ts). While the power is off the hub is down: the supplier's command cannot
// be sent (E20, the reason names the power loss) and nothing reaches the network operator. When
// it returns after 5 minutes the ESME's signed ECS80 Supply Outage Restore Alert (0x8F36, outage
// of 3 minutes or more) reaches the network operator's user as a DeviceAlertMessage.
import { describe, expect, it } from "vitest";
import { readImportRegisters, startE2e } from "./support.js";

const MINUTE = 60_000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A clock that runs with real time from an offset the test moves on. */
function movableClock() {
  let offset = 0;
  return { now: () => new Date(Date.now() + offset), advance: (ms: number) => void (offset += ms) };
}

/** An ISO time as a COSEM date-time carries it (whole seconds), as parseGbcs writes it. */
const toSecond = (iso: string) => new Date(Math.floor(Date.parse(iso) / 1000) * 1000).toISOString().replace(".000Z", "Z");

interface PowerChange {
  readonly lostAt: string;
  readonly restoredAt: string | null;
  readonly alert: { readonly code: string; readonly deviceIds: string[]; readonly to: string | null } | null;
}

describe("power at a premises over HTTP", () => {
  it("lost: the command fails naming it and the network operator gets nothing; restored after 5 minutes: the ESME's ECS80 0x8F36 alert reaches the network operator's user", async () => {
    const clock = movableClock();
    const e2e = await startE2e({ now: clock.now, networkOperator: true });
    const operator = e2e.networkOperator;
    if (!operator) throw new Error("no network operator user");
    const { chf, esme } = e2e.premises;
    const outbox = () => e2e.json<unknown[]>("GET", `/admin/v1/users/${operator.user.userId}/outbox`);

    const lost = await e2e.json<PowerChange>("POST", `/plugins/devices/hubs/${chf}/power`, { state: "lost" });
    expect(lost).toMatchObject({ restoredAt: null, alert: null });
    const read = await e2e.client.send({ target: esme, body: readImportRegisters });
    expect(read.code).toBe("E20");
    expect(read.reason).toContain(`the power is lost at the premises of communications hub ${chf}`);
    await sleep(300);
    expect(await outbox()).toEqual([]);

    clock.advance(5 * MINUTE);
    const restored = await e2e.json<PowerChange>("POST", `/plugins/devices/hubs/${chf}/power`, { state: "restored" });
    expect(restored.alert).toEqual({ code: "0x8F36", deviceIds: [esme], to: operator.user.userId });
    const { response, gbcs } = await operator.delivered({ alertCode: "8F36" });
    expect(response.body.kind).toBe("DeviceAlertMessage");
    expect(gbcs).toMatchObject({
      cra: 3, originator: esme, recipient: operator.user.userId, messageCode: "0x0067", useCase: "ECS80",
      signed: true, protection: { checked: ["signature"] },
      payload: { fields: { alertCode: "0x8F36", annex5Alert: "A25", outageStartedAt: toSecond(lost.lostAt), supplyRestoredAt: toSecond(restored.restoredAt ?? "") } },
    });
    // It is the network operator's alert only, and it comes once.
    await expect(e2e.delivered({ alertCode: "8F36" }, 300)).rejects.toThrow(/nothing was delivered/);
    await sleep(300);
    expect(await outbox()).toEqual([]);
    expect((await e2e.device(esme)).events.map((e) => e.code)).toEqual(["0x8F36"]);

    // The hub is back: the supplier's read goes through.
    const again = await e2e.client.send({ target: esme, body: readImportRegisters });
    expect(again.code).toBe("I99");
    expect((await e2e.delivered(again.built.key)).gbcs?.useCase).toBe("ECS17b");
  });

  it("answers a change that is no change with 409 and an unknown hub with 404", async () => {
    const e2e = await startE2e({ networkOperator: true });
    const post = (eui: string, body: unknown) => fetch(`${e2e.gateway.url}/plugins/devices/hubs/${eui}/power`, { method: "POST", body: JSON.stringify(body), headers: { "content-type": "application/json" } });
    const notLost = await post(e2e.premises.chf, { state: "restored" });
    expect([notLost.status, await notLost.json()]).toEqual([409, { error: `the power is not lost at the premises of communications hub ${e2e.premises.chf}` }]);
    expect((await post(e2e.premises.chf, { state: "off" })).status).toBe(400);
    expect((await post("00DB999999990002", { state: "lost" })).status).toBe(404);
  });
});
