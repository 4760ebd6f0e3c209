// How long one single-row insert transaction takes to commit, median of 200 after a warm-up,
// on each adapter. Printed for the README; asserted only loosely (CI machines vary).
import { rmSync } from "node:fs";
import { afterAll, expect, it } from "vitest";
import type { Database } from "../src/database.js";
import { openEmbedded } from "../src/embedded.js";
import { openPostgres } from "../src/postgres.js";
import { startPostgresServer, type PostgresServer } from "../src/testing/postgres-server.js";
import { tempDir } from "./support/adapters.js";
import { describeWithServer } from "./support/server.js";

const dirs: string[] = [];
afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

async function medianCommitMs(db: Database, count = 200): Promise<number> {
  await db.exec("create table if not exists latency (id bigint primary key, at timestamptz not null default now())");
  const times: number[] = [];
  for (let i = 0; i < count + 20; i++) {
    const start = performance.now();
    await db.transaction((tx) => tx.query("insert into latency (id) values ($1)", [BigInt(i)]));
    if (i >= 20) times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return times[times.length >> 1] as number;
}

function report(name: string, ms: number): void {
  console.log(`commit latency (single-row insert transaction, median of 200): ${name} ${ms.toFixed(3)} ms`);
}

it("measures the embedded store's commit latency", async () => {
  const memory = await openEmbedded({ memory: true });
  const dataDir = tempDir("latency");
  dirs.push(dataDir);
  const synced = await openEmbedded({ dataDir: `${dataDir}/fsync` });
  const unsynced = await openEmbedded({ dataDir: `${dataDir}/nofsync`, fsync: false });
  try {
    for (const [name, db] of [["embedded memory", memory], ["embedded disk fsync", synced], ["embedded disk fsync:false", unsynced]] as const) {
      const ms = await medianCommitMs(db);
      report(name, ms);
      expect(ms).toBeLessThan(100);
    }
  } finally {
    await Promise.all([memory.close(), synced.close(), unsynced.close()]);
  }
}, 60_000);

describeWithServer("server commit latency", () => {
  let server: PostgresServer;
  afterAll(() => server?.stop());

  it("measures the server's commit latency (loopback TCP, fsync on)", async () => {
    server = await startPostgresServer();
    const db = await openPostgres(server.url);
    try {
      const ms = await medianCommitMs(db);
      report("server", ms);
      expect(ms).toBeLessThan(100);
    } finally {
      await db.close();
    }
  }, 60_000);
});
