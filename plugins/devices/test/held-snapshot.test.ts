// What the emulated CSP holds for a hub whose WAN is down (the alerts devices raised, the firmware
// images it has yet to take to meters) is kept in snapshots (OpenDCC issue 5): `opendcc start`
// saves the estate on stop and restores it on start, and a real CSP would lose none of it.
import { beforeEach, describe, expect, it } from "vitest";
import { Packr } from "msgpackr";
import { ACCESS_CONTROL_BROKER, TestSmki, firmwareImageHash, parseGbcs, writeFirmwareImage } from "@opendcc/gbcs";
import { DeviceEmulator } from "../src/index.js";
import { CHF, ESME, testEstate, type TestEstate } from "./support.js";

const DAY = 86_400_000;
// As snapshot.ts writes them, to read a snapshot's fields and write changed ones.
const packr = new Packr({ useRecords: false });

let t: TestEstate;
let raisedAt: Date;
beforeEach(async () => {
  t = await testEstate();
  raisedAt = new Date(t.clock.getTime() + 31 * DAY);
});

const image = (version: string) =>
  writeFirmwareImage({ manufacturerCode: 0x4f44, imageType: 1, fileVersion: version, headerString: "OpenDCC test image", body: new TextEncoder().encode(`image ${version}`) });

/** With the hub's WAN down: the prepayment ESME runs out of credit (0x810D, 0x8F0F) and gets `images`. */
async function holdWhileDown(...images: Uint8Array[]): Promise<void> {
  t.devices.setWan(CHF, "none");
  t.clock = raisedAt;
  await t.devices.tick();
  for (const bytes of images) await t.devices.distributeFirmware({ requestId: "held", deviceId: ESME, image: bytes });
  await t.devices.idle();
  expect(t.received).toEqual([]);
}

/** What a restored emulator delivered, checked with the first estate's ring (the devices' keys are in the snapshot). */
const delivered = (messages: readonly { deviceId: string; gbcs: Uint8Array }[]) =>
  Promise.all(messages.map(async (m) => {
    const parsed = await parseGbcs(m.gbcs, { ring: t.ring });
    const fields = parsed.payload.fields as { alertCode: string; firmwareHash?: string };
    return { deviceId: m.deviceId, originator: parsed.originator, counter: parsed.counter, messageCode: parsed.messageCode, alertCode: fields.alertCode, ...(fields.firmwareHash ? { firmwareHash: fields.firmwareHash } : {}) };
  }));

const lowCredit = { deviceId: ESME, originator: ESME, counter: "1", messageCode: "0x1001", alertCode: "0x810D" };
const disabled = { deviceId: ESME, originator: ESME, counter: "2", messageCode: "0x1000", alertCode: "0x8F0F" };

