// Text-format codecs both adapters register, so a value reads back the same from either
// (see the table in database.ts). No Buffer: this also runs on an edge runtime.

export const oid = { bytea: 17, int8: 20, json: 114, jsonb: 3802 } as const;

export function parseInt8(text: string): bigint {
  return BigInt(text);
}

export function serializeInt8(value: unknown): string {
  return typeof value === "bigint" || typeof value === "number" ? value.toString() : String(value);
}

export function serializeJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => (typeof v === "bigint" ? v.toString() : v));
}

export function parseJson(text: string): unknown {
  return JSON.parse(text);
}

/** bytea's hex output form, `\x0001ff`. */
export function parseBytea(text: string): Uint8Array {
  const hex = text.startsWith("\\x") ? text.slice(2) : text;
  const bytes = new Uint8Array(hex.length >>> 1);
  for (let i = 0; i < bytes.length; i++) bytes[i] = parseInt(hex.substr(i * 2, 2), 16);
  return bytes;
}

export function serializeBytea(value: unknown): string {
  if (!(value instanceof Uint8Array)) throw new TypeError("a bytea parameter must be a Uint8Array");
  let hex = "\\x";
  for (const byte of value) hex += byte.toString(16).padStart(2, "0");
  return hex;
}
