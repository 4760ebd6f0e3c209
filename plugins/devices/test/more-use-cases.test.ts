// Profile data reads and meter balance updates: the device's state changes as the command says,
// and its response parses with @opendcc/gbcs (MAC or signature checked, blocks decrypted) and has
// the RTDS response's bytes where there is one.
import { beforeEach, describe, expect, it } from "vitest";
import { toHex } from "@opendcc/kernel";
import { firmwareImageHash, writeFirmwareImage, type FirmwareImageSpec } from "@opendcc/gbcs";
import { CHF, ESME, GPF, GSME, IHD, SUPPLIER, testEstate, type TestEstate, contentOf } from "./support.js";

let t: TestEstate;
beforeEach(async () => {
  t = await testEstate();
});

const period = (start: string, end: string) => [{ name: "ReadLogPeriod", children: [{ name: "StartDateTime", text: start }, { name: "EndDateTime", text: end }] }];
const profileRead = { name: "ReadActiveImportProfileData" };

describe("profile data (4.8.1)", () => {
  it("ECS22b: the half hours of the range up to the meter's clock, Wh each, encrypted for the supplier", async () => {
    const body = { ...profileRead, children: period("2026-11-23T08:00:00.00Z", "2026-11-23T12:00:00.00Z") };
    await t.send(ESME, await t.command({ srv: "4.8.1", deviceType: "ESME", target: ESME, counter: 1000n, body }));
    const [response] = await t.take();
    expect(response).toMatchObject({ useCase: "ECS22b", protection: { checked: ["mac", "encryption"] }, dateTime: "2026-11-23T10:00:00Z" });
    const result = (response?.payload.fields as { results: { result: string; value: { attributes: { object: string; value: [string, number][] }[] } }[] }).results[0];
    expect(result?.result).toBe("success");
    const attribute = result?.value.attributes[0];
    expect(attribute?.object).toBe("halfHourProfileActiveImport");
    // The clock is 10:00: four half hours from 08:00 are recorded, none after.
    const expected = t.devices.profile(ESME, new Date("2026-11-23T08:00:00Z"), t.clock);
    expect(expected.map(([start]) => start)).toEqual(["2026-11-23T08:00:00.000Z", "2026-11-23T08:30:00.000Z", "2026-11-23T09:00:00.000Z", "2026-11-23T09:30:00.000Z"]);
    expect(attribute?.value).toEqual(expected.map(([start, wh]) => [start.replace(".000Z", "Z"), wh]));
    // As ECS17b's response: action result with { protection parameters, block }.
    expect(contentOf(response!.bytes).slice(0, 126)).toBe("DA200003E80000010202010102021602020509090400000000000003E8090800DB1234567890A0090890B3D51F300100000900020216020202090102090009");
  });

  it("GCS17: half-hourly litres from the earliest sample time, encrypted; a range with nothing recorded is 'not found' as the RTDS says", async () => {
    const body = { ...profileRead, children: period("2026-11-23T07:00:00.00Z", "2026-11-24T07:00:00.00Z") };
    await t.send(GSME, await t.command({ srv: "4.8.1", deviceType: "GSME", target: GSME, counter: 1000n, body }));
    const [response] = await t.take();
    expect(response).toMatchObject({ useCase: "GCS17", protection: { checked: ["mac", "encryption"] } });
    const component = (response?.payload.fields as { components: { command: string; decrypted: boolean; payload: Record<string, unknown> }[] }).components[0];
    expect(component).toMatchObject({ command: "getSampledDataResponse", decrypted: true });
    expect(component?.payload).toMatchObject({ sampleId: 0, sampleStartTime: "2026-11-23T07:00:00Z", sampleRequestIntervalSeconds: 1800, numberOfSamples: 6 });
    const expected = t.devices.profile(GSME, new Date("2026-11-23T07:00:00Z"), t.clock);
    expect(component?.payload["samples"]).toEqual(expected.map(([time, value]) => ({ time: time.replace(".000Z", "Z"), value })));

    const future = { ...profileRead, children: period("2026-11-25T00:00:00.00Z", "2026-11-26T00:00:00.00Z") };
    await t.send(GSME, await t.command({ srv: "4.8.1", deviceType: "GSME", target: GSME, counter: 1001n, body: future }));
    const [notFound] = await t.take();
    // RTDS GCS17_4.8.1_NOT_FOUND_RESPONSE: Default Response to Get Sampled Data, status 0x8B.
    expect(contentOf(notFound!.bytes)).toBe("010901010702000518000B088B");
  });
});

