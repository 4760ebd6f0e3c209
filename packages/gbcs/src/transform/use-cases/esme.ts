// ESME use cases ECS01-ECS29 (DLMS COSEM payloads), by family file.
import type { UseCaseEncoder } from "../types.js";
import { ESME_CONFIG_ENCODERS } from "./esme-config.js";
import { ESME_PREPAYMENT_ENCODERS } from "./esme-prepayment.js";
import { ESME_READ_ENCODERS } from "./esme-reads.js";
import { ESME_TARIFF_ENCODERS } from "./esme-tariff.js";

export const ESME_ENCODERS: readonly UseCaseEncoder[] = [...ESME_TARIFF_ENCODERS, ...ESME_PREPAYMENT_ENCODERS, ...ESME_READ_ENCODERS, ...ESME_CONFIG_ENCODERS];
