// Delivery of asynchronous Service Responses and Alerts (issue: the synchronous answer is only the
// acknowledgement). Each user has an outbox, kept in order: the DCC pushes its head to the user's
// registered endpoint as DUIS XML signed by the DCC (a DCC Boxed client answers 2xx), retrying
// with exponential backoff; the user can also fetch what is waiting (pull) and acknowledge it.
//
// Several instances on one store: each user's outbox is pushed by one instance at a time, the
// holder of a lease on it in the store (taken over when it expires, so a killed instance's
// outboxes are pushed by another), reading the head from the store in commit order and deleting
// it durably before pushing the next. Exactly once and in order, except for one case no HTTP
// push can close: an instance killed after the endpoint answered 2xx but before the deletion
// committed leaves that message to be pushed again by the next holder.
import type { SharedStore } from "./shared-store.js";

export interface OutboxMessage {
  /** Increasing across the DCC: the order of delivery per user. */
  readonly id: number;
  readonly userId: string;
  readonly createdAt: string;
  /** The DUIS Response XML, signed by the DCC. */
  readonly xml: string;
  readonly attempts: number;
  /** When the next push may be tried (ISO 8601). */
  readonly nextAttemptAt: string;
  readonly lastError: string | null;
}

export type DeliveryChange =
  | { readonly kind: "queued"; readonly message: OutboxMessage }
  | { readonly kind: "attempted"; readonly message: OutboxMessage }
  | { readonly kind: "delivered"; readonly id: number }
  | { readonly kind: "endpoint"; readonly userId: string; readonly url: string | null };

/** Pushes one message; resolves to null when the user's endpoint took it, else the reason. */
export type Pusher = (url: string, xml: string) => Promise<string | null>;

export interface DeliveryOptions {
  readonly now: () => Date;
  readonly push: Pusher;
  /** First retry delay; doubles per attempt up to maxBackoffMs. */
  readonly initialBackoffMs?: number;
  readonly maxBackoffMs?: number;
  readonly onChange?: (change: DeliveryChange) => void;
  /** Several instances on one store (see above); `commit` makes the changes reported so far durable. */
  readonly shared?: { readonly store: SharedStore; readonly ids: () => number; readonly commit: () => Promise<void> };
}

/** Posts DUIS XML as DCC Boxed does: application/xml, any 2xx means accepted. */
export const httpPusher: Pusher = async (url, xml) => {
  try {
    const response = await fetch(url, { method: "POST", body: xml, headers: { "content-type": "application/xml" }, signal: AbortSignal.timeout(10_000) });
    await response.arrayBuffer();
    return response.ok ? null : `HTTP ${response.status}`;
  } catch (error) {
    return (error as Error & { cause?: Error }).cause?.message ?? (error as Error).message;
  }
};

export class Delivery {
  /** Each user's outbox, oldest first; appended to in place (O(1) per message). */
  private readonly outboxes = new Map<string, OutboxMessage[]>();
  private readonly endpoints = new Map<string, string>();
  private readonly inFlight = new Set<string>();
  private nextId = 1;

  constructor(private readonly options: DeliveryOptions) {}

  /** Loads state as stored (restart). */
  restore(messages: readonly OutboxMessage[], endpoints: readonly { userId: string; url: string }[]): void {
    for (const message of [...messages].sort((a, b) => a.id - b.id)) {
      this.outboxOf(message.userId).push(message);
      this.nextId = Math.max(this.nextId, message.id + 1);
    }
    endpoints.forEach(({ userId, url }) => this.endpoints.set(userId, url));
  }

