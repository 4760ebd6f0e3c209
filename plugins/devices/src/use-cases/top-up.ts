// CS01a Apply Prepayment Top Up to an ESME (SRV 2.2): the UTRN as 20 ASCII digits, entered into the
// token gateway. The meter checks the token's MAC against the supplier's prepayment key and its own
// (gbcs.md 9), that it carries this command's counter and that it is newer than the last one; a
// good token adds its value to the meter balance, a bad one is refused (result hardware-fault, as
// the RTDS CS01a ERROR response) with an alert.
import { ALERT } from "../alerts.js";
import { ACCESS, RESULT, accessResponse } from "../protocol/dlms.js";
import { ROLE } from "../model.js";
import { at, defineUseCase, list } from "./types.js";

const decodeAscii = (hex: string): string => new TextDecoder().decode(Uint8Array.from(hex.match(/../g) ?? [], (b) => Number.parseInt(b, 16)));

export const CS01a = defineUseCase({
  name: "CS01a", messageCode: 0x0007, kinds: ["ESME"], critical: false, roles: [ROLE.supplier], dateTime: true,
  async execute(context) {
    const refuse = (alert: number) => {
      context.alert(alert);
      context.estate.log(context.index, "events", alert, context.now);
      return accessResponse(context.header.counter, [{ choice: ACCESS.action, result: RESULT.hardwareFault }]);
    };
    const utrn = decodeAscii(String(at(list(context.command.payload.fields, "requests")[0], "value") ?? ""));
    const hot = context.estate.hotState(context.index);
    const check = await context.checkUtrn(utrn);
    if (!check.ok) return refuse(ALERT.utrnNotAuthentic);
    if (check.counter !== context.header.counter || check.counter <= hot.lastTopUp) return refuse(ALERT.utrnDuplicate);
    hot.lastTopUp = check.counter;
    context.estate.addCredit(context.index, check.valueClass === "pounds" ? check.value * 100 : check.value, context.now);
    return accessResponse(context.header.counter, [{ choice: ACCESS.action, result: RESULT.success }]);
  },
});
