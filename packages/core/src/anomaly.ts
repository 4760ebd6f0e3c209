// Anomaly detection (seed 003 paragraph 134, footnote 14: numeric thresholds above which
// transaction volumes are anomalous and quarantined; the DUG CoCo's throughput controls).
// Counting runs in the kernel; thresholds are configurable per user and SRV, the most specific
// one winning: user + SRV, then SRV, then user, then the default.
import { SlidingWindowCounter } from "@opendcc/kernel";

export interface AnomalyThreshold {
  /** Applies to this user only (EUI-64); all users when absent. */
  readonly userId?: string;
  /** Applies to this SRV only; all SRVs when absent. */
  readonly srv?: string;
  /** The sliding window, e.g. 60_000 for a per-minute throughput control. */
  readonly windowMs: number;
  /** Most requests allowed in any window of that length. */
  readonly limit: number;
}

/** A default that no test fleet reaches by accident and a runaway client hits in seconds. */
export const DEFAULT_THRESHOLDS: readonly AnomalyThreshold[] = [
  { windowMs: 60_000, limit: 60_000 },
  { windowMs: 86_400_000, limit: 10_000_000 },
];

export interface AnomalyVerdict {
  readonly ok: boolean;
  /** The threshold breached, when not ok. */
  readonly threshold?: AnomalyThreshold;
}

/** Counted for one user and SRV over all instances, as last read, plus this instance's hits since. */
interface SharedCount {
  readonly totals: Map<number, number>;
  since: number;
}

export class AnomalyDetector {
  private readonly windows = new Map<number, SlidingWindowCounter>();
  private thresholds: readonly AnomalyThreshold[] = [];
  private readonly listeners: ((thresholds: readonly AnomalyThreshold[]) => void)[] = [];
  /** Several instances on one store: where each counted request goes, and the totals last read. */
  private sharedHits: ((userId: string, srv: string, atMs: number, windowsMs: readonly number[]) => void) | null = null;
  private readonly sharedView = new Map<string, Map<string, SharedCount>>();

  constructor(thresholds: readonly AnomalyThreshold[] = DEFAULT_THRESHOLDS) {
    this.configure(thresholds);
  }

  onChange(listener: (thresholds: readonly AnomalyThreshold[]) => void): void {
    this.listeners.push(listener);
  }

  /** Replaces the thresholds; counts already made are kept. */
  configure(thresholds: readonly AnomalyThreshold[]): void {
    for (const t of thresholds) {
      if (!(t.windowMs >= 1000) || !(t.limit >= 0)) throw new RangeError(`threshold ${JSON.stringify(t)}: windowMs must be >= 1000 and limit >= 0`);
      if (!this.windows.has(t.windowMs)) this.windows.set(t.windowMs, new SlidingWindowCounter({ windowMs: t.windowMs, buckets: 60 }));
    }
    this.thresholds = [...thresholds];
    this.listeners.forEach((l) => l(this.thresholds));
  }

  current(): readonly AnomalyThreshold[] {
    return this.thresholds;
  }

  /** The window lengths counted. */
  windowsMs(): number[] {
    return [...this.windows.keys()];
  }

  /**
   * Several gateway instances on one store: each counted request is also handed to `onHit` (it is
   * added to shared per user, SRV and window-bucket counts in the request's group commit), and
   * `observe` gives the totals over all instances. A verdict then uses the larger of this
   * instance's own count and (totals last observed + this instance's hits since).
   */
  share(onHit: (userId: string, srv: string, atMs: number, windowsMs: readonly number[]) => void): void {
    this.sharedHits = onHit;
  }

  /** Totals over all instances for one user, just read from the store: they replace what was known. */
  observe(userId: string, totals: readonly { readonly srv: string; readonly windowMs: number; readonly count: number }[]): void {
    const view = new Map<string, SharedCount>();
    for (const { srv, windowMs, count } of totals) {
      const entry = view.get(srv) ?? { totals: new Map<number, number>(), since: 0 };
      entry.totals.set(windowMs, count);
      view.set(srv, entry);
    }
    this.sharedView.set(userId, view);
  }

  /**
   * Counts one request of `userId` for `srv` at `nowMs` against every window, unless it would breach
   * one, in which case nothing is counted and the breached threshold is returned.
   */
  check(userId: string, srv: string, nowMs: number): AnomalyVerdict {
    const key = `${userId}/${srv}`;
    const applicable = [...this.windows.keys()].flatMap((windowMs) => {
      const threshold = this.mostSpecific(userId, srv, windowMs);
      return threshold ? [{ threshold, counter: this.windows.get(windowMs) as SlidingWindowCounter }] : [];
    });
    const shared = this.sharedHits ? this.sharedView.get(userId)?.get(srv) : undefined;
    const counted = (windowMs: number, counter: SlidingWindowCounter) => {
      const local = counter.count(key, nowMs);
      return shared ? Math.max(local, (shared.totals.get(windowMs) ?? 0) + shared.since) : local;
    };
    const breached = applicable.find(({ threshold, counter }) => counted(threshold.windowMs, counter) >= threshold.limit);
    if (breached) return { ok: false, threshold: breached.threshold };
    for (const { threshold, counter } of applicable) counter.hit(key, nowMs, threshold.limit);
    if (this.sharedHits) {
      const view = this.sharedView.get(userId) ?? new Map<string, SharedCount>();
      const entry = view.get(srv) ?? { totals: new Map<number, number>(), since: 0 };
      entry.since++;
      view.set(srv, entry);
      this.sharedView.set(userId, view);
      this.sharedHits(userId, srv, nowMs, applicable.map(({ threshold }) => threshold.windowMs));
    }
    return { ok: true };
  }

  private mostSpecific(userId: string, srv: string, windowMs: number): AnomalyThreshold | undefined {
    const rank = (t: AnomalyThreshold) => (t.userId ? 1 : 0) + (t.srv ? 2 : 0);
    return this.thresholds
      .filter((t) => t.windowMs === windowMs && (!t.userId || t.userId === userId) && (!t.srv || t.srv === srv))
      .sort((a, b) => rank(b) - rank(a))[0];
  }
}
