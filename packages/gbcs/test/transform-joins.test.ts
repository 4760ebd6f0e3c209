// Joins, unjoins and the other commands whose values the DCC supplies (the joined device, the CIN),
// and the 6.22 alert configuration: the choices the RTDS pairs do not exercise, exact bytes, and
// TransformErrors naming the missing input or the bad field.
import { describe, expect, it } from "vitest";
import { toHex } from "@opendcc/kernel";
import { ACCESS_CONTROL_BROKER, TransformError, transformRequest, type DeviceType, type ServiceNode, type TransformInput } from "../src/index.js";

const SUPPLIER = "90B3D51F30010000";
const OTHER = "00DB123456789077";
const node = (name: string, children: ServiceNode[] | string): ServiceNode => (typeof children === "string" ? { name, text: children } : { name, children });
const join = (critical: boolean) => node(critical ? "JoinServiceCritical" : "JoinServiceNonCritical", [node("OtherDeviceID", OTHER)]);

function transform(srv: string, deviceType: DeviceType, body: ServiceNode, extra: Partial<TransformInput> = {}) {
  return transformRequest({
    srv, deviceType, commandVariant: 1, requestId: { originator: SUPPLIER, target: "00DB1234567890A0", counter: 0x1234n }, acbCounter: 0x99n, body, ...extra,
  });
}

function fails(run: () => unknown, field: string, message: RegExp): void {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(TransformError);
    expect((error as TransformError).field).toBe(field);
    expect((error as Error).message).toMatch(message);
    return;
  }
  throw new Error("no TransformError");
}

/** A stand-in certificate: one DER SEQUENCE, which is all the join checks. */
const CERTIFICATE = Uint8Array.of(0x30, 0x03, 0x02, 0x01, 0x07);

describe("joins (8.7.1 / 8.7.2)", () => {
  it("choose the join method from the two devices' types, and write method, id and type", () => {
    const cases: [string, DeviceType, TransformInput["otherDevice"], string, number, string][] = [
      ["8.7.1", "ESME", { deviceType: "PPMID" }, "CS03A1", 0x000d, "020100" + `0408${OTHER}` + "020105"],
      ["8.7.1", "HCALCS", { deviceType: "ESME" }, "CS03A2", 0x00ab, "020101" + `0408${OTHER}` + "020101"],
      ["8.7.2", "ESME", { deviceType: "CAD" }, "CS03B", 0x000e, "020102" + `0408${OTHER}` + "020106"],
      ["8.7.2", "GSME", { deviceType: "GPF" }, "CS03B", 0x000e, "020102" + `0408${OTHER}` + "020103"],
      ["8.7.1", "GSME", { deviceType: "HCALCS", certificate: CERTIFICATE }, "CS03C", 0x00af, "020103" + `0408${OTHER}` + "020104" + toHex(CERTIFICATE)],
    ];
    for (const [srv, target, otherDevice, useCase, messageCode, fields] of cases) {
      const result = transform(srv, target, join(srv === "8.7.1"), { otherDevice });
      expect([result.useCase, result.messageCode, result.critical]).toEqual([useCase, messageCode, srv === "8.7.1"]);
      expect(toHex(result.apdu).endsWith(`30${(fields.length / 2).toString(16).padStart(2, "0").toUpperCase()}${fields}`)).toBe(true);
    }
  });

  it("go from the ACB, signed by it, when a PPMID or HCALCS is the non-critical join's target", () => {
    const toPpmid = transform("8.7.2", "PPMID", join(false), { otherDevice: { deviceType: "GSME", certificate: CERTIFICATE } });
    expect(toPpmid.useCase).toBe("CS03C");
    expect(toHex(toPpmid.apdu).slice(6, 40)).toBe(`0000000000000099${"08"}${ACCESS_CONTROL_BROKER}`);
    expect(toHex(toPpmid.apdu)).toContain(`${SUPPLIER}0000000000001234`);
    expect(toPpmid.signedByAcb).toBe(true);
    // a meter naming a PPMID: the ACB sends it, the meter needs no ACB signature
    const toMeter = transform("8.7.2", "GSME", join(false), { otherDevice: { deviceType: "PPMID" }, useCase: "CS03B" });
    expect(toHex(toMeter.apdu)).toContain(ACCESS_CONTROL_BROKER);
    expect(toMeter.signedByAcb).toBeUndefined();
    // the supplier's own non-critical join of an IHD
    const ihd = transform("8.7.2", "ESME", join(false), { otherDevice: { deviceType: "IHD" } });
    expect(toHex(ihd.apdu)).not.toContain(ACCESS_CONTROL_BROKER);
  });

  it("need the inventory's facts, and refuse joins GBCS has not", () => {
    fails(() => transform("8.7.1", "ESME", join(true)), "otherDevice", /inventory/);
    fails(() => transform("8.7.1", "GSME", join(true), { otherDevice: { deviceType: "PPMID" } }), "otherDevice.certificate", /SMKI/);
    fails(() => transform("8.7.1", "GSME", join(true), { otherDevice: { deviceType: "PPMID", certificate: Uint8Array.of(0x04, 0x00) } }), "otherDevice.certificate", /not one DER SEQUENCE/);
    fails(() => transform("8.7.1", "ESME", join(true), { otherDevice: { deviceType: "GSME" } }), "OtherDeviceID", /no GBCS join of a ESME with a GSME/);
    fails(() => transform("8.7.1", "ESME", node("JoinServiceCritical", [node("OtherDeviceID", "00-DB")]), { otherDevice: { deviceType: "PPMID" } }), "OtherDeviceID", /EUI-64/);
  });
});

