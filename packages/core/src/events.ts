// The event bus: every step of a Service Request emits an event (design: step 8); plugins and
// the store subscribe. A subscriber that throws is isolated: the error is reported, the emitter
// and the other subscribers carry on.
import type { DeviceRecord } from "./inventory.js";

export interface DccEvents {
  "request.accepted": { readonly requestId: string; readonly srv: string; readonly userId: string; readonly responseCode: string };
  "request.rejected": { readonly requestId: string | null; readonly srv: string | null; readonly responseCode: string; readonly reason: string };
  "request.quarantined": { readonly requestId: string; readonly srv: string; readonly userId: string; readonly reason: string };
  "command.sent": { readonly requestId: string; readonly deviceId: string; readonly srv: string };
  "response.received": { readonly requestId: string; readonly deviceId: string; readonly responseCode: string };
  "alert.raised": { readonly deviceId: string | null; readonly alertCode: string; readonly userIds: readonly string[] };
  "inventory.changed": { readonly before: DeviceRecord | null; readonly after: DeviceRecord; readonly reason: string };
}

export type DccEventName = keyof DccEvents;
export type DccEventHandler<E extends DccEventName> = (event: DccEvents[E]) => void | Promise<void>;

export class EventBus {
  private readonly handlers = new Map<DccEventName, Set<DccEventHandler<never>>>();

  constructor(private readonly onHandlerError: (event: DccEventName, error: unknown) => void = () => undefined) {}

  on<E extends DccEventName>(event: E, handler: DccEventHandler<E>): () => void {
    const set = this.handlers.get(event) ?? new Set();
    set.add(handler as DccEventHandler<never>);
    this.handlers.set(event, set);
    return () => set.delete(handler as DccEventHandler<never>);
  }

  /** Delivers to every handler; never throws and never waits for async handlers. */
  emit<E extends DccEventName>(event: E, payload: DccEvents[E]): void {
    for (const handler of this.handlers.get(event) ?? []) {
      try {
        const result = (handler as DccEventHandler<E>)(payload);
        if (result instanceof Promise) result.catch((error: unknown) => this.onHandlerError(event, error));
      } catch (error) {
        this.onHandlerError(event, error);
      }
    }
  }
}
