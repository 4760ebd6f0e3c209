// Restoring a hub's device log onto a replacement hub over HTTP (SRV 8.12.1, CCS03; seed 003
// paragraphs 188-190): the DCC sends its stored copy of the old CHF's log (devices, link keys and
// extended PAN ID from the hub's backup) to the new, commissioned CHF; when the new hub reports
// success, the inventory moves the HAN to it. The replacement here is the fleet's next hub.
import { describe, expect, it } from "vitest";
import { node } from "@opendcc/duis";
import type { BodySpec } from "../../bench/src/e2e/bodies.js";
import { premisesDevices } from "../../bench/src/e2e/gateway.js";
import { startE2e } from "./support.js";

const restoreHanDeviceLog = (oldChfId: string): BodySpec => ({ srv: "8.12.1", element: "RestoreHANDeviceLog", children: [node("OldCHFID", oldChfId)] });
const EXTENDED_PAN_ID = "0000000000000140";
const linkKey = (last: number) => `83FED3407A939723A5C639B26916D5${last.toString(16).padStart(2, "0").toUpperCase()}`;

describe("Restore HAN Device Log over HTTP", () => {
  it("sends the old hub's stored log to the new hub and moves the HAN in the inventory once it succeeds", async () => {
    const e2e = await startE2e();
    const { chf, esme, gsme, ihd } = e2e.premises;
    const replacement = premisesDevices(1).chf;
    const { inventory } = e2e.gateway.dcc.services;
    const devices = [esme, gsme, ihd];

    // Without the hub's backup (8.9 with security details) the DCC has no link keys to send.
    const refused = await e2e.client.send({ target: replacement, body: restoreHanDeviceLog(chf) });
    expect([refused.status, refused.code]).toEqual([200, "E45"]);
    expect(refused.reason).toMatch(/no backup of CHF .* HAN security details/);

    inventory.recordHanSecurityDetails(chf, { extendedPanId: EXTENDED_PAN_ID, linkKeys: Object.fromEntries(devices.map((id, i) => [id, linkKey(i)])) });
    const answer = await e2e.client.send({ target: replacement, body: restoreHanDeviceLog(chf) });
    expect([answer.status, answer.code, answer.reason]).toEqual([200, "I99", null]);
    const delivered = await e2e.delivered(answer.built.key);
    expect(delivered.response.header.responseCode).toBe("I0");
    expect(delivered.gbcs).toMatchObject({ originator: replacement, messageCode: "0x0003" });
    expect((delivered.gbcs?.payload.fields as { results: { result: string }[] }).results.map((r) => r.result)).toEqual(["success"]);

    // The hub's HAN is the old one's now: the emulated devices left the old hub for it (its GPF
    // stays: a hub's own gas proxy is not restored), and the inventory follows.
    expect((await e2e.device(chf)).deviceLog.map((entry) => entry.deviceId)).toEqual([e2e.premises.gpf]);
    expect(inventory.deviceLog(replacement).map((entry) => [entry.deviceId, entry.linkKey])).toEqual(
      expect.arrayContaining(devices.map((id, i) => [id, linkKey(i)])),
    );
    expect(inventory.deviceLog(replacement).some((entry) => entry.type === "GPF")).toBe(false);
    for (const id of devices) expect(inventory.get(id)?.chfId).toBe(replacement);
    expect(inventory.extendedPanId(replacement)).toBe(EXTENDED_PAN_ID);
  });
});
