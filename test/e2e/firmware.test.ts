// Firmware end to end over HTTP (issue point 6 "firmware update then activate"): SRV 11.1 Update
// Firmware sends an OTA image for a meter; the DCC checks the devices and hands the image to the
// CSP (the devices plugin), which takes it through the hub. The meter's Firmware Distribution
// Receipt Alert (0x8F72, with the image's hash) reaches the supplier; 11.3 Activate Firmware
// (critical, CS06) names that hash and the meter runs the image; 11.2 then reads the new version,
// and the inventory records it. Bad 11.1 requests are refused, each with its code and reason.
import { describe, expect, it } from "vitest";
import { firmwareImageHash, writeFirmwareImage } from "@opendcc/gbcs";
import { activateFirmware, readFirmwareVersion, updateFirmware } from "./bodies.js";
import { startE2e, type E2e } from "./support.js";

type Outcome = { executionOutcome: { responseCode: { name: string }; firmwareVersion: string } };

const DCC = "90B3D51F30000002";
/** An emulated manufacturer's OTA image of `version`. */
const imageOf = (version: string, destination?: string) =>
  writeFirmwareImage({ manufacturerCode: 0x4f44, imageType: 1, fileVersion: version, headerString: `OpenDCC e2e ${version}`, body: new TextEncoder().encode(`firmware ${version}`.repeat(20)), ...(destination ? { destination } : {}) });

async function sendUpdate(e2e: E2e, image: Uint8Array, deviceIds: readonly string[], client = e2e.client) {
  return client.send({ target: DCC, body: updateFirmware(image, "00020001", deviceIds), cv: 8 });
}

describe("firmware over HTTP", () => {
  it("11.1 distribution (receipt alert with the hash), 11.3 activation with the wrong then the right hash, and 11.2 reads the new version", async () => {
    const e2e = await startE2e();
    const esme = e2e.premises.esme;
    expect((await e2e.device(esme)).firmwareVersion).toBe("00010000");
    const image = imageOf("00020001");
    const sent = await sendUpdate(e2e, image, [esme]);
    expect(sent.code).toBe("I99");

    const receipt = await e2e.delivered({ alertCode: "8F72" });
    expect(receipt.response.body.kind).toBe("DeviceAlertMessage");
    expect(receipt.gbcs).toMatchObject({ cra: 3, messageCode: "0x00CE", originator: esme, signed: true, protection: { checked: ["signature"] } });
    expect(receipt.gbcs?.payload.fields).toMatchObject({ alertCode: "0x8F72", firmwareHash: firmwareImageHash(image) });

    const wrong = await e2e.client.critical({ target: esme, body: activateFirmware("AB".repeat(32)) });
    expect([wrong.preCommand.code, wrong.answer.code]).toEqual(["I0", "I99"]);
    const refused = await e2e.delivered(wrong.built.key);
    expect(refused.gbcs?.payload.fields).toEqual({ executionOutcome: { responseCode: { code: 2, name: "hashMismatch" }, firmwareVersion: "00010000" } });
    expect((await e2e.device(esme)).firmwareVersion).toBe("00010000");

    const right = await e2e.client.critical({ target: esme, body: activateFirmware(firmwareImageHash(image)) });
    expect(right.answer.code).toBe("I99");
    const activated = await e2e.delivered(right.built.key);
    expect(activated.response.header.responseCode).toBe("I0");
    expect(activated.gbcs).toMatchObject({ useCase: "CS06", signed: true, protection: { checked: ["signature"] } });
    expect((activated.gbcs?.payload.fields as Outcome).executionOutcome).toMatchObject({ responseCode: { name: "success" }, firmwareVersion: "00020001" });
    expect((await e2e.device(esme)).firmwareVersion).toBe("00020001");
    expect(e2e.gateway.dcc.services.inventory.get(esme)?.firmwareVersion).toBe("00020001");

    const read = await e2e.client.send({ target: esme, body: readFirmwareVersion });
    expect(read.code).toBe("I99");
    const version = await e2e.delivered(read.built.key);
    expect(version.gbcs?.payload.fields).toMatchObject({ results: [{ result: "success", object: "firmwareVersion", value: "00020001" }] });
  });

  it("one 11.1 reaches several meters; an image the meter's checks refuse is dropped with 0x8F1C", async () => {
    const e2e = await startE2e();
    const { esme, gsme } = e2e.premises;
    const image = imageOf("00020001");
    expect((await sendUpdate(e2e, image, [esme, gsme])).code).toBe("I99");
    const receipts = [await e2e.delivered({ alertCode: "8F72" }), await e2e.delivered({ alertCode: "8F72" })];
    expect(receipts.map((r) => r.gbcs?.originator).sort()).toEqual([esme, gsme].sort());
    expect(receipts.map((r) => (r.gbcs?.payload.fields as { firmwareHash: string }).firmwareHash)).toEqual([firmwareImageHash(image), firmwareImageHash(image)]);

    // A device-specific file for the gas meter, sent to the electricity meter.
    expect((await sendUpdate(e2e, imageOf("00020002", gsme), [esme])).code).toBe("I99");
    const failed = await e2e.delivered({ alertCode: "8F1C" });
    expect(failed.gbcs).toMatchObject({ originator: esme, payload: { fields: { alertCode: "0x8F1C" } } });
    expect((await e2e.device(esme)).events.map((e) => e.code)).toContain("0x8F1C");
  });

  it("refuses a broken image, a bad device list, an unknown device, a device type 11.1 does not update, and another supplier's meter", async () => {
    const e2e = await startE2e({ gainingSupplier: true });
    const { esme, chf } = e2e.premises;
    const image = imageOf("00020001");
    const cases: [ReturnType<typeof sendUpdate>, string, RegExp][] = [
      [sendUpdate(e2e, image.subarray(0, image.length - 1), [esme]), "E43", /FirmwareImage: the OTA header gives a total image size/],
      [sendUpdate(e2e, image, ["not-a-device"]), "E43", /DeviceIDList: not-a-device is not an EUI-64/],
      [sendUpdate(e2e, image, ["00DB1234567890FF"]), "E19", /00DB1234567890FF is not in the Smart Metering Inventory/],
      [sendUpdate(e2e, image, [esme, chf]), "E11", /is a CHF; 11.1 updates the firmware of ESME, GSME, HCALCS/],
      // Supplier B is registered for none of the fleet's MPxNs.
      [sendUpdate(e2e, image, [esme], e2e.gaining?.client), "E4", /is not registered as IS\/GS for MPxN/],
    ];
    for (const [answer, code, reason] of cases) {
      const { code: got, reason: why } = await answer;
      expect(got).toBe(code);
      expect(why).toMatch(reason);
    }
    await expect(e2e.delivered({ alertCode: "8F72" }, 300)).rejects.toThrow(/nothing was delivered/);
  });
});

