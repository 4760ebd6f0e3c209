// The class-shaped COSEM values (cosem-values.ts), the variable-layout and protected answers of
// dlms-use-cases.ts, and GBZ trailing digits: dates and times with COSEM's "not specified"
// wildcards, activation times, calendars, schedules, charges; first on messages made here, then
// on the RTDS.
import { beforeAll, describe, expect, it } from "vitest";
import { fromHex, toHex } from "@opendcc/kernel";
import { KeyRing } from "../src/keyring.js";
import { parseGbcs, type ParsedMessage } from "../src/parse/index.js";
import { useCaseLayouts } from "../src/parse/dlms-use-cases.js";
import { describeWithFixtures, keystoreFiles, rtdsVectors, type RtdsVector } from "../../../test/support/fixtures.js";

type Json = Record<string, unknown>;
const ESME = "00DB1234567890A0";
const SUPPLIER = "90B3D51F30010000";
const GSME = "00DB1234567890A1";

/** A General-Signing APDU (gbcs.md section 2b), unsigned, with the content given as hex. */
function message(cra: number, code: number, content: string, device = ESME): Uint8Array {
  const bytes = content.replace(/ /g, "");
  const length = bytes.length / 2;
  const lengthHex = length < 0x80 ? toHex(Uint8Array.of(length)) : `81${toHex(Uint8Array.of(length))}`;
  return fromHex(`DF090${cra}0000000000000001 08${cra === 1 ? SUPPLIER : device} 08${cra === 1 ? device : SUPPLIER} 00 02${code.toString(16).padStart(4, "0")} ${lengthHex}${bytes} 00`);
}

/** A DLMS set of one attribute (class, OBIS as hex, attribute) to the Data given as hex. */
async function set(classId: number, obis: string, attribute: number, data: string): Promise<Json> {
  const spec = `02 ${classId.toString(16).padStart(4, "0")} ${obis} ${attribute.toString(16).padStart(2, "0")}`;
  const parsed = await parseGbcs(message(1, 0x0019, `D920000001 00 01 ${spec} 01 ${data}`));
  return ((parsed.payload.fields as Json).requests as Json[])[0]!;
}

const fieldsOf = (parsed: ParsedMessage): Json => parsed.payload.fields as Json;

