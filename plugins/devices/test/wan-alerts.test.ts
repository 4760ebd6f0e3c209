// Alerts and the hub's WAN (README "WAN per hub": with none, alerts wait and go when it returns).
// A prepayment ESME runs out of credit while its hub has no WAN: the low-credit (0x810D, A10) and
// supply-disabled (0x8F0F, A11) alerts are raised then, with that time, and leave when the WAN
// comes back, in the order raised, once.
import { beforeEach, describe, expect, it } from "vitest";
import { CHF, ESME, testEstate, type Received, type TestEstate } from "./support.js";

const DAY = 86_400_000;
let t: TestEstate;

beforeEach(async () => {
  t = await testEstate();
});

const summary = (message: Received) => {
  const fields = message.payload.fields as { alertCode: string; timestamp: string };
  return { originator: message.originator, cra: message.cra, counter: message.counter, messageCode: message.messageCode, alertCode: fields.alertCode, timestamp: fields.timestamp };
};

describe("alerts while the hub has no WAN", () => {
  it("are held, keep the time they were raised, and leave in order once the WAN is back, even intermittent", async () => {
    t.devices.setWan(CHF, "none");
    const raisedAt = new Date(t.clock.getTime() + 31 * DAY);
    t.clock = raisedAt;
    await t.devices.tick();
    expect(t.received).toEqual([]);
    expect(t.devices.device(ESME)).toMatchObject({ supply: "disabled", events: [{ code: "0x810D" }, { code: "0x8F0F" }] });

    t.clock = new Date(raisedAt.getTime() + 3_600_000);
    t.devices.setWan(CHF, "intermittent", 0);
    await t.devices.idle();
    const at = raisedAt.toISOString().replace(".000Z", "Z");
    expect((await t.take()).map(summary)).toEqual([
      { originator: ESME, cra: 3, counter: "1", messageCode: "0x1001", alertCode: "0x810D", timestamp: at },
      { originator: ESME, cra: 3, counter: "2", messageCode: "0x1000", alertCode: "0x8F0F", timestamp: at },
    ]);

    // Down and up again: nothing is sent twice.
    t.devices.setWan(CHF, "none");
    t.devices.setWan(CHF, "connected");
    await t.devices.idle();
    expect(t.received).toHaveLength(2);
  });

  it("a command cannot reach the hub's devices meanwhile, and what they raise afterwards goes at once", async () => {
    t.devices.setWan(CHF, "none");
    const command = await t.command({ srv: "4.1.1", deviceType: "ESME", target: ESME, counter: 5000n });
    await expect(t.send(ESME, command)).rejects.toThrow(`the WAN connection of communications hub ${CHF} is down`);
    t.devices.setWan(CHF, "connected");
    await t.devices.idle();
    expect(t.received).toEqual([]);

    t.clock = new Date(t.clock.getTime() + 31 * DAY);
    await t.devices.tick();
    expect((await t.take()).map((m) => summary(m).alertCode)).toEqual(["0x810D", "0x8F0F"]);
  });
});
