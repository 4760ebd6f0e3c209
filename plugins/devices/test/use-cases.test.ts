// Each emulated use case: the device's state changes as the command says, and its response parses
// with @opendcc/gbcs (MAC or signature checked, blocks decrypted) and, where the values agree,
// has exactly the bytes of the RTDS response (the test estate uses the RTDS device and party IDs).
import { beforeEach, describe, expect, it } from "vitest";
import { generateUtrn } from "@opendcc/gbcs";
import { encode, fromHex, parseFrame, sharedSecret, wrapApdu, concatBytes } from "@opendcc/kernel";
import { ESME, GSME, IHD, GPF, SUPPLIER, testEstate, type TestEstate, contentOf } from "./support.js";

let t: TestEstate;
beforeEach(async () => {
  t = await testEstate();
});

describe("register reads", () => {
  it("ECS17b: the import register, encrypted for the supplier, laid out as the RTDS response", async () => {
    await t.send(ESME, await t.command({ srv: "4.1.1", deviceType: "ESME", target: ESME, counter: 1000n }));
    const [response] = await t.take();
    const wh = t.devices.device(ESME).register?.value;
    expect(response?.protection?.checked).toEqual(["mac", "encryption"]);
    expect(response?.dateTime).toBe("2026-11-23T10:00:00Z");
    const value = (response?.payload.fields as { results: { value: { attributes: { value: unknown }[] } }[] }).results[0]?.value.attributes[0]?.value;
    expect(value).toEqual([{ value: wh, scaler: 0, unit: "Wh", scaledValue: wh }, { value: Math.round((wh as number) * 0.1), scaler: 0, unit: "varh", scaledValue: Math.round((wh as number) * 0.1) }]);
    // RTDS ECS17b_4.1.1_SINGLE_SUCCESS_RESPONSE: everything but the 43-byte block is the same.
    const content = contentOf(response!.bytes);
    expect(content.slice(0, 128)).toBe("DA200003E80000010202010102021602020509090400000000000003E8090800DB1234567890A0090890B3D51F3001000009000202160202020901020900092B");
    expect(content.slice(128 + 86)).toBe("010300");
  });

  it("registers advance with time, and stop while the supply is off", async () => {
    const first = t.devices.device(ESME).register?.value as number;
    t.clock = new Date(t.clock.getTime() + 3_600_000);
    const hourLater = t.devices.device(ESME).register?.value as number;
    expect(hourLater - first).toBeGreaterThanOrEqual(75);
    expect(hourLater - first).toBeLessThanOrEqual(975);
    const profile = t.devices.profile(ESME, new Date("2026-11-23T10:00:00Z"), t.clock);
    expect(profile.map(([at]) => at)).toEqual(["2026-11-23T10:00:00.000Z", "2026-11-23T10:30:00.000Z"]);
    expect(Math.abs(profile.reduce((sum, [, wh]) => sum + wh, 0) - (hourLater - first))).toBeLessThanOrEqual(1);
    await t.send(ESME, await t.command({ srv: "7.2", deviceType: "ESME", target: ESME, counter: 1000n }));
    t.clock = new Date(t.clock.getTime() + 3_600_000);
    expect(t.devices.device(ESME).register?.value).toBe(hourLater);
  });

  it("GCS13a: the gas register (litres, divisor 1000), encrypted, as the RTDS response", async () => {
    await t.send(GSME, await t.command({ srv: "4.1.1", deviceType: "GSME", target: GSME, counter: 1001n }));
    const [response] = await t.take();
    const litres = t.devices.device(GSME).register?.value;
    expect(response?.protection?.checked).toEqual(["mac", "encryption"]);
    const attributes = (response?.payload.fields as { components: { payload: { attributes: { name: string; value: unknown }[] } }[] }).components[0]?.payload.attributes;
    expect(attributes?.map((a) => [a.name, a.value])).toEqual([["divisor", 1000], ["multiplier", 1], ["unitOfMeasure", { code: 1, name: "m3" }], ["currentSummationDelivered", litres]]);
    expect(contentOf(response!.bytes).slice(0, 30)).toBe("01090103070200350000180001002E");
  });
});

