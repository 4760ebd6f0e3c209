// DLMS COSEM content a device answers with (gbcs.md 4): ACCESS.response (DA) and the
// DATA-NOTIFICATION (0F) of alerts. Invoke-id = 20 + the low 24 bits of the header counter.
import { DLMS, encode, type GbcsWriter } from "@opendcc/kernel";
import { cosemDateTime } from "./frames.js";

/** Access choices as request and response specs number them. */
export const ACCESS = { get: 1, set: 2, action: 3 } as const;
/** DLMS data-access / action results the emulator uses. */
export const RESULT = { success: 0, hardwareFault: 1, otherReason: 250 } as const;

export interface AccessResult {
  readonly choice: (typeof ACCESS)[keyof typeof ACCESS];
  readonly result: number;
  /** The returned data; null (00) when absent. */
  readonly data?: (w: GbcsWriter) => void;
}

export function writeInvokeId(w: GbcsWriter, counter: bigint): void {
  w.byte(0x20).uint(counter & 0xffffffn, 3);
}

/** DA invoke-id 00 00, the list of data, then the list of (choice, result). */
export function accessResponse(counter: bigint, results: readonly AccessResult[]): Uint8Array {
  return encode((w) => {
    w.byte(0xda);
    writeInvokeId(w, counter);
    w.byte(0x00).byte(0x00).length(results.length);
    for (const r of results) {
      if (r.data) r.data(w);
      else w.dlmsNull();
    }
    w.length(results.length);
    for (const r of results) w.byte(r.choice).byte(r.result);
  });
}

/** 0F invoke-id 00, then structure { alert code, date-time, items... } (alerts, 0x00CC, 0x1000/1). */
export function notification(counter: bigint, alertCode: number, at: Date, items: readonly ((w: GbcsWriter) => void)[] = []): Uint8Array {
  const time = cosemDateTime(at, 0xff);
  return encode((w) => {
    w.byte(0x0f);
    writeInvokeId(w, counter);
    w.byte(0x00).dlmsStructure(2 + items.length).dlmsNumber(DLMS.uint16, alertCode).dlmsOctets(time);
    for (const item of items) item(w);
  });
}