describe("meter balance (1.5)", () => {
  const balance = (mode: "PrepaymentMode" | "CreditMode", action: "AdjustMeterBalance" | "ResetMeterBalance", amount?: number) => ({
    name: "UpdateMeterBalance", children: [{ name: mode, children: [{ name: action, ...(amount === undefined ? {} : { text: String(amount) }) }] }],
  });

  it("ECS04a adds the amount (10^-5 GBP) to the meter balance; ECS04b resets balance and debt; signed responses as the RTDS ones", async () => {
    const before = t.devices.device(ESME).credit as number;
    await t.send(ESME, await t.command({ srv: "1.5", deviceType: "ESME", target: ESME, counter: 1003n, body: balance("PrepaymentMode", "AdjustMeterBalance", 1_200_000) }));
    const [adjusted] = await t.take();
    expect(adjusted).toMatchObject({ useCase: "ECS04a", signed: true, protection: { checked: ["signature"] } });
    expect(contentOf(adjusted!.bytes)).toBe("DA200003EB00000100010300");
    expect(t.devices.device(ESME).credit).toBe(before + 1200);

    await t.send(ESME, await t.command({ srv: "1.5", deviceType: "ESME", target: ESME, counter: 1004n, body: balance("PrepaymentMode", "ResetMeterBalance") }));
    const [reset] = await t.take();
    expect(contentOf(reset!.bytes)).toBe("DA200003EC00000300000003030003000300");
    expect(t.devices.device(ESME)).toMatchObject({ credit: 0, prepayment: { debt: 0 } });
  });

  it("GCS40a adjusts, GCS40b sets the gas meter balance; Default Response success as the RTDS", async () => {
    const before = t.devices.device(GSME).credit as number;
    await t.send(GSME, await t.command({ srv: "1.5", deviceType: "GSME", target: GSME, counter: 1000n, body: balance("PrepaymentMode", "AdjustMeterBalance", 500_000) }));
    const [adjusted] = await t.take();
    expect(adjusted).toMatchObject({ useCase: "GCS40a", signed: true, protection: { checked: ["signature"] } });
    expect(contentOf(adjusted!.bytes)).toBe("010901010705000508000B0500");
    expect(t.devices.device(GSME).credit).toBe(before + 500);
    await t.send(GSME, await t.command({ srv: "1.5", deviceType: "GSME", target: GSME, counter: 1001n, body: balance("PrepaymentMode", "ResetMeterBalance") }));
    const [reset] = await t.take();
    expect(reset?.useCase).toBe("GCS40b");
    expect(contentOf(reset!.bytes)).toBe("010901010705000508000B0500");
    expect(t.devices.device(GSME).credit).toBe(0);
  });
});

