// DLMS ACCESS.request as GBCS carries it (gbcs.md section 4): D9, invoke-id, no date-time, the
// list of request specs, then the list of data. Shared by every ESME and CHF use case.
import { fromHex, type GbcsWriter } from "@opendcc/kernel";
import { TransformError } from "./types.js";

export type DlmsAccess = "get" | "set" | "action" | "getWithSelection";
const ACCESS_CHOICE: Record<DlmsAccess, number> = { get: 1, set: 2, action: 3, getWithSelection: 4 };

export interface DlmsRequestSpec {
  readonly access: DlmsAccess;
  readonly classId: number;
  /** OBIS as "A-B:C.D.E.F" or 12 hex digits. */
  readonly obis: string;
  /** Attribute id (get/set) or method id (action). */
  readonly id: number;
  /** The selective-access descriptor of a get-with-selection. */
  readonly selection?: (writer: GbcsWriter) => void;
}

/** DLMS invoke-id: 20 then the low 24 bits of the GBCS originator counter (gbcs.md 2b). */
export function invokeId(counter: bigint): number {
  return (0x20000000 | Number(counter & 0xffffffn)) >>> 0;
}

/** An OBIS code's six bytes. */
export function obis(code: string): Uint8Array {
  if (/^[0-9a-fA-F]{12}$/.test(code)) return fromHex(code);
  const parts = /^(\d+)-(\d+):(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(code);
  if (!parts) throw new TransformError(`"${code}" is not an OBIS code`);
  return Uint8Array.from(parts.slice(1).map(Number));
}

/**
 * Writes the whole ACCESS.request: `data` writes one Data item per request spec that carries
 * one (set, action), in the same order; a get writes nothing there (its entry is null-data).
 */
export function writeDlmsRequest(writer: GbcsWriter, counter: bigint, specs: readonly DlmsRequestSpec[], data: readonly ((writer: GbcsWriter) => void)[]): void {
  writer.byte(0xd9).uint(invokeId(counter), 4).byte(0x00);
  writer.length(specs.length);
  for (const spec of specs) {
    writer.byte(ACCESS_CHOICE[spec.access]).uint(spec.classId, 2).bytes(obis(spec.obis)).byte(spec.id);
    if (spec.access === "getWithSelection") {
      if (!spec.selection) throw new TransformError("a get-with-selection needs a selective-access descriptor");
      spec.selection(writer);
    }
  }
  writer.length(data.length);
  for (const item of data) item(writer);
}
