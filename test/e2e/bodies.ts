// DUIS Service Request bodies of the end-to-end tests beyond bench/src/e2e/bodies.ts (DUIS 5.2
// element names and order; the RTDS DUIS samples are the model).
import { node } from "@opendcc/duis";
import type { BodySpec } from "../../bench/src/e2e/bodies.js";

/** SRV 4.8.1 Read Active Import Profile Data over [start, end). */
export const readProfileData = (start: Date, end: Date): BodySpec => ({
  srv: "4.8.1", element: "ReadActiveImportProfileData",
  children: [node("ReadLogPeriod", [node("StartDateTime", start.toISOString()), node("EndDateTime", end.toISOString())])],
});

/** SRV 1.5 Update Meter Balance: adjust by an amount (10^-5 GBP), or reset. */
export const adjustMeterBalance = (mode: "PrepaymentMode" | "CreditMode", amount: number): BodySpec => ({
  srv: "1.5", element: "UpdateMeterBalance", children: [node(mode, [node("AdjustMeterBalance", String(amount))])],
});
export const resetMeterBalance = (mode: "PrepaymentMode" | "CreditMode"): BodySpec => ({
  srv: "1.5", element: "UpdateMeterBalance", children: [node(mode, [node("ResetMeterBalance")])],
});

/** SRV 11.1 Update Firmware (Command Variant 8, to the DCC): an OTA image for the devices listed. */
export const updateFirmware = (image: Uint8Array, version: string, deviceIds: readonly string[]): BodySpec => ({
  srv: "11.1", element: "UpdateFirmware",
  children: [node("FirmwareImage", btoa(String.fromCharCode(...image))), node("FirmwareVersion", version), node("DeviceIDList", deviceIds.join(" "))],
});
/** SRV 11.3 Activate Firmware: the image's hash (hex). */
export const activateFirmware = (hash: string): BodySpec => ({ srv: "11.3", element: "ActivateFirmware", children: [node("FirmwareHash", hash)] });
/** SRV 11.2 Read Firmware Version. */
export const readFirmwareVersion: BodySpec = { srv: "11.2", element: "ReadFirmwareVersion" };

/** SRV 8.9 Read Device Log (on a CHF: its device log, CCS05). */
export const readDeviceLog: BodySpec = { srv: "8.9", element: "ReadDeviceLog" };
/** SRV 8.7.2 Join Service (Non-Critical) / 8.8.2 Unjoin Service (Non-Critical): the other device by ID. */
export const joinNonCritical = (otherDeviceId: string): BodySpec => ({ srv: "8.7.2", element: "JoinServiceNonCritical", children: [node("OtherDeviceID", otherDeviceId)] });
export const unjoinNonCritical = (otherDeviceId: string): BodySpec => ({ srv: "8.8.2", element: "UnjoinServiceNonCritical", children: [node("OtherDeviceID", otherDeviceId)] });
/** SRV 8.11 Update HAN Device Log: add a meter (by its MPxN, which gives GBCS its type) or remove a device. */
export const addToDeviceLog = (deviceId: string, mpxn: string, installCode = "30313233343536373839414243444546"): BodySpec => ({
  srv: "8.11", element: "UpdateHANDeviceLog",
  children: [node("DeviceID", deviceId), node("RequestType", "Add"), node("AddDeviceToCHFWhitelist", [node("JoinTimePeriod", "90"), node("InstallCode", installCode), node("ImportMPxN", mpxn)])],
});
export const removeFromDeviceLog = (deviceId: string): BodySpec => ({ srv: "8.11", element: "UpdateHANDeviceLog", children: [node("DeviceID", deviceId), node("RequestType", "Remove")] });

/** SRV 12.2 Device Pre-notification (Command Variant 8). */
export const preNotify = (deviceId: string, type: string): BodySpec => ({
  srv: "12.2", element: "DevicePrenotification",
  children: [node("DeviceID", deviceId), node("DeviceManufacturer", "OD02"), node("DeviceModel", "EMULATED"), node("DeviceType", type), node("FirmwareVersion", "00010000")],
});
/** SRV 8.14.1 Communications Hub Status Update - Install Success (the hub is on the SM WAN). */
export const hubInstalled = (chfId: string, mpxn: string): BodySpec => ({
  srv: "8.14.1", element: "CHFInstallSuccessSMWAN", children: [node("DeviceID", chfId), node("CHFInstallType", "CHF Install - SM WAN"), node("MPxN", mpxn)],
});
/** SRV 8.14.2 Communications Hub Status Update - Install with no SM WAN ('install and leave'). */
export const hubInstalledWithoutWan = (chfId: string, mpxn: string): BodySpec => ({
  srv: "8.14.2", element: "CHFInstallSuccessNoSMWAN", children: [node("DeviceID", chfId), node("CHFInstallType", "CHF Install - no SM WAN"), node("MPxN", mpxn)],
});
/** SRV 8.4 Update Inventory: the meter's MPxN. */
export const updateMpxn = (deviceId: string, mpxn: string): BodySpec => ({
  srv: "8.4", element: "UpdateInventory", children: [node("DeviceID", deviceId), node("UpdateMPxN", [node("ImportMPxN", mpxn)])],
});
/** SRV 8.1.1 Commission Device (synchronise the clock). */
export const commissionDevice = (now: Date): BodySpec => ({
  srv: "8.1.1", element: "CommissionDeviceSynchroniseClock", children: [node("CurrentDateTime", now.toISOString()), node("TolerancePeriod", "3600")],
});

/** SRV 5.1 Create Schedule: a daily 4.8.1 of the day before, at `time` from `startDate` (DUIS DSPReadActiveImportProfileData). */
export const dailyProfileSchedule = (deviceId: string, startDate: string, time: string): BodySpec => ({
  srv: "5.1", element: "CreateSchedule",
  children: [
    node("ScheduleFrequency", "Daily"), node("ScheduleStartDate", startDate), node("ScheduleExecutionStartTime", time),
    node("DSPScheduledServiceReference", "4.8"), node("DSPScheduledServiceReferenceVariant", "4.8.1"), node("DeviceID", deviceId),
    node("DSPReadActiveImportProfileData", [node("StartDateOffset", "-1"), node("StartTime", "00:00:00"), node("EndDateOffset", "0"), node("EndTime", "00:00:00")]),
  ],
});

const base64 = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes));

/**
 * SRV 6.23 Update Security Credentials (CoS): the gaining supplier's digital-signing and key
 * agreement certificates for the supplier cells, its certification path and the MPxN (element
 * order of the RTDS 6.23 IMMEDIATE sample).
 */
export const changeOfSupplier = (gaining: { readonly ds: Uint8Array; readonly ka: Uint8Array }, caCertificate: Uint8Array, mpxn: string): BodySpec => ({
  srv: "6.23", element: "UpdateSecurityCredentialsCoS",
  children: [
    node("SupplierFloorSeqNumber", "0"),
    node("SupplierReplacementCertificates", [node("DigitalSigningCertificate", base64(gaining.ds)), node("KeyAgreementCertificate", base64(gaining.ka))]),
    node("CertificationPathCertificates", [node("Certificate", base64(caCertificate))]),
    node("ImportMPxN", mpxn),
  ],
});
