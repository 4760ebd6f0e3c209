// The structured attribute values of the COSEM classes GBCS writes and reads, named field by field
// (DLMS UA Blue Book, IEC 62056-6-2, each class's attribute definitions): calendars, special days,
// schedules, single-action schedules, register monitors, charges, accounts, clock and activation
// times. A value is named only when it has exactly its class's shape; anything else stays plain
// (dlms-names.ts `generic`), so naming never drops or invents a value.
import { toHex } from "@opendcc/kernel";
import { attributeName, cosemClass } from "./cosem-classes.js";
import { cosemActivationTime, cosemDateValue, cosemDateTime, cosemTime } from "./cosem-time.js";
import { numberOf, plain, type DlmsData } from "./dlms-data.js";
import { obisName } from "./obis-names.js";
import type { ParsedValue } from "./types.js";

type Fields = Record<string, ParsedValue>;
/** Names a Data item, or returns undefined when the item does not have the shape. */
type Shape = (data: DlmsData) => ParsedValue | undefined;

const INTEGER_TYPES = new Set(["int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64", "enum", "bcd"]);

const integer: Shape = (data) => (INTEGER_TYPES.has(data.type) ? plain(data) : undefined);
const boolean: Shape = (data) => (data.type === "boolean" ? data.value : undefined);
const bits: Shape = (data) => (data.type === "bitString" ? data.bits : undefined);

/** An octet string of the given length (or a typed date/time item of it). */
function octets(data: DlmsData, length: number): Uint8Array | undefined {
  if (data.type !== "octetString" && data.type !== "date" && data.type !== "time" && data.type !== "dateTime") return undefined;
  return data.bytes.length === length ? data.bytes : undefined;
}

const date: Shape = (data) => {
  const bytes = octets(data, 5);
  return bytes && cosemDateValue(bytes);
};
const time: Shape = (data) => {
  const bytes = octets(data, 4);
  return bytes && cosemTime(bytes);
};
const dateTime: Shape = (data) => {
  const bytes = octets(data, 12);
  return bytes && cosemDateTime(bytes);
};
/** Activation times: GBCS writes all zeros for "now" and all FF for "never" (a cancellation). */
const activationTime: Shape = (data) => {
  const bytes = octets(data, 12);
  return bytes && cosemActivationTime(bytes);
};

/** A 6-byte logical name, with the object's developer name when it has one. */
const logicalName: Shape = (data) => {
  const bytes = octets(data, 6);
  if (!bytes) return undefined;
  const [a, b, c, d, e, f] = bytes;
  const obis = `${a}-${b}:${c}.${d}.${e}.${f}`;
  return { obis, object: obisName(obis)?.name ?? obis };
};

/** A calendar, season or week name: printable ASCII as text, otherwise hex (GBCS writes week names as one byte). */
const label: Shape = (data) => {
  if (data.type !== "octetString") return undefined;
  const printable = data.bytes.length > 1 && data.bytes.every((byte) => byte >= 0x20 && byte <= 0x7e);
  return printable ? String.fromCharCode(...data.bytes) : toHex(data.bytes);
};

const named = (names: Readonly<Record<number, string>>): Shape => (data) => {
  const code = numberOf(data);
  return code === null ? undefined : { code, name: names[code] ?? null };
};

function structure(fields: readonly (readonly [string, Shape])[]): Shape {
  return (data) => {
    if (data.type !== "structure" || data.items.length !== fields.length) return undefined;
    const out: Fields = {};
    for (const [i, [name, shape]] of fields.entries()) {
      const value = shape(data.items[i] as DlmsData);
      if (value === undefined) return undefined;
      out[name] = value;
    }
    return out;
  };
}

function array(item: Shape): Shape {
  return (data) => {
    if (data.type !== "array") return undefined;
    const out: ParsedValue[] = [];
    for (const entry of data.items) {
      const value = item(entry);
      if (value === undefined) return undefined;
      out.push(value);
    }
    return out;
  };
}

/** COSEM attribute descriptor {class id, logical name, attribute index}: the object a value belongs to. */
const attributeDescriptor: Shape = (data) => {
  if (data.type !== "structure" || data.items.length !== 3) return undefined;
  const [classItem, nameItem, indexItem] = data.items as [DlmsData, DlmsData, DlmsData];
  const classId = numberOf(classItem);
  const attributeId = numberOf(indexItem);
  const ref = logicalName(nameItem) as { obis: string; object: string } | undefined;
  if (classId === null || attributeId === null || !ref) return undefined;
  // Class 0 and logical name 0-0:0.0.0.0: no commodity (a standing charge is per day, not per unit).
  if (classId === 0 && ref.obis === "0-0:0.0.0.0") return null;
  return { classId, className: cosemClass(classId)?.name ?? null, ...ref, attributeId, attribute: attributeName(classId, attributeId) };
};

/** script ::= {script logical name, script selector}: which script of which script table runs. */
const script = structure([["script", logicalName], ["scriptSelector", integer]]);

// Blue Book, Schedule (class 10): exec_weekdays is 7 bits, Monday first.
const WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"] as const;
const weekdays: Shape = (data) => {
  if (data.type !== "bitString" || data.bits.length !== 7) return undefined;
  return WEEKDAYS.filter((_, i) => data.bits[i] === "1");
};

