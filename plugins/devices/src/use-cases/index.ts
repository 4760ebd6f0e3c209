// The use cases the emulated devices carry out, by message code. Adding one: write it with
// defineUseCase (see README "Adding a use case") and list it here.
import { ECS04a, ECS04b, GCS40a, GCS40b, GCS40c, GCS40d } from "./balance.js";
import { CCS01, CCS02, CCS03, CCS05 } from "./chf.js";
import { ECS70, GCS28 } from "./clock.js";
import { CS02bSupplierByTransCoS } from "./credentials.js";
import { CS03B, CS04B, CS07 } from "./han.js";
import { CS06, ECS52 } from "./firmware.js";
import { ECS22b, GCS17 } from "./profile.js";
import { ECS17b, GCS13a } from "./registers.js";
import { ECS42, ECS43, ECS44, GCS32, GCS39 } from "./supply.js";
import { ECS01a } from "./tariff.js";
import { CS01a } from "./top-up.js";
import type { UseCase } from "./types.js";

export const USE_CASES: readonly UseCase[] = [ECS17b, GCS13a, ECS42, ECS43, ECS44, GCS32, GCS39, ECS01a, CS01a, ECS52, CS07, CS03B, CS04B,
  ECS22b, GCS17, ECS04a, ECS04b, GCS40a, GCS40b, GCS40c, GCS40d, CS06,
  CCS01, CCS02, CCS03, CCS05, CS02bSupplierByTransCoS, ECS70, GCS28,
];

const BY_CODE = new Map(USE_CASES.map((u) => [u.messageCode, u]));

export const useCaseFor = (messageCode: number): UseCase | undefined => BY_CODE.get(messageCode);

export { refusal, ZCL_STATUS } from "./refusal.js";
export type { CommandContext, UseCase } from "./types.js";
