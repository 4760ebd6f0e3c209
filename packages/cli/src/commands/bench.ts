// `opendcc bench [SUITE]`: runs the benchmark suites, writes bench/results/<suite>.json, prints tables.
import { relative } from "node:path";
import { resultsDir, runBenchmarks, suiteNames } from "@opendcc/bench";
import { UsageError } from "../output.js";

export async function bench([suite, ...extra]: readonly string[], time: string | undefined): Promise<number> {
  if (extra.length > 0) throw new UsageError("bench takes at most one suite name");
  if (suite && !suiteNames.includes(suite)) throw new UsageError(`unknown benchmark suite "${suite}" (suites: ${suiteNames.join(", ")})`);
  const milliseconds = time === undefined ? undefined : Number(time);
  if (milliseconds !== undefined && !(milliseconds > 0)) throw new UsageError("--time must be a positive number of milliseconds per task");
  for (const { result, table } of await runBenchmarks(suite, milliseconds === undefined ? {} : { time: milliseconds })) {
    console.log(`${table}\n→ ${relative(process.cwd(), resultsDir)}/${result.suite}.json\n`);
  }
  return 0;
}
