import type { UseCaseEncoder } from "../types.js";

export const ESME_ENCODERS: readonly UseCaseEncoder[] = [];
