import type { UseCaseEncoder } from "../types.js";

export const ESME_MORE_ENCODERS: readonly UseCaseEncoder[] = [];
