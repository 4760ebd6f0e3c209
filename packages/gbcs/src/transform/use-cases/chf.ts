// Communications Hub Function use cases (CCS01-CCS07, DBCH01-DBCH04, ECS35c/d): DLMS commands the
// ACB sends to the CHF on the user's behalf (the user is the supplementary remote party).
import { DLMS, type GbcsWriter } from "@opendcc/kernel";
import type { ServiceFields } from "../fields.js";
import { defineUseCase, TransformError, type EncodeContext, type UseCaseEncoder } from "../types.js";
import { GBCS_DEVICE_TYPE } from "./cs-join.js";
import { acbOnBehalfOfUser, action, CLASS, get, logRange, readLogPeriod, request, set } from "./esme-more-dlms.js";

const CHF_DEVICE_LOG = "0-0:30.3.0.255";
const GPF_DEVICE_LOG = "0-0:30.3.1.255";
/** CHF device log methods and attributes (GBCS CHF Device Log object). */
const REGISTER_DEVICE = 1;
const UNREGISTER_DEVICE = 2;
const PERMIT_JOINING = 2;
const JOIN_TIMEOUT = 3;
const DEVICE_LIST = 4;
const READ_WITH_SECURITY_DETAILS = 4;

/** The key a CHF registers a device with: its Install Code. */
const KEY_IS_INSTALL_CODE = 0;

/**
 * The GBCS device type of the device added to the CHF device log (the DeviceType enumeration the
 * joins use: GSME 0, ESME 1, ... any Type 2 device 6). The DCC knows it from the Smart Metering
 * Inventory (TransformInput.otherDevice); without it, only a meter's MPxN tells: an MPAN
 * (13 digits) is an ESME's, an MPRN (6-10 digits) a GSME's.
 */
function joiningDeviceType(context: EncodeContext, add: ServiceFields): number {
  const known = context.input.otherDevice?.deviceType;
  if (known === "CHF") throw new TransformError("AddDeviceToCHFWhitelist: a CHF joins no other hub's device log", "DeviceID");
  if (known) return GBCS_DEVICE_TYPE[known];
  const mpxn = add.optionalText("ImportMPxN");
  if (mpxn && /^\d{13}$/.test(mpxn)) return GBCS_DEVICE_TYPE.ESME;
  if (mpxn && /^\d{6,10}$/.test(mpxn)) return GBCS_DEVICE_TYPE.GSME;
  throw new TransformError("AddDeviceToCHFWhitelist: the device type is the inventory's device type (otherDevice), or a meter's ImportMPxN (MPAN or MPRN); neither was given", "AddDeviceToCHFWhitelist/ImportMPxN");
}

// CCS01 Add Device to / CCS02 Remove device from CHF device log (SRV 8.11, by RequestType).
const DEVICE_LOG_CHANGES = { Add: { useCase: "CCS01", messageCode: 0x0001 }, Remove: { useCase: "CCS02", messageCode: 0x0002 } } as const;
const deviceLogChange = (fields: ServiceFields) => fields.oneOf(DEVICE_LOG_CHANGES, "RequestType");
const CCS01 = defineUseCase({
  useCase: "CCS01/CCS02", srv: "8.11", deviceTypes: ["CHF"], critical: false, header: acbOnBehalfOfUser,
  chosenUseCase: ({ fields }) => deviceLogChange(fields).useCase,
  messageCode: ({ fields }) => deviceLogChange(fields).messageCode,
  write: (w, context) => {
    const { counter, fields } = context;
    const device = fields.hex("DeviceID");
    if (device.length !== 8) throw new TransformError("DeviceID is not an EUI-64", "DeviceID");
    if (fields.text("RequestType") === "Remove") {
      request(w, counter, [[action(CLASS.chfDeviceLog, CHF_DEVICE_LOG, UNREGISTER_DEVICE), (x) => void x.dlmsOctets(device)]]);
      return;
    }
    const add = fields.get("AddDeviceToCHFWhitelist");
    const installCode = add.hex("InstallCode");
    if (installCode.length !== 16) throw new TransformError("InstallCode is not 16 bytes", "AddDeviceToCHFWhitelist/InstallCode");
    const deviceType = joiningDeviceType(context, add);
    request(w, counter, [
      [action(CLASS.chfDeviceLog, CHF_DEVICE_LOG, REGISTER_DEVICE), (x) => {
        x.dlmsStructure(4).dlmsOctets(device).dlmsNumber(DLMS.enum, deviceType).dlmsOctets(installCode).dlmsNumber(DLMS.enum, KEY_IS_INSTALL_CODE);
      }],
      [set(CLASS.chfDeviceLog, CHF_DEVICE_LOG, JOIN_TIMEOUT), (x) => void x.dlmsNumber(DLMS.uint16, add.intIn(0, 0xffff, "JoinTimePeriod"))],
      [set(CLASS.chfDeviceLog, CHF_DEVICE_LOG, PERMIT_JOINING), (x) => void x.dlmsNumber(DLMS.boolean, 0xff)],
    ]);
  },
});