describe("COSEM class values", () => {
  it("reads special-day dates with their wildcards, and a weekday when one is given", async () => {
    const entry = (index: number, date: string, day: number) => `02 03 12 ${index.toString(16).padStart(4, "0")} 09 05 ${date} 11 ${day.toString(16).padStart(2, "0")}`;
    const request = await set(11, "00010B0000FF", 2, `01 03 ${entry(1, "07DF0501FF", 2)} ${entry(2, "FFFF071DFF", 3)} ${entry(3, "FFFFFFFF03", 4)}`);
    expect(request).toMatchObject({ className: "SpecialDaysTable", object: "specialDaysTablePassive", attribute: "entries" });
    expect(request.value).toEqual([
      { index: 1, date: "2015-05-01", dayId: 2 },
      { index: 2, date: "*-07-29", dayId: 3 },
      { index: 3, date: { date: "*-*-*", dayOfWeek: "wednesday" }, dayId: 4 },
    ]);
  });

  it("names a price matrix: scales, the priced register and each index's price", async () => {
    const charges = "01 03 02 02 09 01 01 10 0849 02 02 09 01 02 10 0C37 02 02 09 01 A1 10 FFFF";
    const value = `02 03 02 02 0F 03 0F FB 02 03 12 0003 09 06 0100010800FF 0F 02 ${charges}`;
    const request = await set(113, "0000131400FF", 6, value);
    expect(request).toMatchObject({ className: "Charge", object: "tariffPriceMatrix", attribute: "unitChargePassive" });
    expect(request.value).toEqual({
      commodityScale: 3, priceScale: -5,
      commodity: { classId: 3, className: "Register", obis: "1-0:1.8.0.255", object: "activeImportEnergy", attributeId: 2, attribute: "value" },
      charges: [{ index: "01", price: 2121 }, { index: "02", price: 3127 }, { index: "A1", price: -1 }],
    });
    // A standing charge prices no commodity: class 0 and logical name 0-0:0.0.0.0.
    const standing = await set(113, "0000131404FF", 6, "02 03 02 02 0F 00 0F FB 02 03 12 0000 09 06 000000000000 0F 00 01 01 02 02 09 00 10 4E20");
    expect(standing).toMatchObject({ object: "standingCharge", value: { commodityScale: 0, priceScale: -5, commodity: null, charges: [{ index: "", price: 20000 }] } });
  });

  it("reads activation times: now (all 00), never (all FF) and a date-time", async () => {
    const activation = async (bytes: string) => (await set(9000, "00005E2C801D", 6, `09 0C ${bytes}`)).value;
    expect(await activation("0000000000000000008000FF")).toBe("now");
    expect(await activation("FFFFFFFFFFFFFFFFFF8000FF")).toBe("never");
    expect(await activation("07DF0101FF0A1E00008000FF")).toBe("2015-01-01T10:30:00Z");
    expect((await set(9000, "00005E2C801D", 6, "09 0C 0000000000000000008000FF")).object).toBe("tariffSpecialDaysActivation");
  });

  it("names the calendar's seasons, week profiles and day profiles, with the tariff rate each action selects", async () => {
    const seasons = await set(20, "00000D0000FF", 7, "01 01 02 03 09 06 77696E746572 09 0C 07DE0A1BFF000000008000FF 09 01 01");
    expect(seasons.value).toEqual([{ name: "winter", start: "2014-10-27T00:00:00Z", weekName: "01" }]);
    const weeks = await set(20, "00000D0000FF", 8, "01 01 02 08 09 01 01 11 01 11 01 11 01 11 01 11 01 11 03 11 03");
    expect(weeks.value).toEqual([{ name: "01", monday: 1, tuesday: 1, wednesday: 1, thursday: 1, friday: 1, saturday: 3, sunday: 3 }]);
    const action = (time: string, selector: number) => `02 03 09 04 ${time} 09 06 00000A0064FF 12 ${selector.toString(16).padStart(4, "0")}`;
    const days = await set(20, "00000D0000FF", 9, `01 01 02 02 11 01 01 03 ${action("00000000", 2)} ${action("07000000", 101)} ${action("17000000", 99)}`);
    const script = { obis: "0-0:10.0.100.255", object: "tariffificationScriptTable" };
    expect(days.value).toEqual([{
      dayId: 1,
      actions: [
        { startTime: "00:00:00", script, scriptSelector: 2, rate: "tou2" },
        { startTime: "07:00:00", script, scriptSelector: 101, rate: "block1" },
        { startTime: "23:00:00", script, scriptSelector: 99 },
      ],
    }]);
  });

  it("names schedule entries and billing execution times", async () => {
    const entry = "02 0A 12 0001 03 FF 09 06 00000A006AFF 12 0020 09 04 091E0000 12 FFFF 04 07 06 04 05 00 09 05 07DE0A1BFF 09 05 FFFFFFFFFF";
    const schedule = await set(10, "00010C0001FF", 2, `01 01 ${entry}`);
    expect(schedule).toMatchObject({ object: "nonDisablementCalendarPassive", attribute: "entries" });
    expect(schedule.value).toEqual([{
      index: 1, enabled: true, script: { obis: "0-0:10.0.106.255", object: "disconnectControlScript" }, scriptSelector: 32,
      switchTime: "09:30:00", validityWindowMinutes: 65535, weekdays: ["saturday", "sunday"], specialDays: "00000",
      beginDate: "2014-10-27", endDate: "*-*-*",
    }]);
    const billing = await set(22, "00000F0000FF", 4, "01 02 02 02 09 04 0C000000 09 05 FFFF0101FF 02 02 09 04 FFFFFFFF 09 05 FFFFFF01FF");
    expect(billing.value).toEqual([{ time: "12:00:00", date: "*-01-01" }, { time: "*:*:*", date: "*-*-01" }]);
  });

  it("keeps a value that does not have its class's shape plain, dropping nothing", async () => {
    // A special-days entry of two items instead of three, and a 4-byte date.
    const request = await set(11, "00010B0000FF", 2, "01 02 02 02 12 0001 09 05 07DF0501FF 02 03 12 0002 09 04 07DF0501 11 03");
    expect(request.value).toEqual([[1, "07DF0501FF"], [2, "07DF0501", 3]]);
  });
});

describe("GBZ trailing digits", () => {
  it("scales the conversion factor and calorific value of a read-attributes response", async () => {
    // Price cluster read response: 0x0302 conversion factor 102264 (uint32), 0x0303 trailing digit
    // 0x50 (5 digits), 0x0304 calorific value 396 (uint32), 0x0306 trailing digit 0x10 (1 digit).
    const records = "0203 00 23 788F0100 0303 00 18 50 0403 00 23 8C010000 0603 00 18 10";
    const zcl = `08 00 01 ${records}`.replace(/ /g, "");
    const component = `01 0700 ${(zcl.length / 2).toString(16).padStart(4, "0")} ${zcl}`;
    const parsed = await parseGbcs(message(2, 0x007c, `0109 01 ${component}`, GSME));
    const [first] = fieldsOf(parsed).components as Json[];
    expect((first!.payload as Json).attributes).toEqual([
      { id: "0x0302", name: "conversionFactor", status: { code: 0, name: "success" }, type: "uint32", value: 102264, scaledValue: 1.02264 },
      { id: "0x0303", name: "conversionFactorTrailingDigit", status: { code: 0, name: "success" }, type: "bitmap8", value: 0x50 },
      { id: "0x0304", name: "calorificValue", status: { code: 0, name: "success" }, type: "uint32", value: 396, scaledValue: 39.6 },
      { id: "0x0306", name: "calorificValueTrailingDigit", status: { code: 0, name: "success" }, type: "bitmap8", value: 0x10 },
    ]);
  });
});

