// RequestID rules (seed 003 paragraph 134, duis.md 1.1 and 6): each originator's counters
// strictly increase, so a replay is refused. A Signed Pre-Command reuses the RequestID of the
// transform request whose Pre-Command it signs, once: device-services.ts checks that against the
// kept Pre-Commands, not here.

export interface RequestIdentity {
  readonly originator: string;
  readonly target: string;
  readonly counter: bigint;
}

export const formatRequestId = (id: RequestIdentity): string => `${id.originator}:${id.target}:${id.counter}`;

/**
 * Keeps each originator's requests in arrival order at the counter check, while their signatures
 * are verified concurrently: a client that sends counters in increasing order over several
 * connections is not refused as a replay because a later request's signature happened to verify
 * first. `enter` must be called in arrival order (synchronously, before any await).
 */
export class ArrivalOrder {
  private readonly tails = new Map<string, Promise<void>>();

  enter(key: string): { readonly ready: Promise<void>; leave(): void } {
    const previous = this.tails.get(key) ?? Promise.resolve();
    let leave: () => void = () => undefined;
    const done = new Promise<void>((resolve) => (leave = resolve));
    const tail = previous.then(() => done);
    this.tails.set(key, tail);
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return { ready: previous, leave };
  }
}

/**
 * Decides claims for every gateway instance sharing the store: true where the counter was above
 * every counter stored for its originator (and is now stored). One call carries many claims.
 */
export type SharedClaims = (claims: readonly RequestIdentity[]) => Promise<boolean[]>;

interface PendingClaim {
  readonly id: RequestIdentity;
  readonly resolve: (fresh: boolean) => void;
  readonly reject: (error: unknown) => void;
}

export class RequestCounters {
  private readonly highest = new Map<string, bigint>();
  private pending: PendingClaim[] = [];
  private claiming = false;

  /**
   * `onClaim` is called with each newly accepted highest counter (journaled with the request).
   * With `shared` (several instances on one store) a claim is decided by the store before the
   * request executes, because execution has effects that a lost claim could not undo (a schedule
   * made, events to plugins, a command sent to a device). Claims arriving together share one
   * round trip, as the journal's group commit does.
   */
  constructor(
    private readonly onClaim: (originator: string, counter: bigint) => void = () => undefined,
    private readonly shared: SharedClaims | null = null,
  ) {}

  /** The highest counter accepted from this originator, if any. */
  last(originator: string): bigint | undefined {
    return this.highest.get(originator);
  }

  /** Loads state as stored (restart, or another instance's claim). */
  restore(originator: string, counter: bigint): void {
    const current = this.highest.get(originator);
    if (current === undefined || counter > current) this.highest.set(originator, counter);
  }

  /**
   * A fresh request: true (and recorded) when its counter is above every earlier one. A counter
   * already known here to be used is refused at once; otherwise, with a shared store, the store
   * decides (a promise).
   */
  claim(id: RequestIdentity): boolean | Promise<boolean> {
    const last = this.highest.get(id.originator);
    if (last !== undefined && id.counter <= last) return false;
    if (this.shared) {
      return new Promise((resolve, reject) => {
        this.pending.push({ id, resolve, reject });
        if (!this.claiming) void this.claimPending();
      });
    }
    this.highest.set(id.originator, id.counter);
    this.onClaim(id.originator, id.counter);
    return true;
  }

  private async claimPending(): Promise<void> {
    this.claiming = true;
    while (this.pending.length > 0) {
      // One claim per originator per round: the store's upsert touches each row once.
      const round: PendingClaim[] = [];
      const later: PendingClaim[] = [];
      const originators = new Set<string>();
      for (const item of this.pending) {
        const last = this.highest.get(item.id.originator);
        if (last !== undefined && item.id.counter <= last) item.resolve(false);
        else if (originators.has(item.id.originator)) later.push(item);
        else {
          originators.add(item.id.originator);
          round.push(item);
        }
      }
      this.pending = later;
      try {
        const fresh = await (this.shared as SharedClaims)(round.map((item) => item.id));
        round.forEach((item, i) => {
          // Fresh or not, the store now holds at least this counter.
          this.restore(item.id.originator, item.id.counter);
          item.resolve(fresh[i] === true);
        });
      } catch (error) {
        round.forEach((item) => item.reject(error));
      }
    }
    this.claiming = false;
  }
}
