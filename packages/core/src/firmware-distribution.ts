// SRV 11.1 Update Firmware (Annex 5 Table 5.1: a 5-day target, seed 003 paragraph 128; DUIS: a
// non-device request, Command Variant 8, to the DCC). The user sends a firmware image and the
// devices to receive it; the DCC checks each device as it would a device service (it exists, is
// commissioned, and this supplier is registered for it), answers I99, and hands the image to the
// CSP (the device transport), which takes it through each device's hub. Each device answers its
// supplier with an alert: Firmware Distribution Receipt (0x8F72, with the image's hash, which 11.3
// Activate Firmware then names) or Firmware failed verification (0x8F1C).
import { FirmwareImageError, readFirmwareImage } from "@opendcc/gbcs";
import { normaliseEui, type DeviceRecord } from "./inventory.js";
import type { Gateway, GatewayResponse, GatewayServices, ParsedRequest } from "./gateway.js";
import type { User } from "./parties.js";
import type { DeviceTransport } from "./plugins.js";
import { formatRequestId } from "./request-ids.js";
import { ResponseCodes, ServiceError } from "./response-codes.js";

/** Devices whose firmware 11.1 updates (a PPMID's is 11.4's; a hub's is the DCC's own). */
const FIRMWARE_TARGETS: ReadonlySet<DeviceRecord["type"]> = new Set(["ESME", "GSME", "HCALCS"]);

export interface FirmwareDistributionOptions {
  readonly transport: () => DeviceTransport | undefined;
  /** Queues an asynchronous response for a user (a hand-over the CSP refused). */
  readonly deliver: (userId: string, response: GatewayResponse) => Promise<void>;
}

export class FirmwareDistribution {
  constructor(private readonly options: FirmwareDistributionOptions) {}

  /** Checks an 11.1 request and starts the distribution; the gateway answers I99. */
  distribute(request: ParsedRequest, user: User, services: GatewayServices, gateway: Gateway): null {
    const image = decodeImage(request.field("FirmwareImage"));
    try {
      readFirmwareImage(image);
    } catch (error) {
      if (error instanceof FirmwareImageError) throw new ServiceError(ResponseCodes.malformed, `FirmwareImage: ${error.message}`);
      throw error;
    }
    const version = request.field("FirmwareVersion")?.trim() ?? "";
    if (!/^[0-9A-Fa-f]{8}$/.test(version)) throw new ServiceError(ResponseCodes.malformed, `FirmwareVersion must be eight hex digits, not "${version}"`);
    const deviceIds = deviceIdList(request.field("DeviceIDList"));
    const now = services.now();
    for (const deviceId of deviceIds) {
      const device = services.inventory.get(deviceId);
      if (device && !FIRMWARE_TARGETS.has(device.type)) {
        throw new ServiceError(ResponseCodes.wrongDeviceType, `${deviceId} is a ${device.type}; 11.1 updates the firmware of ${[...FIRMWARE_TARGETS].join(", ")}`);
      }
      // Existence (E19), status (E5) and registration (E4), as for a device service request.
      gateway.checkDeviceAccess(user, request.srv, deviceId, now);
    }
    const transport = this.options.transport();
    if (!transport?.distributeFirmware) throw new ServiceError(ResponseCodes.notSupported, "no device transport that distributes firmware is running");
    const requestId = formatRequestId(request.requestId);
    for (const deviceId of deviceIds) {
      transport.distributeFirmware({ requestId, deviceId, image }).catch((error: unknown) => {
        void this.options.deliver(user.userId, {
          requestId: request.requestId, responseCode: ResponseCodes.communicationsFailure,
          reason: `the firmware image could not be taken to ${deviceId}: ${(error as Error).message}`,
          serviceReference: request.serviceReference, srv: request.srv, body: null,
        });
      });
    }
    return null;
  }
}

function decodeImage(text: string | undefined): Uint8Array {
  const base64 = text?.replace(/\s+/g, "") ?? "";
  if (base64 === "") throw new ServiceError(ResponseCodes.malformed, "UpdateFirmware needs a FirmwareImage");
  try {
    return Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
  } catch {
    throw new ServiceError(ResponseCodes.malformed, "FirmwareImage is not base64");
  }
}

/** DeviceIDList: one or more EUI-64s (hex, with or without dashes), separated by white space. */
function deviceIdList(text: string | undefined): string[] {
  const items = text?.trim().split(/\s+/).filter((item) => item !== "") ?? [];
  if (items.length === 0) throw new ServiceError(ResponseCodes.malformed, "UpdateFirmware needs a DeviceIDList naming at least one device");
  for (const item of items) {
    if (!/^[0-9A-Fa-f]{2}(-?[0-9A-Fa-f]{2}){7}$/.test(item)) throw new ServiceError(ResponseCodes.malformed, `DeviceIDList: ${item} is not an EUI-64 device ID`);
  }
  return [...new Set(items.map(normaliseEui))];
}
