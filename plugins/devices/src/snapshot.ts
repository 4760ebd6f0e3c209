// Fleet snapshots (design: msgpackr for snapshots): the estate's typed arrays as raw bytes, the
// tables, the hot state of the devices that have one (counters, keys, logs, held commands), and
// what the emulated CSP holds for hubs whose WAN is down (devices' messages, firmware images), so
// a restart loses none of it. Trust anchors are not in it (they come from the plugin's options),
// nor the test CA (device certificates already issued are; devices made later are certified by
// the CA of the day).
import { Packr } from "msgpackr";
import { Estate, type HotState, type PendingCommand } from "./estate.js";

// One version for any snapshot this code reads exactly; fields added since are optional, so older
// snapshots still load. `held` (what the CSP holds) is left out when nothing is held: a snapshot
// without it loads with nothing held, and an idle estate's snapshot is as it was before `held`.
const VERSION = 1;
const packr = new Packr({ useRecords: false });

type Typed = Uint8Array | Uint16Array | Int32Array | Float64Array;
const ARRAYS = ["kind", "hub", "supply", "payment", "flags", "wan", "latency", "firmware", "tariff", "credit", "register", "since"] as const;

/** msgpackr gives Node Buffers (views of a shared pool): copy to plain, exact Uint8Arrays. */
const plain = (bytes: Uint8Array): Uint8Array<ArrayBuffer> => Uint8Array.from(bytes);

const bytesOf = (array: Typed, size: number): Uint8Array => new Uint8Array(array.buffer, array.byteOffset, size * array.BYTES_PER_ELEMENT).slice();

/** A message a device sent, waiting for its hub's WAN to come back. */
export interface HeldMessage {
  readonly deviceId: string;
  readonly gbcs: Uint8Array;
}

/** A firmware image the CSP has yet to take to a meter, waiting for its hub's WAN. */
export interface HeldFirmware {
  readonly deviceId: string;
  readonly image: Uint8Array;
}

/** What the CSP holds per hub (estate index of the CHF), each list in the order it was held. */
export interface CspHeld {
  readonly messages: ReadonlyMap<number, readonly HeldMessage[]>;
  readonly firmware: ReadonlyMap<number, readonly HeldFirmware[]>;
}

/** Per hub: [deviceId, bytes] pairs, in order. */
interface SavedHeld {
  readonly messages: [string, Uint8Array][];
  readonly firmware: [string, Uint8Array][];
}

interface SavedPending extends Omit<PendingCommand, "counter"> {
  readonly counter: string;
}

interface SavedHot extends Omit<HotState, "counters" | "alertCounter" | "lastTopUp" | "pending"> {
  readonly counters: [string, string][];
  readonly alertCounter: string;
  readonly lastTopUp: string;
  readonly pending: SavedPending[];
}

export function saveEstate(estate: Estate, csp: CspHeld): Uint8Array {
  const hot: [number, SavedHot][] = [...estate.hot].map(([index, h]) => [index, {
    ...h,
    counters: [...h.counters].map(([eui, counter]) => [eui, counter.toString()]),
    alertCounter: h.alertCounter.toString(),
    lastTopUp: h.lastTopUp.toString(),
    pending: h.pending.map((p) => ({ ...p, counter: p.counter.toString() })),
  }]);
  return packr.pack({
    version: VERSION,
    fleetBase: estate.fleetBase,
    size: estate.size,
    premises: estate.premises,
    arrays: Object.fromEntries(ARRAYS.map((name) => [name, bytesOf(estate[name], estate.size)])),
    explicit: [...estate.explicit],
    ranges: estate.ranges,
    firmwareVersions: estate.firmwareVersions,
    tariffs: estate.tariffs,
    hot,
    ...heldField(csp),
  });
}

function heldField(csp: CspHeld): { held?: [number, SavedHeld][] } {
  const hubs = new Set([...csp.messages.keys(), ...csp.firmware.keys()]);
  if (hubs.size === 0) return {};
  return {
    held: [...hubs].map((hub) => [hub, {
      messages: (csp.messages.get(hub) ?? []).map((m) => [m.deviceId, m.gbcs]),
      firmware: (csp.firmware.get(hub) ?? []).map((f) => [f.deviceId, f.image]),
    }]),
  };
}

export function restoreEstate(bytes: Uint8Array): { estate: Estate; csp: CspHeld } {
  const saved = packr.unpack(bytes) as {
    version: number; fleetBase: number; size: number; premises: number; arrays: Record<(typeof ARRAYS)[number], Uint8Array>;
    explicit: [string, number][]; ranges: Estate["ranges"]; firmwareVersions: string[]; tariffs: Estate["tariffs"]; hot: [number, SavedHot][];
    held?: [number, SavedHeld][];
  };
  if (saved.version !== VERSION) throw new Error(`snapshot version ${saved.version} is not ${VERSION}`);
  const estate = new Estate(saved.fleetBase);
  estate.reserve(saved.size);
  for (const name of ARRAYS) {
    const target = estate[name];
    const raw = saved.arrays[name];
    const aligned = plain(raw).buffer;
    target.set(new (target.constructor as new (buffer: ArrayBuffer) => Typed)(aligned) as never);
  }
  estate.size = saved.size;
  estate.premises = saved.premises;
  for (const [eui, index] of saved.explicit) {
    estate.explicit.set(eui, index);
    estate.explicitEuis.set(index, eui);
  }
  estate.ranges.push(...saved.ranges);
  estate.firmwareVersions.splice(0, estate.firmwareVersions.length, ...saved.firmwareVersions);
  estate.tariffs.splice(0, estate.tariffs.length, ...saved.tariffs);
  for (const [index, h] of saved.hot) {
    const pending: PendingCommand[] = h.pending.map((p) => ({ ...p, counter: BigInt(p.counter), alert: { ...p.alert, deferred: plain(p.alert.deferred) } }));
    const keys = h.keys && {
      kaCertificate: plain(h.keys.kaCertificate), kaPrivate: plain(h.keys.kaPrivate), dsCertificate: plain(h.keys.dsCertificate), dsPrivate: plain(h.keys.dsPrivate),
    };
    estate.hot.set(index, {
      ...h,
      keys,
      counters: new Map(h.counters.map(([eui, counter]) => [eui, BigInt(counter)])),
      alertCounter: BigInt(h.alertCounter),
      lastTopUp: BigInt(h.lastTopUp),
      pending,
    });
    if (pending.length > 0) estate.withPending.add(index);
  }
  for (let index = 0; index < estate.size; index++) if (estate.kind[index] && estate.payment[index] === 1) estate.prepaymentMeters.add(index);
  return { estate, csp: restoreHeld(saved.held ?? []) };
}

function restoreHeld(saved: [number, SavedHeld][]): CspHeld {
  const messages = new Map<number, HeldMessage[]>();
  const firmware = new Map<number, HeldFirmware[]>();
  for (const [hub, held] of saved) {
    if (held.messages.length > 0) messages.set(hub, held.messages.map(([deviceId, gbcs]) => ({ deviceId, gbcs: plain(gbcs) })));
    if (held.firmware.length > 0) firmware.set(hub, held.firmware.map(([deviceId, image]) => ({ deviceId, image: plain(image) })));
  }
  return { messages, firmware };
}
