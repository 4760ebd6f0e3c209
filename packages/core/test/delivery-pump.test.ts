// The DCC pushes what is queued at once: a response queued while a delivery round is under way
// gets a round of its own right after, without waiting for the retry timer (here there is none).
import { describe, expect, it } from "vitest";
import { Delivery, createDuisCodec, openDcc, type GatewayResponse } from "../src/index.js";

const answer = (srv: string): GatewayResponse => ({ requestId: null, responseCode: "I0", reason: null, serviceReference: srv, srv, body: null });

describe("delivery pumping", () => {
  it("pushes a response queued during a round right after that round", async () => {
    let releaseFirst: () => void = () => undefined;
    const firstHeld = new Promise<void>((resolve) => (releaseFirst = resolve));
    const pushed: string[] = [];
    const dcc = await openDcc({
      codec: createDuisCodec(),
      deliveryIntervalMs: 0, // no timer: only pumps asked for deliver
      push: async (url, xml) => {
        pushed.push(`${url} ${/ServiceReferenceVariant>([^<]+)</.exec(xml)?.[1]}`);
        if (pushed.length === 1) await firstHeld;
        return null;
      },
    });
    try {
      dcc.delivery.setEndpoint("A", "http://a.test/duis");
      dcc.delivery.setEndpoint("B", "http://b.test/duis");
      await dcc.deliver("A", answer("4.1.1")); // its round is now pushing, held
      await new Promise((resolve) => setTimeout(resolve, 10));
      await dcc.deliver("B", answer("4.8.1")); // B was not in that round
      expect(pushed).toEqual(["http://a.test/duis 4.1.1"]);
      releaseFirst();
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(pushed).toEqual(["http://a.test/duis 4.1.1", "http://b.test/duis 4.8.1"]);
      expect(dcc.delivery.pending("B")).toEqual([]);
    } finally {
      await dcc.close();
    }
  });

  it("keeps every queued message in order (100,000 of them; the outbox is appended to, not copied)", () => {
    const delivery = new Delivery({ now: () => new Date("2026-11-23T10:00:00Z"), push: async () => null });
    for (let i = 0; i < 100_000; i++) delivery.enqueue("A", "<x/>");
    expect(delivery.pending("A")).toHaveLength(100_000);
    expect(delivery.pending("A").map((m) => m.id).slice(0, 3)).toEqual([1, 2, 3]);
  });
});
