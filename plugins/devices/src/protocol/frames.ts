// Building the messages a device sends (gbcs.md 2b, 6, 8): the General-Signing APDU, then either
// a device signature (responses to signed commands, critical alerts: DF form) or the empty
// signature field and a MAC keyed device KA x recipient KA (DD form).
import { concatBytes, encode, fromHex, sign, wrapApdu } from "@opendcc/kernel";

export interface Addressing {
  readonly cra: 2 | 3;
  readonly counter: bigint;
  readonly originator: string;
  readonly recipient: string;
  /** Message code and any supplementary remote-party fields (a response echoes its command's). */
  readonly otherInfo: Uint8Array;
  /** The device's clock, when the message carries a date-time. */
  readonly dateTime: Date | null;
}

/** How the message is protected: the device's DS key (signed DF) or Z with the recipient (MAC'd DD). */
export type Protection = { readonly signWith: CryptoKey } | { readonly macWith: Uint8Array };

/** The 12-byte COSEM date-time of a UTC instant (weekday and deviation not given). */
export function cosemDateTime(at: Date, status = 0x00): Uint8Array {
  return encode((w) => w.cosemDateTime({
    year: at.getUTCFullYear(), month: at.getUTCMonth() + 1, day: at.getUTCDate(),
    hour: at.getUTCHours(), minute: at.getUTCMinutes(), second: at.getUTCSeconds(), hundredths: 0, status,
  }));
}

export async function deviceMessage(address: Addressing, content: Uint8Array, protection: Protection): Promise<Uint8Array> {
  const dateTime = address.dateTime ? cosemDateTime(address.dateTime) : null;
  const apdu = encode((w) => w.generalSigning({
    cra: address.cra, counter: address.counter, originator: fromHex(address.originator), recipient: fromHex(address.recipient),
    dateTime, otherInfo: address.otherInfo,
  }, (c) => c.bytes(content)));
  if ("signWith" in protection) {
    // gbcs.md 8: the signature covers the APDU from the byte after DF through the content.
    return concatBytes(apdu, Uint8Array.of(0x40), await sign(protection.signWith, apdu.subarray(1)));
  }
  return wrapApdu(protection.macWith, concatBytes(apdu, Uint8Array.of(0x00)));
}

export const messageCodeBytes = (code: number): Uint8Array => Uint8Array.of(code >> 8, code & 0xff);

/** Seconds since 2000-01-01T00:00:00Z (the ZigBee epoch GBZ and some DLMS fields use). */
export const zigbeeSeconds = (at: Date): number => Math.floor((at.getTime() - Date.UTC(2000, 0, 1)) / 1000);
