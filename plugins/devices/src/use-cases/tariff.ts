// ECS01a Update Import Tariff (Primary Element), SRV 1.1.1, critical: a list of DLMS sets (the
// passive calendar, special days, block thresholds, prices, standing charge) and the time the
// passive values become active: all zero for now, a date-time to hold it until then (the 0x8F66
// alert follows), all "not given" to cancel a pending one (RTDS ECS01a IMMEDIATE / FUTURE_DATED /
// CANCELLATION).
import { encode } from "@opendcc/kernel";
import { ACCESS, RESULT, accessResponse } from "../protocol/dlms.js";
import { ROLE } from "../model.js";
import { at, defineUseCase, list } from "./types.js";

/** GBCS extended data object whose attribute 6 is the activation time the alert names. */
const ACTIVATION = { classId: 9000, obis: "00005E2C0200", attribute: 6 } as const;
/** Parse names an activation time "now" (all zero), "never" (a cancellation) or an ISO date-time. */
const NOW = "now";
const NEVER = "never";

export const ECS01a = defineUseCase({
  name: "ECS01a", messageCode: 0x0019, kinds: ["ESME"], critical: true, roles: [ROLE.supplier], dateTime: true,
  execute(context) {
    const requests = list(context.command.payload.fields, "requests");
    const values: Record<string, unknown> = {};
    let activation: unknown;
    for (const request of requests) {
      const attribute = at(request, "attribute");
      if (attribute === "activatePassiveValueTime" || attribute === "unitChargeActivationTime") {
        activation ??= at(request, "value");
        continue;
      }
      values[`${String(at(request, "classId"))}/${String(at(request, "obis"))}/${String(at(request, "attributeId"))}`] = at(request, "value");
    }
    const estate = context.estate;
    const hot = estate.hotState(context.index);
    if (activation === NEVER || (typeof activation === "string" && activation.includes("*"))) {
      // Cancellation: drop the tariff this supplier has pending.
      const kept = hot.pending.filter((p) => !(p.action.kind === "tariff" && p.messageCode === ECS01a.messageCode));
      hot.pending.splice(0, hot.pending.length, ...kept);
    } else {
      const tariff = estate.tariffIndex({ source: "ECS01a", values });
      const time = activation === NOW || activation === undefined ? null : new Date(String(activation));
      if (time && Number.isNaN(time.getTime())) throw new Error(`ECS01a activation time ${String(activation)} is not a date-time`);
      if (time && time.getTime() > context.now.getTime()) {
        context.hold({
          at: time.getTime(), action: { kind: "tariff", tariff },
          alert: {
            family: "dlms",
            deferred: encode((w) => w.uint(ECS01a.messageCode, 2).uint(context.header.counter, 8).uint(ACTIVATION.classId, 2).hex(ACTIVATION.obis).byte(ACTIVATION.attribute)),
          },
        });
      } else {
        estate.tariff[context.index] = tariff;
      }
    }
    return accessResponse(context.header.counter, requests.map(() => ({ choice: ACCESS.set, result: RESULT.success })));
  },
});