// CCS05/CCS04 Read CHF device log, or CCS07 Read CHF Device Logs with their security details (SRV 8.9).
const readDeviceList = (w: GbcsWriter, counter: bigint) => request(w, counter, [[get(CLASS.chfDeviceLog, CHF_DEVICE_LOG, DEVICE_LIST)]]);
const CCS05 = defineUseCase({
  useCase: "CCS05/CCS07", srv: "8.9", deviceTypes: ["CHF"], critical: false, header: acbOnBehalfOfUser,
  chosenUseCase: ({ fields }) => (fields.has("ReadSecurityDetails") ? "CCS07" : "CCS05"),
  messageCode: ({ fields }) => (fields.has("ReadSecurityDetails") ? 0x00fe : 0x0004),
  write: (w, { counter, fields }) => {
    if (fields.has("ReadSecurityDetails")) {
      request(w, counter, [
        [action(CLASS.chfDeviceLog, CHF_DEVICE_LOG, READ_WITH_SECURITY_DETAILS)],
        [action(CLASS.chfDeviceLog, GPF_DEVICE_LOG, READ_WITH_SECURITY_DETAILS)],
      ]);
      return;
    }
    readDeviceList(w, counter);
  },
});

// CCS06 Read CHF device log and check HAN communications (SRV 8.9, 0x010F): the request and the
// command are CCS05's; the CHF's GBCS version decides, which the inventory knows (the caller names it).
const CCS06 = defineUseCase({
  useCase: "CCS06", srv: "8.9", deviceTypes: ["CHF"], messageCode: 0x010f, critical: false, header: acbOnBehalfOfUser,
  write: (w, { counter, fields }) => {
    if (fields.has("ReadSecurityDetails")) throw new TransformError("CCS06 reads the device list only: a read with security details is CCS07", "ReadSecurityDetails");
    readDeviceList(w, counter);
  },
});

// ECS35c Read CHF Event Log / ECS35d Read CHF Security Log (SRV 6.13 on the CHF).
const CHF_LOGS = {
  Event: { useCase: "ECS35c", messageCode: 0x0093, profile: "0-0:99.98.0.255" },
  Security: { useCase: "ECS35d", messageCode: 0x0094, profile: "0-0:99.98.1.255" },
} as const;
const chfLog = (fields: ServiceFields) => fields.oneOf(CHF_LOGS, "LogToRead");
const ECS35c = defineUseCase({
  useCase: "ECS35c/ECS35d", srv: "6.13", deviceTypes: ["CHF"], critical: false, header: acbOnBehalfOfUser,
  chosenUseCase: ({ fields }) => chfLog(fields).useCase,
  messageCode: ({ fields }) => chfLog(fields).messageCode,
  write: (w, { counter, fields }) => {
    const { from, to } = readLogPeriod(fields);
    request(w, counter, [[{ access: "getWithSelection", classId: CLASS.profile, obis: chfLog(fields).profile, id: 2, selection: logRange(from, to) }]]);
  },
});

const SUB_GHZ_CONFIGURATION = "0-0:94.44.10.0";

// DBCH01 Read CHF Sub GHz Channel (SRV 6.31).
const DBCH01 = defineUseCase({
  useCase: "DBCH01", srv: "6.31", deviceTypes: ["CHF"], messageCode: 0x010a, critical: false, header: acbOnBehalfOfUser,
  write: (w, { counter }) => request(w, counter, [[get(CLASS.data, "0-0:94.44.10.2")]]),
});

// DBCH02 Read CHF Sub GHz Channel Log (SRV 6.32): the channel log over the period asked for.
const DBCH02 = defineUseCase({
  useCase: "DBCH02", srv: "6.32", deviceTypes: ["CHF"], messageCode: 0x010b, critical: false, header: acbOnBehalfOfUser,
  write: (w, { counter, fields }) => {
    const { from, to } = readLogPeriod(fields);
    request(w, counter, [[{ access: "getWithSelection", classId: CLASS.profile, obis: "0-0:94.44.10.3", id: 2, selection: logRange(from, to) }]]);
  },
});

