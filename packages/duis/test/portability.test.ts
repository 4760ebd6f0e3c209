// The package must run on Web-standard APIs only (workerd): no node: imports in src, and the
// whole dependency graph bundles for a neutral platform with no Node built-ins available.
import { readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { build } from "esbuild";
import { describe, expect, it } from "vitest";

const src = resolve(import.meta.dirname, "../src");

describe("portability", () => {
  it("imports nothing from node: in src", () => {
    const files = readdirSync(src).filter((f) => f.endsWith(".ts"));
    expect(files.length).toBeGreaterThan(5);
    for (const file of files) {
      const text = readFileSync(join(src, file), "utf8");
      expect(text, file).not.toMatch(/from\s+["']node:/);
      expect(text, file).not.toMatch(/from\s+["'](fs|path|crypto|buffer|stream|util|os)["']/);
      expect(text, file).not.toMatch(/\bBuffer\.|\bprocess\./);
    }
  });

  it("bundles with its dependencies for a neutral (non-Node) platform", async () => {
    const result = await build({
      entryPoints: [join(src, "index.ts")],
      bundle: true,
      write: false,
      platform: "neutral",
      format: "esm",
      mainFields: ["module", "main"],
      external: ["@opendcc/kernel"],
      logLevel: "silent",
    });
    expect(result.errors).toEqual([]);
    const code = result.outputFiles[0]?.text ?? "";
    expect(code.length).toBeGreaterThan(10_000);
    expect(code).not.toMatch(/require\(["'](?:node:)?(?:fs|crypto|path|buffer|stream)["']\)/);
  });
});
