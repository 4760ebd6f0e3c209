// Power lost and restored at a premises (power.ts; issue 5 point 2, Table 5.4 A24/A25). While the
// power is off the hub is down: commands fail naming the power loss and what the meters raise is
// held. When it returns each ESME sends the signed ECS80 Supply Outage Restore Alert (0x0067) to
// the network operator: 0x8F36 after 3 minutes or more, else 0x8F35, laid out as the RTDS vector.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeEach, describe, expect, it } from "vitest";
import { ACCESS_CONTROL_BROKER, GbcsProtectionError, parseGbcs, TestSmki } from "@opendcc/gbcs";
import { toHex } from "@opendcc/kernel";
import { describeWithFixtures, rtdsDir } from "../../../test/support/fixtures.js";
import { DeviceEmulator } from "../src/index.js";
import { PowerStateError } from "../src/power.js";
import { CHF, ESME, NETWORK_OPERATOR, SUPPLIER, testEstate, type Received, type TestEstate } from "./support.js";

const MINUTE = 60_000;
const DAY = 86_400_000;
let t: TestEstate;

beforeEach(async () => {
  t = await testEstate();
});

const later = (ms: number) => (t.clock = new Date(t.clock.getTime() + ms));
const alertCodeOf = (message: Received) => (message.payload.fields as { alertCode: string }).alertCode;

/** COSEM date-time as the vector writes them: day of week, hundredths, deviation not given (FF, 00, 8000), clock status FF. */
const cosemHex = (at: Date) => {
  const two = (n: number) => n.toString(16).toUpperCase().padStart(2, "0");
  return `${at.getUTCFullYear().toString(16).toUpperCase().padStart(4, "0")}${two(at.getUTCMonth() + 1)}${two(at.getUTCDate())}FF${two(at.getUTCHours())}${two(at.getUTCMinutes())}${two(at.getUTCSeconds())}008000FF`;
};

/**
 * The ECS80 alert up to its signature, field by field as RTDS ECS80_NA_8F36_ALERT_GBCS.HEX lays it
 * out: General-Signing, CRA 3, counter, ESME -> network operator, no date-time, message code 0x0067,
 * then the DLMS DATA-NOTIFICATION { alert code, alert time, outage start, restoration }; 40 precedes the signature.
 */
function ecs80Layout(a: { counter: bigint; alertCode: string; alertAt: Date; lostAt: Date; restoredAt: Date }): string {
  const counter = a.counter.toString(16).toUpperCase().padStart(16, "0");
  const invokeId = `20${(a.counter & 0xffffffn).toString(16).toUpperCase().padStart(6, "0")}`;
  return `DF0903${counter}08${ESME}08${NETWORK_OPERATOR}00020067` +
    `350F${invokeId}00020412${a.alertCode}090C${cosemHex(a.alertAt)}090C${cosemHex(a.lostAt)}090C${cosemHex(a.restoredAt)}40`;
}

