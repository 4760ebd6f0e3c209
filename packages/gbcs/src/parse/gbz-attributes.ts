// The ZCL profile-wide commands GBCS uses (ZCL 2.5): read attributes, its response with typed
// values, and the default response. Attribute values carry their ZCL data type (ZCL 2.6.2).
import { toHex } from "@opendcc/kernel";
import type { GbzCursor } from "./gbz-cursor.js";
import { zigbeeTime } from "./gbz-cursor.js";
import { hexCode, named, readString } from "./gbz-fields.js";
import type { ClusterSpec, ValueNames } from "./gbz-layouts.js";
import { ZCL_STATUS } from "./gbz-names.js";
import type { ParsedValue } from "./types.js";

type Fields = Record<string, ParsedValue>;

interface DataType {
  readonly name: string;
  /** Bytes of a fixed-size value; strings read their own length. */
  readonly size: number;
  readonly kind: "unsigned" | "signed" | "bitmap" | "boolean" | "string" | "utcTime" | "hex";
}

// ZCL data type ids -> how their value is read (ZCL Table 2-10).
const DATA_TYPES: Readonly<Record<number, DataType>> = {
  0x10: { name: "boolean", size: 1, kind: "boolean" },
  0x18: { name: "bitmap8", size: 1, kind: "bitmap" }, 0x19: { name: "bitmap16", size: 2, kind: "bitmap" },
  0x1a: { name: "bitmap24", size: 3, kind: "bitmap" }, 0x1b: { name: "bitmap32", size: 4, kind: "bitmap" },
  0x20: { name: "uint8", size: 1, kind: "unsigned" }, 0x21: { name: "uint16", size: 2, kind: "unsigned" },
  0x22: { name: "uint24", size: 3, kind: "unsigned" }, 0x23: { name: "uint32", size: 4, kind: "unsigned" },
  0x24: { name: "uint40", size: 5, kind: "unsigned" }, 0x25: { name: "uint48", size: 6, kind: "unsigned" },
  0x26: { name: "uint56", size: 7, kind: "unsigned" }, 0x27: { name: "uint64", size: 8, kind: "unsigned" },
  0x28: { name: "int8", size: 1, kind: "signed" }, 0x29: { name: "int16", size: 2, kind: "signed" },
  0x2a: { name: "int24", size: 3, kind: "signed" }, 0x2b: { name: "int32", size: 4, kind: "signed" },
  0x2c: { name: "int40", size: 5, kind: "signed" }, 0x2d: { name: "int48", size: 6, kind: "signed" },
  0x30: { name: "enum8", size: 1, kind: "unsigned" }, 0x31: { name: "enum16", size: 2, kind: "unsigned" },
  0x41: { name: "octetString", size: 0, kind: "string" }, 0x42: { name: "characterString", size: 0, kind: "string" },
  0xe2: { name: "utcTime", size: 4, kind: "utcTime" },
  0xe8: { name: "clusterId", size: 2, kind: "hex" }, 0xe9: { name: "attributeId", size: 2, kind: "hex" },
  0xf0: { name: "eui64", size: 8, kind: "hex" }, 0xf1: { name: "securityKey", size: 16, kind: "hex" },
};

function attributeName(cluster: ClusterSpec | undefined, id: number): [string | null, ValueNames | undefined] {
  const entry = cluster?.attributes[id];
  if (entry === undefined) return [null, undefined];
  return typeof entry === "string" ? [entry, undefined] : [entry[0], entry[1]];
}

/** Read Attributes (0x00): the attribute ids asked for. */
export function readAttributes(cursor: GbzCursor, cluster: ClusterSpec | undefined): Fields {
  const attributes: ParsedValue[] = [];
  while (!cursor.done()) {
    const id = cursor.leSmall(2, "an attribute id");
    attributes.push({ id: hexCode(id), name: attributeName(cluster, id)[0] });
  }
  return { attributes };
}