describeWithFixtures("named values on the RTDS", () => {
  let vectors: RtdsVector[];
  let ring: KeyRing;
  const vector = (part: string): Uint8Array => {
    const found = vectors.find((v) => v.file.includes(part));
    if (!found) throw new Error(`no vector ${part}`);
    return fromHex(found.hex);
  };
  const requestsOf = async (part: string) => fieldsOf(await parseGbcs(vector(part))).requests as Json[];
  const resultsOf = async (part: string) => fieldsOf(await parseGbcs(vector(part), { ring })).results as Json[];

  beforeAll(async () => {
    vectors = rtdsVectors();
    ring = await KeyRing.fromFiles(keystoreFiles());
  });

  it("reads an ECS01a tariff like a tariff", async () => {
    const requests = await requestsOf("ECS01a_1.1.1_IMMEDIATE_TOU_SUCCESS_COMMAND");
    const byName = (object: string, attribute: string) => requests.find((r) => r.object === object && r.attribute === attribute)?.value;
    expect(byName("specialDaysTablePassive", "entries")).toEqual([{ index: 1, date: "2015-05-01", dayId: 2 }, { index: 2, date: "*-12-25", dayId: 3 }]);
    expect(byName("activityCalendar", "seasonProfilePassive")).toEqual([
      { name: "winter", start: "2014-10-27T00:00:00Z", weekName: "01" }, { name: "summer", start: "2015-03-29T00:00:00Z", weekName: "02" },
    ]);
    expect((byName("activityCalendar", "dayProfileTablePassive") as Json[])[0]).toEqual({
      dayId: 1,
      actions: [
        { startTime: "00:00:00", script: { obis: "0-0:10.0.100.255", object: "tariffificationScriptTable" }, scriptSelector: 2, rate: "tou2" },
        { startTime: "07:00:00", script: { obis: "0-0:10.0.100.255", object: "tariffificationScriptTable" }, scriptSelector: 3, rate: "tou3" },
      ],
    });
    expect(byName("blockThresholdsTou1Passive", "thresholds")).toEqual([4294967295]);
    expect(byName("standingCharge", "unitChargePassive")).toEqual({ commodityScale: 0, priceScale: -5, commodity: null, charges: [{ index: "", price: 20000 }] });
    const prices = byName("tariffPriceMatrix", "unitChargePassive") as { charges: Json[] };
    expect(prices).toMatchObject({ commodityScale: 3, priceScale: -5, commodity: { obis: "1-0:1.8.0.255", object: "activeImportEnergy" } });
    expect(prices.charges).toHaveLength(80);
    expect(prices.charges.slice(0, 3)).toEqual([{ index: "01", price: 2121 }, { index: "02", price: 3127 }, { index: "03", price: 4744 }]);
    expect(prices.charges[48]).toEqual({ index: "A1", price: 0 });
    for (const name of ["activityCalendar", "tariffSpecialDaysActivation", "currencyUnit", "standingCharge", "tariffPriceMatrix", "tariffThresholdMatrix"]) {
      expect(requests.find((r) => r.object === name && /activat/i.test(String(r.attribute)))?.value, name).toBe("now");
    }
    const cancelled = await requestsOf("ECS01a_1.1.1_CANCELLATION_TOU_BLOCK_SUCCESS_PRECOMMAND");
    expect(cancelled.find((r) => r.attribute === "activatePassiveCalendarTime")?.value).toBe("never");
  });

  it("reads the prepayment non-disablement schedule and the billing calendar", async () => {
    const ecs08 = await requestsOf("ECS08_2.1_CANCELLATION_SUCCESS_COMMAND");
    const schedule = ecs08.find((r) => r.object === "nonDisablementCalendarPassive")!.value as Json[];
    expect(schedule[1]).toEqual({
      index: 2, enabled: true, script: { obis: "0-0:10.0.106.255", object: "disconnectControlScript" }, scriptSelector: 33,
      switchTime: "09:30:00", validityWindowMinutes: 65535, weekdays: ["saturday", "sunday"], specialDays: "00000",
      beginDate: "2014-10-27", endDate: "2015-03-28",
    });
    expect(ecs08.find((r) => r.object === "nonDisablementSpecialDaysPassive")!.value).toEqual([
      { index: 1, date: "*-07-29", dayId: 1 }, { index: 2, date: "*-08-25", dayId: 2 }, { index: 3, date: "*-09-06", dayId: 3 },
      { index: 4, date: "*-10-05", dayId: 4 }, { index: 5, date: "*-08-15", dayId: 5 },
    ]);
    const [billing] = await resultsOf("ECS26l_6.2.3_SUCCESS_RESPONSE");
    expect(billing).toMatchObject({ object: "billingCalendarSchedule", attribute: "executionTime" });
    expect(billing!.value).toEqual([
      { time: "12:00:00", date: "*-01-01" }, { time: "12:00:00", date: "*-04-01" }, { time: "12:00:00", date: "*-07-01" }, { time: "12:00:00", date: "*-10-01" },
    ]);
  });

  it("names the decrypted ECS19 prepayment registers", async () => {
    const [result] = await resultsOf("ECS19_4.3_SUCCESS_RESPONSE");
    expect((result!.value as Json).attributes).toEqual([{
      value: { accumulatedDebt: 250000, emergencyCreditBalance: 95000, meterBalance: 187000, paymentDebt: 203000, timeDebt1: 243000, timeDebt2: 46000 },
    }]);
  });

  it("names the answers of commands whose layout varies: fully where the layouts agree, by class where only that is sure", async () => {
    const labels = await resultsOf("ECS46a_6.14.1_ALL_OPTIONALS_ERROR_RESPONSE");
    expect(labels.map((r) => [r.object, r.result])).toEqual([
      ["auxiliaryLoadSwitchLabel1", "success"], ["auxiliaryLoadSwitchLabel2", "success"], ["auxiliaryLoadSwitchLabel3", "success"],
      ["auxiliaryLoadSwitchLabel4", "hardwareFault"], ["auxiliaryLoadSwitchLabel5", "otherReason"],
    ]);
    // Three of five labels: which three is not in the response.
    expect((await resultsOf("ECS46a_6.14.1_SOME_OPTIONALS_SUCCESS_RESPONSE"))[0]).toEqual({
      service: "set", result: "success", resultCode: 0, classId: 1, className: "Data", attributeId: 2, attribute: "value", value: null,
    });
    const [duration, script] = await resultsOf("ECS47Activate_7.5_SUCCESS_RESPONSE");
    expect(duration).toEqual({ service: "set", result: "success", resultCode: 0, classId: 1, className: "Data", attributeId: 2, attribute: "value", value: null });
    expect(script).toMatchObject({ obis: "0-0:10.0.103.255", object: "auxiliaryLoadControlScript", method: "execute" });
    expect((await resultsOf("ECS57_6.18.2_ALL_OPTIONALS_SUCCESS_RESPONSE")).map((r) => r.object))
      .toEqual(["maximumDemandActiveImport", "maximumDemandActiveImportConfigurablePeriod", "maximumDemandActiveExport"]);
    const calendar = await resultsOf("ECS46c_6.14.2_CANCELLATION_ALL_OPTIONALS_SUCCESS_RESPONSE");
    expect(calendar.slice(5).map((r) => r.object)).toEqual([
      "auxiliaryLoadControlSpecialDaysPassive", "auxiliaryLoadControlCalendarPassive", "auxiliaryLoadControlCalendarActivation", "auxiliaryLoadControlSpecialDaysActivation",
    ]);
  });

  it("has every RTDS command of a variable-layout use case among that use case's layouts", async () => {
    let compared = 0;
    for (const v of vectors.filter((v) => v.kind === "COMMAND" || v.kind === "PRECOMMAND")) {
      const parsed = await parseGbcs(fromHex(v.hex));
      const layouts = useCaseLayouts(Number(parsed.messageCode));
      if (!layouts) continue;
      const asked = JSON.stringify((fieldsOf(parsed).requests as Json[]).map((r) => [r.service, r.classId, r.obis, r.attributeId ?? r.methodId]));
      expect(layouts.map((specs) => JSON.stringify(specs.map((s) => [s.service, s.classId, s.obis, s.id]))), v.file).toContain(asked);
      compared++;
    }
    expect(compared).toBeGreaterThanOrEqual(38);
  });

  it("gives GCS23's conversion factor and calorific value with their decimal points placed", async () => {
    const [factor, calorific] = fieldsOf(await parseGbcs(vector("GCS23_6.6_SUCCESS_COMMAND"))).components as Json[];
    expect(factor!.payload).toEqual({ issuerEventId: 473385600, startTime: "now", conversionFactor: 1.02264, conversionFactorTrailingDigits: 5 });
    expect(calorific!.payload).toEqual({
      issuerEventId: 473385600, startTime: "now", calorificValue: 40, calorificValueUnit: { code: 1, name: "MJ/m3" }, calorificValueTrailingDigits: 1,
    });
  });
});
