// ESME supply and load control (ECS42-ECS47e, ECS61a-e, ECS62): the load switch, the ALCS / HCALCS
// auxiliary load switches and auxiliary proportional controllers (APC), their labels, schedules,
// boost button and reads.
import { DLMS, type GbcsWriter } from "@opendcc/kernel";
import type { ServiceFields } from "../fields.js";
import { defineUseCase, TransformError, type UseCaseEncoder } from "../types.js";
import { action, CLASS, get, indexAttribute, logRange, readLogPeriod, request, set, writeActivationTime, writeDatePattern, writeDateTime, writeTime } from "./esme-more-dlms.js";

// --- the load switch (ECS42-ECS45): disconnect-control script table and state ---

const SUPPLY_SCRIPTS = "0-0:10.0.106.255";
const supplyScript = (useCase: string, srv: string, messageCode: number, script: number) => defineUseCase({
  useCase, srv, deviceTypes: ["ESME"], messageCode, critical: true,
  write: (w, { counter }) => request(w, counter, [[action(CLASS.scriptTable, SUPPLY_SCRIPTS), (x) => void x.dlmsNumber(DLMS.uint16, script)]]),
});
const ECS42 = supplyScript("ECS42", "7.1", 0x004f, 51); // close (enable supply)
const ECS43 = supplyScript("ECS43", "7.2", 0x0050, 52); // open (disable supply)
const ECS44 = supplyScript("ECS44", "7.3", 0x0051, 54); // arm

const ECS45 = defineUseCase({
  useCase: "ECS45", srv: "7.4", deviceTypes: ["ESME"], messageCode: 0x0052, critical: false,
  write: (w, { counter }) => request(w, counter, [[get(CLASS.disconnectControl, "0-0:96.3.10.255", 3)]]),
});

// --- auxiliary load switches and controllers: objects numbered 1-5 ---

const SWITCHES = 5;
/** Labels (ECS46a) are 0-0:94.44.0.1n, switch identities (ECS46c) 0-0:94.44.0.2n, states 0-0:94.44.0.3n. */
const switchObject = (decade: number, n: number) => `0-0:94.44.0.${decade + n}`;
const LABEL = 10;
const IDENTITY = 20;
const STATE = 30;

// ECS46a Set HC ALCS or ALCS Labels in ESME (SRV 6.14.1): one visible string per label given.
const ECS46a = defineUseCase({
  useCase: "ECS46a", srv: "6.14.1", deviceTypes: ["ESME"], messageCode: 0x0053, critical: true,
  write: (w, { counter, fields }) => {
    const labels = fields.all("ALCSHCALCSDescription").map((label) => [indexAttribute(label, 1, SWITCHES), label.text("SwitchDescription")] as const).sort(([a], [b]) => a - b);
    if (labels.length === 0) throw new TransformError("UpdateDeviceConfigurationALCDescriptions has no description", "ALCSHCALCSDescription");
    request(w, counter, labels.map(([n, text]) => [set(CLASS.data, switchObject(LABEL, n)), (x: GbcsWriter) => void x.dlmsVisible(text)] as const));
  },
});

/** The ALCS / APC schedule objects: special days, the week schedule and two activation times. */
const SPECIAL_DAYS = set(CLASS.specialDays, "0-1:11.0.3.255");
const SCHEDULE = set(CLASS.schedule, "0-1:12.0.2.255");
const ACTIVATIONS = [set(CLASS.gbcsActivation, "0-0:94.44.128.26", 6), set(CLASS.gbcsActivation, "0-0:94.44.128.35", 6)];
/** Every schedule entry runs a script of this script table. */
const SCHEDULE_SCRIPTS = Uint8Array.of(0, 0, 10, 0, 103, 255);
const WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];
const ANY_TIME = 0xffff;

/** The special-days table: one entry per definition, day id = its index. */
function writeSpecialDays(w: GbcsWriter, days: readonly ServiceFields[], indexName: string): void {
  const sorted = days.map((day) => [indexAttribute(day, 1, 0xffff, indexName), day] as const).sort(([a], [b]) => a - b);
  w.dlmsArray(sorted.length);
  for (const [index, day] of sorted) {
    w.dlmsStructure(3).dlmsNumber(DLMS.uint16, index);
    writeDatePattern(w, day);
    w.dlmsNumber(DLMS.uint8, index);
  }
}

interface ScheduleEntry {
  readonly selector: number;
  readonly entry: ServiceFields;
  /** The child holding SwitchTime, StartDate and EndDate. */
  readonly period: ServiceFields;
}

