// Gas use cases (GCS*): GBZ payloads for the GSME, some addressed to the Gas Proxy Function.
import { defineUseCase, type UseCaseEncoder } from "../types.js";
import { writeGbz } from "../gbz.js";

const METERING = 0x0702;
const READ_ATTRIBUTES = 0x00;

/** Reads a list of attributes of one cluster (ZCL read attributes; ids little-endian). */
const readAttributes = (cluster: number, attributes: readonly number[]) => ({
  cluster, frameControl: 0x00, sequence: 0, commandId: READ_ATTRIBUTES,
  payload: (w: import("@opendcc/kernel").GbcsWriter) => attributes.forEach((id) => w.uintLe(id, 2)),
});

// GCS13a Read GSME/GPF Consumption Register (SRV 4.1.1): summation delivered with its unit,
// multiplier and divisor.
const GCS13a = defineUseCase({
  useCase: "GCS13a", srv: "4.1.1", deviceTypes: ["GSME", "GPF"], messageCode: 0x0074, critical: false,
  write: (w) => writeGbz(w, [readAttributes(METERING, [0x0302, 0x0301, 0x0300, 0x0000])]),
});

export const GAS_ENCODERS: readonly UseCaseEncoder[] = [GCS13a];
