// The ESME (ECS30 and above) and Communications Hub (CCS, DBCH) encoders' own rules (the RTDS
// vectors are checked in transform-rtds.test.ts): choices that pick the message code, dates, the ACB
// header, bad input.
import { describe, expect, it } from "vitest";
import { toHex } from "@opendcc/kernel";
import { TransformError, transformRequest, type DeviceType, type ServiceNode } from "../src/index.js";

const node = (name: string, children: (ServiceNode | [string, string])[] = [], attributes?: Record<string, string>): ServiceNode => ({
  name, children: children.map((child) => (Array.isArray(child) ? { name: child[0], text: child[1] } : child)), ...(attributes ? { attributes } : {}),
});

function transform(srv: string, body: ServiceNode, options: { deviceType?: DeviceType; executionDateTime?: string; counter?: bigint } = {}) {
  return transformRequest({
    srv, deviceType: options.deviceType ?? "ESME", commandVariant: 1, executionDateTime: options.executionDateTime,
    requestId: { originator: "90B3D51F30010000", target: "00DB1234567890A0", counter: options.counter ?? 1000n }, body, acbCounter: 1300n,
  });
}

describe("ESME (ECS30+) and CHF encoders", () => {
  it("sets a monthly billing calendar with ECS30 and other periodicities with ECS30a", () => {
    const calendar = (period: ServiceNode) => node("UpdateDeviceConfigurationBillingCalendar", [node("ElectricityBillingCalendar", [["BillingTime", "23:30:00.00Z"], period])]);
    const monthly = transform("6.8", calendar({ name: "Monthly", text: "15" }));
    expect(monthly.messageCode).toBe(0x0046);
    expect(toHex(monthly.apdu).endsWith("01010202" + "0904171E0000" + "0905FFFFFF0FFF")).toBe(true);
    const sixMonthly = transform("6.8", calendar(node("SixMonthly", [["DayOfMonth", "2"], ["BillingPeriodStartMonth", "10"]])));
    expect(sixMonthly.messageCode).toBe(0x00d7);
    expect(toHex(sixMonthly.apdu).endsWith("01020202" + "0904171E0000" + "0905FFFF0A02FF" + "0202" + "0904171E0000" + "0905FFFF0402FF")).toBe(true);
    expect(() => transform("6.8", calendar(node("Fortnightly")))).toThrow(/no periodicity/);
  });

  it("reads the ESME log the request names, over its period in UTC seconds since 2000", () => {
    const log = (which: string) => node("ReadEventOrSecurityLog", [node("ReadLogPeriod", [["StartDateTime", "2015-01-01T00:00:00Z"], ["EndDateTime", "2015-01-02T00:00:00Z"]]), ["LogToRead", which]]);
    const power = transform("6.13", log("PowerEvent"));
    expect(power.messageCode).toBe(0x00b9);
    expect(toHex(power.apdu)).toContain("04000700006362" + "04FF02" + "01020402041200010906" + "00005E2C64FF" + "0F02120000" + "061C374A80" + "061C389C00" + "0100");
    expect(() => transform("6.13", log("Billing"))).toThrow(/LogToRead: "Billing" is not one of/);
    const backwards = node("ReadEventOrSecurityLog", [node("ReadLogPeriod", [["StartDateTime", "2015-01-02T00:00:00Z"], ["EndDateTime", "2015-01-01T00:00:00Z"]]), ["LogToRead", "Event"]]);
    expect(() => transform("6.13", backwards)).toThrow(/EndDateTime is before StartDateTime/);
  });

  it("sends CHF commands from the ACB with the user and the user's counter as supplementary remote party", () => {
    const result = transform("6.30", node("ReadCHFSubGHzConfiguration"), { deviceType: "CHF", counter: 1100n });
    // transaction-id: the ACB's counter 1300; originator ACB; other-information: message code 010C, the user and its counter 1100
    expect(toHex(result.apdu)).toContain("DF090100000000000005140890B3D51F30000002" + "0800DB1234567890A0" + "00" + "12010C90B3D51F30010000" + "000000000000044C");
    expect(() => transformRequest({
      srv: "6.30", deviceType: "CHF", commandVariant: 1, body: node("ReadCHFSubGHzConfiguration"),
      requestId: { originator: "90B3D51F30010000", target: "00DB1234567890A0", counter: 1100n },
    })).toThrow(TransformError);
  });

  it("adds and removes devices of the CHF device log by RequestType", () => {
    const add = (mpxn: string) => node("UpdateHANDeviceLog", [["DeviceID", "00-DB-12-34-56-78-90-A1"], ["RequestType", "Add"],
      node("AddDeviceToCHFWhitelist", [["JoinTimePeriod", "60"], ["InstallCode", "000102030405060708090A0B0C0D0E0F"], ["ImportMPxN", mpxn]])]);
    const gas = transform("8.11", add("1234567890"), { deviceType: "CHF", counter: 1400n });
    expect(gas.messageCode).toBe(0x0001);
    expect(toHex(gas.apdu)).toContain("020409" + "0800DB1234567890A1" + "1600" + "0910000102030405060708090A0B0C0D0E0F" + "1600" + "12003C" + "03FF");
    const remove = transform("8.11", node("UpdateHANDeviceLog", [["DeviceID", "00-DB-12-34-56-78-90-A1"], ["RequestType", "Remove"]]), { deviceType: "CHF", counter: 1400n });
    expect(remove.messageCode).toBe(0x0002);
    expect(() => transform("8.11", add("12AB"), { deviceType: "CHF", counter: 1400n })).toThrow(/the inventory's device type/);
  });

  it("writes the sub-GHz channel masks as page and channel bits and thresholds in hundredths", () => {
    const config = (channel: string, threshold: string) => node("SetCHFSubGHzConfiguration", [node("LowerBandSubGHzChannels27To34", [node(channel)]),
      ["NormalLimitedDutyCycleThreshold", threshold], ["LimitedCriticalDutyCycleThreshold", "2"], ["MaximumSubGHzChannelChangesPerWeek", "1"], ["GSMECurfew", "1"],
      ["ChannelQuieterThreshold", "1"], ["ChannelNoisierThreshold", "1"], ["NonGSMEPoorCommsPercentageThreshold", "100"], ["NonGSMEPoorCommsMeasurementPeriods", "1"],
      ["LocalCHNoiseMeasurementPeriod", "1"], ["LocalCHFailurePercentage", "0.5"], ["LocalCHRetryPercentage", "0"]]);
    const hex = toHex(transform("6.28", config("Channel34", "0.25"), { deviceType: "CHF", counter: 1400n }).apdu);
    expect(hex).toContain("020F" + "0420E0000000" + "0420E8000080" + "0420F0000000" + "0420F8000000" + "120019" + "1200C8");
    expect(hex).toContain("122710" + "1101" + "120001" + "120032" + "120000");
    expect(() => transform("6.28", config("Channel26", "1"), { deviceType: "CHF", counter: 1400n })).toThrow(/Channel26 is not a channel of this band/);
    expect(() => transform("6.28", config("Channel28", "1.234"), { deviceType: "CHF", counter: 1400n })).toThrow(/NormalLimitedDutyCycleThreshold/);
  });

  it("puts now, the execution time or never (cancellation) in the ALCS schedule's activation times", () => {
    const schedule = node("UpdateDeviceConfigurationALCScheduler", [node("SwitchTypeAndId", [node("ALCS")], { index: "1" })]);
    const activations = (executionDateTime?: string) => toHex(transform("6.14.2", schedule, executionDateTime ? { executionDateTime } : {}).apdu).slice(-56);
    expect(activations()).toBe("090C0000000000000000008000FF" + "090C0000000000000000008000FF");
    expect(activations("2030-01-15T09:00:00Z")).toBe("090C07EE010FFF090000008000FF".repeat(2));
    expect(activations("3000-12-31T00:00:00.00Z")).toBe("090CFFFFFFFFFFFFFFFFFF8000FF".repeat(2));
  });

  it("encodes an auxiliary controller's level and direction in the script selector", () => {
    const state = (n: string, level: string, input: boolean) => node("SetAuxiliaryControllerState", [["StartDateTime", "2015-01-03T00:00:00Z"], ["EndDateTime", "2015-01-03T01:00:00Z"],
      ["CommandedStateLevel", level], ...(input ? [node("InputFromControlledLoad")] : [])], { auxiliaryControllerN: n });
    expect(toHex(transform("7.13", state("2", "75", true)).apdu).endsWith("12224B")).toBe(true);
    expect(toHex(transform("7.13", state("4", "0", false)).apdu)).toContain("00005E2C7801"); // 0-0:94.44.120.1, switch 4
    expect(() => transform("7.13", state("6", "0", false))).toThrow(/auxiliaryControllerN "6" is outside 1..5/);
    expect(() => transform("7.13", state("1", "101", false))).toThrow(/CommandedStateLevel/);
  });

  it("rejects requests that name nothing to do", () => {
    expect(() => transform("6.18.2", node("ResetMaximumDemandRegisters"))).toThrow(/names no register/);
    expect(() => transform("7.9", node("AddAuxiliaryLoadToBoostButton", [{ name: "AddToBoostButton", text: "false", attributes: { index: "1" } }]))).toThrow(/names no switch/);
    expect(() => transform("6.25", node("SetElectricitySupplyTamperState", [["SupplyTamperState", "Open"]]))).toThrow(/SupplyTamperState/);
  });
});