describe("firmware (11.1 distribution, 11.3 activation)", () => {
  const activate = (hash: string, counter: bigint, executionDateTime?: string) =>
    t.command({ srv: "11.3", deviceType: "ESME", target: ESME, counter, body: { name: "ActivateFirmware", children: [{ name: "FirmwareHash", text: hash }] }, ...(executionDateTime ? { executionDateTime } : {}) });

  /** An emulated manufacturer's image of `version` for a device, handed over as the CSP would; its hash. */
  const distribute = async (deviceId: string, version: string, spec: Partial<FirmwareImageSpec> = {}): Promise<string> => {
    const image = writeFirmwareImage({ manufacturerCode: 0x4f44, imageType: 1, fileVersion: version, headerString: "OpenDCC test image", body: new TextEncoder().encode(`image ${version}`), ...spec });
    await t.devices.distributeFirmware({ requestId: "test", deviceId, image });
    await t.devices.idle();
    return firmwareImageHash(image);
  };

  it("distribution: the device keeps the image and sends the signed receipt alert (0x00CE, 0x8F72) with its hash", async () => {
    const hash = await distribute(ESME, "00020000");
    const [receipt] = await t.take();
    expect(receipt).toMatchObject({ cra: 3, messageCode: "0x00CE", originator: ESME, recipient: SUPPLIER, signed: true, protection: { checked: ["signature"] } });
    expect(receipt?.payload.fields).toMatchObject({ alertCode: "0x8F72", firmwareHash: hash });
    expect(t.devices.device(ESME).events.map((e) => e.code)).toEqual(["0x8F72"]);
    await distribute(GSME, "00020000");
    const [gas] = await t.take();
    expect(gas).toMatchObject({ messageCode: "0x00CF", originator: GSME, protection: { checked: ["signature"] } });
    await expect(t.devices.distributeFirmware({ requestId: "test", deviceId: CHF, image: new Uint8Array(64) })).rejects.toThrow(/is a CHF; emulated firmware goes to meters/);
  });

  it("an image that fails the meter's checks is dropped with 0x8F1C: a broken header, or a file for another device", async () => {
    const good = writeFirmwareImage({ manufacturerCode: 0x4f44, imageType: 1, fileVersion: "00020000", headerString: "x", body: Uint8Array.of(1, 2, 3) });
    await t.devices.distributeFirmware({ requestId: "test", deviceId: ESME, image: good.subarray(0, good.length - 1) });
    await t.devices.idle();
    const [broken] = await t.take();
    expect(broken).toMatchObject({ originator: ESME, payload: { fields: { alertCode: "0x8F1C" } } });
    await distribute(ESME, "00020000", { destination: GSME });
    const [elsewhere] = await t.take();
    expect(elsewhere?.payload.fields).toMatchObject({ alertCode: "0x8F1C" });
    expect(t.devices.device(ESME).events.map((e) => e.code)).toEqual(["0x8F1C", "0x8F1C"]);
    expect(t.devices.device(ESME).firmwareVersion).toBe("00010000");
  });

  it("the CSP holds an image while the hub's WAN is down and delivers it when the WAN is back", async () => {
    t.devices.setWan(CHF, "none");
    const hash = await distribute(ESME, "00020000");
    expect(await t.take()).toEqual([]);
    expect(t.devices.device(ESME).events).toEqual([]);
    t.devices.setWan(CHF, "connected", 0);
    await t.devices.idle();
    const [receipt] = await t.take();
    expect(receipt?.payload.fields).toMatchObject({ alertCode: "0x8F72", firmwareHash: hash });
  });

  it("CS06: the wrong hash is a hash mismatch, the right one runs the image; responses as the RTDS layout", async () => {
    await t.send(ESME, await activate("AA".repeat(32), 1000n));
    const [none] = await t.take();
    // RTDS CS06_11.3_IMMEDIATE_ERROR_RESPONSE's layout: { 1 no image held, the running version }.
    expect(contentOf(none!.bytes)).toBe("30090201010404" + "00010000");
    const hash = await distribute(ESME, "0123ABCF");
    await t.take();
    await t.send(ESME, await activate("AA".repeat(32), 1001n));
    const [mismatch] = await t.take();
    expect(mismatch?.payload.fields).toEqual({ executionOutcome: { responseCode: { code: 2, name: "hashMismatch" }, firmwareVersion: "00010000" } });
    await t.send(ESME, await activate(hash, 1002n));
    const [done] = await t.take();
    expect(done).toMatchObject({ useCase: "CS06", signed: true, protection: { checked: ["signature"] } });
    expect(contentOf(done!.bytes)).toBe("30090201000404" + "0123ABCF");
    expect(t.devices.device(ESME)).toMatchObject({ firmwareVersion: "0123ABCF" });
    expect(t.devices.device(ESME).events.map((e) => e.code)).toEqual(["0x8F72", "0x8F43"]);
  });

  it("CS06 future dated: accepted now (NULL), carried out at its time with the 0x00CA alert as the RTDS one", async () => {
    const hash = await distribute(ESME, "0123ABCF");
    await t.take();
    await t.send(ESME, await activate(hash, 1001n, "2026-11-24T09:00:00Z"));
    const [accepted] = await t.take();
    expect(contentOf(accepted!.bytes)).toBe("0500");
    expect(t.devices.device(ESME)).toMatchObject({ firmwareVersion: "00010000", pending: [{ messageCode: "0x0012", action: `firmware ${hash}` }] });
    t.clock = new Date("2026-11-24T09:00:05Z");
    await t.devices.tick();
    const [alert] = await t.take();
    expect(alert).toMatchObject({ cra: 3, messageCode: "0x00CA", signed: true, protection: { checked: ["signature"] } });
    // RTDS CS06_11.3_8F66_FUTURE_DATED_SUCCESS_ALERT but for the time.
    expect(contentOf(alert!.bytes)).toBe(`30250203008F66180F${toHex(new TextEncoder().encode("20261124090000Z"))}020203E9300902010004040123ABCF`);
    expect(t.devices.device(ESME)).toMatchObject({ firmwareVersion: "0123ABCF", pending: [] });
  });
});

