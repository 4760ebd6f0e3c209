// What goes wrong, end to end over HTTP (issue point 6): a Signed Pre-Command signed with the
// wrong key (the gateway refuses it, E47), a device that does not trust the signature it gets
// (it refuses the command, logs it and alerts 0x8F3D), a request quarantined by anomaly detection
// (E44, held, executed only when released), and a hub without WAN (E20) that comes back.
import { describe, expect, it } from "vitest";
import { parseResponse } from "@opendcc/duis";
import { TestSmki } from "@opendcc/gbcs";
import { disableSupply, readImportRegisters, startE2e } from "./support.js";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("failures over HTTP", () => {
  it("a Pre-Command signed with a key that is not the user's DS key: E47, and the supply stays on", async () => {
    const e2e = await startE2e();
    const stranger = await (await TestSmki.create()).issue({ eui: e2e.user.userId, usage: "ds", commonName: "not the supplier", roleCode: "02" });
    const { preCommand, answer } = await e2e.client.critical({ target: e2e.premises.esme, body: disableSupply }, stranger.keys.privateKey);
    expect(preCommand.code).toBe("I0");
    expect(answer.code).toBe("E47");
    expect((await e2e.device(e2e.premises.esme)).supply).toBe("enabled");
  });

  it("a device holding another DS trust anchor for the supplier refuses the command: security log 0x8F3D, alert delivered, supply unchanged", async () => {
    const e2e = await startE2e();
    const esme = e2e.premises.esme;
    // The device's anchor for the supplier is replaced by one whose key the supplier does not sign with.
    const other = await (await TestSmki.create()).issue({ eui: e2e.user.userId, usage: "ds", commonName: "rotated", roleCode: "02" });
    await e2e.gateway.devices.trustParty({ ds: other.pem, ka: e2e.user.certificates.ka, ppKa: e2e.user.certificates.ppKa });

    const { answer, built } = await e2e.client.critical({ target: esme, body: disableSupply });
    expect(answer.code).toBe("I99");
    const { response, gbcs } = await e2e.delivered({ alertCode: "8F3D" });
    expect(response.body.kind).toBe("DeviceAlertMessage");
    expect(gbcs).toMatchObject({ cra: 3, originator: esme, signed: true, protection: { checked: ["signature"] }, payload: { fields: { alertCode: "0x8F3D" } } });
    const device = await e2e.device(esme);
    expect(device.supply).toBe("enabled");
    expect(device.security.map((entry) => entry.code)).toEqual(["0x8F3D"]);
    await expect(e2e.delivered(built.key, 300)).rejects.toThrow(/nothing was delivered/);
  });

  it("a read beyond the user's anomaly threshold: E44, quarantined and not executed; released, the meter answers", async () => {
    const e2e = await startE2e();
    await e2e.json("PUT", "/admin/v1/anomaly/thresholds", [{ userId: e2e.user.userId, srv: "4.1.1", windowMs: 60_000, limit: 1 }]);
    const first = await e2e.client.send({ target: e2e.premises.esme, body: readImportRegisters });
    expect(first.code).toBe("I99");
    expect((await e2e.delivered(first.built.key)).gbcs?.useCase).toBe("ECS17b");

    const second = await e2e.client.send({ target: e2e.premises.esme, body: readImportRegisters });
    expect(second.code).toBe("E44");
    const held = await e2e.json<{ id: number; requestId: string }[]>("GET", "/admin/v1/quarantine");
    expect(held.map((h) => h.requestId)).toEqual([`${e2e.user.userId}:${e2e.premises.esme}:${second.built.counter}`]);
    // The user is told through delivery too: a DCC Alert naming the quarantined request (paragraph 135).
    const outbox = await e2e.json<{ xml: string }[]>("GET", `/admin/v1/users/${e2e.user.userId}/outbox`);
    expect(outbox.map((m) => parseResponse(m.xml).body.kind)).toEqual(["DCCAlertMessage"]);
    await expect(e2e.delivered(second.built.key, 300)).rejects.toThrow(/nothing was delivered/);

    const released = await e2e.json<{ responseCode: string }>("POST", `/admin/v1/quarantine/${held[0]?.id}/release`);
    expect(released.responseCode).toBe("I99");
    expect((await e2e.delivered(second.built.key)).response.header.responseCode).toBe("I99");
    const { response, gbcs } = await e2e.delivered(second.built.key);
    expect(response.header.responseCode).toBe("I0");
    expect(gbcs).toMatchObject({ useCase: "ECS17b", counter: String(second.built.counter) });
  });

  it("no WAN: the command cannot be sent (E20) and the meter is untouched; WAN back: the same command goes through", async () => {
    const e2e = await startE2e();
    const { chf, esme } = e2e.premises;
    expect(await e2e.json("PUT", `/plugins/devices/hubs/${chf}/wan`, { state: "none" })).toEqual({ state: "none", latencyMs: 0 });
    const down = await e2e.client.critical({ target: esme, body: disableSupply });
    expect(down.answer.code).toBe("E20");
    expect(down.answer.reason).toMatch(/WAN connection of communications hub .* is down/);
    await sleep(50);
    expect((await e2e.device(esme)).supply).toBe("enabled");

    await e2e.json("PUT", `/plugins/devices/hubs/${chf}/wan`, { state: "connected", latencyMs: 20 });
    const up = await e2e.client.critical({ target: esme, body: disableSupply });
    expect(up.answer.code).toBe("I99");
    expect((await e2e.delivered(up.built.key)).gbcs).toMatchObject({ useCase: "ECS43", signed: true });
    expect((await e2e.device(esme)).supply).toBe("disabled");
  });
});