// DBCH03 Read CHF Sub GHz Configuration (SRV 6.30).
const DBCH03 = defineUseCase({
  useCase: "DBCH03", srv: "6.30", deviceTypes: ["CHF"], messageCode: 0x010c, critical: false, header: acbOnBehalfOfUser,
  write: (w, { counter }) => request(w, counter, [[get(CLASS.data, SUB_GHZ_CONFIGURATION)]]),
});

/**
 * The sub-GHz channel masks: a 32-bit ZigBee channel page, the page number in the top five bits
 * and channel n (counted from the band's first channel) at bit n.
 */
const CHANNEL_PAGES: readonly { readonly element: string; readonly page: number; readonly first: number; readonly last: number }[] = [
  { element: "LowerBandSubGHzChannels0To26", page: 28, first: 0, last: 26 },
  { element: "LowerBandSubGHzChannels27To34", page: 29, first: 27, last: 34 },
  { element: "LowerBandSubGHzChannels35To61", page: 30, first: 35, last: 61 },
  { element: "UpperBandSubGHzChannels0To26", page: 31, first: 0, last: 26 },
];

function channelMask(fields: ServiceFields, page: (typeof CHANNEL_PAGES)[number]): boolean[] {
  let mask = (page.page << 27) >>> 0;
  for (const channel of fields.find(page.element)?.children() ?? []) {
    const number = Number(/^Channel(\d+)$/.exec(channel.name)?.[1] ?? NaN);
    if (!(number >= page.first && number <= page.last)) throw new TransformError(`${page.element}/${channel.name} is not a channel of this band`, page.element);
    mask = (mask | (1 << (number - page.first))) >>> 0;
  }
  return Array.from({ length: 32 }, (_, bit) => ((mask >>> (31 - bit)) & 1) === 1);
}

/** A DUIS decimal (up to two places) in hundredths, e.g. "60.00" -> 6000. */
function hundredths(fields: ServiceFields, name: string, max: number): number {
  const text = fields.text(name);
  const parts = /^(\d+)(?:\.(\d{1,2}))?$/.exec(text);
  const value = parts ? Number(parts[1]) * 100 + Number((parts[2] ?? "").padEnd(2, "0")) : NaN;
  if (!(value <= max)) throw new TransformError(`${name}: "${text}" is not a decimal of at most two places up to ${max / 100}`, name);
  return value;
}

// DBCH04 Set CHF Sub GHz Configuration (SRV 6.28): the channel masks and duty-cycle thresholds.
const DBCH04 = defineUseCase({
  useCase: "DBCH04", srv: "6.28", deviceTypes: ["CHF"], messageCode: 0x010d, critical: false, header: acbOnBehalfOfUser,
  write: (w, { counter, fields }) => request(w, counter, [[set(CLASS.data, SUB_GHZ_CONFIGURATION), (x: GbcsWriter) => {
    x.dlmsStructure(15);
    for (const page of CHANNEL_PAGES) x.dlmsBits(channelMask(fields, page));
    x.dlmsNumber(DLMS.uint16, hundredths(fields, "NormalLimitedDutyCycleThreshold", 0xffff))
      .dlmsNumber(DLMS.uint16, hundredths(fields, "LimitedCriticalDutyCycleThreshold", 0xffff))
      .dlmsNumber(DLMS.uint8, fields.intIn(0, 0xff, "MaximumSubGHzChannelChangesPerWeek"))
      .dlmsNumber(DLMS.uint16, fields.intIn(0, 0xffff, "GSMECurfew"))
      .dlmsNumber(DLMS.uint8, fields.intIn(0, 0xff, "ChannelQuieterThreshold"))
      .dlmsNumber(DLMS.uint8, fields.intIn(0, 0xff, "ChannelNoisierThreshold"))
      .dlmsNumber(DLMS.uint16, hundredths(fields, "NonGSMEPoorCommsPercentageThreshold", 10000))
      .dlmsNumber(DLMS.uint8, fields.intIn(0, 0xff, "NonGSMEPoorCommsMeasurementPeriods"))
      .dlmsNumber(DLMS.uint16, fields.intIn(0, 0xffff, "LocalCHNoiseMeasurementPeriod"))
      .dlmsNumber(DLMS.uint16, hundredths(fields, "LocalCHFailurePercentage", 10000))
      .dlmsNumber(DLMS.uint16, hundredths(fields, "LocalCHRetryPercentage", 10000));
  }]]),
});

export const CHF_ENCODERS: readonly UseCaseEncoder[] = [CCS01, CCS05, CCS06, ECS35c, DBCH01, DBCH02, DBCH03, DBCH04];
