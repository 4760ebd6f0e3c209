import type { UseCaseEncoder } from "../types.js";

export const SECURITY_ENCODERS: readonly UseCaseEncoder[] = [];
