// Nothing accepted is lost: a child process commits transactions of 3 rows in a loop and prints
// each id once COMMIT has returned; it is killed with SIGKILL mid-stream; every printed id must
// then be in the database, whole, and no transaction may be there in part.
import { rmSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../src/database.js";
import { openEmbedded } from "../src/embedded.js";
import { openPostgres } from "../src/postgres.js";
import { startPostgresServer, type PostgresServer } from "../src/testing/postgres-server.js";
import { tempDir } from "./support/adapters.js";
import { startChild } from "./support/children.js";
import { describeWithServer } from "./support/server.js";

/** Runs the commit loop in a child, kills it after `atLeast` commits, returns the ids it printed. */
async function commitThenKill(args: readonly string[], atLeast: number): Promise<bigint[]> {
  const child = await startChild(["commit-loop", ...args]);
  await child.waitFor((lines) => lines.length > atLeast); // "ready" and then the ids
  child.process.kill("SIGKILL");
  expect(await child.exited).toBe("SIGKILL");
  return child.lines.filter((line) => /^\d+$/.test(line)).map(BigInt);
}

async function expectAllThere(db: Database, printed: readonly bigint[]): Promise<void> {
  expect(printed.length).toBeGreaterThan(0);
  const rows = await db.query<{ id: bigint; parts: bigint }>("select id, count(*) as parts from loop group by id order by id");
  const stored = new Map(rows.map((row) => [row.id, row.parts]));
  const missing = printed.filter((id) => stored.get(id) !== 3n);
  expect(missing, "ids the child printed as committed but not stored whole").toEqual([]);
  expect(rows.filter((row) => row.parts !== 3n), "transactions stored in part").toEqual([]);
  // At most the one transaction that committed as the child was killed, before it could print.
  expect(rows.length - printed.length).toBeLessThanOrEqual(1);
}

describe("embedded store survives kill -9", () => {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

  for (const fsync of ["on", "off"] as const) {
    it(`keeps every committed transaction (fsync ${fsync}), and the directory can be reopened at once`, async () => {
      const dir = tempDir(`kill-${fsync}`);
      dirs.push(dir);
      const printed = await commitThenKill(["embedded", dir, fsync], 150);
      // The killed process's lock names a dead pid: reopening takes it over.
      const db = await openEmbedded({ dataDir: dir });
      try {
        await expectAllThere(db, printed);
      } finally {
        await db.close();
      }
      // And a second life after the recovery: it goes on where it stopped.
      const more = await commitThenKill(["embedded", dir, fsync], 20);
      expect(more[0]).toBeGreaterThan(printed[printed.length - 1] as bigint);
      const again = await openEmbedded({ dataDir: dir });
      try {
        await expectAllThere(again, [...printed, ...more]);
      } finally {
        await again.close();
      }
    }, 90_000);
  }
});

describeWithServer("server keeps what a killed client committed", () => {
  let server: PostgresServer;
  beforeAll(async () => {
    server = await startPostgresServer();
  }, 60_000);
  afterAll(() => server?.stop());

  it("keeps every transaction the client saw committed before kill -9", async () => {
    const printed = await commitThenKill(["server", server.url], 300);
    const db = await openPostgres(server.url);
    try {
      await expectAllThere(db, printed);
    } finally {
      await db.close();
    }
  }, 60_000);

  it("applies each migration exactly once when three processes migrate at the same time", async () => {
    const db = await openPostgres(server.url);
    try {
      await db.exec("drop table if exists widgets, schema_migrations");
      const children = await Promise.all([1, 2, 3].map(() => startChild(["migrate", "server", server.url])));
      const codes = await Promise.all(children.map((child) => child.exited));
      expect(codes, children.map((child) => child.stderr()).join("\n")).toEqual([0, 0, 0]);
      const results = children.map((child) => JSON.parse(child.lines[0] ?? "null") as { applied: string[] });
      expect(results.flatMap((result) => result.applied).sort()).toEqual(["0001_widgets", "0002_widget_names"]);
      expect(await db.query("select count(*) as n from widgets")).toEqual([{ n: 1n }]);
      expect(await db.query("select id from schema_migrations order by id")).toEqual([{ id: "0001_widgets" }, { id: "0002_widget_names" }]);
    } finally {
      await db.close();
    }
  }, 60_000);
});