describe("supply", () => {
  it("ECS43 / ECS44 / ECS42 disable, arm and enable the load switch; signed responses as the RTDS ones", async () => {
    for (const [srv, counter, state] of [["7.2", 1000n, "disabled"], ["7.3", 1001n, "armed"], ["7.1", 1002n, "enabled"]] as const) {
      await t.send(ESME, await t.command({ srv, deviceType: "ESME", target: ESME, counter }));
      const [response] = await t.take();
      expect(response).toMatchObject({ form: "GeneralSigning", signed: true, counter: String(counter), protection: { checked: ["signature"] } });
      expect(t.devices.device(ESME).supply).toBe(state);
      expect(contentOf(response!.bytes)).toBe(`DA20000${counter.toString(16).toUpperCase()}00000100010300`);
    }
    expect(t.devices.device(ESME).events.map((e) => e.code)).toEqual(["0x8F57", "0x8F32", "0x8F34"]);
  });

  it("GCS32 / GCS39 close and arm the valve; the response is the RTDS GCS32 response", async () => {
    await t.send(GSME, await t.command({ srv: "7.2", deviceType: "GSME", target: GSME, counter: 1000n }));
    const [closed] = await t.take();
    expect(t.devices.device(GSME).supply).toBe("disabled");
    expect(closed?.protection?.checked).toEqual(["signature"]);
    expect(contentOf(closed!.bytes)).toBe("010901010702001009000C00000000804A371C0000000000");
    await t.send(GSME, await t.command({ srv: "7.3", deviceType: "GSME", target: GSME, counter: 1001n }));
    const [armed] = await t.take();
    expect(t.devices.device(GSME).supply).toBe("armed");
    expect(contentOf(armed!.bytes)).toBe("010901010702001009000C00000000804A371C0000000001");
  });

  it("a future-dated GCS39 is held, answered now, carried out at its time with the 0x8F66 alert (0x00CD)", async () => {
    // The gateway holds DUIS future-dated 7.3 itself; a device-future-dated command carries the
    // ZigBee implementation time in Change Supply (little-endian, after provider, event and request time).
    const at = Math.floor((Date.UTC(2026, 10, 24, 9) - Date.UTC(2000, 0, 1)) / 1000);
    const patch = (apdu: Uint8Array) => {
      const frame = parseFrame(concatBytes(apdu, Uint8Array.of(0)));
      new DataView(apdu.buffer).setUint32(frame.content.offset + 11 + 12, at, true);
      return apdu;
    };
    await t.send(GSME, await t.command({ srv: "7.3", deviceType: "GSME", target: GSME, counter: 1001n, patch }));
    const [response] = await t.take();
    expect(response?.payload.fields).toMatchObject({ components: [{ payload: { implementationDateTime: "2026-11-24T09:00:00Z", supplyStatus: { name: "on" } } }] });
    expect(t.devices.device(GSME)).toMatchObject({ supply: "enabled", pending: [{ at: "2026-11-24T09:00:00.000Z", messageCode: "0x0085", originator: SUPPLIER, action: "supply armed" }] });
    await t.devices.tick();
    expect(await t.take()).toEqual([]);
    t.clock = new Date("2026-11-24T09:00:01Z");
    await t.devices.tick();
    const [alert] = await t.take();
    expect(alert).toMatchObject({ cra: 3, messageCode: "0x00CD", originator: GSME, recipient: SUPPLIER, protection: { checked: ["signature"] } });
    expect(alert?.payload.fields).toMatchObject({ alertCode: "0x8F66", timestamp: "2026-11-24T09:00:00Z", deferredCommand: { messageCode: "0x0085", originatorCounter: 1001, clusterId: "0x0702", commandId: 11 } });
    expect(t.devices.device(GSME)).toMatchObject({ supply: "armed", pending: [] });
  });
});

