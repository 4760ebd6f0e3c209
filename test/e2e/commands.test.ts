// Commands that change a meter, end to end over HTTP (issue point 6), each checked against the
// meter's state afterwards: a tariff update (critical: Command Variant 4 gives the Pre-Command,
// the supplier signs it and returns it with Command Variant 5), disable / arm / enable supply
// (critical), and a prepayment top-up with a UTRN (2.2, non-critical).
import { describe, expect, it } from "vitest";
import { generateUtrn, readCertificate } from "@opendcc/gbcs";
import { importPublicKey, pemToDer } from "@opendcc/kernel";
import { armSupply, blockTariff, disableSupply, enableSupply, startE2e, topUp } from "./support.js";

type Results = { results: { result: string }[] };

describe("commands over HTTP", () => {
  it("1.1.1 tariff update: Pre-Command (I0), Signed Pre-Command (I99), the meter's signed response, and the meter has the new prices", async () => {
    const e2e = await startE2e();
    const esme = e2e.premises.esme;
    expect((await e2e.device(esme)).tariff.source).toBe("default");
    const { preCommand, answer, built } = await e2e.client.critical({ target: esme, body: blockTariff([1234, 2345, 3456]) });
    expect(preCommand.code).toBe("I0");
    expect(preCommand.xml).toContain("<sr:PreCommand>");
    expect([answer.status, answer.code]).toEqual([200, "I99"]);

    const { response, gbcs } = await e2e.delivered(built.key);
    expect(response.header.responseCode).toBe("I0");
    expect(gbcs).toMatchObject({ useCase: "ECS01a", signed: true, protection: { checked: ["signature"] }, counter: String(built.counter) });
    const results = (gbcs?.payload.fields as Results).results;
    expect(results.length).toBeGreaterThan(10);
    expect(results.filter((r) => r.result !== "success")).toEqual([]);
    const tariff = (await e2e.device(esme)).tariff;
    expect(tariff.source).toBe("ECS01a");
    // Block prices land in the price charge's unit-charge table (A1, B1, C1: blocks 1-3 of tariff 1).
    const prices = (tariff.values["113/0-0:19.20.0.255/6"] as { charges: { index: string; price: number }[] }).charges;
    expect(["A1", "B1", "C1"].map((index) => prices.find((c) => c.index === index)?.price)).toEqual([1234, 2345, 3456]);
    expect(tariff.values["113/0-0:19.20.4.255/6"]).toMatchObject({ charges: [{ price: 25_000 }] });
    expect(tariff.values["21/0-0:16.1.11.255/2"]).toEqual([5000, 15_000, 4_294_967_295]);
  });

  it("7.2 disable, 7.3 arm, 7.1 enable supply: each signed response says success and the load switch follows", async () => {
    const e2e = await startE2e();
    const esme = e2e.premises.esme;
    expect((await e2e.device(esme)).supply).toBe("enabled");
    for (const [body, state, event] of [[disableSupply, "disabled", "0x8F57"], [armSupply, "armed", "0x8F32"], [enableSupply, "enabled", "0x8F34"]] as const) {
      const { answer, built } = await e2e.client.critical({ target: esme, body });
      expect(answer.code).toBe("I99");
      const { gbcs } = await e2e.delivered(built.key);
      expect(gbcs).toMatchObject({ signed: true, protection: { checked: ["signature"] } });
      expect((gbcs?.payload.fields as Results).results.map((r) => r.result)).toEqual(["success"]);
      const device = await e2e.device(esme);
      expect(device.supply).toBe(state);
      expect(device.events.at(-1)?.code).toBe(event);
    }
  });

  it("2.2 top up with a UTRN: the meter's balance rises by the token's value; the same token again is refused and the balance stays", async () => {
    const e2e = await startE2e();
    const esme = e2e.premises.esme; // premises 0: a prepayment meter (every second premises)
    const kaPem = await (await fetch(`${e2e.gateway.url}/plugins/devices/smki/${esme}/ka`)).text();
    const deviceKa = await importPublicKey(readCertificate(pemToDer(kaPem)).spki, "ka");
    // The token carries the carrying command's counter, whose low 32 bits are zero (gbcs.md 9).
    const counter = 1n << 32n;
    const utrn = await generateUtrn({ key: { supplierPrepaymentKa: e2e.user.ppKaKey, deviceKa }, supplier: e2e.user.userId, device: esme, counter, value: 15, valueClass: "pounds" });
    const before = (await e2e.device(esme)).credit ?? 0;

    const answer = await e2e.client.send({ target: esme, body: topUp(utrn), counter });
    expect(answer.code).toBe("I99");
    const { gbcs } = await e2e.delivered(answer.built.key);
    expect(gbcs).toMatchObject({ useCase: "CS01a", protection: { checked: ["mac"] } });
    expect((gbcs?.payload.fields as Results).results.map((r) => r.result)).toEqual(["success"]);
    const after = (await e2e.device(esme)).credit ?? 0;
    // 1500 pence in, less what the meter used in between (it runs on its daily curve).
    expect(after - before).toBeGreaterThan(1490);
    expect(after - before).toBeLessThanOrEqual(1500);

    const again = await e2e.client.send({ target: esme, body: topUp(utrn) });
    expect(again.code).toBe("I99");
    const refused = await e2e.delivered(again.built.key);
    expect((refused.gbcs?.payload.fields as Results).results.map((r) => r.result)).toEqual(["hardwareFault"]);
    expect((await e2e.device(esme)).credit).toBeLessThanOrEqual(after);
  });
});
