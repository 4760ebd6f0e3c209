// Runs test/support/child.ts in a separate Node process. It is bundled with esbuild (our
// sources inlined, packages left to Node) into the package's node_modules/.cache, from where
// Node finds @electric-sql/pglite and postgres as the package itself does.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdirSync, renameSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const here = dirname(fileURLToPath(import.meta.url));
const outfile = join(here, "../../node_modules/.cache/opendcc-store-test/child.mjs");
let built: Promise<string> | undefined;

function bundle(): Promise<string> {
  built ??= (async () => {
    mkdirSync(dirname(outfile), { recursive: true });
    // Test files bundle it in parallel: each writes its own, then renames it over the shared name.
    const mine = `${outfile}.${process.pid}.mjs`;
    await build({ entryPoints: [join(here, "child.ts")], bundle: true, platform: "node", format: "esm", packages: "external", outfile: mine, logLevel: "silent" });
    renameSync(mine, outfile);
    return outfile;
  })();
  return built;
}

export interface Child {
  readonly process: ChildProcess;
  /** Complete lines printed so far. */
  readonly lines: string[];
  /** Resolves when a printed line satisfies the predicate. */
  waitFor(predicate: (lines: readonly string[]) => boolean, timeoutMs?: number): Promise<void>;
  /** Resolves with the exit code or signal. */
  readonly exited: Promise<number | NodeJS.Signals>;
  stderr(): string;
}

export async function startChild(args: readonly string[]): Promise<Child> {
  const child = spawn(process.execPath, [await bundle(), ...args], { stdio: ["ignore", "pipe", "pipe"] });
  const lines: string[] = [];
  let partial = "";
  let stderr = "";
  const waiters = new Set<() => void>();
  child.stdout?.on("data", (chunk: Buffer) => {
    const text = partial + chunk.toString();
    const parts = text.split("\n");
    partial = parts.pop() ?? "";
    lines.push(...parts);
    for (const wake of waiters) wake();
  });
  child.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | NodeJS.Signals>((resolve) => child.once("close", (code, signal) => {
    for (const wake of waiters) wake();
    resolve(signal ?? code ?? -1);
  }));
  return {
    process: child,
    lines,
    exited,
    stderr: () => stderr,
    waitFor(predicate, timeoutMs = 20_000) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => finish(new Error(`child did not get there within ${timeoutMs} ms; printed ${lines.length} lines; stderr: ${stderr}`)), timeoutMs);
        const check = (): void => {
          if (predicate(lines)) finish();
          else if (child.exitCode !== null || child.signalCode !== null) finish(new Error(`child exited (${child.exitCode ?? child.signalCode}): ${stderr}`));
        };
        const finish = (error?: Error): void => {
          clearTimeout(timer);
          waiters.delete(check);
          if (error) reject(error);
          else resolve();
        };
        waiters.add(check);
        check();
      });
    },
  };
}