describe("prepayment", () => {
  const supplierPrepayment = () => sharedSecret(t.keys.supplierPpKa.privateKey, t.ring.publicKey(ESME, "ka") as CryptoKey);
  const topUp = async (commandCounter: bigint, utrnCounter: bigint, pounds: number) => {
    const utrn = await generateUtrn({ key: await supplierPrepayment(), supplier: SUPPLIER, device: ESME, counter: utrnCounter, value: pounds, valueClass: "pounds" });
    return t.command({ srv: "2.2", deviceType: "ESME", target: ESME, counter: commandCounter, body: { name: "TopUpDevice", children: [{ name: "UTRN", text: utrn }] } });
  };

  it("CS01a: a good UTRN adds its value; a repeated or forged one is refused with its alert", async () => {
    const before = t.devices.device(ESME).credit as number;
    await t.send(ESME, await topUp(0x0000000300000000n, 0x0000000300000000n, 10));
    const [response] = await t.take();
    expect(response?.protection?.checked).toEqual(["mac"]);
    expect(contentOf(response!.bytes)).toBe("DA2000000000000100010300");
    expect(t.devices.device(ESME).credit).toBe(before + 1000);
    // The same token in a newer command: a duplicate (0x8F51), result hardware-fault as the RTDS ERROR response.
    await t.send(ESME, await topUp(0x0000000400000000n, 0x0000000300000000n, 10));
    const [refused, duplicate] = await t.take();
    expect(contentOf(refused!.bytes)).toBe("DA2000000000000100010301");
    expect(duplicate).toMatchObject({ cra: 3, messageCode: "0x1001", payload: { fields: { alertCode: "0x8F51" } } });
    const tampered = await t.command({ srv: "2.2", deviceType: "ESME", target: ESME, counter: 0x0000000600000000n, body: { name: "TopUpDevice", children: [{ name: "UTRN", text: "12345678910121314156" }] } });
    await t.send(ESME, tampered);
    const [, notAuthentic] = await t.take();
    expect(notAuthentic?.payload.fields).toMatchObject({ alertCode: "0x8F63" });
    expect(t.devices.device(ESME).credit).toBe(before + 1000);
  });

  it("credit runs down with use: low credit (0x810D), then disablement (0x8F0F); a top-up arms the supply (0x8F32)", async () => {
    t.clock = new Date(t.clock.getTime() + 30 * 86_400_000);
    await t.devices.tick();
    const alerts = await t.take();
    expect(alerts.map((a) => [a.messageCode, (a.payload.fields as { alertCode: string }).alertCode])).toEqual([["0x1001", "0x810D"], ["0x1000", "0x8F0F"]]);
    expect(t.devices.device(ESME)).toMatchObject({ supply: "disabled" });
    expect(t.devices.device(ESME).credit as number).toBeLessThanOrEqual(0);
    await t.send(ESME, await topUp(0x0000000700000000n, 0x0000000700000000n, 200));
    const [, armed] = await t.take();
    expect(armed?.payload.fields).toMatchObject({ alertCode: "0x8F32" });
    expect(t.devices.device(ESME).supply).toBe("armed");
  });
});

