// Reads end to end over HTTP (issue point 6): a supplier's signed 4.1.1 Read Instantaneous Import
// Registers to an electricity meter (ECS17b) and a gas meter (GCS13a) is acknowledged I99; the
// device's answer reaches the supplier through delivery as I0 with its GBCS payload, which the
// supplier checks (MAC), decrypts and finds the register the meter holds.
import { describe, expect, it } from "vitest";
import { readImportRegisters, startE2e } from "./support.js";

type Fields = { results: { value: { attributes: { value: { value: number }[] }[] } | { value: unknown } }[] };

describe("reads over HTTP", () => {
  it("4.1.1 on an ESME: I99, then the meter's import register delivered MAC'd and encrypted for the supplier", async () => {
    const clock = new Date();
    const e2e = await startE2e({ now: () => clock });
    const answer = await e2e.client.send({ target: e2e.premises.esme, body: readImportRegisters });
    expect([answer.status, answer.code, answer.reason]).toEqual([200, "I99", null]);

    const { response, gbcs } = await e2e.delivered(answer.built.key);
    expect(response.header.responseCode).toBe("I0");
    expect(response.body).toMatchObject({ kind: "ResponseMessage", serviceReferenceVariant: "4.1.1", content: { kind: "GBCSPayload" } });
    expect(gbcs).toMatchObject({ useCase: "ECS17b", cra: 2, originator: e2e.premises.esme, recipient: e2e.user.userId, counter: String(answer.built.counter) });
    expect(gbcs?.protection?.checked).toEqual(["mac", "encryption"]);
    const register = (gbcs?.payload.fields as Fields).results[0]?.value as { attributes: { value: { value: number }[] }[] };
    const state = await e2e.device(e2e.premises.esme);
    expect(state.register?.unit).toBe("Wh");
    expect(register.attributes[0]?.value[0]?.value).toBe(state.register?.value);
  });

  it("4.1.1 on a GSME: the gas register as the meter holds it", async () => {
    const clock = new Date();
    const e2e = await startE2e({ now: () => clock });
    const answer = await e2e.client.send({ target: e2e.premises.gsme, body: readImportRegisters });
    expect(answer.code).toBe("I99");
    const { response, gbcs } = await e2e.delivered(answer.built.key);
    expect(response.header.responseCode).toBe("I0");
    expect(gbcs).toMatchObject({ useCase: "GCS13a", originator: e2e.premises.gsme, counter: String(answer.built.counter) });
    expect(gbcs?.protection?.checked).toContain("mac");
    const state = await e2e.device(e2e.premises.gsme);
    expect(JSON.stringify(gbcs?.payload.fields)).toContain(String(state.register?.value));
  });
});
