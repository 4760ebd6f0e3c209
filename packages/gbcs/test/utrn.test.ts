// UTRN (GBCS issue point 6; gbcs.md 9): the RTDS top-up tokens regenerate from the supplier's
// prepayment key exactly and check out, the deliberate error token fails its check digit, any
// changed value, counter, device or key fails the MAC, and the CS01a/CS01b transforms carry the
// token as 20 ASCII digits.
import { beforeAll, describe, expect, it } from "vitest";
import { fromHex, parseFrame, toHex } from "@opendcc/kernel";
import {
  KeyRing, UtrnError, checkUtrn, generateUtrn, headerOf, readUtrn, transformRequest, utrnCheckDigit, utrnCheckDigitValid, utrnSecret,
} from "../src/index.js";
import { describeWithFixtures, keystoreFiles, rtdsVectors } from "../../../test/support/fixtures.js";

const PPTD_OFFSET = 7_394_156_990_786_306_048n;
const DELIBERATE_ERROR_TOKEN = "12345678910121314156";

/** A UTRN with a valid check digit for a PTUT (to build tampered tokens). */
function utrnOf(ptut: bigint): string {
  const pptd = (ptut + PPTD_OFFSET).toString();
  return `${pptd}${utrnCheckDigit(pptd)}`;
}
const ptutOf = (utrn: string) => BigInt(utrn.slice(0, 19)) - PPTD_OFFSET;

describe("UTRN check digit and layout", () => {
  it("computes the Verhoeff-variant check digit and rejects every single-digit change", () => {
    expect(utrnCheckDigit("7394614433204021731")).toBe(5);
    expect(utrnCheckDigitValid("73946144332040217315")).toBe(true);
    expect(utrnCheckDigitValid(DELIBERATE_ERROR_TOKEN)).toBe(false);
    for (let i = 0; i < 20; i++) {
      const digits = [..."73946144332040217315"];
      digits[i] = String((Number(digits[i]) + 1) % 10);
      expect(utrnCheckDigitValid(digits.join("")), `digit ${i}`).toBe(false);
    }
    expect(() => utrnCheckDigit("123")).toThrow(UtrnError);
  });

  it("reads counter bits, value class and value from the digits", () => {
    expect(readUtrn("73946144332040217315")).toEqual({ counter: 0x0000000300000000n, valueClass: "pounds", value: 10, mac: fromHex("9CD029E3") });
    expect(readUtrn("73950067887105178605")).toMatchObject({ counter: 0x0000000600000000n, valueClass: "pennies", value: 1250 });
    expect(() => readUtrn(DELIBERATE_ERROR_TOKEN)).toThrow(`UTRN ${DELIBERATE_ERROR_TOKEN} fails its check digit`);
    expect(() => readUtrn("7394614433204021731")).toThrow(/is 20 digits/);
    expect(() => readUtrn(utrnOf(1n << 57n))).toThrow(/top 7 bits must be zero/);
    expect(() => readUtrn(`1000000000000000000${utrnCheckDigit("1000000000000000000")}`)).toThrow(/outside the PTUT range/);
    expect(() => readUtrn(utrnOf(0x0000400000000000n))).toThrow(/reserved value class 2/);
  });

  it("refuses values and counters the token cannot carry", async () => {
    const base = { key: new Uint8Array(32).fill(1), supplier: "90B3D51F30010000", device: "00DB1234567890A0", counter: 1n << 32n, value: 10, valueClass: "pounds" } as const;
    await expect(generateUtrn({ ...base, value: 8192 })).rejects.toThrow("value 8192 is outside 0..8191");
    await expect(generateUtrn({ ...base, value: 1.5 })).rejects.toThrow(UtrnError);
    await expect(generateUtrn({ ...base, counter: (1n << 32n) + 1n })).rejects.toThrow(/low 32 bits zero/);
    await expect(generateUtrn({ ...base, counter: 1n << 42n })).rejects.toThrow(/fit in 42 bits/);
    await expect(generateUtrn({ ...base, device: "00DB12" })).rejects.toThrow(/device "00DB12" is not an EUI-64/);
    await expect(generateUtrn({ ...base, valueClass: "shillings" as "pounds" })).rejects.toThrow(/value class "shillings"/);
  });
});

interface FixtureToken {
  readonly vector: string;
  readonly utrn: string;
  readonly supplier: string;
  readonly device: string;
  readonly counter: bigint;
}