describe("what the CSP holds while a hub's WAN is down survives snapshot and restore", () => {
  it("alerts and a firmware image: held in the restored emulator, then delivered once, in order, when the WAN is back", async () => {
    const v2 = image("00020000");
    await holdWhileDown(v2);
    const bytes = t.devices.snapshot();

    const fresh = await testEstate();
    fresh.devices.restore(bytes);
    await fresh.devices.idle();
    fresh.clock = new Date(raisedAt.getTime() + 3_600_000);
    await fresh.devices.tick();
    expect(fresh.received).toEqual([]);
    // The image has not reached the meter: it keeps none and has logged no receipt.
    expect(fresh.devices.device(ESME).events.map((e) => e.code)).toEqual(["0x810D", "0x8F0F"]);

    fresh.devices.setWan(CHF, "connected");
    await fresh.devices.idle();
    expect(await delivered(fresh.received)).toEqual([
      lowCredit, disabled,
      { deviceId: ESME, originator: ESME, counter: "3", messageCode: "0x00CE", alertCode: "0x8F72", firmwareHash: firmwareImageHash(v2) },
    ]);
    // Raised while the WAN was down, before the restart: with that time.
    expect((await parseGbcs(fresh.received[0]!.gbcs, { ring: t.ring })).payload.fields).toMatchObject({ timestamp: raisedAt.toISOString().replace(".000Z", "Z") });
    expect(fresh.devices.device(ESME).events.map((e) => e.code)).toEqual(["0x810D", "0x8F0F", "0x8F72"]);

    // Once: not again when the WAN drops and returns, nor from a snapshot taken after delivery.
    fresh.devices.setWan(CHF, "none");
    fresh.devices.setWan(CHF, "connected");
    await fresh.devices.idle();
    expect(fresh.received).toHaveLength(3);
    fresh.devices.setWan(CHF, "none");
    const after = fresh.devices.snapshot();
    expect(packr.unpack(after)).not.toHaveProperty("held");
    const again = await testEstate();
    again.devices.restore(after);
    again.devices.setWan(CHF, "connected");
    await again.devices.idle();
    expect(again.received).toEqual([]);
  });

  it("firmware images are taken to the meter in the order the CSP got them", async () => {
    const [v2, v3] = [image("00020000"), image("00030000")];
    await holdWhileDown(v2, v3);
    // Saved per hub as [deviceId, bytes] pairs, in order.
    const saved = packr.unpack(t.devices.snapshot()) as { held: [number, Record<"messages" | "firmware", [string, Uint8Array][]>][] };
    expect(saved.held).toHaveLength(1);
    const [, held] = saved.held[0]!;
    expect(held.messages.map(([deviceId, bytes]) => [deviceId, bytes.length > 0])).toEqual([[ESME, true], [ESME, true]]);
    expect(held.firmware.map(([deviceId, bytes]) => [deviceId, Uint8Array.from(bytes)])).toEqual([[ESME, v2], [ESME, v3]]);
    const fresh = await testEstate();
    fresh.devices.restore(t.devices.snapshot());
    fresh.devices.setWan(CHF, "connected");
    await fresh.devices.idle();
    expect((await delivered(fresh.received)).map((m) => [m.alertCode, m.firmwareHash ?? null])).toEqual([
      ["0x810D", null], ["0x8F0F", null], ["0x8F72", firmwareImageHash(v2)], ["0x8F72", firmwareImageHash(v3)],
    ]);
  });

  it("restored with the hub on the WAN, what was held goes at once, or once there is a receiver", async () => {
    const up = packr.unpack(t.devices.snapshot()) as { arrays: { wan: Uint8Array } };
    await holdWhileDown(image("00020000"));
    const down = packr.unpack(t.devices.snapshot()) as { arrays: { wan: Uint8Array } };
    const restoredConnected = packr.pack({ ...down, arrays: { ...down.arrays, wan: up.arrays.wan } });

    const fresh = await testEstate();
    fresh.devices.restore(restoredConnected);
    expect(fresh.devices.device(CHF).wan).toEqual({ state: "connected", latencyMs: 0 });
    await fresh.devices.idle();
    expect((await delivered(fresh.received)).map((m) => m.alertCode)).toEqual(["0x810D", "0x8F0F", "0x8F72"]);

    // `opendcc start` restores before the gateway registers its receiver: nothing is dropped meanwhile.
    const smki = await TestSmki.create("Devices test CA");
    const acb = await smki.issue({ eui: ACCESS_CONTROL_BROKER, usage: "ka", commonName: "ACB", roleCode: "04" });
    const unwired = await DeviceEmulator.create({ accessControlBrokerKa: acb.der, smki, now: () => raisedAt });
    unwired.restore(restoredConnected);
    await unwired.idle();
    const received: { deviceId: string; gbcs: Uint8Array }[] = [];
    unwired.onMessage((message) => received.push(message));
    await unwired.idle();
    // The receipt's recipient is the supplier the devices trust; this emulator trusts none, so it logs
    // and sends no receipt: the held alerts are what matter here.
    expect((await delivered(received)).map((m) => m.alertCode)).toEqual(["0x810D", "0x8F0F"]);
  });

  it("an older snapshot, without what the CSP holds, loads with nothing held", async () => {
    await holdWhileDown(image("00020000"));
    const { held, ...older } = packr.unpack(t.devices.snapshot()) as { held: unknown; version: number };
    expect(held).toBeDefined();
    expect(older.version).toBe(1);

    const fresh = await testEstate();
    fresh.devices.restore(packr.pack(older));
    expect(fresh.devices.device(ESME)).toMatchObject({ supply: "disabled", events: [{ code: "0x810D" }, { code: "0x8F0F" }] });
    expect(fresh.devices.device(CHF).wan).toEqual({ state: "none", latencyMs: 0 });
    fresh.devices.setWan(CHF, "connected");
    await fresh.devices.idle();
    expect(fresh.received).toEqual([]);
    expect(fresh.devices.device(ESME).events.map((e) => e.code)).toEqual(["0x810D", "0x8F0F"]);
  });
});
