// `opendcc fleet provision --premises N [--snapshot FILE]` (Devices issue point 4): makes a fleet of
// premises (hub, gas proxy, electricity and gas meters, IHD) in the devices emulator, with the
// trust anchors of the demo parties (their keys from a test SMKI; the devices' own keys are made on
// first use), loads them into a Smart Metering Inventory with their device logs and registration
// data naming the demo supplier and network operator, and measures what it cost: seconds, and
// bytes per premises of heap and array buffers (collections forced) for the devices and for the
// inventory with registration data. Then saves the estate as a msgpack snapshot (to FILE when
// given) and loads it back. Prints one JSON summary line.
import { writeFile } from "node:fs/promises";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { RegistrationData, SmartMeteringInventory, type Appointment, type DeviceLogEntry } from "@opendcc/core";
import { ACCESS_CONTROL_BROKER, TestSmki } from "@opendcc/gbcs";
import { DeviceEmulator, type EmulatorOptions } from "@opendcc/plugin-devices";
import { DEMO_USERS } from "../demo.js";
import { UsageError } from "../output.js";
import { progress } from "../progress.js";

export interface FleetOptions {
  readonly premises: string | undefined;
  readonly snapshot: string | undefined;
}

/** Premises per step: the progress bar moves about a hundred times. */
const stepOf = (premises: number) => Math.max(1000, Math.ceil(premises / 100));
/** Every tenth premises pays as it goes (prepayment meters), as the demo fleet does. */
const PREPAYMENT_EVERY = 10;

// Bytes held: heap and array buffers after full collections (gc exposed at run time).
let collect: (() => void) | null = null;
function bytesHeld(): number {
  if (!collect) {
    setFlagsFromString("--expose-gc");
    collect = runInNewContext("gc") as () => void;
  }
  collect();
  collect();
  const { heapUsed, arrayBuffers } = process.memoryUsage();
  return heapUsed + arrayBuffers;
}

/** Trust anchors of the demo parties: DS and KA certificates, and a prepayment KA for suppliers. */
async function demoParties(smki: TestSmki): Promise<{ anchors: NonNullable<EmulatorOptions["parties"]>; keys: number }> {
  const anchors = [];
  let keys = 0;
  for (const user of DEMO_USERS.filter((u) => u.roleCode === "02" || u.roleCode === "03")) {
    const issue = (usage: "ds" | "ka") => smki.issue({ eui: user.userId, usage, commonName: user.name, roleCode: user.roleCode });
    const [ds, ka] = await Promise.all([issue("ds"), issue("ka")]);
    const ppKa = user.roleCode === "02" ? await issue("ka") : null;
    anchors.push({ ds: ds.der, ka: ka.der, ...(ppKa ? { ppKa: ppKa.der } : {}) });
    keys += ppKa ? 3 : 2;
  }
  return { anchors, keys };
}

const partyOf = (role: string) => DEMO_USERS.find((u) => u.roles.includes(role as never))?.partyId ?? "";