/** The week schedule: script selector, time, days of the week and special days, validity dates. */
function writeSchedule(w: GbcsWriter, entries: readonly ScheduleEntry[], specialDayCount: number, indexName: string): void {
  w.dlmsArray(entries.length);
  entries.forEach(({ selector, entry, period }, i) => {
    w.dlmsStructure(10).dlmsNumber(DLMS.uint16, i + 1).dlmsNumber(DLMS.boolean, 0xff).dlmsOctets(SCHEDULE_SCRIPTS).dlmsNumber(DLMS.uint16, selector);
    writeTime(w, period, "SwitchTime");
    w.dlmsNumber(DLMS.uint16, ANY_TIME);
    const days = new Set((entry.find("DaysOfWeekApplicability")?.all("DayOfWeekApplicability") ?? []).map((day) => day.oneOf(Object.fromEntries(WEEKDAYS.map((name, d) => [name, d])), "DayOfWeekID")));
    w.dlmsBits(WEEKDAYS.map((_, d) => days.has(d)));
    const special = new Set(entry.all("SpecialDaysApplicability").map((day) => indexAttribute(day, 1, specialDayCount, indexName)));
    w.dlmsBits(Array.from({ length: specialDayCount }, (_, d) => special.has(d + 1)));
    writeDatePattern(w, period.get("StartDate"));
    writeDatePattern(w, period.get("EndDate"));
  });
}

// ECS46c Set HC ALCS and ALCS configuration in ESME (SRV 6.14.2): switch identities (an HCALCS's
// EUI, zero for a wired ALCS), special days and the on/off schedule, effective at ExecutionDateTime.
const SWITCH_ON = 1;
const SWITCH_OFF = 2;
const ECS46c = defineUseCase({
  useCase: "ECS46c", srv: "6.14.2", deviceTypes: ["ESME"], messageCode: 0x0054, critical: true,
  write: (w, context) => {
    const { counter, fields } = context;
    const identities = fields.all("SwitchTypeAndId").map((entry) => [indexAttribute(entry, 1, SWITCHES), entry] as const).sort(([a], [b]) => a - b);
    const specialDays = fields.find("ALCSHCALCSSpecialDays")?.all("ALCSHCALCSSpecialDay") ?? [];
    const entries = fields.all("ALCSHCALCSConnectionSchedule").map((entry): ScheduleEntry => {
      const switchAction = entry.get("ActivateDeactivateSwitch");
      const on = switchAction.has("ActivateSwitch");
      if (!on && !switchAction.has("DeactivateSwitch")) throw new TransformError("ActivateDeactivateSwitch is neither ActivateSwitch nor DeactivateSwitch", "ActivateDeactivateSwitch");
      return { selector: (indexAttribute(switchAction, 1, SWITCHES) << 8) | (on ? SWITCH_ON : SWITCH_OFF), entry, period: entry.get("ALCSScheduleDatesAndTime") };
    });
    request(w, counter, [
      ...identities.map(([n, entry]) => [set(CLASS.data, switchObject(IDENTITY, n)), (x: GbcsWriter) => {
        x.dlmsOctets(entry.has("HCALCS") ? entry.hex("HCALCS") : new Uint8Array(8));
      }] as const),
      [SPECIAL_DAYS, (x) => writeSpecialDays(x, specialDays, "index")],
      [SCHEDULE, (x) => writeSchedule(x, entries, specialDays.length, "index")],
      [ACTIVATIONS[0]!, (x) => writeActivationTime(x, context)],
      [ACTIVATIONS[1]!, (x) => writeActivationTime(x, context)],
    ]);
  },
});

/**
 * An auxiliary controller's commanded state as a script selector: (0x10 + n) for its output,
 * (0x20 + n) for its input from the controlled load, then the level; `scheduled` adds the
 * schedule flag (0x80) the schedule entries carry.
 */
function controllerSelector(action: ServiceFields, nName: string, scheduled: boolean): number {
  const n = indexAttribute(action, 1, SWITCHES, nName);
  const level = action.intIn(0, 100, "CommandedStateLevel");
  return ((action.has("InputFromControlledLoad") ? 0x20 : 0x10) + n) << 8 | (scheduled ? 0x80 : 0) | level;
}

