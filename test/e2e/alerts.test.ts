// Device alerts end to end over HTTP (issue 5 point 2): alerts of Annex 5 Table 5.4 are raised by
// the state changes that cause them and reach the user within 60 s of the device raising them
// (seed 003 paragraph 129; business-rules DEM-01). Here prepayment meters run out of credit as their
// clock moves on: credit below the low-credit threshold raises 0x810D (A10), at the disablement
// threshold the supply is disabled and 0x8F0F raised (A11). A hub whose WAN is down holds what its
// devices raise and sends it when the WAN comes back (plugins/devices README, WAN per hub).
import { describe, expect, it } from "vitest";
import { parseResponse } from "@opendcc/duis";
import { parseGbcs } from "@opendcc/gbcs";
import { premisesDevices } from "../../bench/src/e2e/gateway.js";
import { startE2e, type Delivered, type E2e } from "./support.js";

const DAY = 86_400_000;
/** Enough for any emulated prepayment meter (1000 pence; at least 3.75 p/h for electricity, 1.4 p/h for gas) to reach zero credit. */
const RUN_DRY = 31 * DAY;
const DEM_01_ALERT_TARGET_MS = 60_000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A clock that runs with real time from an offset the test moves on. */
function movableClock() {
  let offset = 0;
  return { now: () => new Date(Date.now() + offset), advance: (ms: number) => void (offset += ms) };
}

interface QueuedAlert {
  readonly alertCode: string;
  readonly deviceId: string;
}

/** The device alerts waiting in the user's outbox, in delivery order (read without the user's keys). */
async function queuedAlerts(e2e: E2e): Promise<QueuedAlert[]> {
  const outbox = await e2e.json<{ xml: string }[]>("GET", `/admin/v1/users/${e2e.user.userId}/outbox`);
  const alerts: QueuedAlert[] = [];
  for (const message of outbox) {
    const body = parseResponse(message.xml).body;
    if (body.kind === "DeviceAlertMessage") alerts.push({ alertCode: body.alertCode, deviceId: (await parseGbcs(body.gbcsPayload)).originator });
  }
  return alerts;
}

async function waitForAlerts(e2e: E2e, count: number, within = 5000): Promise<QueuedAlert[]> {
  const deadline = Date.now() + within;
  for (;;) {
    const alerts = await queuedAlerts(e2e);
    if (alerts.length >= count) return alerts;
    if (Date.now() > deadline) throw new Error(`${alerts.length} device alerts delivered within ${within} ms, expected ${count}: ${JSON.stringify(alerts)}`);
    await sleep(50);
  }
}

/** Takes the queued alerts one by one, in order, checked and read as the user reads them (MAC or signature verified). */
async function takeInOrder(e2e: E2e, queued: readonly QueuedAlert[]): Promise<Delivered[]> {
  const taken: Delivered[] = [];
  // delivered() takes the first message with the code and acknowledges everything before it, so
  // taking them in outbox order reads each one.
  for (const alert of queued) {
    const delivered = await e2e.delivered({ alertCode: alert.alertCode });
    if (delivered.gbcs?.originator !== alert.deviceId) throw new Error(`took ${alert.alertCode} from ${delivered.gbcs?.originator}, expected ${alert.deviceId}`);
    taken.push(delivered);
  }
  return taken;
}

const fieldsOf = (delivered: Delivered) => delivered.gbcs?.payload.fields as { alertCode: string; timestamp: string };
/** The device's time of raising (GBCS alert timestamp, whole seconds) to the DCC's time of writing the DUIS alert. */
const latencyMs = (delivered: Delivered) => Date.parse(delivered.response.header.responseDateTime) - Date.parse(fieldsOf(delivered).timestamp);

