// ESME encoders (ECS01-ECS29) beyond the RTDS pairs: use-case choice from the body, exact bytes of
// a small command, and specific errors for bad input.
import { describe, expect, it } from "vitest";
import { toHex } from "@opendcc/kernel";
import { transformRequest, TransformError, type ServiceNode, type TransformInput } from "../src/index.js";

const node = (name: string, children: (ServiceNode | [string, string])[] = []): ServiceNode => ({
  name, children: children.map((c) => (Array.isArray(c) ? { name: c[0], text: c[1] } : c)),
});

const input = (srv: string, body: ServiceNode, extra: Partial<TransformInput> = {}): TransformInput => ({
  srv, body, commandVariant: 1, deviceType: "ESME",
  requestId: { originator: "90-B3-D5-1F-30-01-00-00", target: "00-DB-12-34-56-78-90-A0", counter: 1200n },
  ...extra,
});

const failure = (run: () => unknown): TransformError => {
  try {
    run();
  } catch (error) {
    if (error instanceof TransformError) return error;
    throw error;
  }
  throw new Error("expected a TransformError");
};

describe("ESME transforms", () => {
  it("writes ECS17c as one get of the active power register", () => {
    const result = transformRequest(input("4.16", node("ReadActivePowerImport")));
    expect(result.messageCode).toBe(0x0028);
    expect(result.critical).toBe(false);
    expect(toHex(result.apdu).toUpperCase()).toBe(
      "DF" + "0901" + "00000000000004B0" + "0890B3D51F30010000" + "0800DB1234567890A0" + "00" + "020028"
      + "13" + "D9" + "200004B0" + "00" + "01" + "01" + "0001" + "00005E2C2214" + "02" + "01" + "00",
    );
  });

  it("picks ECS15a or ECS15c from ESMEEventLogType and rejects other logs", () => {
    expect(transformRequest(input("3.3", node("ClearEventLog", [["ESMEEventLogType", "ALCS"]]))).messageCode).toBe(0x00c1);
    expect(transformRequest(input("3.3", node("ClearEventLog", [["ESMEEventLogType", "ESME"]]))).messageCode).toBe(0x0024);
    expect(failure(() => transformRequest(input("3.3", node("ClearEventLog", [["ESMEEventLogType", "GSME"]])))).field).toBe("ESMEEventLogType");
  });

  it("needs Credit or Prepayment to change the payment mode", () => {
    expect(failure(() => transformRequest(input("1.6", node("UpdatePaymentMode")))).field).toBe("UpdatePaymentMode");
  });

  it("names the field of an out-of-range value", () => {
    const prepayment = node("Prepayment", [["SuspendDebtDisabled", "true"], ["SuspendDebtEmergency", "false"], ["DisablementThreshold", "2147483648"]]);
    expect(failure(() => transformRequest(input("1.6", node("UpdatePaymentMode", [prepayment])))).field).toBe("UpdatePaymentMode/Prepayment/DisablementThreshold");
  });

  it("rejects a threshold matrix without its 8 rows", () => {
    const body = node("UpdateImportTariffPrimaryElement", [
      node("ElecTariffElements", [["CurrencyUnits", "GBP"], node("SwitchingTable"), node("SpecialDays"), node("ThresholdMatrix", [node("Thresholds")])]),
      node("PriceElements", [node("ElectricityPriceElements")]),
    ]);
    expect(failure(() => transformRequest(input("1.1.1", body))).field).toBe("ThresholdMatrix");
  });

  it("rejects a phase other than 1-3 in a polyphase voltage configuration", () => {
    const rms = node("RMSVoltageSettings");
    const phase = node("PolyPhaseVoltageSettings", [["Phase", "4"], node("PhaseVoltageSettings")]);
    expect(failure(() => transformRequest(input("6.5", node("UpdateDeviceConfigurationVoltage", [rms, phase])))).field).toBe("UpdateDeviceConfigurationVoltage/PolyPhaseVoltageSettings[1]/Phase");
  });

  it("sends a CHF identity read through the ACB with the user as supplementary remote party", () => {
    const body = node("ReadDeviceConfigurationIdentityExcMPxN");
    const chf = { deviceType: "CHF" as const, requestId: { originator: "90-B3-D5-1F-30-01-00-00", target: "00-DB-12-34-56-78-90-A2", counter: 1000n } };
    expect(failure(() => transformRequest(input("6.2.4", body, chf))).field).toBe("acbCounter");
    const result = transformRequest(input("6.2.4", body, { ...chf, acbCounter: 1300n }));
    expect(result.messageCode).toBe(0x00fa);
    expect(toHex(result.apdu).toUpperCase().startsWith(
      "DF" + "0901" + "0000000000000514" + "0890B3D51F30000002" + "0800DB1234567890A2" + "00" + "12" + "00FA" + "90B3D51F30010000" + "00000000000003E8",
    )).toBe(true);
  });
});
