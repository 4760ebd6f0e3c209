// Vitest global setup: says once, in one line, why fixture-backed suites are skipped.
import { hasFixtures, fixturesMissing } from "./fixtures.js";

export default function announceFixtures(): void {
  if (!hasFixtures) console.warn(fixturesMissing);
}