  /** Registers (or with null removes) the user's "receive response" endpoint. */
  setEndpoint(userId: string, url: string | null): void {
    if (url !== null && !/^https?:\/\//.test(url)) throw new Error(`endpoint "${url}" must be an http(s) URL`);
    if (url === null) this.endpoints.delete(userId);
    else this.endpoints.set(userId, url);
    this.options.onChange?.({ kind: "endpoint", userId, url });
  }

  endpoint(userId: string): string | null {
    return this.endpoints.get(userId) ?? null;
  }

  /** Queues a response or alert for the user, after everything already queued for them. */
  enqueue(userId: string, xml: string): OutboxMessage {
    const message = this.prepare(userId, xml);
    this.outboxOf(userId).push(message);
    this.options.onChange?.({ kind: "queued", message });
    return message;
  }

  private outboxOf(userId: string): OutboxMessage[] {
    let outbox = this.outboxes.get(userId);
    if (!outbox) this.outboxes.set(userId, (outbox = []));
    return outbox;
  }

  /** A message for the user, not queued yet (queued by the store's transaction, then `remember`ed). */
  prepare(userId: string, xml: string): OutboxMessage {
    const at = this.options.now().toISOString();
    return { id: this.options.shared ? this.options.shared.ids() : this.nextId++, userId, createdAt: at, xml, attempts: 0, nextAttemptAt: at, lastError: null };
  }

  /** A message queued or retried elsewhere (another instance): kept in this instance's view for pull. */
  remember(message: OutboxMessage): void {
    const outbox = this.outboxOf(message.userId);
    const at = outbox.findIndex((m) => m.id === message.id);
    if (at < 0) outbox.push(message);
    else outbox[at] = message;
  }

  /** A message delivered elsewhere: dropped from this instance's view. */
  forget(id: number): void {
    for (const [userId, outbox] of this.outboxes) {
      if (outbox.some((m) => m.id === id)) this.outboxes.set(userId, outbox.filter((m) => m.id !== id));
    }
  }

  /** An endpoint set elsewhere. */
  rememberEndpoint(userId: string, url: string | null): void {
    if (url === null) this.endpoints.delete(userId);
    else this.endpoints.set(userId, url);
  }

  /** What waits for the user, oldest first (pull): a copy, as the outbox changes in place. */
  pending(userId: string): readonly OutboxMessage[] {
    return [...(this.outboxes.get(userId) ?? [])];
  }

  /** The user confirms it has what it pulled, up to and including `id`. */
  acknowledge(userId: string, throughId: number): number {
    const outbox = this.outboxes.get(userId) ?? [];
    const taken = outbox.filter((m) => m.id <= throughId);
    this.outboxes.set(userId, outbox.filter((m) => m.id > throughId));
    taken.forEach((m) => this.options.onChange?.({ kind: "delivered", id: m.id }));
    return taken.length;
  }

  /**
   * One delivery round: for each user with an endpoint, push the head of its outbox if it is due,
   * and keep going while the endpoint accepts. A failure stops that user's queue (order is kept)
   * until the backoff has passed. Returns how many messages were delivered.
   */
  async pump(onlyUser?: string): Promise<number> {
    if (this.options.shared) return this.pumpShared(this.options.shared, onlyUser);
    let delivered = 0;
    await Promise.all([...this.outboxes.keys()].map(async (userId) => {
      const url = this.endpoints.get(userId);
      if (!url || this.inFlight.has(userId)) return;
      this.inFlight.add(userId);
      try {
        for (;;) {
          const head = this.outboxes.get(userId)?.[0];
          if (!head || Date.parse(head.nextAttemptAt) > this.options.now().getTime()) return;
          const failure = await this.options.push(url, head.xml);
          if (failure === null) {
            // Unless pulled and acknowledged meanwhile.
            if (this.outboxes.get(userId)?.[0]?.id === head.id) this.outboxes.get(userId)?.shift();
            this.options.onChange?.({ kind: "delivered", id: head.id });
            delivered++;
            continue;
          }
          const retried = this.retried(head, failure);
          const outbox = this.outboxOf(userId);
          if (outbox[0]?.id === head.id) outbox[0] = retried;
          this.options.onChange?.({ kind: "attempted", message: retried });
          return;
        }
      } finally {
        this.inFlight.delete(userId);
      }
    }));
    return delivered;
  }

  private retried(head: OutboxMessage, failure: string): OutboxMessage {
    const attempts = head.attempts + 1;
    const backoff = Math.min((this.options.initialBackoffMs ?? 1000) * 2 ** (attempts - 1), this.options.maxBackoffMs ?? 300_000);
    return { ...head, attempts, lastError: failure, nextAttemptAt: new Date(this.options.now().getTime() + backoff).toISOString() };
  }

  // The shared round: for each user with queued messages (or only `onlyUser`), push under the
  // outbox's lease, head by head from the store, each deletion durable before the next push.
  private async pumpShared(shared: NonNullable<DeliveryOptions["shared"]>, onlyUser?: string): Promise<number> {
    let delivered = 0;
    const users = onlyUser ? [onlyUser] : await shared.store.outboxUsers();
    await Promise.all(users.map(async (userId) => {
      if (this.inFlight.has(userId)) return;
      this.inFlight.add(userId);
      try {
        if (!(await shared.store.leaseOutbox(userId))) return;
        try {
          for (;;) {
            const head = await shared.store.outboxHead(userId);
            if (!head || Date.parse(head.message.nextAttemptAt) > this.options.now().getTime()) return;
            const failure = await this.options.push(head.url, head.message.xml);
            if (failure === null) {
              this.forget(head.message.id);
              this.options.onChange?.({ kind: "delivered", id: head.message.id });
              await shared.commit();
              delivered++;
              // Renewed before each push: an instance that lost its lease (paused past it) stops.
              if (!(await shared.store.leaseOutbox(userId))) return;
              continue;
            }
            const retried = this.retried(head.message, failure);
            this.remember(retried);
            this.options.onChange?.({ kind: "attempted", message: retried });
            await shared.commit();
            return;
          }
        } finally {
          await shared.store.releaseOutbox(userId);
        }
      } finally {
        this.inFlight.delete(userId);
      }
    }));
    return delivered;
  }
}
