// Non-device services (Annex 5 Table 5.2) that core executes and answers directly (paragraph
// 139): inventory reads and updates, pre-notification, decommissioning, hub status updates,
// firmware distribution.
import { parseRequestId } from "@opendcc/duis";
import { DEVICE_TYPES, InventoryError, type DeviceType } from "./inventory.js";
import { ServiceError } from "./response-codes.js";
import type { NonDeviceService } from "./gateway.js";
import { createSchedule, deleteSchedule, readSchedule } from "./schedule-services.js";

function requiredField(request: Parameters<NonDeviceService>[0], ...path: string[]): string {
  const value = request.field(...path);
  if (value === undefined || value.trim() === "") throw new ServiceError("E43", `${request.bodyElement} needs ${path.join("/")}`);
  return value.trim();
}

/**
 * 8.2 Read Inventory: by DeviceID (with its whole system), MPxN, UPRN or PropertyFilter (PostCode
 * and AddressIdentifier), the four alternatives of the DUIS body.
 */
const readInventory: NonDeviceService = (request, _user, { inventory }) => {
  const query = {
    deviceId: request.field("DeviceID"),
    mpxn: request.field("MPxN"),
    postcode: request.field("PropertyFilter", "PostCode"),
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

const STATUS_FROM_DUIS: Record<string, "pending" | "installed-not-commissioned" | "commissioned" | "withdrawn"> = {
  Pending: "pending", InstalledNotCommissioned: "installed-not-commissioned", Commissioned: "commissioned", Withdrawn: "withdrawn",
};

/**
 * 8.4 Update Inventory: one of a status change (devices other than a hub: Pending or
 * InstalledNotCommissioned; a hub: Commissioned, Withdrawn or InstalledNotCommissioned), new
 * device details, a new MPxN, or removal of a device that never left 'pending'.
 */
const updateInventory: NonDeviceService = (request, _user, { inventory }) => {
  const device = inventory.require(requiredField(request, "DeviceID"));
  const exceptHub = request.field("UpdateDeviceStatusExceptCH");
  const hub = request.field("UpdateDeviceStatusCH");
  if (exceptHub !== undefined || hub !== undefined) {
    if ((hub !== undefined) !== (device.type === "CHF")) {
      throw new InventoryError("E11", `${hub !== undefined ? "UpdateDeviceStatusCH" : "UpdateDeviceStatusExceptCH"} does not apply to a ${device.type}`);
    }
    const status = STATUS_FROM_DUIS[(hub ?? exceptHub) as string];
    if (!status) throw new ServiceError("E43", `unknown device status ${hub ?? exceptHub}`);
    inventory.setStatus(device.deviceId, status);
    return null;
  }
  if (request.field("DeleteDevice") !== undefined) {
    inventory.deletePending(device.deviceId);
    return null;
  }
  const mpxn = request.field("UpdateMPxN", "ImportMPxN");
  if (mpxn !== undefined) {
    inventory.update(device.deviceId, { mpxn });
    return null;
  }
  const details = {
    manufacturer: request.field("UpdateDeviceDetails", "DeviceManufacturer"),
    model: request.field("UpdateDeviceDetails", "DeviceModel"),
    firmwareVersion: request.field("UpdateDeviceDetails", "FirmwareVersion"),
  };
  inventory.update(device.deviceId, details);
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

/**
 * 8.13 Return Local Command Response (paragraphs 193-194, duis.md 4): the device's response to a
 * command the user delivered locally, checked against the original request and delivered to the
 * user as the WAN response would have been; the inventory follows the command (I0).
 */
const returnLocalCommandResponse: NonDeviceService = (request, user, { deviceServices }) => {
  const originalText = requiredField(request, "OriginalRequestID");
  let original;
  try {
    original = parseRequestId(originalText, "OriginalRequestID");
  } catch (error) {
    throw new ServiceError("E43", (error as Error).message);
  }
  const base64 = requiredField(request, "DeviceGBCSResponse").replace(/\s+/g, "");
  let gbcs: Uint8Array;
  try {
    gbcs = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
  } catch {
    throw new ServiceError("E43", "DeviceGBCSResponse is not base64");
  }
  deviceServices.returnLocalResponse(user, original, gbcs);
  return { kind: "completed" };
};

/** 11.1 Update Firmware: the image goes to the CSP for each device named (firmware-distribution.ts). */
const updateFirmware: NonDeviceService = (request, user, services, gateway) => services.firmware.distribute(request, user, services, gateway);

export const NON_DEVICE_SERVICES: ReadonlyMap<string, NonDeviceService> = new Map([
  ["5.1", createSchedule],
  ["5.2", readSchedule],
  ["5.3", deleteSchedule],
  ["8.2", readInventory],
  ["8.3", decommission],
  ["8.4", updateInventory],
  ["8.13", returnLocalCommandResponse],
  ["8.14.1", installWithWan],
  ["8.14.2", installWithoutWan],
  ["8.14.3", hubReturned],
  ["8.14.4", hubReturned],
  ["11.1", updateFirmware],
  ["12.2", preNotify],
]);
