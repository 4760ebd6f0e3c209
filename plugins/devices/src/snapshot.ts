// Fleet snapshots (design: msgpackr for snapshots): the estate's typed arrays as raw bytes, the
// tables, and the hot state of the devices that have one (counters, keys, logs, held commands).
// Trust anchors are not in it (they come from the plugin's options), nor the test CA (device
// certificates already issued are; devices made later are certified by the CA of the day).
import { Packr } from "msgpackr";
import { Estate, type HotState, type PendingCommand } from "./estate.js";

const VERSION = 1;
const packr = new Packr({ useRecords: false });

type Typed = Uint8Array | Uint16Array | Int32Array | Float64Array;
const ARRAYS = ["kind", "hub", "supply", "payment", "flags", "wan", "latency", "firmware", "tariff", "credit", "register", "since"] as const;

/** msgpackr gives Node Buffers (views of a shared pool): copy to plain, exact Uint8Arrays. */
const plain = (bytes: Uint8Array): Uint8Array<ArrayBuffer> => Uint8Array.from(bytes);

const bytesOf = (array: Typed, size: number): Uint8Array => new Uint8Array(array.buffer, array.byteOffset, size * array.BYTES_PER_ELEMENT).slice();

interface SavedPending extends Omit<PendingCommand, "counter"> {
  readonly counter: string;
}

interface SavedHot extends Omit<HotState, "counters" | "alertCounter" | "lastTopUp" | "pending"> {
  readonly counters: [string, string][];
  readonly alertCounter: string;
  readonly lastTopUp: string;
  readonly pending: SavedPending[];
}

export function saveEstate(estate: Estate): Uint8Array {
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
  });
}

export function restoreEstate(bytes: Uint8Array): Estate {
  const saved = packr.unpack(bytes) as {
    version: number; fleetBase: number; size: number; premises: number; arrays: Record<(typeof ARRAYS)[number], Uint8Array>;
    explicit: [string, number][]; ranges: Estate["ranges"]; firmwareVersions: string[]; tariffs: Estate["tariffs"]; hot: [number, SavedHot][];
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
  return estate;
}
