// The portable core runs on Web-standard APIs only: kernel, gbcs, duis, core and the server app
// bundle for a neutral platform with no Node built-in left in them. Node-only code (filesystem,
// process, the embedded store) stays behind the Node entry and the CLI. The edge entry may use the
// Node APIs workerd's nodejs_compat provides only through the PostgreSQL driver.
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { describe, expect, it } from "vitest";

const packages = fileURLToPath(new URL("../../packages/", import.meta.url));

async function importsOf(entry: string): Promise<{ external: string[]; packages: string[] }> {
  const result = await build({
    entryPoints: [`${packages}${entry}`], bundle: true, format: "esm", platform: "neutral", write: false, metafile: true, logLevel: "silent",
    conditions: ["workerd", "worker", "import"], mainFields: ["module", "main"], external: ["*.wasm", "cloudflare:sockets", "node:*"],
  });
  const external = [...new Set(Object.values(result.metafile.outputs).flatMap((output) => output.imports.map((i) => i.path)))];
  const dependencies = Object.keys(result.metafile.inputs).filter((path) => path.includes("node_modules/")).map((path) => path.split("node_modules/").pop()!.split("/").slice(0, 2).join("/"));
  return { external: external.sort(), packages: [...new Set(dependencies)] };
}

describe("portable rooms", () => {
  for (const entry of ["kernel/src/index.ts", "gbcs/src/index.ts", "duis/src/index.ts", "core/src/index.ts", "server/src/index.ts"]) {
    it(`${entry} needs no Node built-in`, async () => {
      const { external } = await importsOf(entry);
      expect(external.filter((path) => path.startsWith("node:"))).toEqual([]);
    });
  }

  it("the edge entry reaches Node APIs only through the PostgreSQL driver's workerd build", async () => {
    const { external, packages: dependencies } = await importsOf("server/src/edge.ts");
    expect(external.filter((path) => path.startsWith("node:"))).toEqual(["node:buffer", "node:events", "node:stream"]);
    expect(dependencies).toContain("postgres/cf");
    expect(dependencies.some((d) => d.startsWith("@electric-sql"))).toBe(false);
  });
});