/** Read Attributes Response (0x01): per attribute its status and, on success, its typed value. */
export function readAttributesResponse(cursor: GbzCursor, cluster: ClusterSpec | undefined): Fields {
  const attributes: Fields[] = [];
  while (!cursor.done()) {
    const id = cursor.leSmall(2, "an attribute id");
    const [name, names] = attributeName(cluster, id);
    const status = cursor.u8(`attribute ${hexCode(id)} status`);
    const record: Fields = { id: hexCode(id), name, status: named(status, ZCL_STATUS) };
    if (status === 0) {
      const typeAt = cursor.offset;
      const typeId = cursor.u8(`attribute ${hexCode(id)} data type`);
      const type = DATA_TYPES[typeId];
      if (!type) cursor.fail(`attribute ${hexCode(id)} has unsupported ZCL data type 0x${typeId.toString(16).padStart(2, "0")}`, typeAt);
      const value = readValue(cursor, type, `attribute ${hexCode(id)} value`);
      record["type"] = type.name;
      record["value"] = names && typeof value === "number" ? named(value, names) : value;
    }
    attributes.push(record);
  }
  if (cluster?.name === "metering") addScaledValues(attributes);
  if (cluster?.name === "price") {
    addTrailingDigits(attributes, "0x0302", "0x0303");
    addTrailingDigits(attributes, "0x0304", "0x0306");
  }
  return { attributes };
}

function readValue(cursor: GbzCursor, type: DataType, what: string): ParsedValue {
  switch (type.kind) {
    case "unsigned": return cursor.leUint(type.size, what);
    case "bitmap": return cursor.leSmall(type.size, what);
    case "signed": return cursor.leInt(type.size, what);
    case "boolean": return cursor.u8(what) !== 0;
    case "string": return readString(cursor, what);
    case "utcTime": return zigbeeTime(cursor.leSmall(4, what));
    case "hex": return toHex(cursor.take(type.size, what).slice().reverse());
  }
}

// Metering registers are integers to be multiplied by Multiplier and divided by Divisor, in
// UnitofMeasure (ZSE D.3.2.2.4): when the same response carries those, each register gets its
// value in units too.
function addScaledValues(attributes: Fields[]): void {
  const value = (id: string) => attributes.find((record) => record["id"] === id)?.["value"];
  const multiplier = value("0x0301");
  const divisor = value("0x0302");
  if (typeof multiplier !== "number" || typeof divisor !== "number" || divisor === 0) return;
  const unit = value("0x0300");
  const unitName = unit && typeof unit === "object" && !Array.isArray(unit) ? (unit as { name?: ParsedValue }).name ?? null : null;
  for (const record of attributes) {
    const raw = record["value"];
    if (typeof raw === "number" && /Summation|Consumption/.test(String(record["name"]))) {
      record["scaledValue"] = (raw * multiplier) / divisor;
      record["unit"] = unitName;
    }
  }
}

/**
 * Default Response (0x0B): the command it answers and a status. The command is one sent the other
 * way, so it is named from the opposite direction's table.
 */
export function defaultResponse(cursor: GbzCursor, cluster: ClusterSpec | undefined, toClient: boolean): Fields {
  const commandId = cursor.u8("the command id a default response answers");
  const status = cursor.u8("default response status");
  const answered = toClient ? cluster?.toServer[commandId] : cluster?.toClient[commandId];
  return { respondsToCommandId: commandId, respondsTo: answered?.name ?? null, status: named(status, ZCL_STATUS) };
}

// Price cluster conversion factor (0x0302) and calorific value (0x0304) are integers whose trailing
// digit attribute (0x0303, 0x0306; digits in the high nibble, ZSE D.4.2.2.3) places the decimal
// point: when both come in the same response, the value gets its scaledValue.
function addTrailingDigits(attributes: Fields[], valueId: string, digitsId: string): void {
  const record = attributes.find((entry) => entry["id"] === valueId);
  const digits = attributes.find((entry) => entry["id"] === digitsId)?.["value"];
  if (!record || typeof record["value"] !== "number" || typeof digits !== "number") return;
  record["scaledValue"] = Number((record["value"] / 10 ** (digits >> 4)).toPrecision(15));
}