// ECS46d Set auxiliary controller schedule (SRV 6.14.3): special days and the level schedule of the
// ALCS and APCs, effective at ExecutionDateTime.
const ECS46d = defineUseCase({
  useCase: "ECS46d", srv: "6.14.3", deviceTypes: ["ESME"], messageCode: 0x011a, critical: true,
  write: (w, context) => {
    const { counter, fields } = context;
    const specialDays = fields.find("AuxiliaryControllerSpecialDayDefinitions")?.all("AuxiliaryControllerSpecialDayDefinition") ?? [];
    const entries = fields.all("AuxiliaryControllerSchedule").map((entry): ScheduleEntry => ({
      selector: controllerSelector(entry.get("AuxiliaryControllerAction"), "auxiliaryControllerN", true),
      entry, period: entry.get("AuxiliaryControllerSchedulePeriodAndTime"),
    }));
    request(w, counter, [
      [SPECIAL_DAYS, (x) => writeSpecialDays(x, specialDays, "identifier")],
      [SCHEDULE, (x) => writeSchedule(x, entries, specialDays.length, "identifier")],
      [ACTIVATIONS[0]!, (x) => writeActivationTime(x, context)],
      [ACTIVATIONS[1]!, (x) => writeActivationTime(x, context)],
    ]);
  },
});

// --- ECS47: switch an auxiliary load now, for a while, or between two times ---

const AUX_SCRIPTS = "0-0:10.0.103.255";
/** Per switch n, 0-0:94.44.(116+n).x holds its activation (x=1) and deactivation (x=2) durations or times. */
const auxObject = (n: number, x: number) => `0-0:94.44.${116 + n}.${x}`;
const ACTIVATE = 0x11;
const DEACTIVATE = 0x12;
const RESET = 0x20;

function auxSwitch(fields: ServiceFields, element: string): ServiceFields {
  const found = fields.find(element);
  if (!found) throw new TransformError(`${fields.name}/${element} is missing`, element);
  return found;
}

const auxLoad = (useCase: string, srv: string, element: string, script: number, durationObject: number | null) => defineUseCase({
  useCase, srv, deviceTypes: ["ESME"], messageCode: 0x0055, critical: true,
  write: (w, { counter, fields }) => {
    const target = auxSwitch(fields, element);
    const n = indexAttribute(target, 1, SWITCHES);
    const runScript = [action(CLASS.scriptTable, AUX_SCRIPTS), (x: GbcsWriter) => void x.dlmsNumber(DLMS.uint16, (n << 8) | script)] as const;
    if (durationObject === null) return request(w, counter, [runScript]);
    request(w, counter, [[set(CLASS.data, auxObject(n, durationObject)), (x) => void x.dlmsNumber(DLMS.uint16, target.intIn(0, 0xffff, "Duration"))], runScript]);
  },
});
const ECS47Activate = auxLoad("ECS47", "7.5", "ActivateALCSHCALCS", ACTIVATE, 1);
const ECS47Deactivate = auxLoad("ECS47", "7.6", "DeactivateALCSHCALCS", DEACTIVATE, 2);
const ECS47Reset = auxLoad("ECS47", "7.8", "ResetALCSHCALCS", RESET, null);

/** ECS47a / ECS47e: hold a controller at a level between StartDateTime and EndDateTime. */
const controllerState = (useCase: string, srv: string, messageCode: number, scripts: string, firstTime: number) => defineUseCase({
  useCase, srv, deviceTypes: ["ESME"], messageCode, critical: true,
  write: (w, { counter, fields }) => {
    const n = indexAttribute(fields, 1, SWITCHES, "auxiliaryControllerN");
    const start = fields.dateTime("StartDateTime");
    const end = fields.dateTime("EndDateTime");
    if (end.getTime() < start.getTime()) throw new TransformError("EndDateTime is before StartDateTime", "EndDateTime");
    request(w, counter, [
      [set(CLASS.data, auxObject(n, firstTime)), (x) => writeDateTime(x, start)],
      [set(CLASS.data, auxObject(n, firstTime + 1)), (x) => writeDateTime(x, end)],
      [action(CLASS.scriptTable, scripts), (x) => void x.dlmsNumber(DLMS.uint16, controllerSelector(fields, "auxiliaryControllerN", false))],
    ]);
  },
});
// ECS47a Set auxiliary controller state (SRV 7.13, supplier); ECS47e Limit APC level (SRV 7.16,
// load controller), with its own time objects and script table.
const ECS47a = controllerState("ECS47a", "7.13", 0x011e, AUX_SCRIPTS, 1);
const ECS47e = controllerState("ECS47e", "7.16", 0x011f, "0-0:10.0.107.255", 3);

