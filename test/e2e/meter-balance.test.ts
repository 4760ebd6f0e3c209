// Update Meter Balance end to end over HTTP (SRV 1.5, critical; issue point 6 "adjust balance"):
// the Pre-Command (I0), the supplier's Signed Pre-Command (I99), the meter's signed response, and
// the balance the meter then holds. Amounts are in 10^-5 GBP (1000 to the penny).
import { describe, expect, it } from "vitest";
import { adjustMeterBalance, resetMeterBalance } from "./bodies.js";
import { startE2e } from "./support.js";

type DlmsResults = { results: { result: string; object: string; method: string }[] };
type GbzStatus = { components: { command: string; payload: { respondsTo: string; status: { name: string } } }[] };

describe("meter balance over HTTP", () => {
  it("1.5 on a prepayment ESME: adjust by £12 (ECS04a), then reset (ECS04b); the balance follows each signed response", async () => {
    const clock = new Date();
    const e2e = await startE2e({ now: () => clock });
    const esme = e2e.premises.esme; // premises 0 is a prepayment premises
    const before = await e2e.device(esme);
    expect(before.credit).toBe(1000);

    const adjust = await e2e.client.critical({ target: esme, body: adjustMeterBalance("PrepaymentMode", 1_200_000) });
    expect([adjust.preCommand.code, adjust.answer.code]).toEqual(["I0", "I99"]);
    const adjusted = await e2e.delivered(adjust.built.key);
    expect(adjusted.gbcs).toMatchObject({ useCase: "ECS04a", signed: true, protection: { checked: ["signature"] } });
    expect((adjusted.gbcs?.payload.fields as DlmsResults).results.map((r) => [r.object, r.method, r.result])).toEqual([["meterBalanceCredit", "updateAmount", "success"]]);
    expect((await e2e.device(esme)).credit).toBe(2200);

    const reset = await e2e.client.critical({ target: esme, body: resetMeterBalance("PrepaymentMode") });
    expect(reset.answer.code).toBe("I99");
    const done = await e2e.delivered(reset.built.key);
    expect(done.gbcs?.useCase).toBe("ECS04b");
    expect((done.gbcs?.payload.fields as DlmsResults).results.map((r) => [r.object, r.result])).toEqual([
      ["meterBalanceCredit", "success"], ["emergencyCredit", "success"], ["accumulatedDebtRegister", "success"],
    ]);
    expect(await e2e.device(esme)).toMatchObject({ credit: 0, prepayment: { debt: 0 } });
  });

  it("1.5 on a GSME: a credit adjustment (GCS40a) answered with a Default Response success, and the gas meter's balance rises", async () => {
    const clock = new Date();
    const e2e = await startE2e({ now: () => clock });
    const gsme = e2e.premises.gsme;
    const before = (await e2e.device(gsme)).credit ?? 0;
    const { answer, built } = await e2e.client.critical({ target: gsme, body: adjustMeterBalance("PrepaymentMode", 250_000) });
    expect(answer.code).toBe("I99");
    const { gbcs } = await e2e.delivered(built.key);
    expect(gbcs).toMatchObject({ useCase: "GCS40a", signed: true, protection: { checked: ["signature"] } });
    expect((gbcs?.payload.fields as GbzStatus).components.map((c) => [c.command, c.payload.respondsTo, c.payload.status.name])).toEqual([["defaultResponse", "creditAdjustment", "success"]]);
    expect((await e2e.device(gsme)).credit).toBe(before + 250);
  });
});