describe("CHF device log (8.11, 8.9)", () => {
  const deviceLog = (deviceId: string, requestType: "Add" | "Remove", mpxn?: string) => ({
    name: "UpdateHANDeviceLog", children: [
      { name: "DeviceID", text: deviceId }, { name: "RequestType", text: requestType },
      ...(requestType === "Add" ? [{ name: "AddDeviceToCHFWhitelist", children: [{ name: "JoinTimePeriod", text: "90" }, { name: "InstallCode", text: "30313233343536373839414243444546" }, { name: "ImportMPxN", text: mpxn ?? "" }] }] : []),
    ],
  });
  const chfCommand = (counter: bigint, body?: { name: string; children?: unknown[] }) =>
    t.command({ srv: body ? "8.11" : "8.9", deviceType: "CHF", target: CHF, counter, acbCounter: counter + 0x500n, body: (body ?? { name: "ReadCHFDeviceLog" }) as never });

  it("CCS02 takes a device off the HAN, CCS01 puts a meter back; responses as the RTDS; CCS05 lists the HAN", async () => {
    const members = () => t.devices.device(CHF).deviceLog.map((e) => e.deviceId);
    expect(members()).toEqual([GPF, ESME, GSME, IHD]);
    await t.send(CHF, await chfCommand(1000n, deviceLog(ESME, "Remove")));
    const [removed] = await t.take();
    expect(removed).toMatchObject({ useCase: "CCS02", protection: { checked: ["mac"] } });
    expect(contentOf(removed!.bytes)).toBe("DA200008E800000100010300");
    expect(members()).toEqual([GPF, GSME, IHD]);
    await t.send(CHF, await chfCommand(1001n, deviceLog(ESME, "Remove")));
    expect(contentOf((await t.take())[0]!.bytes)).toBe("DA200008E900000100010301");

    await t.send(CHF, await chfCommand(1002n, deviceLog(ESME, "Add", "1200000000000")));
    const [added] = await t.take();
    expect(added?.useCase).toBe("CCS01");
    expect(contentOf(added!.bytes)).toBe("DA200008EA00000300000003030002000200");
    expect(members()).toEqual([GPF, ESME, GSME, IHD]);
    // The GSME's EUI registered as an electricity meter: refused.
    await t.send(CHF, await chfCommand(1003n, deviceLog(GSME, "Add", "1200000000000")));
    expect((await t.take())[0]?.payload.fields).toMatchObject({ results: [{ result: "otherReason" }, { result: "success" }, { result: "success" }] });

    await t.send(CHF, await chfCommand(1004n));
    const [read] = await t.take();
    const active = (read?.payload.fields as { results: { value: unknown[][] }[] }).results[0]?.value;
    expect(active?.map((entry) => entry[0])).toEqual([GPF, ESME, GSME, IHD]);
    expect(active?.[0]).toEqual([GPF, "11001000", -35, -50, -100, 2, 39, 247, "2026-11-23T10:00:00Z", 1, 0, 100, 1, 1]);
  });
});

