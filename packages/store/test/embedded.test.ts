// What only the embedded store has: fsync it installs itself, a data directory one process owns,
// one connection (and a clear error instead of a hang when that is forgotten).
import { rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { DataDirLockedError, openEmbedded } from "../src/embedded.js";
import { openDatabase } from "../src/open.js";
import { tempDir } from "./support/adapters.js";
import { startChild } from "./support/children.js";

const dirs: string[] = [];
const newDir = (name: string): string => {
  const dir = tempDir(name);
  dirs.push(dir);
  return dir;
};
afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

const settings = "select name, setting from pg_settings where name in ('fsync', 'wal_sync_method', 'synchronous_commit') order by name";

describe("embedded store", () => {
  it("fsyncs the WAL at every commit by default", async () => {
    const db = await openEmbedded({ dataDir: newDir("fsync") });
    try {
      expect(await db.query(settings)).toEqual([
        { name: "fsync", setting: "on" },
        { name: "synchronous_commit", setting: "on" },
        { name: "wal_sync_method", setting: "fsync" },
      ]);
      await db.exec("create table t (id int)");
      const before = db.fsyncs;
      for (let id = 0; id < 10; id++) await db.transaction((tx) => tx.query("insert into t values ($1)", [id]));
      expect(db.fsyncs - before).toBeGreaterThanOrEqual(10);
    } finally {
      await db.close();
    }
  });

  it("with fsync: false, leaves flushing to the OS (PGlite's default)", async () => {
    const db = await openEmbedded({ dataDir: newDir("nofsync"), fsync: false });
    try {
      expect(await db.query(settings)).toEqual([
        { name: "fsync", setting: "off" },
        { name: "synchronous_commit", setting: "on" },
        { name: "wal_sync_method", setting: "fdatasync" },
      ]);
      await db.exec("create table t (id int); insert into t values (1)");
      expect(db.fsyncs).toBe(0);
    } finally {
      await db.close();
    }
  });

  it("keeps its data across close and reopen; memory keeps nothing", async () => {
    const dir = newDir("reopen");
    const first = await openEmbedded({ dataDir: dir });
    expect(first.dataDir).toBe(dir);
    await first.exec("create table kept (v text); insert into kept values ('still here')");
    await first.close();
    const second = await openEmbedded({ dataDir: dir });
    expect(await second.query("select v from kept")).toEqual([{ v: "still here" }]);
    await second.close();

    const memory = await openEmbedded({ memory: true });
    expect(memory.dataDir).toBeUndefined();
    await memory.exec("create table gone (v text)");
    await memory.close();
    const fresh = await openEmbedded({ memory: true });
    await expect(fresh.query("select * from gone")).rejects.toThrow(/relation "gone" does not exist/);
    await fresh.close();
  });

  it("lets one process at a time open a data directory", async () => {
    const dir = newDir("lock");
    const db = await openEmbedded({ dataDir: dir });
    await expect(openEmbedded({ dataDir: dir })).rejects.toThrow(DataDirLockedError);
    await expect(openEmbedded({ dataDir: join(dir, ".") })).rejects.toThrow(/already open in process \d+ \(this one\)/);
    await db.close();

    const child = await startChild(["commit-loop", "embedded", dir, "on"]);
    try {
      await child.waitFor((lines) => lines.includes("ready"));
      await expect(openEmbedded({ dataDir: dir })).rejects.toThrow(new RegExp(`already open in process ${child.process.pid}[^\\d]`));
    } finally {
      child.process.kill("SIGKILL");
      await child.exited;
    }
    // Dead owner: its lock is stale and is taken over.
    const reopened = await openEmbedded({ dataDir: dir });
    expect((await reopened.query<{ n: bigint }>("select count(*) as n from loop"))[0]?.n).toBeGreaterThanOrEqual(0n);
    await reopened.close();
  }, 30_000);

  it("takes over a lock whose process is gone", async () => {
    const dir = newDir("stale");
    const gone = await startChild(["no-such-command"]);
    await gone.exited;
    writeFileSync(join(dir, "opendcc.lock"), `${gone.process.pid}\n`);
    const db = await openEmbedded({ dataDir: dir });
    await db.close();
  });

  it("says so, instead of waiting forever, when db is used inside db.transaction", async () => {
    const db = await openEmbedded({ memory: true });
    try {
      await expect(db.transaction(async () => db.query("select 1"))).rejects.toThrow(/one connection: inside db.transaction\(fn\) use fn's tx/);
      await expect(db.transaction(async () => db.transaction(async () => 1))).rejects.toThrow(/one connection/);
      expect(await db.query("select 1 as ok")).toEqual([{ ok: 1 }]);
    } finally {
      await db.close();
    }
  });
});

describe("openDatabase", () => {
  it("opens the embedded store from memory:, a directory or a file:// URL", async () => {
    for (const target of ["memory:", newDir("open-path"), `file://${newDir("open-url")}`]) {
      const db = await openDatabase(target);
      expect(db.kind).toBe("embedded");
      expect(await db.query("select 1 as ok")).toEqual([{ ok: 1 }]);
      await db.close();
    }
  });

  it("refuses a URL it does not know", async () => {
    await expect(openDatabase("mysql://localhost/x")).rejects.toThrow(/expected postgres:\/\/\.\.\., memory: or a directory/);
  });
});
