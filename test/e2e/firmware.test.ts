// Firmware end to end over HTTP (issue point 6 "firmware update then activate"). The gateway does
// not execute SRV 11.1 Update Firmware (a non-device service there is no handler for), so the
// image reaches the meter as the CSP would deliver it: through the devices plugin's firmware route.
// The meter's Firmware Distribution Receipt Alert (0x8F72, with the image hash) reaches the
// supplier; 11.3 Activate Firmware (critical, CS06) names that hash and the meter runs the image;
// 11.2 then reads the new version.
import { describe, expect, it } from "vitest";
import { activateFirmware, readFirmwareVersion } from "./bodies.js";
import { startE2e } from "./support.js";

type Outcome = { executionOutcome: { responseCode: { name: string }; firmwareVersion: string } };

describe("firmware over HTTP", () => {
  it("distribution (receipt alert with the hash), 11.3 activation with the wrong then the right hash, and 11.2 reads the new version", async () => {
    const e2e = await startE2e();
    const esme = e2e.premises.esme;
    expect((await e2e.device(esme)).firmwareVersion).toBe("00010000");
    const image = await e2e.json<{ hash: string; version: string }>("POST", `/plugins/devices/devices/${esme}/firmware`, { version: "00020001" });
    expect(image.hash).toMatch(/^[0-9A-F]{64}$/);

    const receipt = await e2e.delivered({ alertCode: "8F72" });
    expect(receipt.response.body.kind).toBe("DeviceAlertMessage");
    expect(receipt.gbcs).toMatchObject({ cra: 3, messageCode: "0x00CE", originator: esme, signed: true, protection: { checked: ["signature"] } });
    expect(receipt.gbcs?.payload.fields).toMatchObject({ alertCode: "0x8F72", firmwareHash: image.hash });

    const wrong = await e2e.client.critical({ target: esme, body: activateFirmware("AB".repeat(32)) });
    expect([wrong.preCommand.code, wrong.answer.code]).toEqual(["I0", "I99"]);
    const refused = await e2e.delivered(wrong.built.key);
    expect(refused.gbcs?.payload.fields).toEqual({ executionOutcome: { responseCode: { code: 2, name: "hashMismatch" }, firmwareVersion: "00010000" } });
    expect((await e2e.device(esme)).firmwareVersion).toBe("00010000");

    const right = await e2e.client.critical({ target: esme, body: activateFirmware(image.hash) });
    expect(right.answer.code).toBe("I99");
    const activated = await e2e.delivered(right.built.key);
    expect(activated.response.header.responseCode).toBe("I0");
    expect(activated.gbcs).toMatchObject({ useCase: "CS06", signed: true, protection: { checked: ["signature"] } });
    expect((activated.gbcs?.payload.fields as Outcome).executionOutcome).toMatchObject({ responseCode: { name: "success" }, firmwareVersion: "00020001" });
    expect((await e2e.device(esme)).firmwareVersion).toBe("00020001");

    const read = await e2e.client.send({ target: esme, body: readFirmwareVersion });
    expect(read.code).toBe("I99");
    const version = await e2e.delivered(read.built.key);
    expect(version.gbcs?.payload.fields).toMatchObject({ results: [{ result: "success", object: "firmwareVersion", value: "00020001" }] });
  });
});
