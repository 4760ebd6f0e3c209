// ESME use cases ECS30 and above, and the Communications Hub Function's CCS / DBCH use cases
// (all DLMS). Each family file owns its SRVs.
import type { UseCaseEncoder } from "../types.js";
import { CHF_ENCODERS } from "./chf.js";
import { ESME_ALERT_BEHAVIOUR_ENCODERS } from "./esme-alert-behaviours.js";
import { ESME_MORE_CONFIG_ENCODERS } from "./esme-more-config.js";
import { ESME_MORE_LOAD_ENCODERS } from "./esme-more-load.js";
import { ESME_MORE_LOG_ENCODERS } from "./esme-more-logs.js";

export const ESME_MORE_ENCODERS: readonly UseCaseEncoder[] = [...ESME_MORE_CONFIG_ENCODERS, ...ESME_ALERT_BEHAVIOUR_ENCODERS, ...ESME_MORE_LOAD_ENCODERS, ...ESME_MORE_LOG_ENCODERS, ...CHF_ENCODERS];
