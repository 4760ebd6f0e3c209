// GBZ, the ZigBee Smart Energy payload of gas use cases (gbcs.md section 4): profile 0109, a
// component count, then components of control, cluster, length, optional from-date-time, the ZCL
// header and its payload (little-endian fields).
import type { GbcsWriter } from "@opendcc/kernel";
import { TransformError, type EncodeContext } from "./types.js";

const ZIGBEE_EPOCH = Date.UTC(2000, 0, 1);
/** The largest UTC time ZigBee can carry; later dates (DUIS "3000-12-31") saturate to it. */
const LATEST_ZIGBEE_TIME = 0xfffffffe;

/** Seconds since 2000-01-01T00:00:00Z, the ZigBee UTC time (saturating at FFFFFFFE). */
export function zigbeeTime(date: Date): number {
  const seconds = Math.floor((date.getTime() - ZIGBEE_EPOCH) / 1000);
  if (seconds < 0) throw new TransformError(`${date.toISOString()} is before 2000, outside ZigBee UTC time`);
  return Math.min(seconds, LATEST_ZIGBEE_TIME);
}

/** ZCL frame control (ZCL 2.4.1.1): 00 profile-wide, 01 cluster-specific; 08 server to client. */
export const ZCL = { profileWide: 0x00, clusterSpecific: 0x01, serverToClient: 0x09 } as const;

export interface GbzComponent {
  readonly cluster: number;
  readonly frameControl: number;
  readonly commandId: number;
  /** Future-dated components carry the ZigBee time they take effect (control bit 10). */
  readonly fromTime?: number;
  readonly payload: (writer: GbcsWriter) => void;
}

const LAST_COMPONENT = 0x01;
const FROM_DATE_TIME = 0x10;

/**
 * Writes the GBZ payload. The ZCL sequence number of each component is its index, as in every
 * RTDS command.
 */
export function writeGbz(writer: GbcsWriter, components: readonly GbzComponent[]): void {
  if (components.length === 0 || components.length > 0xff) throw new TransformError(`a GBZ payload holds 1..255 components, not ${components.length}`);
  writer.byte(0x01).byte(0x09).byte(components.length);
  components.forEach((component, i) => {
    const control = (i === components.length - 1 ? LAST_COMPONENT : 0) | (component.fromTime !== undefined ? FROM_DATE_TIME : 0);
    writer.byte(control).uint(component.cluster, 2).sized("u16", (body) => {
      if (component.fromTime !== undefined) body.uint(component.fromTime, 4);
      body.byte(component.frameControl).byte(i).byte(component.commandId);
      component.payload(body);
    });
  });
}

/** A ZCL Read Attributes of one cluster (attribute ids little-endian). */
export function readAttributes(cluster: number, attributes: readonly number[]): GbzComponent {
  return { cluster, frameControl: ZCL.profileWide, commandId: 0x00, payload: (w) => attributes.forEach((id) => w.uintLe(id, 2)) };
}

/** A cluster-specific command, client to server (Prepayment, Metering, Calendar gets). */
export function clientCommand(cluster: number, commandId: number, payload: (w: GbcsWriter) => void, fromTime?: number): GbzComponent {
  return fromTime === undefined
    ? { cluster, frameControl: ZCL.clusterSpecific, commandId, payload }
    : { cluster, frameControl: ZCL.clusterSpecific, commandId, payload, fromTime };
}

/** A cluster-specific command, server to client (the publish commands of Price, Calendar, ...). */
export function serverCommand(cluster: number, commandId: number, payload: (w: GbcsWriter) => void): GbzComponent {
  return { cluster, frameControl: ZCL.serverToClient, commandId, payload };
}

/** A ZCL octet / character string: one length byte, then the bytes. */
export function zclString(writer: GbcsWriter, value: string | Uint8Array, field: string, maxLength = 0xfe): void {
  const bytes = typeof value === "string" ? new TextEncoder().encode(value) : value;
  if (bytes.length > maxLength) throw new TransformError(`${field} is ${bytes.length} bytes; at most ${maxLength} fit`, field);
  writer.byte(bytes.length).bytes(bytes);
}

/** ZCL Date (ZCL 2.5.2.x): year - 1900, month, day of month, day of week; FF = any. */
export interface ZclDate {
  readonly year?: number;
  readonly month?: number;
  readonly day?: number;
  readonly weekday?: number;
}

export function zclDate(writer: GbcsWriter, date: ZclDate): void {
  writer.byte(date.year === undefined ? 0xff : date.year - 1900).byte(date.month ?? 0xff).byte(date.day ?? 0xff).byte(date.weekday ?? 0xff);
}

/** The DUIS date that cancels a future-dated request (duis.md 1.4). */
const CANCELLATION = Date.UTC(3000, 11, 31);

/** How a request's ExecutionDateTime reaches the device. */
export type Execution = { readonly kind: "now" } | { readonly kind: "cancel" } | { readonly kind: "at"; readonly time: number };

export function executionOf(context: EncodeContext): Execution {
  const at = context.executionDateTime;
  if (!at) return { kind: "now" };
  if (at.getTime() === CANCELLATION) return { kind: "cancel" };
  return { kind: "at", time: zigbeeTime(at) };
}

/**
 * The implementation / start time field of a future-datable command: 0 = now, the ZigBee time,
 * or the cancellation marker (FFFFFFFF in Price, Prepayment and Metering; FFFFFFFE in Calendar,
 * as the RTDS cancellation vectors show).
 */
export function startTime(context: EncodeContext, cancelMarker: 0xffffffff | 0xfffffffe = 0xffffffff): number {
  const execution = executionOf(context);
  return execution.kind === "now" ? 0 : execution.kind === "cancel" ? cancelMarker : execution.time;
}

/**
 * The Issuer Event ID (ZSE): the DCC's UTC time of issue. The RTDS was generated with the clock at
 * 2015-01-01T00:00:00Z, so every vector carries 1C374A80; the transform has no clock of its own.
 */
export const ISSUER_EVENT_ID = zigbeeTime(new Date(Date.UTC(2015, 0, 1)));