describe("unjoin, join details and firmware version on Type 1 devices", () => {
  it("CS04AC (8.8.2) to a PPMID goes from the ACB and is signed by it", () => {
    const result = transform("8.8.2", "PPMID", node("UnjoinServiceNonCritical", [node("OtherDeviceID", OTHER)]));
    expect([result.useCase, result.messageCode, result.critical, result.signedByAcb]).toEqual(["CS04AC", 0x000f, false, true]);
    expect(toHex(result.apdu)).toMatch(new RegExp(`000F${SUPPLIER}00000000000012340A0408${OTHER}$`));
  });

  it("CS07 and CS08 are a NULL, from the ACB for a PPMID or HCALCS, from the user for a meter", () => {
    expect(toHex(transform("11.2", "HCALCS", node("ReadFirmwareVersion", [])).apdu)).toMatch(new RegExp(`0129${SUPPLIER}0000000000001234020500$`));
    expect(toHex(transform("8.9", "PPMID", node("ReadDeviceLog", [])).apdu)).toMatch(new RegExp(`0013${SUPPLIER}0000000000001234020500$`));
    expect(toHex(transform("8.9", "ESME", node("ReadDeviceLog", [])).apdu)).toMatch(/00020013020500$/);
  });
});

describe("the Customer Identification Number (9.1)", () => {
  it("is the DCC's, set on the ESME's CIN object or sent to the GSME by Update CIN", () => {
    const body = node("RequestCustomerIdentificationNumber", []);
    expect(toHex(transform("9.1", "ESME", body, { customerIdentificationNumber: "0042" }).apdu)).toMatch(/0200010003600D01FF0201090430303432$/);
    expect(toHex(transform("9.1", "GSME", body, { customerIdentificationNumber: "77" }).apdu)).toMatch(/090006804A371C0000000000000000023737$/);
    fails(() => transform("9.1", "ESME", body), "customerIdentificationNumber", /DCC generates/);
    fails(() => transform("9.1", "GSME", body, { customerIdentificationNumber: "12a4" }), "customerIdentificationNumber", /not 1 to 16 digits/);
  });
});

describe("alert behaviours (6.22)", () => {
  const configure = (settings: string, alerts: [string, string][]) =>
    node("ConfigureAlertBehaviour", [node(settings, [node("Group", alerts.map(([code, value]) => node(`x${code}`, value)))])]);

  it("set a change bit and a value bit per alert, the code's low byte counted from the end", () => {
    const result = transform("6.22", "ESME", configure("ElectricitySupplierHANAlertSettings", [["81FF", "Enable"], ["8100", "Disable"]]));
    expect([result.useCase, result.messageCode]).toEqual(["ECS25a1", 0x00ea]);
    const mask = `80${"00".repeat(30)}01`;
    const values = `80${"00".repeat(31)}`;
    expect(toHex(result.apdu)).toMatch(new RegExp(`0001001E61620CFF0201048202 00${mask}${values}$`.replace(" ", "")));
  });

  it("refuse alerts of the other party's page, unknown settings and values", () => {
    fails(() => transform("6.22", "ESME", configure("ElectricityNetworkOperatorAlerts", [["810D", "Enable"]])), "ElectricityNetworkOperatorAlerts/x810D", /not an alert of ECS25b \(x80nn\)/);
    fails(() => transform("6.22", "ESME", configure("GasSupplierAlerts", [["810D", "Enable"]])), "ConfigureAlertBehaviour/GasSupplierAlerts", /not one of/);
    fails(() => transform("6.22", "ESME", configure("ElectricitySupplierAlerts", [["810D", "On"]])), "ConfigureAlertBehaviour/ElectricitySupplierAlerts/Group/x810D", /"On" is not one of Enable, Disable/);
    fails(() => transform("6.22", "ESME", configure("ElectricitySupplierAlerts", [])), "ElectricitySupplierAlerts", /names no alert/);
  });
});
