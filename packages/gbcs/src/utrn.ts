// Prepayment top-up tokens (UTRN), GBCS issue point 6, exactly as gbcs.md section 9 sets out:
// a 64-bit PTUT (counter bits, value class, value, and 4 bytes of a GMAC keyed from the supplier's
// prepayment KA key and the device's KA key), offset into a 19-digit PPTD, then a check digit
// from a Verhoeff variant. The AES work runs in the kernel; ECDH goes to WebCrypto.
import { concatBytes, counterBytes, deriveKey, fromHex, gbcsIv, gcmEncrypt, sharedSecret } from "@opendcc/kernel";
import type { KeyRing } from "./keyring.js";

export type UtrnValueClass = "pennies" | "pounds";
const VALUE_CLASS_BITS: Record<UtrnValueClass, number> = { pennies: 0, pounds: 1 };

/** Z for the token MAC, or the two keys to agree it from. */
export type UtrnKey = Uint8Array | { readonly supplierPrepaymentKa: CryptoKey; readonly deviceKa: CryptoKey };

export interface UtrnParameters {
  readonly key: UtrnKey;
  /** EUI-64s, as 8 bytes or 16 hex digits (dashes allowed). */
  readonly supplier: Uint8Array | string;
  readonly device: Uint8Array | string;
  /** The top-up counter: the carrying command's originator counter; its low 32 bits are zero. */
  readonly counter: bigint;
  /** 0..8191, in the value class's unit. */
  readonly value: number;
  readonly valueClass: UtrnValueClass;
}

/** A token's fields as its digits carry them. */
export interface UtrnFields {
  /** The counter the 10 counter bits stand for (bits 32-41; the rest are zero). */
  readonly counter: bigint;
  readonly valueClass: UtrnValueClass;
  readonly value: number;
  /** The last 4 bytes of the token's GMAC tag. */
  readonly mac: Uint8Array;
}

export type UtrnCheck =
  | ({ readonly ok: true } & UtrnFields)
  | { readonly ok: false; readonly reason: string };

/** Why a token cannot be made or read. */
export class UtrnError extends Error {
  override readonly name = "UtrnError";
}

const PPTD_OFFSET = 7_394_156_990_786_306_048n;
const COUNTER_BITS = 10;
const VALUE_BITS = 13;
const MAX_VALUE = (1 << VALUE_BITS) - 1;
const MAC_TYPE_COMMAND = 1;
/** AAD prefix: security control 11 and the empty general-ciphering fields (as in a command MAC). */
const AAD_PREFIX = fromHex("110000000000");

// The dihedral group D5 (multiplication), the Verhoeff permutation and the inverse table of this
// variant (gbcs.md 9: rows of P are powers of 1576283094; the walk starts at k = 4).
const D5 = [
  [0, 1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 2, 3, 4, 0, 6, 7, 8, 9, 5], [2, 3, 4, 0, 1, 7, 8, 9, 5, 6],
  [3, 4, 0, 1, 2, 8, 9, 5, 6, 7], [4, 0, 1, 2, 3, 9, 5, 6, 7, 8], [5, 9, 8, 7, 6, 0, 4, 3, 2, 1],
  [6, 5, 9, 8, 7, 1, 0, 4, 3, 2], [7, 6, 5, 9, 8, 2, 1, 0, 4, 3], [8, 7, 6, 5, 9, 3, 2, 1, 0, 4],
  [9, 8, 7, 6, 5, 4, 3, 2, 1, 0],
] as const;
const P1 = [1, 5, 7, 6, 2, 8, 3, 0, 9, 4] as const;
const PERMUTATIONS: readonly (readonly number[])[] = Array.from({ length: 8 }, (_, k) =>
  Array.from({ length: 10 }, (_, digit) => {
    let value = digit;
    for (let i = 0; i < k; i++) value = P1[value] as number;
    return value;
  }));
const INVERSE = [1, 2, 6, 7, 5, 8, 3, 0, 9, 4] as const;
const FIRST_ROW = 4;

/** The check state after walking the digits (0 for a valid 20-digit UTRN). */
function walk(digits: string): number {
  let check = 0;
  let row = FIRST_ROW;
  for (const digit of digits) {
    check = D5[check]![PERMUTATIONS[row]![Number(digit)]!]!;
    row = (row + 1) % 8;
  }
  return check;
}

/** The check digit that follows a 19-digit PPTD. */
export function utrnCheckDigit(pptd: string): number {
  if (!/^\d{19}$/.test(pptd)) throw new UtrnError(`a PPTD is 19 digits, got "${pptd}"`);
  return INVERSE[walk(pptd)] as number;
}

/** True when a 20-digit UTRN's check digit is right. */
export function utrnCheckDigitValid(utrn: string): boolean {
  return /^\d{20}$/.test(utrn) && utrnCheckDigit(utrn.slice(0, 19)) === Number(utrn[19]);
}