const scheduleEntry = structure([
  ["index", integer], ["enabled", boolean], ["script", logicalName], ["scriptSelector", integer], ["switchTime", time],
  ["validityWindowMinutes", integer], ["weekdays", weekdays], ["specialDays", bits], ["beginDate", date], ["endDate", date],
]);

const specialDay = structure([["index", integer], ["date", date], ["dayId", integer]]);

// Activity Calendar (class 20): seasons pick a week profile, week profiles a day profile per
// weekday, day profiles the script (the tariff switching script) run from each start time.
const season = structure([["name", label], ["start", dateTime], ["weekName", label]]);
const weekProfile = structure([["name", label], ...WEEKDAYS.map((day) => [day, integer] as const)]);
const dayAction: Shape = (data) => {
  const action = structure([["startTime", time], ["script", logicalName], ["scriptSelector", integer]])(data) as Fields | undefined;
  if (!action) return undefined;
  const rate = (action.script as { obis: string }).obis === TARIFFICATION_SCRIPTS ? tariffRate(action.scriptSelector as number) : null;
  return rate ? { ...action, rate } : action;
};

/**
 * What a tariff switching selector switches to (the ESME tariff encoders, RTDS ECS01a/c): TOU rate
 * n is selector n, block tariff n is 100 + n, the secondary element's TOU rate n is 200 + n.
 */
const TARIFFICATION_SCRIPTS = "0-0:10.0.100.255";
function tariffRate(selector: number): string | null {
  if (selector >= 1 && selector <= 48) return `tou${selector}`;
  if (selector >= 101 && selector <= 108) return `block${selector - 100}`;
  if (selector >= 201 && selector <= 204) return `secondaryTou${selector - 200}`;
  return null;
}
const dayProfile = structure([["dayId", integer], ["actions", array(dayAction)]]);

const SINGLE_ACTION_TYPE: Readonly<Record<number, string>> = {
  1: "oneTimeSpecific", 2: "repeatedSpecific", 3: "repeatedWildcardDate", 4: "oneTimeWildcardDate", 5: "repeatedWildcardTime",
};
const executionTime = structure([["time", time], ["date", date]]);

// Register Monitor (class 21): each threshold crossed upwards or downwards runs a script.
const actionSet = structure([["actionUp", script], ["actionDown", script]]);

// Charge (class 113): unit_charge is the scaling, the register it prices and the charge table.
const CHARGE_TYPE: Readonly<Record<number, string>> = { 0: "consumptionBasedCollection", 1: "timeBasedCollection", 2: "paymentEventBasedCollection" };
const chargeTableEntry = structure([["index", label], ["price", integer]]);
const unitCharge: Shape = (data) => {
  const shaped = structure([
    ["scaling", structure([["commodityScale", integer], ["priceScale", integer]])],
    ["commodity", attributeDescriptor],
    ["charges", array(chargeTableEntry)],
  ])(data) as { scaling: Fields; commodity: ParsedValue; charges: ParsedValue } | undefined;
  if (!shaped) return undefined;
  // A price is price x 10^priceScale currency units per 10^commodityScale of the commodity's unit.
  return { ...shaped.scaling, commodity: shaped.commodity, charges: shaped.charges };
};

// Account (class 111).
const PAYMENT_MODE: Readonly<Record<number, string>> = { 1: "credit", 2: "prepayment" };
const ACCOUNT_STATUS: Readonly<Record<number, string>> = { 1: "newInactive", 2: "active", 3: "closed" };
const creditChargeConfiguration = structure([["creditReference", logicalName], ["chargeReference", logicalName], ["collectionConfiguration", bits]]);

// Limiter (class 71): the emergency profile.
const emergencyProfile = structure([["id", integer], ["activationTime", dateTime], ["durationSeconds", integer]]);

// Profile Generic (class 7): what each buffer entry captures.
const captureObject = structure([["classId", integer], ["object", logicalName], ["attributeId", integer], ["dataIndex", integer]]);

/** class id -> attribute id -> shape. */
const SHAPES: Readonly<Record<number, Readonly<Record<number, Shape>>>> = {
  7: { 3: array(captureObject) },
  8: { 2: dateTime, 5: dateTime, 6: dateTime },
  10: { 2: array(scheduleEntry) },
  11: { 2: array(specialDay) },
  20: {
    2: label, 3: array(season), 4: array(weekProfile), 5: array(dayProfile),
    6: label, 7: array(season), 8: array(weekProfile), 9: array(dayProfile), 10: activationTime,
  },
  21: { 3: attributeDescriptor, 4: array(actionSet) },
  22: { 2: script, 3: named(SINGLE_ACTION_TYPE), 4: array(executionTime) },
  71: { 8: emergencyProfile },
  111: {
    2: structure([["paymentMode", named(PAYMENT_MODE)], ["accountStatus", named(ACCOUNT_STATUS)]]),
    11: array(creditChargeConfiguration), 13: activationTime, 14: dateTime,
  },
  113: { 3: named(CHARGE_TYPE), 5: unitCharge, 6: unitCharge, 7: activationTime, 10: dateTime },
  9000: { 6: activationTime },
};

/** The named value of a class's structured attribute, or undefined when it is not one or does not fit. */
export function classAttributeValue(classId: number, id: number, data: DlmsData): ParsedValue | undefined {
  return SHAPES[classId]?.[id]?.(data);
}
