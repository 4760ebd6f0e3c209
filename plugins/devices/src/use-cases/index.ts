// The use cases the emulated devices carry out, by message code. Adding one: write it with
// defineUseCase (see README "Adding a use case") and list it here.
import { CS03B, CS04B, CS07 } from "./han.js";
import { ECS52 } from "./firmware.js";
import { ECS17b, GCS13a } from "./registers.js";
import { ECS42, ECS43, ECS44, GCS32, GCS39 } from "./supply.js";
import { ECS01a } from "./tariff.js";
import { CS01a } from "./top-up.js";
import type { UseCase } from "./types.js";

export const USE_CASES: readonly UseCase[] = [ECS17b, GCS13a, ECS42, ECS43, ECS44, GCS32, GCS39, ECS01a, CS01a, ECS52, CS07, CS03B, CS04B];

const BY_CODE = new Map(USE_CASES.map((u) => [u.messageCode, u]));

export const useCaseFor = (messageCode: number): UseCase | undefined => BY_CODE.get(messageCode);

export { refusal, ZCL_STATUS } from "./refusal.js";
export type { CommandContext, UseCase } from "./types.js";
