// @opendcc/bench: the benchmark suites behind `opendcc bench` and `pnpm bench`.
import { duisSuite } from "./duis.js";
import { e2eSuite } from "./e2e.js";
import { gbcsSuite } from "./gbcs.js";
import { kernelSuite } from "./kernel.js";
import { scaleSuite } from "./scale.js";
import { formatTable, writeSuite, type Row, type SuiteResult } from "./report.js";

export type { Row, SuiteResult } from "./report.js";
export { resultsDir } from "./report.js";
export { runE2eBench, writeE2eResult } from "./e2e.js";
export type { E2eOptions, E2eResult } from "./e2e.js";

const SUITES: Record<string, (options: { time: number }) => Promise<Row[]>> = {
  kernel: kernelSuite,
  duis: duisSuite,
  gbcs: gbcsSuite,
  // Several gateway processes on one PostgreSQL: not part of a run of every suite (it starts servers).
  scale: scaleSuite,
  // A gateway process with a fleet, loaded over HTTP through to the devices: not part of a run of every suite either.
  e2e: e2eSuite,
};

export const suiteNames = Object.keys(SUITES);
/** What `opendcc bench` with no suite runs. */
const DEFAULT_SUITES = suiteNames.filter((name) => name !== "scale" && name !== "e2e");

/** Runs one suite (or all), writes bench/results/<suite>.json, and returns the results with a printable table. */
export async function runBenchmarks(suite: string | undefined, options: { time?: number } = {}): Promise<{ result: SuiteResult; table: string }[]> {
  const names = suite ? [suite] : DEFAULT_SUITES;
  const outputs: { result: SuiteResult; table: string }[] = [];
  for (const name of names) {
    const run = SUITES[name];
    if (!run) throw new Error(`unknown benchmark suite "${name}" (suites: ${suiteNames.join(", ")})`);
    const result = writeSuite(name, await run({ time: options.time ?? 500 }));
    outputs.push({ result, table: formatTable(result) });
  }
  return outputs;
}