/** Makes the 20-digit UTRN for a top-up. */
export async function generateUtrn(parameters: UtrnParameters): Promise<string> {
  const { counter, value, valueClass } = parameters;
  if (counter < 0n || counter >= 1n << 42n || (counter & 0xffffffffn) !== 0n) {
    throw new UtrnError(`counter 0x${counter.toString(16)} must have its low 32 bits zero and fit in 42 bits`);
  }
  if (!Number.isInteger(value) || value < 0 || value > MAX_VALUE) throw new UtrnError(`value ${value} is outside 0..${MAX_VALUE}`);
  const classBits = VALUE_CLASS_BITS[valueClass];
  if (classBits === undefined) throw new UtrnError(`value class "${String(valueClass)}" is not pennies or pounds`);
  const high = ((Number(counter >> 32n) << (2 + VALUE_BITS)) | (classBits << VALUE_BITS) | value) >>> 0;
  const mac = await tokenMac(parameters, counter, high);
  const ptut = (BigInt(high) << 32n) | BigInt(new DataView(mac.buffer, mac.byteOffset, 4).getUint32(0));
  const pptd = (ptut + PPTD_OFFSET).toString();
  return `${pptd}${utrnCheckDigit(pptd)}`;
}

/** Reads a UTRN's fields without checking its MAC (the check digit must be right). */
export function readUtrn(utrn: string): UtrnFields {
  if (!/^\d{20}$/.test(utrn)) throw new UtrnError(`a UTRN is 20 digits, got "${utrn}"`);
  if (!utrnCheckDigitValid(utrn)) throw new UtrnError(`UTRN ${utrn} fails its check digit`);
  const ptut = BigInt(utrn.slice(0, 19)) - PPTD_OFFSET;
  if (ptut < 0n || ptut >= 1n << 57n) throw new UtrnError(`UTRN ${utrn} is outside the PTUT range (its top 7 bits must be zero)`);
  const high = Number(ptut >> 32n);
  const classBits = (high >> VALUE_BITS) & 3;
  const valueClass = (Object.keys(VALUE_CLASS_BITS) as UtrnValueClass[]).find((name) => VALUE_CLASS_BITS[name] === classBits);
  if (!valueClass) throw new UtrnError(`UTRN ${utrn} has the reserved value class ${classBits}`);
  return {
    counter: BigInt((high >>> (2 + VALUE_BITS)) & ((1 << COUNTER_BITS) - 1)) << 32n,
    valueClass,
    value: high & MAX_VALUE,
    mac: counterBytes(ptut).subarray(4),
  };
}

/**
 * Checks a UTRN: its digits, its check digit and its MAC for this supplier and device. When the
 * expected counter is given, the token must carry it.
 */
export async function checkUtrn(utrn: string, parameters: Omit<UtrnParameters, "counter" | "value" | "valueClass"> & { readonly counter?: bigint }): Promise<UtrnCheck> {
  let fields: UtrnFields;
  try {
    fields = readUtrn(utrn);
  } catch (error) {
    if (error instanceof UtrnError) return { ok: false, reason: error.message };
    throw error;
  }
  if (parameters.counter !== undefined && parameters.counter !== fields.counter) {
    return { ok: false, reason: `UTRN counter 0x${fields.counter.toString(16)} is not the expected 0x${parameters.counter.toString(16)}` };
  }
  const expected = await generateUtrn({ ...parameters, counter: fields.counter, value: fields.value, valueClass: fields.valueClass });
  if (expected !== utrn) return { ok: false, reason: "UTRN MAC does not verify for this supplier and device" };
  return { ok: true, ...fields };
}

/** Z for a supplier's top-up tokens to a device, from a key ring (the supplier's `-pp-ka` key). */
export async function utrnSecret(ring: KeyRing, supplier: string, device: string): Promise<Uint8Array> {
  const secret = ring.sharedSecret(supplier, device, "pp-ka");
  if (!secret) throw new UtrnError(`no prepayment key-agreement private key for ${supplier} or no key-agreement certificate for ${device}`);
  return secret;
}

// GMAC over 110000000000 || supplier || device || 01 || counter || high dword; key from the KDF
// with type 01, originator the supplier, recipient the device; IV supplier || 00000000.
async function tokenMac(parameters: UtrnParameters, counter: bigint, high: number): Promise<Uint8Array> {
  const supplier = eui(parameters.supplier, "supplier");
  const device = eui(parameters.device, "device");
  const z = parameters.key instanceof Uint8Array ? parameters.key : await sharedSecret(parameters.key.supplierPrepaymentKa, parameters.key.deviceKa);
  const counterField = counterBytes(counter);
  const key = deriveKey({ sharedSecret: z, originator: supplier, kdfType: MAC_TYPE_COMMAND, counter: counterField, recipient: device });
  const highField = new Uint8Array(4);
  new DataView(highField.buffer).setUint32(0, high);
  const aad = concatBytes(AAD_PREFIX, supplier, device, Uint8Array.of(MAC_TYPE_COMMAND), counterField, highField);
  const { tag } = gcmEncrypt(key, gbcsIv(supplier), aad, new Uint8Array(0), 16);
  return tag.subarray(12);
}

function eui(value: Uint8Array | string, what: string): Uint8Array {
  if (value instanceof Uint8Array) {
    if (value.length !== 8) throw new UtrnError(`${what} must be an 8-byte EUI-64`);
    return value;
  }
  const hex = value.replace(/-/g, "");
  if (!/^[0-9a-fA-F]{16}$/.test(hex)) throw new UtrnError(`${what} "${value}" is not an EUI-64`);
  return fromHex(hex);
}
