// Restore HAN Device Log (8.12.1 CCS03, 8.12.2 GCS59): the device log is the DCC's stored copy
// (TransformInput.restoredDeviceLog), not the request's. Exact bytes for logs of other sizes than
// the RTDS's, and TransformErrors naming the missing input or the bad field.
import { describe, expect, it } from "vitest";
import { fromHex, toHex } from "@opendcc/kernel";
import { TransformError, transformRequest, type DeviceType, type RestoredDeviceLog, type ServiceNode } from "../src/index.js";

const SUPPLIER = "90B3D51F30010000";
const node = (name: string, children: ServiceNode[] | string): ServiceNode => (typeof children === "string" ? { name, text: children } : { name, children });
const chfBody = node("RestoreHANDeviceLog", [node("OldCHFID", "00-DB-12-34-56-78-90-95")]);
const gpfBody = node("RestoreGPFDeviceLog", [node("OldGPFID", "00-DB-12-34-56-78-90-B3")]);
const KEY = fromHex("000102030405060708090A0B0C0D0E0F");

function transform(srv: string, deviceType: DeviceType, body: ServiceNode, restoredDeviceLog?: RestoredDeviceLog) {
  return transformRequest({
    srv, deviceType, commandVariant: 1, requestId: { originator: SUPPLIER, target: "00DB1234567890A2", counter: 0x1234n }, acbCounter: 0x99n, body,
    ...(restoredDeviceLog ? { restoredDeviceLog } : {}),
  });
}

function fails(run: () => unknown, field: string, message: RegExp): void {
  expect(run).toThrow(TransformError);
  try {
    run();
  } catch (error) {
    expect((error as TransformError).field).toBe(field);
    expect((error as Error).message).toMatch(message);
  }
}

describe("8.12.1 CCS03 Restore CHF Device Log", () => {
  it("restores the extended PAN ID and every device with its link key, sent by the ACB for the user", () => {
    const result = transform("8.12.1", "CHF", chfBody, {
      extendedPanId: fromHex("1122334455667788"),
      devices: [{ deviceId: "00DB1234567890A0", linkKey: KEY }, { deviceId: "00DB1234567890A1", linkKey: KEY }, { deviceId: "00DB1234567890A4", linkKey: KEY }],
    });
    expect(result).toMatchObject({ useCase: "CCS03", messageCode: 0x0003, critical: false });
    const hex = toHex(result.apdu);
    // the ACB originates with its counter; the user and its counter are the supplementary remote party
    expect(hex).toContain("0000000000000099");
    expect(hex).toContain(`0003${SUPPLIER}0000000000001234`);
    expect(hex).toMatch(new RegExp(`D920000099000103006800001E0300FF050102020908112233445566778801030202090800DB1234567890A00910${toHex(KEY)}0202090800DB1234567890A10910${toHex(KEY)}0202090800DB1234567890A40910${toHex(KEY)}$`));
  });

  it("restores an empty log as an empty array", () => {
    expect(toHex(transform("8.12.1", "CHF", chfBody, { extendedPanId: fromHex("0000000000000140"), devices: [] }).apdu)).toMatch(/00001E0300FF05010202090800000000000001400100$/);
  });

  it("needs the DCC's stored log, its PAN ID and every device's key", () => {
    fails(() => transform("8.12.1", "CHF", chfBody), "restoredDeviceLog", /paragraphs 188-190/);
    fails(() => transform("8.12.1", "CHF", chfBody, { devices: [] }), "restoredDeviceLog.extendedPanId", /extended PAN ID/);
    fails(() => transform("8.12.1", "CHF", chfBody, { extendedPanId: fromHex("11223344"), devices: [] }), "restoredDeviceLog.extendedPanId", /8-byte/);
    fails(() => transform("8.12.1", "CHF", chfBody, { extendedPanId: fromHex("1122334455667788"), devices: [{ deviceId: "00DB1234567890A0" }] }), "restoredDeviceLog.devices.linkKey", /devices\[0\] has no 16-byte link key/);
    fails(() => transform("8.12.1", "CHF", chfBody, { extendedPanId: fromHex("1122334455667788"), devices: [{ deviceId: "00DB12", linkKey: KEY }] }), "restoredDeviceLog.devices.deviceId", /not an EUI-64/);
    fails(() => transform("8.12.1", "CHF", node("RestoreHANDeviceLog", [node("OldCHFID", "00-DB")]), { extendedPanId: fromHex("1122334455667788"), devices: [] }), "OldCHFID", /not an EUI-64/);
  });
});

describe("8.12.2 GCS59 Restore GPF Device Log", () => {
  it("restores each device with its GBCS device type, from the user", () => {
    const result = transform("8.12.2", "GPF", gpfBody, {
      devices: [{ deviceId: "0011223344556677", deviceType: "HCALCS" }, { deviceId: "8899AABBCCDDEEFF", deviceType: "CAD" }, { deviceId: "00DB1234567890A1", deviceType: "GSME" }],
    });
    expect(result).toMatchObject({ useCase: "GCS59", messageCode: 0x008c, critical: false });
    const hex = toHex(result.apdu);
    expect(hex).toContain(`08${SUPPLIER}0800DB1234567890A2`);
    expect(hex).toMatch(/02008C31302F302D300D04080011223344556677020104300D04088899AABBCCDDEEFF020106300D040800DB1234567890A1020100$/);
  });

  it("needs the stored log and each device's type", () => {
    fails(() => transform("8.12.2", "GPF", gpfBody), "restoredDeviceLog", /OldGPFID/);
    fails(() => transform("8.12.2", "GPF", gpfBody, { devices: [{ deviceId: "0011223344556677" }] }), "restoredDeviceLog.devices.deviceType", /no device type/);
  });
});
