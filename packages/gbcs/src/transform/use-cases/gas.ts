// Gas use cases (GCS*): GBZ payloads for the GSME, some addressed to the Gas Proxy Function, and
// the ASN.1 clock command. One file per kind of service; this one gathers them.
import type { UseCaseEncoder } from "../types.js";
import { GAS_CLOCK_ENCODERS } from "./gas-clock.js";
import { GAS_DEVICE_ENCODERS } from "./gas-device.js";
import { GAS_LOG_ENCODERS } from "./gas-logs.js";
import { GAS_PREPAYMENT_ENCODERS } from "./gas-prepayment.js";
import { GAS_READ_ENCODERS } from "./gas-reads.js";
import { GAS_TARIFF_ENCODERS } from "./gas-tariff.js";

export const GAS_ENCODERS: readonly UseCaseEncoder[] = [
  ...GAS_READ_ENCODERS, ...GAS_LOG_ENCODERS, ...GAS_PREPAYMENT_ENCODERS, ...GAS_DEVICE_ENCODERS, ...GAS_CLOCK_ENCODERS, ...GAS_TARIFF_ENCODERS,
];
