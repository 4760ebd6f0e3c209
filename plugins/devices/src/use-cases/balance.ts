// Update Meter Balance (SRV 1.5, critical). ESME: ECS04a adjusts the meter balance by an amount
// (Credit 0-0:19.10.0.255 method 1 "update amount"); ECS04b resets the meter balance, emergency
// credit and accumulated debt (method 2 "set amount to value" on 19.10.0, .1, .2). GSME: the
// Prepayment cluster's Credit Adjustment, by type: 0 incremental (GCS40a), 1 absolute (GCS40b),
// then the credit-mode reset (2, GCS40d) and adjustment (3, GCS40c), answered with a ZCL Default
// Response. Responses are as the RTDS ones.
//
// Amounts are in 10^-5 GBP (the price scale of the tariffs: ECS04a's RTDS 1200000 is £12); the
// meter balance is held in pence.
import { ACCESS, RESULT, accessResponse } from "../protocol/dlms.js";
import { defaultResponse, gbzPayload } from "../protocol/gbz.js";
import { ROLE } from "../model.js";
import { at, defineUseCase, list, type CommandContext } from "./types.js";

const PER_PENNY = 1000;
const toPence = (amount: unknown): number => {
  const value = Number(amount);
  if (!Number.isInteger(value)) throw new Error(`meter balance amount ${JSON.stringify(amount)} is not an integer`);
  return Math.round(value / PER_PENNY);
};

const CREDIT = { meterBalance: "0-0:19.10.0.255", emergencyCredit: "0-0:19.10.1.255", debt: "0-0:19.10.2.255" } as const;

export const ECS04a = defineUseCase({
  name: "ECS04a", messageCode: 0x001c, kinds: ["ESME"], critical: true, roles: [ROLE.supplier], dateTime: false,
  execute(context) {
    const request = list(context.command.payload.fields, "requests")[0];
    if (at(request, "obis") !== CREDIT.meterBalance || at(request, "methodId") !== 1) throw new Error("ECS04a must update the meter balance credit's amount");
    context.estate.addCredit(context.index, toPence(at(request, "value")), context.now);
    return accessResponse(context.header.counter, [{ choice: ACCESS.action, result: RESULT.success }]);
  },
});

export const ECS04b = defineUseCase({
  name: "ECS04b", messageCode: 0x00b3, kinds: ["ESME"], critical: true, roles: [ROLE.supplier], dateTime: false,
  execute(context) {
    const requests = list(context.command.payload.fields, "requests");
    for (const request of requests) {
      const pence = toPence(at(request, "value"));
      const obis = at(request, "obis");
      if (obis === CREDIT.meterBalance) context.estate.setCredit(context.index, pence, context.now);
      else if (obis === CREDIT.debt) context.estate.setDebt(context.index, pence);
      // Emergency credit in use is not modelled: resetting it changes nothing here.
      else if (obis !== CREDIT.emergencyCredit) throw new Error(`ECS04b does not reset ${String(obis)}`);
    }
    return accessResponse(context.header.counter, requests.map(() => ({ choice: ACCESS.action, result: RESULT.success })));
  },
});

const PREPAYMENT = 0x0705;
const CREDIT_ADJUSTMENT = 0x05;
/** ZCL frame control of the RTDS GCS40 responses: profile-wide, server to client. */
const SERVER_PROFILE_WIDE_WITH_DEFAULT = 0x08;
const ADJUSTMENT = { incremental: 0, absolute: 1, creditModeReset: 2, creditModeIncremental: 3 } as const;

function gasBalance(name: string, messageCode: number, type: number) {
  return defineUseCase({
    name, messageCode, kinds: ["GSME"], critical: true, roles: [ROLE.supplier], dateTime: false,
    execute(context: CommandContext) {
      const component = list(context.command.payload.fields, "components")[0];
      const payload = at(component, "payload");
      if (at(payload, "creditAdjustmentType", "code") !== type) throw new Error(`${name} carries credit adjustment type ${JSON.stringify(at(payload, "creditAdjustmentType"))}, not ${type}`);
      const pence = toPence(at(payload, "creditAdjustmentValue"));
      if (type === ADJUSTMENT.incremental || type === ADJUSTMENT.creditModeIncremental) context.estate.addCredit(context.index, pence, context.now);
      else context.estate.setCredit(context.index, pence, context.now);
      return gbzPayload([{
        cluster: PREPAYMENT, frameControl: SERVER_PROFILE_WIDE_WITH_DEFAULT, sequence: Number(at(component, "sequenceNumber") ?? 0), commandId: 0x0b,
        payload: defaultResponse(CREDIT_ADJUSTMENT, 0),
      }]);
    },
  });
}

export const GCS40a = gasBalance("GCS40a", 0x0086, ADJUSTMENT.incremental);
export const GCS40b = gasBalance("GCS40b", 0x00b4, ADJUSTMENT.absolute);
export const GCS40c = gasBalance("GCS40c", 0x00c0, ADJUSTMENT.creditModeIncremental);
export const GCS40d = gasBalance("GCS40d", 0x00c2, ADJUSTMENT.creditModeReset);
