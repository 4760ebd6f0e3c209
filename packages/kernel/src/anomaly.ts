// Sliding-window request counters for anomaly detection, counted in the kernel
// (assembly/anomaly.ts). One counter set per window (e.g. a minute and a day); one slot per key
// (user x SRV). The table lives in kernel memory for the life of the process.
import { io, wasm } from "./wasm-exports.js";

export interface WindowSpec {
  /** Window length in milliseconds. */
  readonly windowMs: number;
  /** Buckets the window slides by: more is smoother and costs more memory. */
  readonly buckets: number;
}

export class SlidingWindowCounter {
  private readonly bucketMs: number;
  private readonly slots = new Map<string, number>();
  private table = 0;
  private capacity = 0;

  constructor(readonly spec: WindowSpec, initialSlots = 1024) {
    if (!(spec.buckets >= 1 && spec.windowMs >= spec.buckets)) throw new RangeError("a window needs at least one bucket of at least 1 ms");
    this.bucketMs = spec.windowMs / spec.buckets;
    this.grow(initialSlots);
  }

  /** Counts one event for `key` at `nowMs` if the window stays within `limit`; false when over. */
  hit(key: string, nowMs: number, limit: number): boolean {
    const slot = this.slot(key); // first: it may move the table
    return wasm.anomalyHit(this.table, slot, this.spec.buckets, Math.floor(nowMs / this.bucketMs), limit >>> 0) === 1;
  }

  /** Events counted for `key` in the window ending at `nowMs`. */
  count(key: string, nowMs: number): number {
    const slot = this.slots.get(key);
    return slot === undefined ? 0 : wasm.anomalyCount(this.table, slot, this.spec.buckets, Math.floor(nowMs / this.bucketMs));
  }

  private slot(key: string): number {
    let slot = this.slots.get(key);
    if (slot === undefined) {
      slot = this.slots.size;
      if (slot >= this.capacity) this.grow(this.capacity * 2);
      this.slots.set(key, slot);
    }
    return slot;
  }

  // Moves the table to a region twice the size; the old region is left behind (growth is rare
  // and doubling bounds the waste to the size of the live table).
  private grow(slots: number): void {
    const bytes = wasm.anomalyTableSize(slots, this.spec.buckets);
    const table = io.claimPersistent(bytes);
    if (this.capacity > 0) {
      const used = wasm.anomalyTableSize(this.capacity, this.spec.buckets);
      io.bytes().copyWithin(table, this.table, this.table + used);
    }
    this.table = table;
    this.capacity = slots;
  }
}
