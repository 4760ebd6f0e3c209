// The Smart Metering Inventory's rules, seed 003 paragraphs 167-194.
import { beforeEach, describe, expect, it } from "vitest";
import { InventoryError, SmartMeteringInventory, type InventoryChange } from "../src/index.js";

const CHF = "00DB1234567890A2";
const GPF = "00DB1234567890A3";
const ESME = "00DB1234567890A0";
const GSME = "00DB1234567890A1";
const PPMID = "00DB1234567890A4";
const IHD = "00DB1234567890A5";

function errorOf(fn: () => unknown): InventoryError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(InventoryError);
    return error as InventoryError;
  }
  throw new Error("expected an InventoryError");
}

describe("Smart Metering Inventory", () => {
  let inventory: SmartMeteringInventory;
  let changes: InventoryChange[];

  beforeEach(() => {
    inventory = new SmartMeteringInventory(() => new Date("2026-11-23T10:00:00Z"));
    changes = [];
    inventory.onChange((change) => changes.push(change));
    for (const [deviceId, type] of [[CHF, "CHF"], [GPF, "GPF"], [ESME, "ESME"], [GSME, "GSME"], [PPMID, "PPMID"], [IHD, "IHD"]] as const) {
      inventory.preNotify({ deviceId, type }, true);
    }
  });

  it("pre-notifies devices as pending; only suppliers may add meters and Type 1 devices (183)", () => {
    expect(inventory.require(ESME).status).toBe("pending");
    expect(errorOf(() => inventory.preNotify({ deviceId: "00DB1234567890B0", type: "ESME" }, false)).message).toMatch(/only a supplier/);
    expect(errorOf(() => inventory.preNotify({ deviceId: "00DB1234567890B1", type: "PPMID" }, false)).message).toMatch(/only a supplier/);
    expect(inventory.preNotify({ deviceId: "00-DB-12-34-56-78-90-B2", type: "IHD" }, false).deviceId).toBe("00DB1234567890B2");
    expect(errorOf(() => inventory.preNotify({ deviceId: ESME, type: "ESME" }, true)).code).toBe("E120201");
  });

  it("commissions through the statuses, and enrols exactly when 173/174 say", () => {
    const installed = { mpxn: "1000999888", premises: { postcode: "SW1A 1AA", address: "1 The Street", uprn: "100023336956" } };
    inventory.chfConnected(CHF, installed);
    expect(inventory.require(CHF).status).toBe("commissioned");
    inventory.addToDeviceLog(CHF, ESME);
    expect(inventory.require(ESME).status).toBe("installed-not-commissioned");
    expect(inventory.isEnrolled(ESME)).toBe(false);
    inventory.commission(ESME, { mpxn: "1234567890123" });
    expect(inventory.isEnrolled(ESME)).toBe(true); // 173: ESME + CHF

    inventory.addToDeviceLog(CHF, GPF);
    inventory.addToDeviceLog(CHF, GSME);
    // a GSME needs its GPF commissioned first
    expect(errorOf(() => inventory.commission(GSME, { mpxn: "7654321" })).message).toMatch(/gas proxy/);
    inventory.commission(GPF);
    inventory.commission(GSME, { mpxn: "7654321" });
    expect(inventory.isEnrolled(GSME)).toBe(true); // 174: GSME + GPF + CHF
    expect(changes.filter((c) => c.kind === "device").length).toBeGreaterThan(6);
  });

  it("refuses to commission in each circumstance of paragraph 187", () => {
    expect(errorOf(() => inventory.commission("00DB1234567890FF")).code).toBe("E19"); // not listed
    expect(errorOf(() => inventory.commission(ESME, { mpxn: "1234567890123" })).message).toMatch(/CHF .* not commissioned/); // hub not commissioned
    inventory.chfConnected(CHF);
    inventory.addToDeviceLog(CHF, ESME);
    inventory.addToDeviceLog(CHF, PPMID);
    // a non-meter whose meter is not commissioned
    expect(errorOf(() => inventory.commission(PPMID, { associatedWith: ESME })).message).toMatch(/commissioned meter first/);
    inventory.commission(ESME, { mpxn: "1234567890123" });
    // status not pending or installed-not-commissioned
    expect(errorOf(() => inventory.commission(ESME)).message).toMatch(/is commissioned/);
    // a second commissioned meter for the same MPxN
    inventory.preNotify({ deviceId: "00DB1234567890B3", type: "ESME" }, true);
    inventory.addToDeviceLog(CHF, "00DB1234567890B3");
    expect(errorOf(() => inventory.commission("00DB1234567890B3", { mpxn: "1234567890123" })).message).toMatch(/already has commissioned meter/);
    expect(inventory.commission(PPMID, { associatedWith: ESME }).status).toBe("commissioned");
    expect(errorOf(() => inventory.commission(CHF)).message).toMatch(/SM WAN/);
  });

  it("supports install-and-leave: a hub installed without WAN, commissioned when the WAN comes", () => {
    inventory.chfInstalledWithoutWan(CHF, { mpxn: "1000999888" });
    expect(inventory.require(CHF).status).toBe("installed-not-commissioned");
    inventory.addToDeviceLog(CHF, ESME);
    expect(errorOf(() => inventory.commission(ESME, { mpxn: "1234567890123" })).code).toBe("E5");
    inventory.chfConnected(CHF);
    expect(inventory.commission(ESME, { mpxn: "1234567890123" }).status).toBe("commissioned");
  });

  it("reads by device ID with the whole system, by MPxN, by postcode and address, by UPRN", () => {
    inventory.chfConnected(CHF, { premises: { postcode: "SW1A 1AA", address: "1 The Street", uprn: "100023336956" } });
    for (const id of [ESME, GPF, IHD]) inventory.addToDeviceLog(CHF, id);
    inventory.commission(ESME, { mpxn: "1234567890123" });
    const ids = (devices: { deviceId: string }[]) => devices.map((d) => d.deviceId).sort();
    expect(ids(inventory.read({ deviceId: IHD }))).toEqual([ESME, CHF, GPF, IHD].sort());
    expect(ids(inventory.read({ mpxn: "1234567890123" }))).toEqual([ESME, CHF, GPF, IHD].sort());
    expect(ids(inventory.read({ postcode: "sw1a1aa", address: "the street" }))).toEqual([ESME, CHF, GPF, IHD].sort());
    expect(ids(inventory.read({ uprn: "100023336956" }))).toHaveLength(4);
    expect(inventory.read({ postcode: "EH1 1AA" })).toEqual([]);
    expect(errorOf(() => inventory.read({})).code).toBe("E080201");
    expect(errorOf(() => inventory.read({ deviceId: "not-an-eui" })).code).toBe("E19");
  });

  it("keeps the CHF device log and restores it onto a replacement hub (188-190)", () => {
    inventory.chfConnected(CHF);
    for (const id of [ESME, GPF, IHD]) inventory.addToDeviceLog(CHF, id);
    const replacement = "00DB1234567890C2";
    inventory.preNotify({ deviceId: replacement, type: "CHF" }, true);
    expect(errorOf(() => inventory.restoreDeviceLogTo(CHF, replacement)).message).toMatch(/must be commissioned/);
    inventory.chfConnected(replacement);
    inventory.decommission(CHF);
    const restored = inventory.restoreDeviceLogTo(CHF, replacement);
    // the gas proxy's data is not the DCC's to keep (191)
    expect(restored.map((e) => e.deviceId).sort()).toEqual([ESME, IHD].sort());
    expect(inventory.require(ESME).chfId).toBe(replacement);
    expect(inventory.deviceLog(replacement)).toHaveLength(2);
  });

  it("decommissions and withdraws, and a decommissioned device can be notified again (177)", () => {
    inventory.chfConnected(CHF);
    inventory.addToDeviceLog(CHF, ESME);
    inventory.commission(ESME, { mpxn: "1234567890123" });
    expect(inventory.withdraw(ESME).status).toBe("withdrawn");
    expect(errorOf(() => inventory.withdraw(ESME)).code).toBe("E5");
    expect(inventory.decommission(ESME).status).toBe("decommissioned");
    expect(errorOf(() => inventory.decommission(ESME)).code).toBe("E5");
    expect(inventory.preNotify({ deviceId: ESME, type: "ESME" }, true).status).toBe("pending");
    expect(inventory.update(ESME, { firmwareVersion: "0002012F", premises: { postcode: "AB1 2CD" } })).toMatchObject({ firmwareVersion: "0002012F", premises: { postcode: "AB1 2CD" } });
  });
});