describe("power at a premises", () => {
  it("lost: a command fails naming the power loss and what the meter raises is held; restored: the held alerts go, then ECS80 0x8F36 to the network operator", async () => {
    const lost = t.devices.setPower(CHF, "lost");
    expect(lost).toEqual({ hubId: CHF, state: "lost", lostAt: t.clock.toISOString(), restoredAt: null, alert: null });
    const command = await t.command({ srv: "4.1.1", deviceType: "ESME", target: ESME, counter: 5000n });
    await expect(t.send(ESME, command)).rejects.toThrow(`the power is lost at the premises of communications hub ${CHF} (since ${t.clock.toISOString()}): the hub is down`);

    // The prepayment ESME runs dry during the outage: its alerts are raised and logged, not sent.
    later(31 * DAY);
    await t.devices.tick();
    expect(t.received).toEqual([]);
    expect(t.devices.device(ESME).events.map((e) => e.code)).toEqual(["0x810D", "0x8F0F"]);

    const restored = t.devices.setPower(CHF, "restored");
    expect(restored).toEqual({
      hubId: CHF, state: "restored", lostAt: lost.lostAt, restoredAt: t.clock.toISOString(),
      alert: { code: "0x8F36", deviceIds: [ESME], to: NETWORK_OPERATOR },
    });
    await t.devices.idle();
    const received = await t.take();
    expect(received.map((m) => [m.messageCode, alertCodeOf(m), m.recipient, m.counter])).toEqual([
      ["0x1001", "0x810D", SUPPLIER, "1"],
      ["0x1000", "0x8F0F", SUPPLIER, "2"],
      ["0x0067", "0x8F36", NETWORK_OPERATOR, "3"],
    ]);
    expect(t.devices.device(ESME).events.map((e) => e.code)).toEqual(["0x810D", "0x8F0F", "0x8F36"]);
    // The hub is back as it was, and commands get through again.
    expect(t.devices.device(CHF).wan).toEqual({ state: "connected", latencyMs: 0 });
    await t.send(ESME, await t.command({ srv: "4.1.1", deviceType: "ESME", target: ESME, counter: 5001n }));
    expect((await t.take()).map((m) => [m.cra, m.useCase])).toEqual([[2, "ECS17b"]]);
  });

  it("restored after 5 minutes: a signed ECS80 0x8F36 alert, checked with the ESME's certificate, carrying the outage's start and end", async () => {
    const lostAt = new Date(t.clock);
    t.devices.setPower(CHF, "lost");
    const restoredAt = later(5 * MINUTE);
    t.devices.setPower(CHF, "restored");
    await t.devices.idle();
    const [alert, ...rest] = await t.take();
    expect(rest).toEqual([]);
    expect(alert).toMatchObject({
      form: "GeneralSigning", cra: 3, originator: ESME, recipient: NETWORK_OPERATOR, messageCode: "0x0067", useCase: "ECS80",
      signed: true, protection: { checked: ["signature"], unchecked: null },
      payload: { fields: { alertCode: "0x8F36", annex5Alert: "A25", timestamp: iso(restoredAt), outageStartedAt: iso(lostAt), supplyRestoredAt: iso(restoredAt) } },
    });
    // The signature covers the times: changing the outage's start breaks it.
    const tampered = (alert as Received).bytes.slice();
    const hour = toHex(tampered).indexOf(cosemHex(lostAt)) / 2 + 5;
    expect(hour).toBe(66);
    tampered[hour] = (tampered[hour] ?? 0) ^ 0x01;
    await expect(parseGbcs(tampered, { ring: t.ring })).rejects.toThrow(GbcsProtectionError);
  });

  it("restored after 1 minute: 0x8F35 (A24), logged in the ESME's event log", async () => {
    t.devices.setPower(CHF, "lost");
    later(MINUTE);
    t.devices.setPower(CHF, "restored");
    await t.devices.idle();
    expect((await t.take()).map((m) => [m.messageCode, alertCodeOf(m), (m.payload.fields as { annex5Alert: string }).annex5Alert])).toEqual([["0x0067", "0x8F35", "A24"]]);
    expect(t.devices.device(ESME).events.map((e) => e.code)).toEqual(["0x8F35"]);
    // Just under 3 minutes is still short; 3 minutes exactly is long.
    t.devices.setPower(CHF, "lost");
    later(3 * MINUTE - 1000);
    expect(t.devices.setPower(CHF, "restored").alert?.code).toBe("0x8F35");
    t.devices.setPower(CHF, "lost");
    later(3 * MINUTE);
    expect(t.devices.setPower(CHF, "restored").alert?.code).toBe("0x8F36");
  });

  it("keeps the hub's WAN setting, and one changed during the outage, for when the power returns", async () => {
    t.devices.setWan(CHF, "intermittent", 30);
    t.devices.setPower(CHF, "lost");
    expect(t.devices.device(CHF).wan).toEqual({ state: "none", latencyMs: 30 });
    t.devices.setWan(CHF, "connected", 10);
    expect(t.devices.device(CHF).wan).toEqual({ state: "none", latencyMs: 10 });
    t.devices.setPower(CHF, "restored");
    expect(t.devices.device(CHF).wan).toEqual({ state: "connected", latencyMs: 10 });
    await t.devices.idle();
    expect((await t.take()).map((m) => [m.messageCode, alertCodeOf(m)])).toEqual([["0x0067", "0x8F35"]]);

    // A hub whose WAN was down stays down after the power returns: the alert waits for the WAN.
    t.devices.setWan(CHF, "none");
    t.devices.setPower(CHF, "lost");
    later(MINUTE);
    t.devices.setPower(CHF, "restored");
    await t.devices.idle();
    expect(t.devices.device(CHF).wan).toEqual({ state: "none", latencyMs: 0 });
    expect(await t.take()).toEqual([]);
    t.devices.setWan(CHF, "connected");
    await t.devices.idle();
    expect((await t.take()).map((m) => [m.messageCode, alertCodeOf(m)])).toEqual([["0x0067", "0x8F35"]]);
  });

  it("refuses changes that are no change, and hubs that are not hubs", () => {
    expect(() => t.devices.setPower(CHF, "restored")).toThrow(new PowerStateError(`the power is not lost at the premises of communications hub ${CHF}`));
    t.devices.setPower(CHF, "lost");
    expect(() => t.devices.setPower(CHF, "lost")).toThrow(PowerStateError);
    expect(() => t.devices.setPower(ESME, "lost")).toThrow(`${ESME} is a ESME, not a Communications Hub Function`);
  });

  it("devices that trust no network operator log the restoration and send nothing", async () => {
    const smki = await TestSmki.create("Power test CA");
    const acb = await smki.issue({ eui: ACCESS_CONTROL_BROKER, usage: "ka", commonName: "ACB", roleCode: "04" });
    const supplier = await smki.issue({ eui: SUPPLIER, usage: "ka", commonName: SUPPLIER, roleCode: "02" });
    const log: string[] = [];
    const clock = new Date("2026-11-23T10:00:00Z");
    const devices = await DeviceEmulator.create({ accessControlBrokerKa: acb.der, parties: [{ ka: supplier.der }], smki, now: () => clock, log: (line) => log.push(line) });
    devices.add({ deviceId: CHF, kind: "CHF" });
    devices.add({ deviceId: ESME, kind: "ESME", hubId: CHF });
    const received: unknown[] = [];
    devices.onMessage((message) => received.push(message));
    devices.setPower(CHF, "lost");
    expect(devices.setPower(CHF, "restored").alert).toEqual({ code: "0x8F35", deviceIds: [ESME], to: null });
    await devices.idle();
    expect(received).toEqual([]);
    expect(log).toEqual([`devices: the devices on hub ${CHF} trust no network operator, so no supply outage restore alert (0x8F35) was sent`]);
    expect(devices.device(ESME).events.map((e) => e.code)).toEqual(["0x8F35"]);
  });
});

