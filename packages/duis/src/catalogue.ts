// The DUIS Service Reference Variant catalogue: the 129 SRVs of the DUIS schema, with the facts
// parsing and validation need (duis.md 1.2-1.4). The data is generated (catalogue-data.ts).
import { SRV_ROWS } from "./catalogue-data.js";
import type { CommandVariant } from "./model.js";

export interface SrvInfo {
  /** "4.1.1" */
  readonly srv: string;
  /** "4.1" */
  readonly serviceReference: string;
  /** The Body child for CV 1-4 and 8, e.g. "ReadInstantaneousImportRegisters". */
  readonly bodyElement: string;
  /** DUIS critical: CV 4-7. */
  readonly critical: boolean;
  /** DUIS non-device request: CV 8, target the DCC. */
  readonly nonDevice: boolean;
  /** The body (and a SignedPreCommand for it) may carry an ExecutionDateTime. */
  readonly executionDateTimeAllowed: boolean;
  /** DUIS name of the variant. */
  readonly name: string;
}

const BY_SRV: ReadonlyMap<string, SrvInfo> = new Map(SRV_ROWS.map((row) => [row.srv, row]));

/** Every SRV, in catalogue order. */
export const SRV_CATALOGUE: readonly SrvInfo[] = SRV_ROWS;

export function srvInfo(srv: string): SrvInfo | undefined {
  return BY_SRV.get(srv);
}

/** CVs allowed for an SRV: {1,2,3} non-critical device, {4,5,6,7} critical, {8} non-device (duis.md 1.2). */
export function allowedCommandVariants(info: SrvInfo): readonly CommandVariant[] {
  return info.nonDevice ? [8] : info.critical ? [4, 5, 6, 7] : [1, 2, 3];
}

/** The DCC Boxed endpoint each CV is sent to (duis.md 1.2 and 5). */
export type Endpoint = "serviceS" | "serviceT" | "serviceD";

export function endpointFor(cv: CommandVariant): Endpoint {
  return cv === 4 ? "serviceT" : cv === 2 || cv === 6 || cv === 8 ? "serviceD" : "serviceS";
}
