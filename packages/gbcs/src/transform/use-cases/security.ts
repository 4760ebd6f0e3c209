// Security and cross-device use cases (CS*): top-up, security logs, credentials, join and unjoin, firmware,
// customer identification number.
import type { UseCaseEncoder } from "../types.js";
import { CREDENTIALS_UPDATE_ENCODERS } from "./cs-credentials.js";
import { DEVICE_CREDENTIAL_ENCODERS } from "./cs-device-credentials.js";
import { CUSTOMER_IDENTIFICATION_ENCODERS } from "./customer-identification.js";
import { FIRMWARE_ENCODERS } from "./cs-firmware.js";
import { JOIN_ENCODERS } from "./cs-join.js";
import { LOG_ENCODERS } from "./cs-logs.js";
import { TOP_UP_ENCODERS } from "./cs-topup.js";
import { UNJOIN_ENCODERS } from "./cs-unjoin.js";

export const SECURITY_ENCODERS: readonly UseCaseEncoder[] = [
  ...TOP_UP_ENCODERS, ...LOG_ENCODERS, ...CREDENTIALS_UPDATE_ENCODERS, ...DEVICE_CREDENTIAL_ENCODERS, ...JOIN_ENCODERS, ...UNJOIN_ENCODERS, ...FIRMWARE_ENCODERS,
  ...CUSTOMER_IDENTIFICATION_ENCODERS,
];