describe("change of supplier (6.23, CS02b supplier by Transitional CoS)", () => {
  const COS = "90B3D51F30000004";
  const GAINING = "90B3D51F30030000";
  const base64 = (der: Uint8Array) => btoa(String.fromCharCode(...der));
  const RTDS_RESPONSE = "308200CA0500308200C4020217710201073012301002010202010030083006020100020100308200A530343007020102030207800A0100040890B3D51F30010000040844899792D196F4B8040890B3D51F3003000004084A8103ADAC183A8930343007020102030203080A0100040890B3D51F300100000408405B8C62687D8F70040890B3D51F300300000408483972547DCD78353037300A020102030203080201010A0100040890B3D51F30010000040841FB49221588C570040890B3D51F30030000040843049452FE1FCE0A";

  async function changeOfSupplier(gainingTrusted: boolean) {
    const cos = await t.smki.issue({ eui: COS, usage: "ds", commonName: "CoS", roleCode: "05" });
    await t.devices.trustParty({ ds: cos.der });
    const [ds, ka, ppKa] = await Promise.all(["ds", "ka", "ka"].map((usage) => t.smki.issue({ eui: GAINING, usage: usage as "ds" | "ka", commonName: "gaining", roleCode: "02" })));
    if (gainingTrusted) await t.devices.trustParty({ ds: ds!.der, ka: ka!.der, ppKa: ppKa!.der });
    const body = {
      name: "UpdateSecurityCredentialsCoS", children: [
        { name: "SupplierFloorSeqNumber", text: "0" }, { name: "SupplierPrepaymentTopUpFloorSeqNumber", text: "0" },
        { name: "SupplierReplacementCertificates", children: [
          { name: "DigitalSigningCertificate", text: base64(ds!.der) }, { name: "KeyAgreementCertificate", text: base64(ka!.der) }, { name: "KeyAgreementTopUpCertificate", text: base64(ppKa!.der) },
        ] },
        { name: "CertificationPathCertificates", children: [{ name: "Certificate", text: base64(cos.der) }] },
        { name: "ApplyTimeBasedCPVChecks", text: "true" },
      ],
    };
    await t.send(ESME, await t.command({ srv: "6.23", deviceType: "ESME", target: ESME, counter: 6001n, body, signWith: cos.keys.privateKey }));
    return { gainingDs: ds!.keys.privateKey, response: (await t.take())[0] };
  }

  it("replaces the supplier's cells: the response is the RTDS one but for the key ids; the losing supplier is refused, the gaining one obeyed", async () => {
    const losing = t.devices.trust.get(SUPPLIER)!.keyIds;
    const { response, gainingDs } = await changeOfSupplier(true);
    expect(response).toMatchObject({ useCase: "CS02b", originator: ESME, recipient: COS, signed: true, protection: { checked: ["signature"] }, dateTime: "2026-11-23T10:00:00Z" });
    const gaining = t.devices.trust.get(GAINING)!.keyIds;
    const expected = RTDS_RESPONSE
      .replace("44899792D196F4B8", losing.ds!).replace("4A8103ADAC183A89", gaining.ds!)
      .replace("405B8C62687D8F70", losing.ka!).replace("483972547DCD7835", gaining.ka!)
      .replace("41FB49221588C570", losing.ppKa!).replace("43049452FE1FCE0A", gaining.ppKa!);
    expect(contentOf(response!.bytes).slice(-expected.length)).toBe(expected);

    await t.send(ESME, await t.command({ srv: "7.2", deviceType: "ESME", target: ESME, counter: 7000n }));
    expect(t.devices.device(ESME)).toMatchObject({ supply: "enabled", security: [{ code: "0x8F30" }] });
    await t.take();
    await t.send(ESME, await t.command({ srv: "7.2", deviceType: "ESME", target: ESME, counter: 1n, originator: GAINING, signWith: gainingDs }));
    const [disabled] = await t.take();
    expect(disabled).toMatchObject({ useCase: "ECS43", recipient: GAINING });
    expect(t.devices.device(ESME).supply).toBe("disabled");
  });

  it("a gaining supplier the device cannot trust: every cell 'bad certificate', and the old supplier still holds the device", async () => {
    const { response } = await changeOfSupplier(false);
    const outcomes = (response?.payload.fields as { executionOutcome: { replacementOutcomes: { statusCode: { name: string } }[] } }).executionOutcome.replacementOutcomes;
    expect(outcomes.map((o) => o.statusCode.name)).toEqual(["badCertificate", "badCertificate", "badCertificate"]);
    await t.send(ESME, await t.command({ srv: "7.2", deviceType: "ESME", target: ESME, counter: 7000n }));
    expect(t.devices.device(ESME).supply).toBe("disabled");
  });
});

describe("commissioning clock (8.1.1)", () => {
  const commission = (target: string, deviceType: "ESME" | "GSME", counter: bigint, current: string) => t.command({
    srv: "8.1.1", deviceType, target, counter,
    body: { name: "CommissionDeviceSynchroniseClock", children: [{ name: "CurrentDateTime", text: current }, { name: "TolerancePeriod", text: "3600" }] },
  });

  it("ECS70: every step succeeds and the meter's time and status are read, as the RTDS response but for the time", async () => {
    await t.send(ESME, await commission(ESME, "ESME", 1000n, "2026-11-23T10:00:00.00Z"));
    const [response] = await t.take();
    expect(response).toMatchObject({ useCase: "ECS70", signed: true, protection: { checked: ["signature"] } });
    // RTDS ECS70Commission_8.1.1_SUCCESS_RESPONSE with the time 2026-11-23 10:00:00 (weekday not given, FF, as there).
    expect(contentOf(response!.bytes)).toBe("DA200003E8000005000000090C07EA0B17FF0A0000008000FF11000502000300030001000100");
    await t.send(ESME, await commission(ESME, "ESME", 1001n, "2026-11-22T10:00:00.00Z"));
    expect((await t.take())[0]?.payload.fields).toMatchObject({ results: [{ result: "success" }, { result: "success" }, { result: "otherReason" }, { result: "success" }, { result: "success" }] });
  });

  it("GCS28: the gas meter's time, reliable within the window (RTDS layout)", async () => {
    await t.send(GSME, await commission(GSME, "GSME", 1000n, "2026-11-23T10:00:00.00Z"));
    const [response] = await t.take();
    expect(response?.payload.fields).toEqual({ deviceTime: "2026-11-23T10:00:00Z", deviceTimeStatus: { code: 0, name: "reliable" } });
    expect(contentOf(response!.bytes)).toBe(`3014180F${toHex(new TextEncoder().encode("20261123100000Z"))}020100`);
  });
});