describe("device alerts over HTTP", () => {
  it("WAN connected: a prepayment meter's low-credit (0x810D, MAC'd) and supply-disabled (0x8F0F, signed) alerts reach the supplier within 60 s, in the order raised", async () => {
    const clock = movableClock();
    const e2e = await startE2e({ now: clock.now });
    const { esme } = e2e.premises;
    expect((await e2e.device(esme)).credit).toBe(1000);

    clock.advance(RUN_DRY);
    // Both prepayment premises (0 and 2) have an ESME and a GSME that each raise both alerts.
    const queued = await waitForAlerts(e2e, 8);
    const delivered = await takeInOrder(e2e, queued);
    const fromEsme = delivered.filter((d) => d.gbcs?.originator === esme);
    expect(fromEsme.map((d) => [d.response.body.kind, d.gbcs?.messageCode, fieldsOf(d).alertCode, d.gbcs?.protection?.checked])).toEqual([
      ["DeviceAlertMessage", "0x1001", "0x810D", ["mac"]],
      ["DeviceAlertMessage", "0x1000", "0x8F0F", ["signature"]],
    ]);
    expect(fromEsme.map((d) => d.gbcs?.cra)).toEqual([3, 3]);
    expect(Number(fromEsme[1]?.gbcs?.counter)).toBeGreaterThan(Number(fromEsme[0]?.gbcs?.counter));
    for (const alert of delivered) {
      expect(latencyMs(alert)).toBeGreaterThanOrEqual(0);
      expect(latencyMs(alert)).toBeLessThan(DEM_01_ALERT_TARGET_MS);
    }
    const device = await e2e.device(esme);
    expect(device.supply).toBe("disabled");
    expect(device.events.map((e) => e.code)).toEqual(["0x810D", "0x8F0F"]);
  });

  it("WAN down: what the hub's meters raise is held, nothing is delivered; WAN back: each alert reaches the user once, in order, with the time it was raised", async () => {
    const clock = movableClock();
    const e2e = await startE2e({ now: clock.now });
    const { chf, esme, gsme } = e2e.premises;
    const other = premisesDevices(2);
    await e2e.json("PUT", `/plugins/devices/hubs/${chf}/wan`, { state: "none" });

    clock.advance(RUN_DRY);
    // Premises 2's hub is connected: its four alerts come; premises 0's are raised (the meters log
    // them and cut the supply) but wait for the WAN.
    const connected = await waitForAlerts(e2e, 4);
    expect(new Set(connected.map((a) => a.deviceId))).toEqual(new Set([other.esme, other.gsme]));
    await takeInOrder(e2e, connected);
    const raised = await Promise.all([esme, gsme].map((deviceId) => e2e.device(deviceId)));
    expect(raised.map((d) => [d.supply, d.events.map((e) => e.code)])).toEqual([["disabled", ["0x810D", "0x8F0F"]], ["disabled", ["0x810D", "0x8F0F"]]]);
    await sleep(1500);
    expect(await queuedAlerts(e2e)).toEqual([]);

    const back = clock.now().getTime();
    await e2e.json("PUT", `/plugins/devices/hubs/${chf}/wan`, { state: "connected", latencyMs: 20 });
    const queued = await waitForAlerts(e2e, 4);
    const delivered = await takeInOrder(e2e, queued);
    for (const deviceId of [esme, gsme]) {
      const mine = delivered.filter((d) => d.gbcs?.originator === deviceId);
      expect(mine.map((d) => fieldsOf(d).alertCode)).toEqual(["0x810D", "0x8F0F"]);
      expect(Number(mine[1]?.gbcs?.counter)).toBeGreaterThan(Number(mine[0]?.gbcs?.counter));
    }
    expect(delivered.map((d) => d.gbcs?.protection?.checked).sort()).toEqual([["mac"], ["mac"], ["signature"], ["signature"]]);
    for (const alert of delivered) {
      // Raised during the outage (at least 1.5 s before the WAN came back), written for the user after.
      expect(Date.parse(fieldsOf(alert).timestamp)).toBeLessThanOrEqual(back - 1000);
      expect(Date.parse(alert.response.header.responseDateTime)).toBeGreaterThanOrEqual(back);
    }
    // Exactly once: nothing more comes.
    await sleep(1500);
    expect(await queuedAlerts(e2e)).toEqual([]);
  });
});
