// A firmware activation a device reports changes what the Smart Metering Inventory records: after
// a successful CS06 (SRV 11.3 Activate Firmware) the device runs the new image, and the inventory's
// firmware version follows it (seed 003 paragraph 194: a command's response updates the inventory
// records the command affects).
import { parsePayload } from "@opendcc/gbcs";
import { InventoryError, type SmartMeteringInventory } from "./inventory.js";

/** CS06's response, and the 0x00CA alert that carries a future-dated CS06's outcome (gbcs.md 4). */
const ACTIVATION_MESSAGE_CODES: ReadonlySet<number> = new Set([0x0012, 0x00ca]);

interface ActivationOutcome {
  readonly responseCode?: { readonly name?: unknown };
  readonly firmwareVersion?: unknown;
}

/** A GBCS message as the DCC reads it: its header fields and its (unencrypted) payload. */
export interface ReportedMessage {
  readonly cra: 1 | 2 | 3;
  readonly messageCode: number;
  readonly content: Uint8Array;
}

/** The version a message reports running after a successful activation; null for any other message. */
export function activatedFirmwareVersion(message: ReportedMessage): string | null {
  if (!ACTIVATION_MESSAGE_CODES.has(message.messageCode)) return null;
  let fields;
  try {
    fields = parsePayload(message.content, { cra: message.cra, messageCode: message.messageCode, useCase: null }).fields as { executionOutcome?: ActivationOutcome };
  } catch {
    return null;
  }
  const outcome = fields.executionOutcome;
  return outcome?.responseCode?.name === "success" && typeof outcome.firmwareVersion === "string" ? outcome.firmwareVersion : null;
}

/**
 * Sets the device's firmware version in the inventory when the message reports a successful
 * activation (over the WAN, or returned with 8.13 after a local delivery).
 */
export function recordActivatedFirmware(inventory: SmartMeteringInventory, deviceId: string, message: ReportedMessage): void {
  const firmwareVersion = activatedFirmwareVersion(message);
  if (!firmwareVersion) return;
  try {
    inventory.update(deviceId, { firmwareVersion });
  } catch (error) {
    if (!(error instanceof InventoryError)) throw error;
    console.error(`inventory: ${deviceId} reports firmware ${firmwareVersion} activated, but the inventory refuses it: ${error.message}`);
  }
}
