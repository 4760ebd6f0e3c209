// Benchmark results: medians from tinybench, ratios to the natural baseline measured in the same
// run, written as JSON to bench/results/<suite>.json and printed as a table.
import { mkdirSync, writeFileSync } from "node:fs";
import { cpus } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Bench } from "tinybench";

export const resultsDir = join(dirname(fileURLToPath(import.meta.url)), "../results");

export interface Row {
  /** What is measured, e.g. "MAC compute". */
  readonly group: string;
  /** Message size in bytes, when it matters. */
  readonly size: number | null;
  /** The implementation, e.g. "kernel batch" or "node:crypto". */
  readonly option: string;
  /** Median messages (or operations) per second. */
  readonly perSecond: number;
  /** perSecond divided by the baseline's perSecond in the same group and size. */
  readonly ratioToBaseline: number | null;
  readonly baseline: string | null;
  readonly medianMicroseconds: number;
  readonly samples: number;
}

export interface SuiteResult {
  readonly suite: string;
  readonly date: string;
  readonly node: string;
  readonly cpu: string;
  readonly cores: number;
  readonly rows: Row[];
}

export interface TaskMeta {
  readonly group: string;
  readonly size: number | null;
  readonly option: string;
  /** Messages handled by one call of the task (batch size); 1 for single calls. */
  readonly perCall: number;
}

/** Reads medians out of a finished Bench whose task names are keys of `meta`. */
export function collectRows(bench: Bench, meta: ReadonlyMap<string, TaskMeta>, baseline: string): Row[] {
  const raw = bench.tasks.flatMap((task) => {
    const info = meta.get(task.name);
    const result = task.result;
    if (!info || !("throughput" in result)) throw new Error(`benchmark ${task.name} did not complete (${result.state})`);
    return [{ ...info, perSecond: result.throughput.p50 * info.perCall, medianMicroseconds: (result.latency.p50 * 1000) / info.perCall, samples: result.latency.samplesCount }];
  });
  return raw.map(({ perCall: _perCall, ...row }) => {
    const base = raw.find((r) => r.group === row.group && r.size === row.size && r.option === baseline);
    return {
      ...row,
      ratioToBaseline: base ? row.perSecond / base.perSecond : null,
      baseline: base ? baseline : null,
    };
  });
}

export function writeSuite(suite: string, rows: Row[]): SuiteResult {
  const result: SuiteResult = {
    suite,
    date: new Date().toISOString(),
    node: process.version,
    cpu: cpus()[0]?.model ?? "unknown",
    cores: cpus().length,
    rows,
  };
  mkdirSync(resultsDir, { recursive: true });
  writeFileSync(join(resultsDir, `${suite}.json`), `${JSON.stringify(result, null, 2)}\n`);
  return result;
}

export function formatTable(result: SuiteResult): string {
  const header = ["group", "size", "option", "per second (median)", "median µs", `x ${result.rows.find((r) => r.baseline)?.baseline ?? "baseline"}`];
  const lines = result.rows.map((r) => [
    r.group,
    r.size === null ? "" : String(r.size),
    r.option,
    Math.round(r.perSecond).toLocaleString("en-GB"),
    r.medianMicroseconds.toFixed(2),
    r.ratioToBaseline === null ? "" : r.ratioToBaseline.toFixed(2),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => (l[i] ?? "").length)));
  const row = (cells: string[]) => cells.map((c, i) => (i >= 3 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join("  ");
  return [`${result.suite} — ${result.cpu}, ${result.cores} cores, Node ${result.node}`, row(header), ...lines.map(row)].join("\n");
}