describeWithFixtures("UTRNs of the RTDS", () => {
  let ring: KeyRing;
  let tokens: FixtureToken[];

  beforeAll(async () => {
    ring = await KeyRing.fromFiles(keystoreFiles());
    // Every token a fixture command carries: 20 ASCII digits after their length 14.
    tokens = rtdsVectors().filter((vector) => vector.kind === "COMMAND").flatMap((vector) => {
      const match = /14((?:3\d){20})/.exec(vector.hex);
      if (!match) return [];
      const bytes = fromHex(vector.hex);
      const header = headerOf(bytes, parseFrame(bytes));
      const utrn = new TextDecoder().decode(fromHex(match[1] as string));
      return [{ vector: vector.file, utrn, supplier: header.originator, device: header.recipient, counter: header.counter }];
    });
  });

  const key = (token: FixtureToken) => utrnSecret(ring, token.supplier, token.device);

  it("finds the top-up tokens: CS01a, CS01b, the deliberate error and the PPMID's", () => {
    expect(tokens.map((token) => [token.vector.split("/")[1], token.utrn])).toEqual([
      ["CS01a_2.2_SUCCESS_COMMAND_GBCS.HEX", "73946144332040217315"],
      ["CS01b_2.2_ERROR_COMMAND_GBCS.HEX", DELIBERATE_ERROR_TOKEN],
      ["CS01b_2.2_SUCCESS_COMMAND_GBCS.HEX", "73950067887105178605"],
      ["PCS01_NA_SUCCESS_COMMAND_GBCS.HEX", "73941656880950804485"],
    ]);
  });

  it("regenerates the CS01a and CS01b tokens exactly from the supplier's prepayment key and their command's counter", async () => {
    const expected = [
      { utrn: "73946144332040217315", value: 10, valueClass: "pounds" },
      { utrn: "73950067887105178605", value: 1250, valueClass: "pennies" },
    ] as const;
    for (const want of expected) {
      const token = tokens.find((t) => t.utrn === want.utrn) as FixtureToken;
      expect(token.counter & 0xffffffffn).toBe(0n);
      const made = await generateUtrn({ key: await key(token), supplier: token.supplier, device: token.device, counter: token.counter, value: want.value, valueClass: want.valueClass });
      expect(made).toBe(want.utrn);
      expect(await checkUtrn(want.utrn, { key: await key(token), supplier: token.supplier, device: token.device, counter: token.counter }))
        .toEqual({ ok: true, counter: token.counter, value: want.value, valueClass: want.valueClass, mac: readUtrn(want.utrn).mac });
    }
  });

  it("agrees when the keys are given instead of Z", async () => {
    const token = tokens[0] as FixtureToken;
    const keys = { supplierPrepaymentKa: ring.privateKey(token.supplier, "pp-ka") as CryptoKey, deviceKa: ring.publicKey(token.device, "ka") as CryptoKey };
    expect(await generateUtrn({ key: keys, supplier: token.supplier, device: token.device, counter: token.counter, value: 10, valueClass: "pounds" })).toBe(token.utrn);
  });

  it("fails the deliberate error token on its check digit, and the PPMID token (zero MAC) on its MAC", async () => {
    const bad = tokens.find((t) => t.utrn === DELIBERATE_ERROR_TOKEN) as FixtureToken;
    expect(await checkUtrn(bad.utrn, { key: await key(bad), supplier: bad.supplier, device: bad.device })).toEqual({ ok: false, reason: `UTRN ${DELIBERATE_ERROR_TOKEN} fails its check digit` });
    const ppmid = tokens.find((t) => t.vector.includes("PCS01")) as FixtureToken;
    expect(utrnCheckDigitValid(ppmid.utrn)).toBe(true);
    expect(toHex(readUtrn(ppmid.utrn).mac)).toBe("00000000");
    expect(await checkUtrn(ppmid.utrn, { key: await utrnSecret(ring, "90B3D51F30010000", ppmid.device), supplier: "90B3D51F30010000", device: ppmid.device }))
      .toEqual({ ok: false, reason: "UTRN MAC does not verify for this supplier and device" });
  });

  it("fails a tampered value, value class or counter, another device, another counter or the ordinary KA key", async () => {
    const token = tokens[0] as FixtureToken;
    const z = await key(token);
    const check = (utrn: string, overrides: Partial<Parameters<typeof checkUtrn>[1]> = {}) => checkUtrn(utrn, { key: z, supplier: token.supplier, device: token.device, ...overrides });
    const ptut = ptutOf(token.utrn);
    const macFails = { ok: false, reason: "UTRN MAC does not verify for this supplier and device" };
    expect(await check(utrnOf(ptut + (1n << 32n)))).toEqual(macFails); // value 11
    expect(await check(utrnOf(ptut ^ (1n << 45n)))).toEqual(macFails); // pennies
    expect(await check(utrnOf(ptut + (1n << 47n)))).toEqual(macFails); // counter bits 4
    expect(await check(token.utrn, { device: "00DB1234567890A1" })).toEqual(macFails);
    expect(await check(token.utrn, { counter: 4n << 32n })).toEqual({ ok: false, reason: "UTRN counter 0x300000000 is not the expected 0x400000000" });
    const ordinary = await (ring.sharedSecret(token.supplier, token.device, "ka") as Promise<Uint8Array>);
    expect(await check(token.utrn, { key: ordinary })).toEqual(macFails);
    await expect(utrnSecret(ring, "90B3D51F30020000", token.device)).rejects.toThrow(/no prepayment key-agreement private key/);
  });

  it("carries the token in the CS01a (ESME, DLMS) and CS01b (GSME, GBZ) commands as gbcs.md 9 says", async () => {
    const topUp = (deviceType: "ESME" | "GSME", target: string, utrn: string) => transformRequest({
      srv: "2.2", deviceType, commandVariant: 1, requestId: { originator: "90B3D51F30010000", target, counter: 3n << 32n },
      body: { name: "TopUpDevice", children: [{ name: "UTRN", text: utrn }] },
    });
    const ascii = toHex(new TextEncoder().encode("73946144332040217315"));
    const esme = topUp("ESME", "00DB1234567890A0", "73946144332040217315");
    expect(esme).toMatchObject({ useCase: "CS01a", messageCode: 0x0007, critical: false });
    // Action on the token gateway (class 0073, 0-0:19.40.0.255, method 1) with a 20-byte octet string.
    expect(toHex(esme.apdu)).toContain(`D92000000000010300730000132800FF01010914${ascii}`);
    const gsme = topUp("GSME", "00DB1234567890A1", "73946144332040217315");
    expect(gsme).toMatchObject({ useCase: "CS01b", messageCode: 0x0097, critical: false });
    // Prepayment cluster 0705, Consumer Top Up (04), originated remotely (00), 20-byte string.
    expect(toHex(gsme.apdu)).toContain(`010901010705001901000400 14${ascii}`.replace(" ", ""));
    expect(() => topUp("ESME", "00DB1234567890A0", "7394614433204021731")).toThrow('UTRN "7394614433204021731" is not 20 digits');
  });
});
