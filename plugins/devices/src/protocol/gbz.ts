// GBZ content (gas; ZigBee SE profile 0109, gbcs.md 4): components of control, cluster, length,
// ZCL header and payload; alerts of alert code and ZigBee time. Header integers are big-endian,
// ZCL payload fields little-endian.
import { encode, type GbcsWriter } from "@opendcc/kernel";

export const CONTROL = { last: 0x01, encrypted: 0x02 } as const;
/** ZCL frame control: profile-wide, server to client, no default response. */
export const SERVER_PROFILE_WIDE = 0x18;
/** ZCL frame control: cluster-specific, server to client. */
export const SERVER_CLUSTER_SPECIFIC = 0x09;

export interface Component {
  readonly cluster: number;
  readonly frameControl: number;
  readonly sequence: number;
  readonly commandId: number;
  /** The plaintext ZCL payload, or an encrypted block (31 00000000 ... tag) in place of it. */
  readonly payload: Uint8Array;
  readonly encrypted?: boolean;
}

export function gbzPayload(components: readonly Component[]): Uint8Array {
  return encode((w) => {
    w.hex("0109").byte(components.length);
    components.forEach((c, i) => writeComponent(w, c, i === components.length - 1));
  });
}

function writeComponent(w: GbcsWriter, c: Component, last: boolean): void {
  w.byte((last ? CONTROL.last : 0) | (c.encrypted ? CONTROL.encrypted : 0)).uint(c.cluster, 2);
  w.sized("u16", (body) => {
    // An encrypted component carries two header bytes (here zero) before the ZCL header, and the
    // block after a two-byte length (RTDS GCS13a).
    if (c.encrypted) body.byte(0).byte(0);
    body.byte(c.frameControl).byte(c.sequence).byte(c.commandId);
    if (c.encrypted) body.sized("u16", (block) => block.bytes(c.payload));
    else body.bytes(c.payload);
  });
}

/** A GBZ alert: 01 09, component count, alert code, ZigBee UTC time, then any extra bytes. */
export function gbzAlert(alertCode: number, zigbeeTime: number, components = 0, extra: Uint8Array = new Uint8Array(0)): Uint8Array {
  return encode((w) => w.hex("0109").byte(components).uint(alertCode, 2).uint(zigbeeTime, 4).bytes(extra));
}

/** ZCL Default Response payload: the command answered and its status. */
export const defaultResponse = (commandId: number, status: number): Uint8Array => Uint8Array.of(commandId, status);
