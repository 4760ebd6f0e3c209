// Transform fidelity against the DCC Reference Test Data Set (GBCS issue point 1): each COMMAND and
// PRECOMMAND vector paired with a DUIS request (the fixture sample, or our own in test/requests/)
// must come out byte for byte, except the known misses, each with its reason.
import { beforeAll, expect, it } from "vitest";
import { KeyRing } from "../src/index.js";
import { describeWithFixtures, keystoreFiles } from "../../../test/support/fixtures.js";
import { KNOWN_MISSES } from "./support/known-misses.js";
import { checkPair, transformPairs, type PairOutcome, type TransformPair } from "./support/transform-pairs.js";

/** Matched when last counted: fewer means an encoder regressed. */
const MATCHED_AT_LEAST = 494;

describeWithFixtures("transform against the RTDS", () => {
  let outcomes: { pair: TransformPair; outcome: PairOutcome }[];

  beforeAll(async () => {
    const ring = await KeyRing.fromFiles(keystoreFiles());
    outcomes = [];
    for (const pair of transformPairs()) outcomes.push({ pair, outcome: await checkPair(pair, ring) });
    const byUseCase = new Map<string, { matched: number; paired: number }>();
    for (const { pair, outcome } of outcomes) {
      const counts = byUseCase.get(pair.useCase) ?? { matched: 0, paired: 0 };
      counts.paired++;
      if (outcome.status === "match") counts.matched++;
      byUseCase.set(pair.useCase, counts);
    }
    const matched = outcomes.filter((o) => o.outcome.status === "match").length;
    const perUseCase = [...byUseCase].sort(([a], [b]) => a.localeCompare(b)).map(([useCase, c]) => `${useCase} ${c.matched}/${c.paired}`);
    console.info(`transform vs RTDS: ${matched} of ${outcomes.length} paired vectors match byte for byte (${byUseCase.size} use cases): ${perUseCase.join(", ")}`);
  });

  it("matches every paired vector but the known misses, byte for byte", () => {
    const failures = outcomes.filter((o) => o.outcome.status !== "match" && !(o.pair.vector in KNOWN_MISSES))
      .map((o) => `${o.pair.vector} (${o.pair.sample}): ${o.outcome.status} ${"detail" in o.outcome ? o.outcome.detail : ""}`);
    expect(failures).toEqual([]);
  });

  it("still misses each known miss (a vector that matches now leaves the list)", () => {
    const paired = new Set(outcomes.map((o) => o.pair.vector));
    expect(Object.keys(KNOWN_MISSES).filter((vector) => !paired.has(vector))).toEqual([]);
    expect(outcomes.filter((o) => o.outcome.status === "match" && o.pair.vector in KNOWN_MISSES).map((o) => o.pair.vector)).toEqual([]);
  });

  it("matches at least as many vectors as when last counted", () => {
    expect(outcomes.filter((o) => o.outcome.status === "match").length).toBeGreaterThanOrEqual(MATCHED_AT_LEAST);
  });
});
