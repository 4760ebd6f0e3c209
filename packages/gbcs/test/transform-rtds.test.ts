// Transform fidelity against the DCC Reference Test Data Set (GBCS issue point 1): every vector
// whose SRV has an encoder must come out byte for byte; the rest are counted as not yet encoded.
import { beforeAll, expect, it } from "vitest";
import { KeyRing } from "../src/index.js";
import { describeWithFixtures, keystoreFiles } from "../../../test/support/fixtures.js";
import { checkPair, transformPairs, type PairOutcome, type TransformPair } from "./support/transform-pairs.js";

describeWithFixtures("transform against the RTDS", () => {
  let outcomes: { pair: TransformPair; outcome: PairOutcome }[];

  beforeAll(async () => {
    const ring = await KeyRing.fromFiles(keystoreFiles());
    outcomes = [];
    for (const pair of transformPairs()) outcomes.push({ pair, outcome: await checkPair(pair, ring) });
    const count = (status: string) => outcomes.filter((o) => o.outcome.status === status).length;
    console.info(`transform vs RTDS: ${count("match")} of ${outcomes.length} paired vectors match byte for byte; ${count("no-encoder")} have no encoder yet`);
  });

  it("matches every paired vector whose use case has an encoder, byte for byte", () => {
    const failures = outcomes.filter((o) => o.outcome.status === "mismatch" || o.outcome.status === "error")
      .map((o) => `${o.pair.vector} (${o.pair.sample}): ${"detail" in o.outcome ? o.outcome.detail : ""}`);
    expect(failures).toEqual([]);
  });

  it("has encoders for at least as many vectors as when last counted", () => {
    expect(outcomes.filter((o) => o.outcome.status === "match").length).toBeGreaterThanOrEqual(1);
  });
});
