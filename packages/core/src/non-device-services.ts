// Non-device services (Annex 5 Table 5.2) that core executes and answers directly (paragraph
// 139): inventory reads and updates, pre-notification, decommissioning, hub status updates.
import { DEVICE_TYPES, InventoryError, type DeviceType } from "./inventory.js";
import type { NonDeviceService } from "./gateway.js";

function requiredField(request: Parameters<NonDeviceService>[0], ...path: string[]): string {
  const value = request.field(...path);
  if (value === undefined || value.trim() === "") throw new InventoryError("E43", `${request.bodyElement} needs ${path.join("/")}`);
  return value.trim();
}

/** 8.2 Read Inventory: by DeviceID (with its whole system), MPxN, postcode (+ address) or UPRN. */
const readInventory: NonDeviceService = (request, _user, { inventory }) => {
  const query = {
    deviceId: request.field("DeviceID"),
    mpxn: request.field("MPxN"),
    postcode: request.field("PostCode") ?? request.field("Postcode"),
    address: request.field("PropertyFilter", "AddressIdentifier"),
    uprn: request.field("UPRN"),
  };
  const defined = Object.fromEntries(Object.entries(query).filter(([, v]) => v !== undefined && v !== ""));
  return { kind: "inventory", devices: inventory.read(defined) };
};

/** 12.2 Device Pre-notification: the device joins the inventory as pending (paragraphs 182-183). */
const preNotify: NonDeviceService = (request, user, { inventory }) => {
  const type = requiredField(request, "DeviceType");
  if (!DEVICE_TYPES.includes(type as DeviceType)) throw new InventoryError("E11", `DeviceType ${type} is not one of ${DEVICE_TYPES.join(", ")}`);
  inventory.preNotify({
    deviceId: requiredField(request, "DeviceID"),
    type: type as DeviceType,
    manufacturer: request.field("DeviceManufacturer"),
    model: request.field("DeviceModel"),
    firmwareVersion: request.field("FirmwareVersion"),
  }, user.roles.some((role) => role === "IS" || role === "ES" || role === "GS"));
  return null;
};

/** 8.3 Decommission Device (paragraph 177). */
const decommission: NonDeviceService = (request, _user, { inventory }) => {
  inventory.decommission(requiredField(request, "DeviceID"));
  return null;
};

/** 8.14.1 Install Success: the hub connected to the SM WAN and is commissioned (paragraph 185). */
const installWithWan: NonDeviceService = (request, _user, { inventory }) => {
  inventory.chfConnected(requiredField(request, "DeviceID"), { mpxn: request.field("MPxN") ?? null });
  return null;
};

/** 8.14.2 Install, no SM WAN: install and leave (paragraph 187). */
const installWithoutWan: NonDeviceService = (request, _user, { inventory }) => {
  inventory.chfInstalledWithoutWan(requiredField(request, "DeviceID"), { mpxn: request.field("MPxN") ?? null });
  return null;
};

/** 8.14.3 / 8.14.4 Fault and no-fault return: the hub leaves service and the premises. */
const hubReturned: NonDeviceService = (request, _user, { inventory }) => {
  const device = inventory.require(requiredField(request, "DeviceID"));
  if (device.type !== "CHF") throw new InventoryError("E11", `${device.deviceId} is a ${device.type}, not a communications hub`);
  inventory.decommission(device.deviceId);
  return null;
};

export const NON_DEVICE_SERVICES: ReadonlyMap<string, NonDeviceService> = new Map([
  ["8.2", readInventory],
  ["8.3", decommission],
  ["8.14.1", installWithWan],
  ["8.14.2", installWithoutWan],
  ["8.14.3", hubReturned],
  ["8.14.4", hubReturned],
  ["12.2", preNotify],
]);
