// ECS52 Read ESME/Comms Hub Firmware Version (SRV 11.2): a get of 0-0:0.2.1.255 attribute 2,
// answered with the running version as an octet string of its text (as the
// inventory records it, e.g. "00010000").
import { ACCESS, RESULT, accessResponse } from "../protocol/dlms.js";
import { ROLE } from "../model.js";
import { defineUseCase } from "./types.js";

export const ECS52 = defineUseCase({
  name: "ECS52", messageCode: 0x0059, kinds: ["ESME", "CHF"], critical: false, roles: [ROLE.supplier, ROLE.networkOperator], dateTime: false,
  execute(context) {
    const version = context.estate.firmwareVersions[context.estate.firmware[context.index] ?? 0] ?? "";
    return accessResponse(context.header.counter, [{ choice: ACCESS.get, result: RESULT.success, data: (w) => w.dlmsOctets(new TextEncoder().encode(version)) }]);
  },
});
