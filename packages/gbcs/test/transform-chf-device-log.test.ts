// CCS01 Add Device to CHF device log (SRV 8.11 Add) for any device the inventory knows: the
// device log entry carries the GBCS device type, which DUIS does not; the DCC supplies it
// (TransformInput.otherDevice), and a meter's ImportMPxN still gives it when the DCC does not.
import { describe, expect, it } from "vitest";
import { toHex } from "@opendcc/kernel";
import { TransformError, transformRequest, type OtherDevice, type ServiceNode } from "../src/index.js";

const JOINING = "00DB1234567890A5";
const INSTALL_CODE = "000102030405060708090A0B0C0D0E0F";

const text = (name: string, value: string): ServiceNode => ({ name, text: value });
const add = (mpxn?: string): ServiceNode => ({
  name: "UpdateHANDeviceLog",
  children: [
    text("DeviceID", "00-DB-12-34-56-78-90-A5"), text("RequestType", "Add"),
    { name: "AddDeviceToCHFWhitelist", children: [text("JoinTimePeriod", "60"), text("InstallCode", INSTALL_CODE), ...(mpxn ? [text("ImportMPxN", mpxn)] : [])] },
  ],
});

function addToChf(body: ServiceNode, otherDevice?: OtherDevice) {
  return transformRequest({
    srv: "8.11", deviceType: "CHF", commandVariant: 1, body, acbCounter: 1300n,
    requestId: { originator: "90B3D51F30010000", target: "00DB1234567890A2", counter: 1400n },
    ...(otherDevice ? { otherDevice } : {}),
  });
}

/** register_device's data: structure { EUI-64, enum device type, install code, enum key type 0 }, then the join timeout 60. */
const registration = (gbcsType: string) => "020409" + "08" + JOINING + "16" + gbcsType + "0910" + INSTALL_CODE + "1600" + "12003C";

describe("CCS01 with the inventory's device type", () => {
  it("registers an IHD, a CAD, a PPMID and an HCALCS as the GBCS DeviceType (Type 2 devices: 6)", () => {
    const cases = [["IHD", "06"], ["CAD", "06"], ["PPMID", "05"], ["HCALCS", "04"], ["GPF", "03"], ["ESME", "01"], ["GSME", "00"]] as const;
    for (const [deviceType, code] of cases) {
      const result = addToChf(add(), { deviceType });
      expect([deviceType, result.useCase, result.messageCode]).toEqual([deviceType, "CCS01", 0x0001]);
      expect(toHex(result.apdu)).toContain(registration(code));
    }
  });

  it("takes the inventory's type before the MPxN, and the MPxN alone as before", () => {
    expect(toHex(addToChf(add("1312345678111"), { deviceType: "GSME" }).apdu)).toContain(registration("00"));
    expect(toHex(addToChf(add("1312345678111")).apdu)).toContain(registration("01"));
    expect(toHex(addToChf(add("1234567890")).apdu)).toContain(registration("00"));
  });

  it("refuses a CHF on another hub's log, and an add with neither type nor MPxN", () => {
    expect(() => addToChf(add(), { deviceType: "CHF" })).toThrow(/a CHF joins no other hub's device log/);
    let refusal: unknown;
    try {
      addToChf(add());
    } catch (error) {
      refusal = error;
    }
    expect(refusal).toBeInstanceOf(TransformError);
    expect((refusal as TransformError).field).toBe("AddDeviceToCHFWhitelist/ImportMPxN");
    expect((refusal as TransformError).message).toMatch(/the inventory's device type \(otherDevice\), or a meter's ImportMPxN/);
  });
});
