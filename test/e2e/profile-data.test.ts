// Profile data end to end over HTTP (issue point 6): 4.8.1 Read Active Import Profile Data on an
// electricity meter (ECS22b) and a gas meter (GCS17), on demand, future dated (the catalogue's
// "DSP" pattern: the DCC holds the command and sends it at its execution date-time) and scheduled
// (5.1: the DCC runs it each day). The half hours the supplier decrypts are the ones the meter's
// profile log holds.
import { describe, expect, it } from "vitest";
import { dailyProfileSchedule, readProfileData } from "./bodies.js";
import { requestKey } from "../../bench/src/e2e/client.js";
import { startE2e, type E2e } from "./support.js";

const HOUR = 3_600_000;
/** Ten minutes into a half hour, so which half hours are complete is plain. */
const clockAt = () => new Date(Math.floor(Date.now() / 1_800_000) * 1_800_000 + 600_000);

type EsmeFields = { results: { result: string; value: { decrypted: boolean; attributes: { object: string; value: [string, number][] }[] } }[] };
type GsmeFields = { components: { command: string; decrypted: boolean; payload: { samples: { time: string; value: number }[] } }[] };

const logged = async (e2e: E2e, deviceId: string, from: Date, to: Date) =>
  (await e2e.json<[string, number][]>("GET", `/plugins/devices/devices/${deviceId}/profile?from=${from.toISOString()}&to=${to.toISOString()}`))
    .map(([start, units]) => [start.replace(".000Z", "Z"), units] as const);

describe("profile data over HTTP", () => {
  it("4.8.1 on an ESME, on demand: the complete half hours of the range, decrypted by the supplier, as the meter logged them", async () => {
    const clock = clockAt();
    const e2e = await startE2e({ now: () => clock });
    const from = new Date(clock.getTime() - 3 * HOUR);
    const answer = await e2e.client.send({ target: e2e.premises.esme, body: readProfileData(from, new Date(clock.getTime() + HOUR)) });
    expect([answer.status, answer.code]).toEqual([200, "I99"]);
    const { response, gbcs } = await e2e.delivered(answer.built.key);
    expect(response.header.responseCode).toBe("I0");
    expect(gbcs).toMatchObject({ useCase: "ECS22b", originator: e2e.premises.esme, counter: String(answer.built.counter), protection: { checked: ["mac", "encryption"] } });
    const result = (gbcs?.payload.fields as EsmeFields).results[0];
    expect(result?.result).toBe("success");
    const entries = result?.value.attributes[0]?.value ?? [];
    // 3 h 10 min of the range have passed: six complete half hours.
    expect(entries).toHaveLength(6);
    expect(entries).toEqual(await logged(e2e, e2e.premises.esme, from, clock));
    expect(entries.every(([, wh]) => wh > 0)).toBe(true);
  });

  it("4.8.1 on a GSME: half-hourly litres from the earliest sample time", async () => {
    const clock = clockAt();
    const e2e = await startE2e({ now: () => clock });
    const from = new Date(clock.getTime() - 2 * HOUR - 600_000);
    const answer = await e2e.client.send({ target: e2e.premises.gsme, body: readProfileData(from, clock) });
    expect(answer.code).toBe("I99");
    const { gbcs } = await e2e.delivered(answer.built.key);
    expect(gbcs).toMatchObject({ useCase: "GCS17", protection: { checked: ["mac", "encryption"] } });
    const component = (gbcs?.payload.fields as GsmeFields).components[0];
    expect(component).toMatchObject({ command: "getSampledDataResponse", decrypted: true });
    const samples = component?.payload.samples.map((s) => [s.time, s.value] as const);
    expect(samples).toHaveLength(4);
    expect(samples).toEqual(await logged(e2e, e2e.premises.gsme, from, clock));
  });

  it("4.8.1 future dated: I99 now, nothing sent; at the execution time the DCC sends it and the range read then comes back whole", async () => {
    let clock = clockAt();
    const e2e = await startE2e({ now: () => clock });
    const from = new Date(clock.getTime() - HOUR - 600_000);
    const to = new Date(clock.getTime() + HOUR - 600_000);
    const executionDateTime = new Date(clock.getTime() + HOUR).toISOString();
    const answer = await e2e.client.send({ target: e2e.premises.esme, body: readProfileData(from, to), executionDateTime });
    expect(answer.code).toBe("I99");
    await e2e.gateway.dcc.runSchedules();
    await expect(e2e.delivered(answer.built.key, 300)).rejects.toThrow(/nothing was delivered/);

    clock = new Date(clock.getTime() + HOUR + 60_000);
    await e2e.gateway.dcc.runSchedules();
    const { response, gbcs } = await e2e.delivered(answer.built.key);
    expect(response.header.responseCode).toBe("I0");
    expect(gbcs).toMatchObject({ useCase: "ECS22b", counter: String(answer.built.counter) });
    // Sent an hour later, the command's range is complete: four half hours, read at the meter's clock then.
    const entries = (gbcs?.payload.fields as EsmeFields).results[0]?.value.attributes[0]?.value;
    expect(entries).toHaveLength(4);
    expect(entries).toEqual(await logged(e2e, e2e.premises.esme, from, to));
    expect(gbcs?.dateTime).toBe(clock.toISOString().replace(".000Z", "Z"));
  });

  it("4.8.1 scheduled (5.1): at its daily time the DCC reads yesterday's half hours and delivers them with the DSPScheduleID", async () => {
    let clock = clockAt();
    const e2e = await startE2e({ now: () => clock });
    const tomorrow = new Date(Date.UTC(clock.getUTCFullYear(), clock.getUTCMonth(), clock.getUTCDate() + 1));
    const created = await e2e.client.send({ target: "90B3D51F30000002", cv: 8, body: dailyProfileSchedule(e2e.premises.gsme, tomorrow.toISOString().slice(0, 10), "01:30:00") });
    expect(created.code).toBe("I0");
    const scheduleId = /<sr:DSPScheduleID>(\d+)</.exec(created.xml)?.[1];
    expect(scheduleId).toBeDefined();

    clock = new Date(tomorrow.getTime() + 90 * 60_000);
    await e2e.gateway.dcc.runSchedules();
    const { response, gbcs } = await e2e.delivered(requestKey(e2e.user.userId, e2e.premises.gsme, BigInt(clock.getTime())));
    expect(response.body).toMatchObject({ kind: "ResponseMessage", content: { kind: "DSPScheduledMessage", dspScheduleId: Number(scheduleId) } });
    expect(gbcs).toMatchObject({ useCase: "GCS17", protection: { checked: ["mac", "encryption"] } });
    const samples = (gbcs?.payload.fields as GsmeFields).components[0]?.payload.samples.map((s) => [s.time, s.value] as const);
    const yesterday = new Date(tomorrow.getTime() - 86_400_000);
    // GCS17 asks for the period's samples plus one (RTDS: 97 for two days), so the half hour from
    // midnight, complete at 01:30, comes too.
    expect(samples).toHaveLength(49);
    expect(samples).toEqual(await logged(e2e, e2e.premises.gsme, yesterday, new Date(tomorrow.getTime() + 1_800_000)));
  });
});
