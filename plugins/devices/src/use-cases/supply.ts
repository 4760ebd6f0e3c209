// Supply enable / disable / arm. ESME (ECS42/43/44, SRVs 7.1-7.3, critical): method 1 of the
// disconnect-control script table with script 51 (close), 52 (open) or 54 (arm). GSME (GCS32,
// GCS39, SRVs 7.2-7.3, critical): Metering cluster Change Supply, answered with Supply Status
// Response; an implementation time in the future is held and carried out then (0x8F66 alert).
import { encode } from "@opendcc/kernel";
import { ACCESS, RESULT, accessResponse } from "../protocol/dlms.js";
import { SERVER_CLUSTER_SPECIFIC, gbzPayload } from "../protocol/gbz.js";
import { zigbeeSeconds } from "../protocol/frames.js";
import { ROLE, type SupplyState } from "../model.js";
import { at, defineUseCase, list, type UseCase } from "./types.js";

const EVENT = { enabled: 0x8f34, disabled: 0x8f57, armed: 0x8f32 } as const;

function esmeSupply(name: string, messageCode: number, script: number, state: SupplyState): UseCase {
  return defineUseCase({
    name, messageCode, kinds: ["ESME"], critical: true, roles: [ROLE.supplier], dateTime: false,
    execute(context) {
      const asked = at(list(context.command.payload.fields, "requests")[0], "value");
      if (asked !== script) return accessResponse(context.header.counter, [{ choice: ACCESS.action, result: RESULT.otherReason }]);
      context.estate.setSupply(context.index, state, context.now);
      context.estate.log(context.index, "events", EVENT[state], context.now);
      return accessResponse(context.header.counter, [{ choice: ACCESS.action, result: RESULT.success }]);
    },
  });
}

export const ECS42 = esmeSupply("ECS42", 0x004f, 51, "enabled");
export const ECS43 = esmeSupply("ECS43", 0x0050, 52, "disabled");
export const ECS44 = esmeSupply("ECS44", 0x0051, 54, "armed");

/** ZCL supply status values (Metering cluster). */
const ZCL_SUPPLY: Readonly<Record<SupplyState, number>> = { disabled: 0, armed: 1, enabled: 2 };
const METERING = 0x0702;
const CHANGE_SUPPLY = 0x0b;
const SUPPLY_STATUS_RESPONSE = 0x0c;

function gasSupply(name: string, messageCode: number, state: SupplyState): UseCase {
  return defineUseCase({
    name, messageCode, kinds: ["GSME"], critical: true, roles: [ROLE.supplier], dateTime: false,
    execute(context) {
      const component = list(context.command.payload.fields, "components")[0];
      const payload = at(component, "payload");
      if (at(payload, "proposedSupplyStatus", "code") !== ZCL_SUPPLY[state]) {
        throw new Error(`${name} asks for supply status ${JSON.stringify(at(payload, "proposedSupplyStatus"))}, not ${state}`);
      }
      const when = at(payload, "implementationDateTime");
      const time = when === "now" || when === undefined ? null : new Date(String(when));
      if (time && time.getTime() > context.now.getTime()) {
        context.hold({
          at: time.getTime(), action: { kind: "supply", state },
          alert: { family: "gbz", deferred: encode((w) => w.uint(messageCode, 2).uint(context.header.counter, 8).uint(METERING, 2).byte(0x01).byte(CHANGE_SUPPLY)) },
        });
      } else {
        context.estate.setSupply(context.index, state, context.now);
        context.estate.log(context.index, "events", EVENT[state], context.now);
      }
      const status = ZCL_SUPPLY[context.estate.supplyAt(context.index)];
      const zcl = encode((w) => w
        .uintLe(Number(at(payload, "providerId") ?? 0), 4).uintLe(Number(at(payload, "issuerEventId") ?? 0), 4)
        .uintLe(time ? zigbeeSeconds(time) : 0, 4).byte(status));
      return gbzPayload([{ cluster: METERING, frameControl: SERVER_CLUSTER_SPECIFIC, sequence: Number(at(component, "sequenceNumber") ?? 0), commandId: SUPPLY_STATUS_RESPONSE, payload: zcl }]);
    },
  });
}

export const GCS32 = gasSupply("GCS32", 0x0081, "disabled");
export const GCS39 = gasSupply("GCS39", 0x0085, "armed");

