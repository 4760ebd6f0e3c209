// Every use case encoder, by family. Each family file owns its SRVs.
import type { UseCaseEncoder } from "../types.js";
import { ESME_ENCODERS } from "./esme.js";
import { ESME_MORE_ENCODERS } from "./esme-more.js";
import { GAS_ENCODERS } from "./gas.js";
import { RESTORE_ENCODERS } from "./restore.js";
import { SECURITY_ENCODERS } from "./security.js";

export const USE_CASE_ENCODERS: readonly UseCaseEncoder[] = [...ESME_ENCODERS, ...ESME_MORE_ENCODERS, ...GAS_ENCODERS, ...SECURITY_ENCODERS, ...RESTORE_ENCODERS];
