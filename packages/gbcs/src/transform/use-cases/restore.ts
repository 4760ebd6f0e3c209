// Restore HAN Device Log (SRV 8.12): after a hub is replaced, the DCC sends the old hub's device
// log, which it stores (seed 003 paragraphs 188-190), to the new one. DUIS names only the old CHF
// (8.12.1) or GPF (8.12.2); the devices come from the DCC (TransformInput.restoredDeviceLog).
//   CCS03 Restore CHF Device Log: DLMS restore_PAN on the CHF's ZigBee network control object,
//         structure { extended PAN ID, array of structure { device EUI-64, link key } }, sent by
//         the ACB on the user's behalf.
//   GCS59 Restore GPF Device Log: ASN.1 SEQUENCE { SEQUENCE OF DeviceLogEntry { EUI-64, GBCS
//         device type } }, from the user.
import { fromHex } from "@opendcc/kernel";
import { onBehalfOfUser } from "../acb.js";
import { defineUseCase, TransformError, type EncodeContext, type RestoredDevice, type RestoredDeviceLog, type UseCaseEncoder } from "../types.js";
import { GBCS_DEVICE_TYPE } from "./cs-join.js";
import { action, CLASS, request } from "./esme-more-dlms.js";
import { derInteger, derOctets, derSequence } from "./security-der.js";

const CHF_DEVICE_LOG = "0-0:30.3.0.255";
/** ZigBee network control (class 104) method 5, restore_PAN (4, backup_PAN, is CCS07's read). */
const RESTORE_PAN = 5;
const EXTENDED_PAN_ID_BYTES = 8;
const LINK_KEY_BYTES = 16;

/** The restored log, after checking that the request names an old hub at all. */
function restoredLog(context: EncodeContext, oldHub: string): RestoredDeviceLog {
  if (context.fields.hex(oldHub).length !== 8) throw new TransformError(`${oldHub} is not an EUI-64`, oldHub);
  const log = context.input.restoredDeviceLog;
  if (!log) throw new TransformError(`the device log to restore is the DCC's stored copy of ${oldHub}'s (paragraphs 188-190): restoredDeviceLog is needed`, "restoredDeviceLog");
  return log;
}

function deviceId(device: RestoredDevice, index: number): Uint8Array {
  if (!/^[0-9A-Fa-f]{16}$/.test(device.deviceId)) throw new TransformError(`restoredDeviceLog.devices[${index}].deviceId "${device.deviceId}" is not an EUI-64`, "restoredDeviceLog.devices.deviceId");
  return fromHex(device.deviceId);
}

const CCS03 = defineUseCase({
  useCase: "CCS03", srv: "8.12.1", deviceTypes: ["CHF"], messageCode: 0x0003, critical: false, header: onBehalfOfUser,
  write: (w, context) => {
    const log = restoredLog(context, "OldCHFID");
    const panId = log.extendedPanId;
    if (panId?.length !== EXTENDED_PAN_ID_BYTES) throw new TransformError("a CHF's device log is restored with its HAN's 8-byte extended PAN ID (the CHF's backup): restoredDeviceLog.extendedPanId is needed", "restoredDeviceLog.extendedPanId");
    const entries = log.devices.map((device, index) => {
      if (device.linkKey?.length !== LINK_KEY_BYTES) throw new TransformError(`restoredDeviceLog.devices[${index}] has no 16-byte link key (the CHF's backup holds one per device)`, "restoredDeviceLog.devices.linkKey");
      return { id: deviceId(device, index), key: device.linkKey };
    });
    request(w, context.counter, [[action(CLASS.chfDeviceLog, CHF_DEVICE_LOG, RESTORE_PAN), (x) => {
      x.dlmsStructure(2).dlmsOctets(panId).dlmsArray(entries.length);
      for (const entry of entries) x.dlmsStructure(2).dlmsOctets(entry.id).dlmsOctets(entry.key);
    }]]);
  },
});

const GCS59 = defineUseCase({
  useCase: "GCS59", srv: "8.12.2", deviceTypes: ["GPF"], messageCode: 0x008c, critical: false,
  write: (w, context) => {
    const log = restoredLog(context, "OldGPFID");
    derSequence(w, (outer) => derSequence(outer, (list) => {
      log.devices.forEach((device, index) => {
        const type = device.deviceType;
        if (!type) throw new TransformError(`restoredDeviceLog.devices[${index}] has no device type (the inventory's)`, "restoredDeviceLog.devices.deviceType");
        derSequence(list, (entry) => {
          derOctets(entry, deviceId(device, index));
          derInteger(entry, GBCS_DEVICE_TYPE[type]);
        });
      });
    }));
  },
});

export const RESTORE_ENCODERS: readonly UseCaseEncoder[] = [CCS03, GCS59];
