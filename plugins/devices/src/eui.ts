// EUI-64 text and the fleet's numbering. A fleet device's EUI says where it lives:
// 00DB + 8 hex digits (fleet base + premises number) + 000 + the slot digit, the same shape as
// the CLI demo's IDs (slot 0 ESME, 1 GSME, 2 CHF, 3 GPF, 4 PPMID, 5 IHD), so no map from EUI to
// device is needed for the fleet: the digits are the index.
import { fromHex } from "@opendcc/kernel";

export const SLOTS = { ESME: 0, GSME: 1, CHF: 2, GPF: 3, PPMID: 4, IHD: 5 } as const;
export const SLOTS_PER_PREMISES = 6;

export function normaliseEui(text: string): string {
  const eui = text.replace(/-/g, "").toUpperCase();
  if (!/^[0-9A-F]{16}$/.test(eui)) throw new Error(`"${text}" is not an EUI-64 (16 hex digits)`);
  return eui;
}

export const euiBytes = (eui: string): Uint8Array => fromHex(eui);

export function fleetEui(base: number, premises: number, slot: number): string {
  return `00DB${(base + premises).toString(16).toUpperCase().padStart(8, "0")}000${slot}`;
}

/** The premises number and slot of a fleet EUI, or null when it is not one. */
export function parseFleetEui(base: number, eui: string): { premises: number; slot: number } | null {
  if (!eui.startsWith("00DB") || eui.slice(12, 15) !== "000") return null;
  const premises = Number.parseInt(eui.slice(4, 12), 16) - base;
  const slot = Number.parseInt(eui.slice(15), 16);
  if (!(premises >= 0) || slot >= SLOTS_PER_PREMISES) return null;
  return { premises, slot };
}