// --- reads of the switches and the boost button ---

const SPECIAL_DAYS_ACTIVE = get(CLASS.specialDays, "0-0:11.0.3.255");
const SCHEDULE_ACTIVE = get(CLASS.schedule, "0-0:12.0.2.255");
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

// ECS61a Read HC ALCS and ALCS Data from ESME (SRV 7.7): labels, identities, schedule, switch states.
const ECS61a = defineUseCase({
  useCase: "ECS61a", srv: "7.7", deviceTypes: ["ESME"], messageCode: 0x00bb, critical: false,
  write: (w, { counter }) => request(w, counter, [
    ...range(1, SWITCHES).map((n) => [get(CLASS.data, switchObject(LABEL, n))] as const),
    ...range(1, SWITCHES).map((n) => [get(CLASS.data, switchObject(IDENTITY, n))] as const),
    [SPECIAL_DAYS_ACTIVE], [SCHEDULE_ACTIVE],
    ...range(1, SWITCHES).map((n) => [get(CLASS.disconnectControl, `0-${n}:96.3.10.255`)] as const),
  ]),
});

// ECS61c Read Boost Button Data from ESME (SRV 7.11): boost duration, the boost log over the
// period, and which switches the button drives.
const BOOST_BUTTON = (n: number) => `0-0:94.44.6.${n}`;
const ECS61c = defineUseCase({
  useCase: "ECS61c", srv: "7.11", deviceTypes: ["ESME"], messageCode: 0x005e, critical: false,
  write: (w, { counter, fields }) => {
    const { from, to } = readLogPeriod(fields);
    request(w, counter, [
      [get(CLASS.data, "0-0:94.44.7.255")],
      [{ access: "getWithSelection", classId: CLASS.profile, obis: "0-0:99.98.20.255", id: 2, selection: logRange(from, to) }],
      ...range(1, SWITCHES).map((n) => [get(CLASS.data, BOOST_BUTTON(n))] as const),
    ]);
  },
});

// ECS61d Read auxiliary controller configuration (SRV 7.14): labels and the schedule.
const ECS61d = defineUseCase({
  useCase: "ECS61d", srv: "7.14", deviceTypes: ["ESME"], messageCode: 0x011c, critical: false,
  write: (w, { counter }) => request(w, counter, [
    ...range(1, SWITCHES).map((n) => [get(CLASS.data, switchObject(LABEL, n))] as const),
    [SPECIAL_DAYS_ACTIVE], [SCHEDULE_ACTIVE],
  ]),
});

// ECS61e Read auxiliary controller operational data (SRV 7.15): identities and states.
const ECS61e = defineUseCase({
  useCase: "ECS61e", srv: "7.15", deviceTypes: ["ESME"], messageCode: 0x011d, critical: false,
  write: (w, { counter }) => request(w, counter, [
    ...range(1, SWITCHES).map((n) => [get(CLASS.data, switchObject(IDENTITY, n))] as const),
    ...range(1, SWITCHES).map((n) => [get(CLASS.data, switchObject(STATE, n))] as const),
  ]),
});

/** ECS62 Set ALCS and Boost Button Association: add (7.9) or remove (7.10) switches from the button. */
const boostButton = (srv: string, element: string, associate: boolean) => defineUseCase({
  useCase: "ECS62", srv, deviceTypes: ["ESME"], messageCode: 0x005f, critical: false,
  write: (w, { counter, fields }) => {
    const chosen = fields.all(element).filter((entry) => entry.bool()).map((entry) => indexAttribute(entry, 1, SWITCHES)).sort((a, b) => a - b);
    if (chosen.length === 0) throw new TransformError(`${fields.name} names no switch`, element);
    request(w, counter, chosen.map((n) => [set(CLASS.data, BOOST_BUTTON(n)), (x: GbcsWriter) => void x.dlmsNumber(DLMS.boolean, associate ? 0xff : 0x00)] as const));
  },
});
const ECS62Add = boostButton("7.9", "AddToBoostButton", true);
const ECS62Remove = boostButton("7.10", "RemoveFromBoostButton", false);

export const ESME_MORE_LOAD_ENCODERS: readonly UseCaseEncoder[] = [
  ECS42, ECS43, ECS44, ECS45, ECS46a, ECS46c, ECS46d, ECS47Activate, ECS47Deactivate, ECS47Reset, ECS47a, ECS47e,
  ECS61a, ECS61c, ECS61d, ECS61e, ECS62Add, ECS62Remove,
];
