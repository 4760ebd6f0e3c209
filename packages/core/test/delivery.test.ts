// Delivery keeps each user's order, backs off on failure, and can be pulled and acknowledged.
import { describe, expect, it } from "vitest";
import { Delivery, type DeliveryChange } from "../src/index.js";

function harness(failures: Map<string, number>) {
  let now = Date.parse("2026-11-23T10:00:00Z");
  const received: { url: string; xml: string }[] = [];
  const changes: DeliveryChange[] = [];
  const delivery = new Delivery({
    now: () => new Date(now),
    initialBackoffMs: 1000,
    maxBackoffMs: 4000,
    push: async (url, xml) => {
      const left = failures.get(url) ?? 0;
      if (left > 0) {
        failures.set(url, left - 1);
        return "HTTP 503";
      }
      received.push({ url, xml });
      return null;
    },
    onChange: (change) => changes.push(change),
  });
  return { delivery, received, changes, advance: (ms: number) => (now += ms) };
}

describe("delivery", () => {
  it("pushes each user's messages in order, and keeps a failing user's queue behind its head", async () => {
    const { delivery, received, advance } = harness(new Map([["http://b.test/duis", 2]]));
    delivery.setEndpoint("A", "http://a.test/duis");
    delivery.setEndpoint("B", "http://b.test/duis");
    ["a1", "a2"].forEach((xml) => delivery.enqueue("A", xml));
    ["b1", "b2"].forEach((xml) => delivery.enqueue("B", xml));
    expect(await delivery.pump()).toBe(2);
    expect(received.map((r) => r.xml)).toEqual(["a1", "a2"]);
    expect(delivery.pending("B").map((m) => [m.xml, m.attempts, m.lastError])).toEqual([["b1", 1, "HTTP 503"], ["b2", 0, null]]);
    // not due yet: nothing is tried
    expect(await delivery.pump()).toBe(0);
    advance(1000);
    expect(await delivery.pump()).toBe(0); // second failure, backoff doubles to 2 s
    expect(delivery.pending("B")[0]!.attempts).toBe(2);
    advance(1999);
    expect(await delivery.pump()).toBe(0);
    advance(1);
    expect(await delivery.pump()).toBe(2);
    expect(received.map((r) => r.xml)).toEqual(["a1", "a2", "b1", "b2"]);
  });

  it("waits for a pull when the user has no endpoint, and drops what is acknowledged", async () => {
    const { delivery, changes } = harness(new Map());
    const first = delivery.enqueue("C", "c1");
    delivery.enqueue("C", "c2");
    expect(await delivery.pump()).toBe(0);
    expect(delivery.pending("C").map((m) => m.xml)).toEqual(["c1", "c2"]);
    expect(delivery.acknowledge("C", first.id)).toBe(1);
    expect(delivery.pending("C").map((m) => m.xml)).toEqual(["c2"]);
    expect(changes.filter((c) => c.kind === "delivered")).toHaveLength(1);
    expect(() => delivery.setEndpoint("C", "ftp://x")).toThrow(/http/);
  });

  it("restores its queues and endpoints, and continues numbering after them", () => {
    const { delivery } = harness(new Map());
    delivery.restore([{ id: 7, userId: "D", createdAt: "", xml: "d7", attempts: 3, nextAttemptAt: "2026-11-23T10:00:00Z", lastError: "HTTP 500" }], [{ userId: "D", url: "http://d.test" }]);
    expect(delivery.endpoint("D")).toBe("http://d.test");
    expect(delivery.enqueue("D", "d8").id).toBe(8);
    expect(delivery.pending("D").map((m) => m.xml)).toEqual(["d7", "d8"]);
  });
});

describe("journal", () => {
  it("groups concurrent commits into one write, and fails closed after a failed write", async () => {
    const { Journal } = await import("../src/index.js");
    const writes: number[] = [];
    let fail = false;
    const journal = new Journal({
      load: async () => { throw new Error("unused"); },
      write: async (changes) => {
        await new Promise((r) => setTimeout(r, 5));
        if (fail) throw new Error("disk full");
        writes.push(changes.length);
      },
      close: async () => undefined,
    });
    const change = { kind: "unquarantined" as const, id: 1 };
    journal.append(change);
    const first = journal.commit();
    journal.append(change);
    journal.append(change);
    const second = journal.commit();
    const third = journal.commit();
    await Promise.all([first, second, third]);
    // Asked for in one turn of the event loop, the three commits share one write.
    expect(writes).toEqual([3]);
    fail = true;
    journal.append(change);
    await expect(journal.commit()).rejects.toThrow(/store failed.*disk full/);
    fail = false;
    journal.append(change);
    await expect(journal.commit()).rejects.toThrow(/refuses work until restarted/);
    expect(journal.failed).not.toBeNull();
  });
});