describe("firmware, HAN membership and what is not emulated", () => {
  it("ECS52 answers the running firmware version", async () => {
    await t.send(ESME, await t.command({ srv: "11.2", deviceType: "ESME", target: ESME, counter: 1002n }));
    const [response] = await t.take();
    expect(response?.payload.fields).toMatchObject({ results: [{ result: "success", object: "firmwareVersion", value: "00010000" }] });
  });

  it("CS07 lists the meter's device log; CS03B joins a Type 2 device and CS04B unjoins it", async () => {
    const asn1Command = async (messageCode: number, counter: bigint, content: string) => {
      const apdu = encode((w) => w.generalSigning({ cra: 1, counter, originator: fromHex(SUPPLIER), recipient: fromHex(ESME), dateTime: null, otherInfo: Uint8Array.of(0, messageCode) }, (c) => c.hex(content)));
      return wrapApdu(await sharedSecret(t.acb.privateKey, t.ring.publicKey(ESME, "ka") as CryptoKey), concatBytes(apdu, Uint8Array.of(0)));
    };
    const deviceLog = async (counter: bigint) => {
      await t.send(ESME, await asn1Command(0x13, counter, "0500"));
      const [response] = await t.take();
      return (response?.payload.fields as { deviceLogEntries: { deviceId: string; deviceType: { name: string } }[] }).deviceLogEntries.map((e) => `${e.deviceId}:${e.deviceType.name}`);
    };
    expect(await deviceLog(2000n)).toEqual([`${IHD}:type2`]);
    const cad = "00DB1234567890C0";
    await t.send(ESME, await asn1Command(0x0e, 2001n, `3010020102040800DB1234567890C0020106`));
    expect((await t.take())[0]?.payload.fields).toEqual({ responseCode: { code: 0, name: "success" } });
    expect(await deviceLog(2002n)).toEqual([`${IHD}:type2`, `${cad}:type2`]);
    await t.send(ESME, await asn1Command(0x0e, 2003n, `3010020100040800DB1234567890C1020106`));
    expect((await t.take())[0]?.payload.fields).toEqual({ responseCode: { code: 2, name: "invalidJoinMethodAndRole" } });
    await t.send(ESME, await t.command({ srv: "8.8.2", deviceType: "ESME", target: ESME, counter: 2004n, body: { name: "UnjoinServiceNonCritical", children: [{ name: "OtherDeviceID", text: IHD }] } }));
    expect((await t.take())[0]?.payload.fields).toEqual({ responseCode: { code: 0, name: "success" } });
    await t.send(ESME, await t.command({ srv: "8.8.2", deviceType: "ESME", target: ESME, counter: 2005n, body: { name: "UnjoinServiceNonCritical", children: [{ name: "OtherDeviceID", text: IHD }] } }));
    expect((await t.take())[0]?.payload.fields).toEqual({ responseCode: { code: 1, name: "notInDeviceLog" } });
    expect(await deviceLog(2006n)).toEqual([`${cad}:type2`]);
    expect(t.devices.device(GSME).deviceLog.map((e) => e.deviceId)).toEqual([GPF, IHD]);
  });

  it("answers a use case it does not emulate with an error, never a success", async () => {
    await t.send(ESME, await t.command({ srv: "7.4", deviceType: "ESME", target: ESME, counter: 3000n }));
    const [dlms] = await t.take();
    expect(dlms?.payload.fields).toMatchObject({ results: [{ result: "otherReason", resultCode: 250 }] });
    await t.send(GSME, await t.command({ srv: "7.4", deviceType: "GSME", target: GSME, counter: 3001n }));
    const [gbz] = await t.take();
    expect(gbz?.payload.fields).toMatchObject({ components: [{ command: "defaultResponse", payload: { status: { code: 0x81, name: "unsupportedClusterCommand" } } }] });
    expect(t.log.join("\n")).toMatch(/does not carry out ECS45 yet/);
    // CS02c Update Device Security Credentials (ASN.1, 0x000A) has no generic failure form: the transport refuses it.
    const apdu = encode((w) => w.generalSigning({ cra: 1, counter: 3002n, originator: fromHex(SUPPLIER), recipient: fromHex(ESME), dateTime: null, otherInfo: Uint8Array.of(0x00, 0x0a) }, (c) => c.hex("3000")));
    const credentials = wrapApdu(await sharedSecret(t.acb.privateKey, t.ring.publicKey(ESME, "ka") as CryptoKey), concatBytes(apdu, Uint8Array.of(0)));
    await expect(t.devices.send({ requestId: "x", deviceId: ESME, gbcs: credentials })).rejects.toThrow(/the emulated ESME does not carry out message code 0x000A yet/);
  });
});
