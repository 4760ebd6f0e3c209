// The gas encoders' own rules (the RTDS vectors are checked in transform-rtds.test.ts):
// future-dated and cancellation times, choices that pick the message code, bad input.
import { describe, expect, it } from "vitest";
import { toHex } from "@opendcc/kernel";
import { TransformError, transformRequest, type DeviceType, type ServiceNode } from "../src/index.js";

// Requests built in place: the encoders' rules beyond the vectors.
const node = (name: string, children: (ServiceNode | [string, string])[] = []): ServiceNode => ({
  name, children: children.map((child) => (Array.isArray(child) ? { name: child[0], text: child[1] } : child)),
});

function transform(srv: string, body: ServiceNode, options: { deviceType?: DeviceType; executionDateTime?: string } = {}) {
  return transformRequest({
    srv, deviceType: options.deviceType ?? "GSME", commandVariant: 4, executionDateTime: options.executionDateTime,
    requestId: { originator: "90B3D51F30010000", target: "00DB1234567890A1", counter: 1000n }, body,
  });
}

describe("gas encoders", () => {
  const creditMode = node("UpdatePaymentMode", [node("Credit")]);

  it("writes the execution time, 0 for now and FFFFFFFF to cancel, into Change Payment Mode", () => {
    expect(toHex(transform("1.6", creditMode).apdu)).toContain("00000000804A371C00000000940CFFFFFFFF");
    expect(toHex(transform("1.6", creditMode, { executionDateTime: "2030-01-15T09:00:00Z" }).apdu)).toContain("00000000804A371C90888138940C");
    expect(toHex(transform("1.6", creditMode, { executionDateTime: "3000-12-31T00:00:00.00Z" }).apdu)).toContain("00000000804A371CFFFFFFFF940C");
  });

  it("chooses GCS02 or GCS03 and the payment control configuration from the request", () => {
    const prepayment = (disabled: string, emergency: string) => node("UpdatePaymentMode", [node("Prepayment", [["SuspendDebtDisabled", disabled], ["SuspendDebtEmergency", emergency], ["DisablementThreshold", "-5"]])]);
    expect(transform("1.6", creditMode).messageCode).toBe(0x006c);
    const result = transform("1.6", prepayment("true", "true"));
    expect(result.messageCode).toBe(0x006d);
    expect(toHex(result.apdu)).toContain("9704FBFFFFFF");
    expect(toHex(transform("1.6", prepayment("false", "false")).apdu)).toContain("9708FBFFFFFF");
  });

  it("picks GCS40a-d by mode and action, with a signed adjustment", () => {
    const balance = (mode: string, action: ServiceNode) => transform("1.5", node("UpdateMeterBalance", [node(mode, [action])]));
    const adjusted = balance("CreditMode", { name: "AdjustMeterBalance", text: "-2" });
    expect(adjusted.messageCode).toBe(0x00c0);
    expect(toHex(adjusted.apdu)).toContain("804A371C0000000003FEFFFFFF");
    expect(balance("PrepaymentMode", node("ResetMeterBalance")).messageCode).toBe(0x00b4);
    expect(() => transform("1.5", node("UpdateMeterBalance"))).toThrow(TransformError);
  });

  it("counts sampled-data samples over the read period", () => {
    const period = (start: string, end: string) => node("ReadActiveImportProfileData", [node("ReadLogPeriod", [["StartDateTime", start], ["EndDateTime", end]])]);
    // one day of half-hours: 49 samples from 2015-01-01T00:00:00Z (1C374A80)
    expect(toHex(transform("4.8.1", period("2015-01-01T00:00:00Z", "2015-01-02T00:00:00Z")).apdu)).toContain("010008" + "0000804A371C003100");
    expect(() => transform("4.8.1", period("2015-01-02T00:00:00Z", "2015-01-01T00:00:00Z"))).toThrow(/EndDateTime is before/);
  });

  it("scales decimal gas values to their fixed decimal places and rejects finer ones", () => {
    const conversion = (cv: string, cf: string) => node("UpdateDeviceConfigurationGasConversion", [["CalorificValue", cv], ["ConversionFactor", cf]]);
    const hex = toHex(transform("6.6", conversion("39.5", "1.0")).apdu);
    expect(hex).toContain("A086010050"); // 1.00000 -> 100000, 5 decimal places
    expect(hex).toContain("8B010000" + "0110"); // 39.5 -> 395, MJ/m3, 1 decimal place
    expect(() => transform("6.6", conversion("39.55", "1.0"))).toThrow(/CalorificValue/);
  });

  it("sends the clock window as ASN.1 GeneralizedTimes", () => {
    const result = transform("6.11", node("SynchroniseClock", [["CurrentDateTime", "2020-02-29T12:00:00Z"], ["TolerancePeriod", "60"]]));
    const ascii = (text: string) => toHex(new TextEncoder().encode(text));
    expect(toHex(result.apdu).endsWith(`3022180F${ascii("20200229120000Z")}180F${ascii("20200229120100Z")}`)).toBe(true);
  });

  it("reads through the GPF where the GSME's mirror answers, with the GPF's message code for 4.18", () => {
    expect(transform("4.18", node("ReadMeterBalance"), { deviceType: "GPF" }).messageCode).toBe(0x012a);
    expect(transform("4.18", node("ReadMeterBalance")).messageCode).toBe(0x008d);
  });

  it("sends unknown-remote-party reads from the ACB, and needs the ACB's own counter for them", () => {
    const urp = node("ReadPrepaymentDailyReadLog", [node("ReadLogPeriod", [["StartDateTime", "2015-01-01T00:00:00Z"], ["EndDateTime", "2015-01-02T00:00:00Z"]]), node("KAPublicSecurityCredentials")]);
    expect(() => transform("4.14", urp)).toThrow(/acbCounter/);
  });
});
