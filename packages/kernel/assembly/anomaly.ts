// Anomaly detection counters (seed 003 paragraph 134 and footnote 14: numeric thresholds above
// which transaction volumes are anomalous): sliding-window counts per slot (one slot per
// user x SRV), kept in a table the caller places in linear memory.
//
// A window of `buckets` buckets, each `bucketMs` wide, slides with time: a slot's count is the
// sum of the buckets whose start lies within the last window. Slot layout (bytes):
//   0   i64  absolute index of the newest bucket touched
//   8   u32  running total of the live buckets
//   12  u32  padding
//   16  u32 x buckets  bucket counts, a ring indexed by absolute bucket % buckets

@inline function slotSize(buckets: i32): usize {
  return 16 + (<usize>buckets << 2);
}

/** Bytes a table of `slots` slots needs. */
export function anomalyTableSize(slots: i32, buckets: i32): usize {
  return <usize>slots * slotSize(buckets);
}

// Slides the slot's window forward to bucket `now`, dropping buckets that left it.
function advance(slot: usize, buckets: i32, now: i64): void {
  const last = load<i64>(slot);
  if (now <= last) return;
  const counts = slot + 16;
  if (now - last >= <i64>buckets) {
    memory.fill(counts, 0, <usize>buckets << 2);
    store<u32>(slot + 8, 0);
  } else {
    let total = load<u32>(slot + 8);
    for (let b = last + 1; b <= now; b++) {
      const at = counts + (<usize>(b % <i64>buckets) << 2);
      total -= load<u32>(at);
      store<u32>(at, 0);
    }
    store<u32>(slot + 8, total);
  }
  store<i64>(slot, now);
}

/**
 * Counts one request in slot `index` in bucket `nowBucket` (time / bucket width, floored; an f64
 * so JS passes a plain number) unless that would take the window's total over `limit`.
 * Returns 1 when counted (within threshold), 0 when over (not counted).
 */
export function anomalyHit(table: usize, index: i32, buckets: i32, nowBucket: f64, limit: u32): i32 {
  const slot = table + <usize>index * slotSize(buckets);
  const now = <i64>nowBucket;
  advance(slot, buckets, now);
  const total = load<u32>(slot + 8);
  if (total >= limit) return 0;
  const at = slot + 16 + (<usize>(now % <i64>buckets) << 2);
  store<u32>(at, load<u32>(at) + 1);
  store<u32>(slot + 8, total + 1);
  return 1;
}

/** The slot's count over the window ending in bucket `nowBucket`. */
export function anomalyCount(table: usize, index: i32, buckets: i32, nowBucket: f64): u32 {
  const slot = table + <usize>index * slotSize(buckets);
  advance(slot, buckets, <i64>nowBucket);
  return load<u32>(slot + 8);
}
