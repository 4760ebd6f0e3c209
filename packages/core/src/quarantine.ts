// Requests held by anomaly detection (seed 003 paragraph 135): kept, not executed, listed, and
// released or deleted by an operator.

export interface QuarantinedRequest {
  readonly id: number;
  readonly at: string;
  readonly requestId: string;
  readonly srv: string;
  readonly userId: string;
  readonly endpoint: string;
  readonly reason: string;
  readonly xml: string;
}

export class Quarantine {
  private readonly held = new Map<number, QuarantinedRequest>();
  private nextId = 1;

  /** `ids`: where ids come from when several instances share the store (else a counter here). */
  constructor(
    private readonly onChange: (change: { held: QuarantinedRequest } | { taken: number }) => void = () => undefined,
    private readonly ids: (() => number) | null = null,
  ) {}

  hold(entry: Omit<QuarantinedRequest, "id">): QuarantinedRequest {
    const held = { ...entry, id: this.ids ? this.ids() : this.nextId++ };
    this.held.set(held.id, held);
    this.onChange({ held });
    return held;
  }

  /** Loads a held request as stored (restart). */
  restore(held: QuarantinedRequest): void {
    this.held.set(held.id, held);
    this.nextId = Math.max(this.nextId, held.id + 1);
  }

  list(): QuarantinedRequest[] {
    return [...this.held.values()];
  }

  get(id: number): QuarantinedRequest | undefined {
    return this.held.get(id);
  }

  /** Another instance took it out of quarantine: forgotten here without a change. */
  forget(id: number): void {
    this.held.delete(id);
  }

  /** Takes the request out of quarantine (to execute it, or to drop it). */
  take(id: number): QuarantinedRequest | undefined {
    const held = this.held.get(id);
    if (!held) return undefined;
    this.held.delete(id);
    this.onChange({ taken: id });
    return held;
  }
}
