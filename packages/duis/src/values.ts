// Lexical forms of the XML Schema simple types DUIS uses, checked strictly.
import { fromBase64, toBase64 } from "@opendcc/kernel";
import { fail } from "./errors.js";

const DATE_TIME = /^-?[0-9]{4,}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12][0-9]|3[01])T(?:[01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](?:\.[0-9]+)?(?:Z|[+-](?:0[0-9]|1[0-3]):[0-5][0-9]|[+-]14:00)?$/;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const HEX_BINARY = /^(?:[0-9A-Fa-f]{2})*$/;
const DECIMAL = /^[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)$/;
const UNSIGNED = /^\+?[0-9]+$/;

/** Whitespace XML Schema collapses: space, tab, CR, LF. */
export function collapse(text: string): string {
  return text.replace(/[\t\n\r ]+/g, " ").trim();
}

export function isDateTime(text: string): boolean {
  return DATE_TIME.test(text);
}

export function dateTime(text: string, field: string, code: "DUIS_VALUE" | "DUIS_EXECUTION_DATE_TIME" = "DUIS_VALUE"): string {
  const value = collapse(text);
  if (!DATE_TIME.test(value)) fail(code, `${field} "${text}" is not an xs:dateTime such as 2030-01-15T09:00:00.00Z`);
  return value;
}

export function isDecimal(text: string): boolean {
  return DECIMAL.test(text);
}

/** xs:base64Binary; whitespace (Java's wrapped lines) is allowed and dropped. */
export function base64(text: string, field: string): Uint8Array {
  const clean = text.replace(/[\t\n\r ]+/g, "");
  if (!BASE64.test(clean)) fail("DUIS_VALUE", `${field} is not valid base64`);
  return fromBase64(clean);
}

export function toBase64Text(bytes: Uint8Array): string {
  return toBase64(bytes);
}

/** xs:hexBinary, returned in uppercase. */
export function hexBinary(text: string, field: string): string {
  const value = collapse(text);
  if (!HEX_BINARY.test(value) || value === "") fail("DUIS_VALUE", `${field} "${text}" is not hexadecimal (xs:hexBinary)`);
  return value.toUpperCase();
}

/** A non-negative integer no larger than `max`. */
export function unsigned(text: string, field: string, max: number): number {
  const value = collapse(text);
  if (!UNSIGNED.test(value)) fail("DUIS_VALUE", `${field} "${text}" is not a non-negative integer`);
  const number = Number(value);
  if (!Number.isSafeInteger(number) || number > max) fail("DUIS_VALUE", `${field} ${value} is larger than ${max}`);
  return number;
}
