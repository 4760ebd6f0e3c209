// A demo estate: the devices plugin with premises 0 on the reference test estate's device IDs (so
// DCC Boxed / RTDS sample requests address real emulated devices) and further premises from the
// fleet numbering. Shared by `opendcc start`, benches and end-to-end tests; the caller loads the
// records into the inventory and gives the DCC `devices.commandKeys(ring)`.
import type { DeviceRecord, OpenDccPlugin } from "@opendcc/plugin-sdk";
import type { DeviceEmulator } from "./emulator.js";
import { DEFAULT_FIRMWARE } from "./estate.js";
import { createDevicesPlugin, type DevicesPluginOptions } from "./plugin.js";

/**
 * The reference test estate's first premises: the RTDS device IDs, each of the type the RTDS and
 * DCC Boxed samples address it as (gbcs REFERENCE_ESTATE), and an IHD on an ID they do not use.
 */
export const REFERENCE_PREMISES = {
  ESME: "00DB1234567890A0",
  GSME: "00DB1234567890A1",
  CHF: "00DB1234567890A2",
  GPF: "00DB1234567890A3",
  PPMID: "00DB1234567890A4",
  HCALCS: "00DB1234567890A5",
  IHD: "00DB1234567890A7",
} as const;

export interface DemoEstateOptions extends DevicesPluginOptions {
  /** Premises to make: the first on the reference IDs, the rest fleet-numbered. */
  readonly premises: number;
  /** An earlier `devices.snapshot()`: restored instead of making premises (no records then). */
  readonly snapshot?: Uint8Array;
}

export interface DemoEstate {
  readonly plugin: OpenDccPlugin;
  readonly devices: DeviceEmulator;
  /** Inventory records of the premises made now (empty when restored from a snapshot). */
  readonly records: DeviceRecord[];
  readonly deviceLogs: { chfId: string; deviceIds: string[] }[];
}

export async function createDemoEstate(options: DemoEstateOptions): Promise<DemoEstate> {
  if (!Number.isInteger(options.premises) || options.premises < 0) throw new Error(`premises must be a non-negative integer, not ${options.premises}`);
  const { plugin, devices } = await createDevicesPlugin(options);
  if (options.snapshot) {
    devices.restore(options.snapshot);
    return { plugin, devices, records: [], deviceLogs: [] };
  }
  const records: DeviceRecord[] = [];
  const deviceLogs: DemoEstate["deviceLogs"] = [];
  if (options.premises > 0) {
    records.push(...referencePremises(devices, (options.now ?? (() => new Date()))()));
    const { CHF, GPF, ESME, GSME, PPMID, HCALCS, IHD } = REFERENCE_PREMISES;
    deviceLogs.push({ chfId: CHF, deviceIds: [GPF, ESME, GSME, PPMID, HCALCS, IHD] });
  }
  if (options.premises > 1) {
    const fleet = devices.provisionFleet(options.premises - 1);
    records.push(...fleet.records());
    deviceLogs.push(...fleet.deviceLogs());
  }
  return { plugin, devices, records, deviceLogs };
}

function referencePremises(devices: DeviceEmulator, at: Date): DeviceRecord[] {
  const { CHF, GPF, ESME, GSME, PPMID, HCALCS, IHD } = REFERENCE_PREMISES;
  devices.add({ deviceId: CHF, kind: "CHF" });
  for (const [deviceId, kind] of [[GPF, "GPF"], [ESME, "ESME"], [GSME, "GSME"], [PPMID, "PPMID"], [HCALCS, "HCALCS"], [IHD, "IHD"]] as const) {
    devices.add({ deviceId, kind, hubId: CHF });
  }
  const premises = { postcode: "SW1A 1AA", address: "1 Demo Street", uprn: "100000000000" };
  const record = (deviceId: string, type: DeviceRecord["type"], extra: Partial<DeviceRecord> = {}): DeviceRecord => ({
    deviceId, type, status: "commissioned", manufacturer: "OD02", model: "EMULATED", firmwareVersion: DEFAULT_FIRMWARE,
    mpxn: null, chfId: CHF, associatedWith: null, premises, statusChangedAt: at.toISOString(), ...extra,
  });
  return [
    record(CHF, "CHF"),
    record(GPF, "GPF"),
    record(ESME, "ESME", { mpxn: "1200000000000" }),
    record(GSME, "GSME", { mpxn: "7000000", associatedWith: GPF }),
    record(PPMID, "PPMID", { associatedWith: ESME }),
    record(HCALCS, "HCALCS", { associatedWith: ESME }),
    record(IHD, "IHD", { associatedWith: ESME }),
  ];
}
