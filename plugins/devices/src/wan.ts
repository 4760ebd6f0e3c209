// The WAN between the DCC and each Communications Hub (seed 003: the CSPs' networks). A hub is
// connected (each message takes the hub's mean latency, spread uniformly from half to one and a
// half times it), has none (nothing gets through) or is intermittent (three in ten messages are
// lost; the rest take one to three times as long, as retries do).
import type { Estate } from "./estate.js";

export const INTERMITTENT_LOSS = 0.3;

export class WanUnavailable extends Error {
  override readonly name = "WanUnavailable";
}

export class Wan {
  constructor(private readonly estate: Estate, private readonly random: () => number) {}

  /** Milliseconds a message to or from the hub takes; throws when it does not get through. */
  delay(hub: number): number {
    const { state, latencyMs } = this.estate.wanAt(hub);
    const hubId = this.estate.euiOf(hub);
    if (state === "none") throw new WanUnavailable(`the WAN connection of communications hub ${hubId} is down`);
    const spread = latencyMs * (0.5 + this.random());
    if (state === "connected") return Math.round(spread);
    if (this.random() < INTERMITTENT_LOSS) throw new WanUnavailable(`the message to communications hub ${hubId} was lost (intermittent WAN)`);
    return Math.round(spread * (1 + 2 * this.random()));
  }
}

/** A small seeded generator (mulberry32), so WAN behaviour can be repeated. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
