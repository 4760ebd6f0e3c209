// The vocabulary GBZ command layouts are written in (gbz-names.ts holds the layouts themselves).
// A layout is a list of fields read in order from a little-endian ZCL payload (ZCL 2.5, ZigBee SE
// 1.2 annex D); lists repeat a group either a counted number of times or to the end.

/** How one field's bytes are read and shown. */
export type ZclFieldType =
  | "uint8" | "uint16" | "uint24" | "uint32" | "uint48"
  | "int24" | "int32"
  | "bitmap8" | "bitmap16" | "bitmap32"
  /** Seconds since 2000-01-01 UTC, little-endian, as ISO 8601. */
  | "utcTime"
  /** A length-prefixed ZCL octet or character string: text when printable, else hex. */
  | "string"
  /** ZCL Date: year-1900, month, day, day of week; 0xFF in any part means "every". */
  | "date"
  /** Minutes after midnight (uint16) as HH:MM. */
  | "minuteOfDay"
  /** A uint16 event or alert code, shown as 0xNNNN with its meaning. */
  | "eventCode"
  /** The high nibble of a bitmap8: how many digits of a price lie after the decimal point. */
  | "trailingDigits";

/** Names for the values of an enumerated field. */
export type ValueNames = Readonly<Record<number, string>>;

export type FieldSpec =
  | readonly [name: string, type: ZclFieldType]
  | readonly [name: string, type: ZclFieldType, names: ValueNames]
  | ListSpec
  | OptionalSpec
  | OpaqueRestSpec
  | SwitchSpec;

/** A repeated group: `count` names an earlier field (or is a fixed number); null repeats to the end. */
export interface ListSpec {
  readonly list: string;
  readonly count: string | number | null;
  readonly item: readonly FieldSpec[];
}

/** A trailing field some senders leave out (ZSE allows optional trailing fields). */
export interface OptionalSpec {
  readonly optional: readonly [name: string, type: ZclFieldType];
}

/** The rest of the payload kept as hex, where its layout depends on values this table does not cover. */
export interface OpaqueRestSpec {
  readonly opaque: string;
}

/** The rest of the payload laid out by an earlier field's value; other values keep it as hex. */
export interface SwitchSpec {
  readonly on: string;
  readonly cases: Readonly<Record<number, readonly FieldSpec[]>>;
  readonly otherwise: string;
}

export interface CommandSpec {
  readonly name: string;
  readonly fields: readonly FieldSpec[];
}

export interface ClusterSpec {
  readonly name: string;
  /** Attribute id -> name, and for enumerated attributes the names of their values. */
  readonly attributes: Readonly<Record<number, string | readonly [string, ValueNames]>>;
  /** Cluster-specific commands a client sends to the server (frame-control direction bit clear). */
  readonly toServer: Readonly<Record<number, CommandSpec>>;
  /** Cluster-specific commands the server sends to a client (direction bit 0x08 set). */
  readonly toClient: Readonly<Record<number, CommandSpec>>;
}