describeWithFixtures("ECS80 against the RTDS vector", () => {
  it("the alert is the vector's bytes but for the counter, the times and the signature", async () => {
    const vector = readFileSync(join(rtdsDir, "NA_ECS80/ECS80_NA_8F36_ALERT_GBCS.HEX"), "utf8").trim().toUpperCase();
    // The layout is read off the vector: 2003 is its counter; its outage ran 23:50-23:59, alerted at 00:00.
    expect(vector.slice(0, -128)).toBe(ecs80Layout({
      counter: 2003n, alertCode: "8F36", alertAt: new Date("2015-01-01T00:00:00Z"), lostAt: new Date("2014-12-31T23:50:00Z"), restoredAt: new Date("2014-12-31T23:59:00Z"),
    }));

    const lostAt = new Date(t.clock);
    t.devices.setPower(CHF, "lost");
    const restoredAt = later(5 * MINUTE);
    t.devices.setPower(CHF, "restored");
    await t.devices.idle();
    const [alert] = await t.take();
    const bytes = toHex((alert as Received).bytes);
    expect(bytes.length).toBe(vector.length);
    expect(bytes.slice(0, -128)).toBe(ecs80Layout({ counter: 1n, alertCode: "8F36", alertAt: restoredAt, lostAt, restoredAt }));
  });
});

function iso(at: Date): string {
  return at.toISOString().replace(".000Z", "Z");
}
