// The Communications Hub Function's device log (its HAN whitelist), commands the ACB sends on a
// user's behalf (SRVs 8.11, 8.12.1, 8.9). CCS01 Add Device to CHF device log: register the device (EUI,
// GBCS device type, install code) and permit joining; the device (a meter, a Type 1 device, an IHD
// or CAD) is then on the hub's HAN. CCS02 Remove: it is taken off. CCS03 Restore (8.12.1): a failed
// hub's log joins this one's HAN. CCS05 (0x0004) Read CHF device log: the active devices with their
// link figures. Responses as the RTDS ones (8.11_CCS01, 8.11_CCS02, 8.12.1_CCS03, 8.9_CCS05CCS04).
import { DLMS, fromHex } from "@opendcc/kernel";
import { ROLE, kindOfAsn1Type, type DeviceKind } from "../model.js";
import { ACCESS, RESULT, accessResponse } from "../protocol/dlms.js";
import { cosemDateTime } from "../protocol/frames.js";
import { at, defineUseCase, list, type CommandContext } from "./types.js";

const EUI = /^[0-9A-F]{16}$/;
/** GBCS DeviceType 6 is any Type 2 device. */
const TYPE_2 = 6;

/** The kinds a CHF registers under a GBCS DeviceType (the joins' enumeration); none for a CHF or an unknown type. */
function kindsRegisteredAs(type: unknown): readonly DeviceKind[] {
  if (type === TYPE_2) return ["IHD", "CAD"];
  const kind = typeof type === "number" ? kindOfAsn1Type(type) : null;
  return kind && kind !== "CHF" ? [kind] : [];
}

/** The device an EUI names in the estate, or null (a CHF whitelists EUIs it has never heard from). */
function deviceOf(context: CommandContext, eui: string): number | null {
  return EUI.test(eui) ? context.estate.indexOf(eui) : null;
}

export const CCS01 = defineUseCase({
  name: "CCS01", messageCode: 0x0001, kinds: ["CHF"], critical: false, roles: [ROLE.accessControlBroker], dateTime: false,
  execute(context) {
    const requests = list(context.command.payload.fields, "requests");
    const [eui, type] = (at(requests[0], "value") ?? []) as [string?, unknown?];
    const index = deviceOf(context, String(eui ?? "").toUpperCase());
    const kinds = kindsRegisteredAs(type);
    // A device of another kind under that EUI cannot be registered as this one.
    const registered = kinds.length > 0 && (index === null || kinds.includes(context.estate.kindAt(index)));
    if (registered && index !== null) context.estate.setJoined(index, context.index, true);
    return accessResponse(context.header.counter, requests.map((r, i) => ({
      choice: at(r, "service") === "action" ? ACCESS.action : ACCESS.set,
      result: registered || i > 0 ? RESULT.success : RESULT.otherReason,
    })));
  },
});

export const CCS02 = defineUseCase({
  name: "CCS02", messageCode: 0x0002, kinds: ["CHF"], critical: false, roles: [ROLE.accessControlBroker], dateTime: false,
  execute(context) {
    const eui = String(at(list(context.command.payload.fields, "requests")[0], "value") ?? "").toUpperCase();
    const index = deviceOf(context, eui);
    const onHan = index !== null && context.estate.hanOf(context.index).includes(index);
    if (onHan) context.estate.setJoined(index, context.index, false);
    // RTDS CCS02 ERROR: a device not in the log is answered hardware-fault (01).
    return accessResponse(context.header.counter, [{ choice: ACCESS.action, result: onHan ? RESULT.success : RESULT.hardwareFault }]);
  },
});

/**
 * CCS03 Restore CHF Device Log (8.12.1): restore_PAN with { extended PAN ID, [{ EUI, link key }] }
 * from the DCC's copy of a failed hub's log; the devices the estate knows join this hub's HAN. A
 * malformed log is refused as the RTDS CCS03 ERROR response is (hardware fault, 01).
 */
export const CCS03 = defineUseCase({
  name: "CCS03", messageCode: 0x0003, kinds: ["CHF"], critical: false, roles: [ROLE.accessControlBroker], dateTime: false,
  execute(context) {
    const [panId, devices] = (at(list(context.command.payload.fields, "requests")[0], "value") ?? []) as [unknown, unknown];
    const entries = Array.isArray(devices) ? (devices as unknown[]) : [];
    const wellFormed = typeof panId === "string" && panId.length === 16 && Array.isArray(devices) &&
      entries.every((entry) => Array.isArray(entry) && EUI.test(String(entry[0]).toUpperCase()) && String(entry[1]).length === 32);
    if (wellFormed) {
      for (const entry of entries as [string, string][]) {
        const index = deviceOf(context, entry[0].toUpperCase());
        if (index !== null) context.estate.setJoined(index, context.index, true);
      }
    }
    return accessResponse(context.header.counter, [{ choice: ACCESS.action, result: wellFormed ? RESULT.success : RESULT.hardwareFault }]);
  },
});

/** Link figures of an active device, as the RTDS CCS05 response gives them (the emulated HAN has no radio). */
const LINK = { status: 0xc8, rssi: [-35, -50, -100], counts: [2, 39, 247], tail: [1, 0, 100, 1, 1] } as const;

export const CCS05 = defineUseCase({
  name: "CCS05", messageCode: 0x0004, kinds: ["CHF"], critical: false, roles: [ROLE.accessControlBroker], dateTime: false,
  execute(context) {
    const members = context.estate.hanOf(context.index).map((i) => fromHex(context.estate.euiOf(i)));
    const seen = cosemDateTime(context.now, 0xff);
    return accessResponse(context.header.counter, [{
      choice: ACCESS.get, result: RESULT.success,
      data: (w) => {
        w.dlmsArray(members.length);
        for (const eui of members) {
          w.dlmsStructure(14).dlmsOctets(eui).byte(0x04).byte(8).byte(LINK.status);
          for (const rssi of LINK.rssi) w.dlmsNumber(DLMS.int8, rssi);
          for (const count of LINK.counts) w.dlmsNumber(DLMS.uint8, count);
          w.dlmsOctets(seen);
          for (const value of LINK.tail) w.dlmsNumber(DLMS.uint8, value);
        }
      },
    }]);
  },
});
