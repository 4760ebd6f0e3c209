// RequestID rules (seed 003 paragraph 134, duis.md 1.1 and 6): each originator's counters
// strictly increase, so a replay is refused; a Signed Pre-Command reuses the RequestID of the
// transform request whose Pre-Command it signs, once.

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

export class RequestCounters {
  private readonly highest = new Map<string, bigint>();
  private readonly awaitingSignature = new Set<string>();

  /** Called with each newly accepted highest counter. */
  constructor(private readonly onClaim: (originator: string, counter: bigint) => void = () => undefined) {}

  /** The highest counter accepted from this originator, if any. */
  last(originator: string): bigint | undefined {
    return this.highest.get(originator);
  }

  /** Loads state as stored (restart). */
  restore(originator: string, counter: bigint): void {
    const current = this.highest.get(originator);
    if (current === undefined || counter > current) this.highest.set(originator, counter);
  }

  /** A fresh request: true (and recorded) when its counter is above every earlier one. */
  claim(id: RequestIdentity): boolean {
    const last = this.highest.get(id.originator);
    if (last !== undefined && id.counter <= last) return false;
    this.highest.set(id.originator, id.counter);
    this.onClaim(id.originator, id.counter);
    return true;
  }

  /** A Pre-Command was issued for this RequestID: its Signed Pre-Command may reuse it once. */
  expectSignature(id: RequestIdentity): void {
    this.awaitingSignature.add(formatRequestId(id));
  }

  /** A Signed Pre-Command: true (and consumed) when a Pre-Command awaits it. */
  claimSigned(id: RequestIdentity): boolean {
    return this.awaitingSignature.delete(formatRequestId(id));
  }
}
