// CCS01 (8.11 Add) registers any device by its GBCS DeviceType (the joins' enumeration): a Type 2
// device (6) is an IHD or a CAD; a device of another kind under that EUI is refused, as the RTDS
// CCS01 ERROR response refuses the first request (otherReason).
import { beforeEach, describe, expect, it } from "vitest";
import { toHex } from "@opendcc/kernel";
import { CHF, ESME, GPF, GSME, IHD, testEstate, type TestEstate } from "./support.js";

const CAD = "00DB1234567890C7";
let t: TestEstate;
let counter = 2000n;
beforeEach(async () => {
  t = await testEstate();
  t.devices.add({ deviceId: CAD, kind: "CAD", hubId: CHF, joined: false });
});

const text = (name: string, value: string) => ({ name, text: value });
const removal = (deviceId: string) => ({ name: "UpdateHANDeviceLog", children: [text("DeviceID", deviceId), text("RequestType", "Remove")] });
// The transform takes the type from the inventory (TransformInput.otherDevice) or a meter's MPxN; an MPAN
// gives 01, which `registeredAs` then rewrites to the type under test.
const addition = (deviceId: string) => ({
  name: "UpdateHANDeviceLog", children: [text("DeviceID", deviceId), text("RequestType", "Add"),
    { name: "AddDeviceToCHFWhitelist", children: [text("JoinTimePeriod", "90"), text("InstallCode", "30313233343536373839414243444546"), text("ImportMPxN", "1300000000000")] }],
});

/** Sets the DeviceType enum (16 xx) that follows the device's EUI-64 (09 08 ...) in register_device's data. */
const registeredAs = (deviceId: string, type: number) => (apdu: Uint8Array) => {
  const at = toHex(apdu).indexOf(`0908${deviceId}1601`);
  if (at < 0 || at % 2 !== 0) throw new Error("register_device data not found");
  apdu[at / 2 + 11] = type;
  return apdu;
};

async function chf(body: { name: string; children: unknown[] }, patch?: (apdu: Uint8Array) => Uint8Array) {
  const id = ++counter;
  await t.send(CHF, await t.command({ srv: "8.11", deviceType: "CHF", target: CHF, counter: id, acbCounter: id + 0x500n, body: body as never, ...(patch ? { patch } : {}) }));
  const [answer] = await t.take();
  return (answer?.payload.fields as { results: { result: string }[] }).results.map((r) => r.result);
}

const members = () => t.devices.device(CHF).deviceLog.map((entry) => entry.deviceId);

describe("CCS01 by GBCS DeviceType", () => {
  it("puts an IHD and a CAD on the HAN as Type 2 devices (6)", async () => {
    expect(await chf(removal(IHD))).toEqual(["success"]);
    expect(members()).toEqual([GPF, ESME, GSME]);
    expect(await chf(addition(IHD), registeredAs(IHD, 6))).toEqual(["success", "success", "success"]);
    expect(await chf(addition(CAD), registeredAs(CAD, 6))).toEqual(["success", "success", "success"]);
    expect(t.devices.device(CHF).deviceLog).toEqual([
      { deviceId: GPF, kind: "GPF" }, { deviceId: ESME, kind: "ESME" }, { deviceId: GSME, kind: "GSME" }, { deviceId: IHD, kind: "IHD" }, { deviceId: CAD, kind: "CAD" },
    ]);
  });

  it("refuses a kind that does not match the type, a CHF (2) and an unknown type (7)", async () => {
    expect(await chf(removal(IHD))).toEqual(["success"]);
    expect(await chf(addition(IHD), registeredAs(IHD, 5))).toEqual(["otherReason", "success", "success"]);
    expect(await chf(addition(GSME), registeredAs(GSME, 6))).toEqual(["otherReason", "success", "success"]);
    expect(await chf(addition(IHD), registeredAs(IHD, 2))).toEqual(["otherReason", "success", "success"]);
    expect(await chf(addition(IHD), registeredAs(IHD, 7))).toEqual(["otherReason", "success", "success"]);
    expect(members()).toEqual([GPF, ESME, GSME]);
  });
});
