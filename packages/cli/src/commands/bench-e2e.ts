// `opendcc bench e2e [--seconds S] [--premises N] [--connections C] [--store embedded|memory] [--profile]`:
// the end-to-end load run of @opendcc/bench (a gateway process with a fleet, signed DUIS over HTTP
// through to the emulated devices and the delivered responses). Progress goes to standard error;
// standard output gets one JSON line (cli-contract.md); bench/results/e2e.json the whole result.
import { relative } from "node:path";
import { runE2eBench, writeE2eResult } from "@opendcc/bench";
import { UsageError } from "../output.js";

export interface BenchE2eOptions {
  readonly seconds: string | undefined;
  readonly premises: string | undefined;
  readonly connections: string | undefined;
  readonly store: string | undefined;
  readonly profile: boolean;
}

function positive(value: string | undefined, name: string, fallback: number, integer: boolean): number {
  if (value === undefined) return fallback;
  const number = Number(value);
  if (!(number > 0) || (integer && !Number.isInteger(number))) throw new UsageError(`--${name} must be a positive ${integer ? "integer" : "number"}, not "${value}"`);
  return number;
}

export async function benchE2e(options: BenchE2eOptions): Promise<number> {
  const seconds = positive(options.seconds, "seconds", 10, false);
  const premises = positive(options.premises, "premises", 10_000, true);
  const connections = positive(options.connections, "connections", 32, true);
  const store = options.store ?? "embedded";
  if (store !== "embedded" && store !== "memory") throw new UsageError(`bench e2e --store is embedded (the embedded PostgreSQL in memory) or memory (no store), not "${store}"`);
  if (Math.min(premises, 500) < connections) throw new UsageError(`--connections ${connections} needs at least as many --premises`);
  const { result, profile } = await runE2eBench({
    seconds, premises, connections, store, profile: options.profile,
    progress: (line) => process.stderr.write(`bench e2e: ${line}\n`),
  });
  const file = writeE2eResult(result, profile);
  process.stderr.write(`bench e2e: → ${relative(process.cwd(), file)}\n`);
  console.log(JSON.stringify(result));
  return 0;
}
