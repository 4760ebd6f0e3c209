// GBZ, the ZigBee Smart Energy payload of gas use cases (gbcs.md section 4): profile 0109, a
// component count, then components of control, cluster, length, optional from-date-time, the ZCL
// header and its payload (little-endian fields).
import type { GbcsWriter } from "@opendcc/kernel";

/** Seconds since 2000-01-01T00:00:00Z, the ZigBee UTC time. */
export function zigbeeTime(date: Date): number {
  return Math.floor((date.getTime() - Date.UTC(2000, 0, 1)) / 1000);
}

export interface GbzComponent {
  readonly cluster: number;
  /** ZCL frame control: 00 profile-wide, 01 cluster-specific (client to server). */
  readonly frameControl: number;
  readonly sequence: number;
  readonly commandId: number;
  /** Future-dated components carry the time they take effect (control bit 10). */
  readonly fromDateTime?: Date | null;
  readonly payload: (writer: GbcsWriter) => void;
}

const LAST_COMPONENT = 0x01;
const FROM_DATE_TIME = 0x10;

export function writeGbz(writer: GbcsWriter, components: readonly GbzComponent[]): void {
  writer.byte(0x01).byte(0x09).byte(components.length);
  components.forEach((component, i) => {
    const control = (i === components.length - 1 ? LAST_COMPONENT : 0) | (component.fromDateTime ? FROM_DATE_TIME : 0);
    writer.byte(control).uint(component.cluster, 2).sized("u16", (body) => {
      if (component.fromDateTime) body.uint(zigbeeTime(component.fromDateTime), 4);
      body.byte(component.frameControl).byte(component.sequence).byte(component.commandId);
      component.payload(body);
    });
  });
}