export async function fleetProvision([sub, ...extra]: readonly string[], options: FleetOptions): Promise<number> {
  if (sub !== "provision") throw new UsageError(sub ? `unknown fleet command "${sub}" (provision)` : "fleet needs a command: provision");
  if (extra.length > 0) throw new UsageError(`fleet provision takes no files (got "${extra.join(" ")}")`);
  const premises = Number(options.premises);
  if (options.premises === undefined || !Number.isInteger(premises) || premises < 1) throw new UsageError(`--premises must be a positive integer${options.premises === undefined ? "" : `, not "${options.premises}"`}`);

  const began = performance.now();
  const smki = await TestSmki.create("OpenDCC fleet CA");
  const acb = await smki.issue({ eui: ACCESS_CONTROL_BROKER, usage: "ka", commonName: "ACB", roleCode: "04" });
  const parties = await demoParties(smki);
  const emulatorOptions: EmulatorOptions = { accessControlBrokerKa: acb.der, parties: parties.anchors, smki };
  const devices = await DeviceEmulator.create(emulatorOptions);
  const step = stepOf(premises);

  // The devices: typed arrays per slot, nothing per device until it is talked to.
  const beforeDevices = bytesHeld();
  let started = performance.now();
  const blocks = [];
  const deviceBar = progress("devices: premises", premises);
  for (let done = 0; done < premises; done += step) {
    blocks.push(devices.provisionFleet(Math.min(step, premises - done), { prepaymentEvery: PREPAYMENT_EVERY }));
    deviceBar.update(Math.min(premises, done + step));
  }
  deviceBar.finish();
  const devicesSeconds = (performance.now() - started) / 1000;
  const afterDevices = bytesHeld();

  // The DCC's side: inventory records, device logs, registration data (supplier and network operator per fuel).
  const inventory = new SmartMeteringInventory(() => new Date());
  const registration = new RegistrationData();
  started = performance.now();
  const appointments: Appointment[] = [];
  let records = 0;
  const inventoryBar = progress("inventory: premises", premises);
  let loaded = 0;
  for (const block of blocks) {
    const types = new Map<string, DeviceLogEntry["type"]>();
    for (const record of block.records()) {
      inventory.load(record);
      types.set(record.deviceId, record.type);
      records++;
      if (record.mpxn === null) continue;
      const [fuel, supplier, operator] = record.type === "ESME" ? ["electricity", "IS", "ED"] as const : ["gas", "GS", "GT"] as const;
      for (const role of [supplier, operator]) appointments.push({ mpxn: record.mpxn, fuel, role, partyId: partyOf(role), effectiveFrom: "2020-01-01", effectiveTo: null });
    }
    for (const log of block.deviceLogs()) inventory.loadDeviceLog(log.chfId, log.deviceIds.map((deviceId) => ({ deviceId, type: types.get(deviceId) ?? "IHD" })));
    loaded += block.count;
    inventoryBar.update(loaded);
  }
  registration.replaceAll(appointments);
  inventoryBar.finish();
  const inventorySeconds = (performance.now() - started) / 1000;
  const afterInventory = bytesHeld();

  // Snapshot: the estate as msgpack, saved and loaded back into a new emulator.
  started = performance.now();
  const snapshot = devices.snapshot();
  if (options.snapshot) await writeFile(options.snapshot, snapshot);
  const saveMs = performance.now() - started;
  const restored = await DeviceEmulator.create(emulatorOptions);
  started = performance.now();
  restored.restore(snapshot);
  const loadMs = performance.now() - started;
  const last = blocks.at(-1);
  const lastHub = last ? [...last.deviceLogs()].at(-1)?.chfId : undefined;
  if (!lastHub || restored.device(lastHub).deviceLog.length !== 4) throw new Error("the snapshot did not load back the fleet it saved");

  const perPremises = (bytes: number) => Math.round(bytes / premises);
  console.log(JSON.stringify({
    ok: true, premises, devices: premises * 5, inventoryRecords: records, appointments: appointments.length,
    prepaymentPremises: Math.ceil(premises / PREPAYMENT_EVERY), partyKeys: parties.keys + 1,
    deviceKeys: "made on first use (a talked-to device: two key pairs and certificates)",
    seconds: { devices: round(devicesSeconds, 3), inventory: round(inventorySeconds, 3), total: round((performance.now() - began) / 1000, 3) },
    bytesPerPremises: { devices: perPremises(afterDevices - beforeDevices), inventoryAndRegistration: perPremises(afterInventory - afterDevices), total: perPremises(afterInventory - beforeDevices) },
    snapshot: { bytes: snapshot.length, file: options.snapshot ?? null, saveMs: round(saveMs, 1), loadMs: round(loadMs, 1) },
    rssMB: Math.round(process.memoryUsage().rss / 2 ** 20),
  }));
  return 0;
}

const round = (n: number, digits: number) => Math.round(n * 10 ** digits) / 10 ** digits;
