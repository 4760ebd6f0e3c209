// Runs a Workers module in the real workerd runtime (from npm) on a loopback port: bundled with
// esbuild under the `workerd` condition, the kernel's WASM beside it as a compiled module.
// `opendcc start --runtime workerd` and the edge tests use it.
import { spawn, type ChildProcess } from "node:child_process";
import { copyFileSync, mkdtempSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { build } from "esbuild";

const require = createRequire(import.meta.url);

export interface RunningWorker {
  readonly url: string;
  readonly bundleBytes: number;
  /** What workerd wrote to stderr (the worker's console.error among it). */
  stderr(): string;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

export interface WorkerOptions {
  /** Port on 127.0.0.1 (a free one when absent). */
  readonly port?: number;
  /** Text bindings, as `env.NAME` in the worker. */
  readonly bindings?: Readonly<Record<string, string>>;
  /** Let the worker reach loopback and private addresses (a local database); public only otherwise. */
  readonly localNetwork?: boolean;
}

/** Bundles `entry` for workerd (the kernel's WASM as a compiled module) and serves it. */
export async function startWorker(entry: string, options: WorkerOptions = {}): Promise<RunningWorker> {
  const dir = mkdtempSync(join(tmpdir(), "opendcc-workerd-"));
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    format: "esm",
    platform: "neutral",
    conditions: ["workerd", "worker", "import"],
    mainFields: ["module", "main"],
    external: ["*.wasm", "cloudflare:sockets", "node:*"],
    outfile: join(dir, "worker.js"),
    metafile: true,
    logLevel: "silent",
  });
  const kernelWasm = join(dirname(require.resolve("@opendcc/kernel")), "kernel.wasm");
  copyFileSync(kernelWasm, join(dir, "kernel.wasm"));
  const port = options.port ?? (await freePort());
  writeFileSync(join(dir, "config.capnp"), `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [ (name = "main", worker = .worker)${options.localNetwork ? ', (name = "local", network = (allow = ["public", "private", "local"]))' : ""} ],
  sockets = [ (name = "http", address = "127.0.0.1:${port}", http = (), service = "main") ],
);
const worker :Workerd.Worker = (
  modules = [
    (name = "worker.js", esModule = embed "worker.js"),
    (name = "kernel.wasm", wasm = embed "kernel.wasm"),
  ],
  compatibilityDate = "2025-09-01",
  compatibilityFlags = ["nodejs_compat"],
  bindings = [ ${Object.entries(options.bindings ?? {}).map(([name, value]) => `(name = ${JSON.stringify(name)}, text = ${JSON.stringify(value)})`).join(", ")} ],${options.localNetwork ? '\n  globalOutbound = "local",' : ""}
);
`);
  const binary = join(dirname(require.resolve("workerd/package.json")), "bin/workerd");
  const child: ChildProcess = spawn(binary, ["serve", join(dir, "config.capnp")], { stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const url = `http://127.0.0.1:${port}/`;
  const deadline = Date.now() + 15_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`workerd exited: ${stderr}`);
    try {
      await fetch(url, { method: "HEAD" });
      break;
    } catch {
      if (Date.now() > deadline) throw new Error(`workerd did not listen within 15 s: ${stderr}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  const bundleBytes = Object.values(result.metafile.outputs).reduce((n, o) => n + o.bytes, 0);
  return {
    url,
    bundleBytes,
    stderr: () => stderr,
    stop: () => new Promise((resolve) => {
      child.once("exit", () => resolve());
      child.kill("SIGTERM");
    }),
  };
}
