// The devices of the DCC Reference Test Data Set's estate, by EUI-64 (the RTDS vectors address
// them; OpenDCC's demo fleet reuses these IDs so fixture DUIS samples run against it). Used where
// no Smart Metering Inventory is at hand to say what a target is (the CLI's transform).
import type { DeviceType } from "./types.js";

export const REFERENCE_ESTATE: Readonly<Record<string, DeviceType>> = {
  "00DB1234567890A0": "ESME",
  "00DB1234567890A1": "GSME",
  "00DB1234567890A2": "CHF",
  "00DB1234567890A3": "GPF",
  "00DB1234567890A4": "PPMID",
  // a Type 1 device: the RTDS sends it a critical join (CS03A2Critical) and a firmware version read (CS08)
  "00DB1234567890A5": "HCALCS",
  "00DB1234567890A6": "ESME",
};
