// Sliding-window counters in the kernel, against a plain JS model of the same windows.
import { describe, expect, it } from "vitest";
import { SlidingWindowCounter } from "../src/index.js";

describe("SlidingWindowCounter", () => {
  it("allows up to the limit within a window and refuses beyond it", () => {
    const counter = new SlidingWindowCounter({ windowMs: 60_000, buckets: 60 });
    const t0 = Date.UTC(2026, 10, 23, 12, 0, 0);
    for (let i = 0; i < 5; i++) expect(counter.hit("user/4.1.1", t0 + i * 1000, 5)).toBe(true);
    expect(counter.hit("user/4.1.1", t0 + 5000, 5)).toBe(false);
    expect(counter.count("user/4.1.1", t0 + 5000)).toBe(5);
    // another key has its own allowance
    expect(counter.hit("user/8.2", t0 + 5000, 5)).toBe(true);
    // the oldest hit leaves the window 60 s later, making room for exactly one more
    expect(counter.hit("user/4.1.1", t0 + 60_000, 5)).toBe(true);
    expect(counter.hit("user/4.1.1", t0 + 60_500, 5)).toBe(false);
    // a long quiet spell empties the window
    expect(counter.count("user/4.1.1", t0 + 10 * 60_000)).toBe(0);
  });

  it("matches a JS model of bucketed windows over 20,000 random events and keeps state across growth", () => {
    const spec = { windowMs: 10_000, buckets: 10 };
    const counter = new SlidingWindowCounter(spec, 4);
    const model = new Map<string, number[]>(); // accepted event bucket indexes per key
    let seed = 42;
    const random = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);
    let now = 1_700_000_000_000;
    for (let i = 0; i < 20_000; i++) {
      now += Math.floor(random() * 400);
      const key = `k${Math.floor(random() * 40)}`;
      const limit = 3 + Math.floor(random() * 5);
      const bucket = Math.floor(now / 1000);
      const live = (model.get(key) ?? []).filter((b) => b > bucket - spec.buckets);
      const expected = live.length < limit;
      if (expected) live.push(bucket);
      model.set(key, live);
      expect(counter.hit(key, now, limit), `event ${i}`).toBe(expected);
    }
  });
});
