// The journal's group commit (journal.ts): commits asked for in one turn of the event loop share
// one write, taken at the end of that turn; one asked for while a write is in flight goes into
// the next; none resolves before the write carrying its changes is done.
import { describe, expect, it } from "vitest";
import { Journal, type Change, type GatewayStore } from "../src/index.js";

const change = (id: number): Change => ({ kind: "unquarantined", id });

function recordingStore(writeMs = 0): { store: GatewayStore; writes: number[][] } {
  const writes: number[][] = [];
  const store: GatewayStore = {
    load: async () => { throw new Error("unused"); },
    write: async (changes) => {
      if (writeMs > 0) await new Promise((resolve) => setTimeout(resolve, writeMs));
      writes.push(changes.map((c) => (c as { id: number }).id));
    },
    close: async () => undefined,
  };
  return { store, writes };
}

describe("journal group commit", () => {
  it("gives the commits of one turn of the event loop one write, even when the store answers at once", async () => {
    const { store, writes } = recordingStore();
    const journal = new Journal(store);
    const commits: Promise<void>[] = [];
    for (let id = 1; id <= 5; id++) {
      journal.append(change(id));
      commits.push(journal.commit());
    }
    await Promise.all(commits);
    expect(writes).toEqual([[1, 2, 3, 4, 5]]);
  });

  it("carries commits asked for while a write is in flight in the next write, and resolves each after its own", async () => {
    const { store, writes } = recordingStore(5);
    const journal = new Journal(store);
    const resolved: number[] = [];
    journal.append(change(1));
    const first = journal.commit().then(() => resolved.push(writes.length));
    await new Promise((resolve) => setTimeout(resolve, 1)); // the first write is in flight
    journal.append(change(2));
    journal.append(change(3));
    const second = journal.commit().then(() => resolved.push(writes.length));
    await Promise.all([first, second]);
    expect(writes).toEqual([[1], [2, 3]]);
    expect(resolved).toEqual([1, 2]); // each after the write that carried its changes
  });
});
