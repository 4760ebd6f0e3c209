// The adapters stay apart, and the server adapter runs on workerd (the Cloudflare Workers
// runtime, from npm): bundled for workerd it holds no PGlite and no embedded code, and in the
// real runtime it migrates, writes and reads a PostgreSQL server over workerd's TCP sockets.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { build, type Metafile } from "esbuild";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startPostgresServer, type PostgresServer } from "../src/testing/postgres-server.js";
import { describeWithServer } from "./support/server.js";

const src = fileURLToPath(new URL("../src/", import.meta.url));
const require = createRequire(import.meta.url);

async function bundle(entry: string, outfile: string, platform: "node" | "neutral"): Promise<Metafile> {
  const result = await build({
    entryPoints: [entry], bundle: true, format: "esm", platform, outfile, metafile: true, logLevel: "silent",
    ...(platform === "neutral"
      ? { conditions: ["workerd", "worker", "import"], mainFields: ["module", "main"], external: ["cloudflare:sockets", "node:*"] }
      : { packages: "external" as const }),
  });
  return result.metafile;
}

const ownSources = (metafile: Metafile): string[] =>
  Object.keys(metafile.inputs).filter((path) => !path.includes("node_modules")).map((path) => relative(src, path)).sort();

describe("entry points", () => {
  const dir = mkdtempSync(join(tmpdir(), "opendcc-store-bundle-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("bundles the server adapter for workerd without PGlite or the embedded adapter", async () => {
    const metafile = await bundle(join(src, "postgres.ts"), join(dir, "postgres.js"), "neutral");
    expect(ownSources(metafile)).toEqual(["database.ts", "postgres.ts", "values.ts"]);
    const packages = Object.keys(metafile.inputs).filter((path) => path.includes("node_modules"));
    expect(packages.every((path) => /node_modules\/postgres\/cf\//.test(path))).toBe(true);
  });

  it("keeps the server driver out of the embedded adapter", async () => {
    const metafile = await bundle(join(src, "embedded.ts"), join(dir, "embedded.js"), "node");
    expect(ownSources(metafile)).toEqual(["data-dir-lock.ts", "database.ts", "embedded-fs.ts", "embedded-session.ts", "embedded.ts", "values.ts"]);
    const imports = Object.values(metafile.outputs).flatMap((output) => output.imports.map((i) => i.path));
    expect([...new Set(imports.filter((path) => !path.startsWith("node:")))].sort()).toEqual(["@electric-sql/pglite", "@electric-sql/pglite/nodefs"]);
  });

  it("keeps both adapters and their drivers out of the port", async () => {
    const metafile = await bundle(join(src, "index.ts"), join(dir, "index.js"), "neutral");
    expect(ownSources(metafile)).toEqual(expect.arrayContaining(["database.ts", "index.ts", "migrate.ts"]));
    const adapters = /^(embedded|embedded-fs|data-dir-lock|postgres|open)\.ts$|^testing\//;
    expect(ownSources(metafile).filter((path) => adapters.test(path))).toEqual([]);
    expect(Object.keys(metafile.inputs).filter((path) => /node_modules\/(@electric-sql|postgres)\//.test(path))).toEqual([]);
  });
});

describeWithServer("server adapter in workerd", () => {
  let server: PostgresServer;
  let dir: string;
  let stopWorker: (() => void) | undefined;
  let url: string;

  beforeAll(async () => {
    server = await startPostgresServer();
    dir = mkdtempSync(join(tmpdir(), "opendcc-store-workerd-"));
    await bundle(fileURLToPath(new URL("./support/postgres-worker.ts", import.meta.url)), join(dir, "worker.js"), "neutral");
    const port = await freePort();
    // workerd lets a worker reach only public addresses unless its outbound network says otherwise.
    writeFileSync(join(dir, "config.capnp"), `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [ (name = "main", worker = .worker), (name = "loopback", network = (allow = ["public", "private", "local"])) ],
  sockets = [ (name = "http", address = "127.0.0.1:${port}", http = (), service = "main") ],
);
const worker :Workerd.Worker = (
  modules = [ (name = "worker.js", esModule = embed "worker.js") ],
  compatibilityDate = "2025-09-01",
  compatibilityFlags = ["nodejs_compat"],
  bindings = [ (name = "DATABASE_URL", text = ${JSON.stringify(server.url)}) ],
  globalOutbound = "loopback",
);
`);
    const binary = join(dirname(require.resolve("workerd/package.json")), "bin/workerd");
    const child = spawn(binary, ["serve", join(dir, "config.capnp")], { stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    child.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    stopWorker = () => child.kill("SIGTERM");
    url = `http://127.0.0.1:${port}/`;
    for (const deadline = Date.now() + 15_000; ;) {
      if (child.exitCode !== null) throw new Error(`workerd exited: ${stderr}`);
      try {
        await fetch(url, { method: "HEAD" });
        break;
      } catch {
        if (Date.now() > deadline) throw new Error(`workerd did not listen within 15 s: ${stderr}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
  }, 60_000);
  afterAll(async () => {
    stopWorker?.();
    await server?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("migrates, commits and reads back the documented types, and names SQL errors", async () => {
    const row = { id: "1", body: [1, 2, 255], isUint8Array: true, doc: { from: "workerd" }, at: "1970-01-01T00:00:00.000Z" };
    const first = await (await fetch(url)).json();
    // The HEAD probe above may already have run the worker once.
    expect(first).toMatchObject({ rows: [row], error: 'SqlError: syntax error at or near "selec" [SQLSTATE 42601] in: selec 1' });
    expect(await (await fetch(url)).json()).toMatchObject({ migrated: { applied: [], unknown: [] }, rows: [row] });
  });
});

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      probe.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}
