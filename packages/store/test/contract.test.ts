// The contract every adapter keeps: the same tests against the embedded store in memory and on
// disk, and against a real PostgreSQL server.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { DatabaseClosedError, SqlError, type Database } from "../src/database.js";
import { migrate, MigrationChangedError, migrationsFrom } from "../src/migrate.js";
import { adapters } from "./support/adapters.js";
import { exampleMigrations, slowMigrations } from "./support/migrations.js";
import { describeWithServer } from "./support/server.js";

const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function eventually(check: () => void, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      check();
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await delay(10);
    }
  }
}

for (const adapter of adapters()) {
  (adapter.needsServer ? describeWithServer : describe)(`store contract: ${adapter.name}`, () => {
    // One database per suite (starting PGlite takes a second or two), emptied before each test.
    let db: Database;
    const extra: Database[] = [];

    beforeAll(async () => {
      await adapter.setup();
      db = await adapter.open();
    }, 60_000);
    afterAll(async () => {
      await db?.close();
      await adapter.teardown();
    });
    beforeEach(() => db.exec("drop schema if exists public cascade; create schema public"));
    afterEach(async () => {
      for (const other of extra.splice(0)) await other.close();
    });

    it("runs a query with $n parameters", async () => {
      expect(db.dialect).toBe("postgres");
      expect(await db.query("select $1::int + $2::int as sum, $3::text as name", [2, 3, "meter"])).toEqual([{ sum: 5, name: "meter" }]);
      await db.exec("create table devices (id text primary key, kind text not null)");
      expect(await db.query("insert into devices values ($1, $2), ($3, $4)", ["00-01", "ESME", "00-02", "GSME"])).toEqual([]);
      expect(await db.query("select id from devices where kind = $1", ["GSME"])).toEqual([{ id: "00-02" }]);
      expect(await db.query("select id from devices where kind = $1", ["PPMID"])).toEqual([]);
    });

    it("round-trips text, bigint, bytea, jsonb, timestamptz and the rest as the port documents", async () => {
      await db.exec(`create table typed (
        t text, i8 bigint, b bytea, j jsonb, ts timestamptz, n numeric, bo boolean, i4 int, f8 float8, u uuid)`);
      const at = new Date("2025-03-04T05:06:07.089Z");
      const big = 9_007_199_254_740_993n; // 2^53 + 1: not a safe JS number
      const bytes = new Uint8Array([0, 1, 127, 128, 255]);
      const json = { request: "ECS01", ids: [1, 2], nested: { ok: true, none: null }, text: "é\"\\" };
      await db.query("insert into typed values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
        ["GBCS ✓", big, bytes, json, at, "12345678901234567890.000001", true, -7, 0.5, "6f9619ff-8b86-d011-b42d-00c04fc964ff"]);
      const [row] = await db.query("select * from typed");
      expect(row).toEqual({
        t: "GBCS ✓", i8: big, b: bytes, j: json, ts: at, n: "12345678901234567890.000001",
        bo: true, i4: -7, f8: 0.5, u: "6f9619ff-8b86-d011-b42d-00c04fc964ff",
      });
      // The exact types, not only equal values: a Buffer or a number would pass toEqual.
      expect(Object.getPrototypeOf(row?.b)).toBe(Uint8Array.prototype);
      expect(typeof row?.i8).toBe("bigint");
      expect(row?.ts).toBeInstanceOf(Date);
      // int8 is always bigint, however small: count(*) too.
      expect(await db.query("select count(*) as n, 1::bigint as one from typed")).toEqual([{ n: 1n, one: 1n }]);
    });

    it("sends JSON parameters as JSON, whatever their shape", async () => {
      await db.exec("create table docs (id int, j jsonb)");
      const values = [[1, 2, 3], "a string", 42, true, null, [{ a: 1 }], { big: 5n }];
      for (const [id, value] of values.entries()) await db.query("insert into docs values ($1, $2)", [id, value]);
      const rows = await db.query<{ j: unknown }>("select j from docs order by id");
      // SQL NULL and JSON null both read back as null; a bigint inside JSON becomes its text.
      expect(rows.map((r) => r.j)).toEqual([[1, 2, 3], "a string", 42, true, null, [{ a: 1 }], { big: "5" }]);
      expect(await db.query("select jsonb_typeof(j) as t from docs where id = 1")).toEqual([{ t: "string" }]);
    });

    it("sends undefined and null parameters as NULL", async () => {
      expect(await db.query("select $1::text is null as a, $2::int is null as b", [undefined, null])).toEqual([{ a: true, b: true }]);
    });

    it("runs several statements with exec", async () => {
      await db.exec("create table a (x int); create table b (y int); insert into a values (1); insert into b values (2);");
      expect(await db.query("select x, y from a, b")).toEqual([{ x: 1, y: 2 }]);
    });

    it("round-trips arrays", async () => {
      expect(await db.query("select $1::int[] as ints, $2::text[] as texts", [[1, 2, 3], ["a", "b,c", "d\"e"]]))
        .toEqual([{ ints: [1, 2, 3], texts: ["a", "b,c", "d\"e"] }]);
    });

    it("commits a transaction when its function resolves, and passes its value through", async () => {
      await db.exec("create table ledger (id int primary key, amount int not null)");
      const value = await db.transaction(async (tx) => {
        await tx.query("insert into ledger values (1, 10)");
        await tx.query("insert into ledger values (2, 20)");
        return (await tx.query<{ total: bigint }>("select sum(amount)::bigint as total from ledger"))[0]?.total;
      });
      expect(value).toBe(30n);
      expect(await db.query("select count(*) as n from ledger")).toEqual([{ n: 2n }]);
    });

    it("rolls back everything when the function throws, and rethrows that error", async () => {
      await db.exec("create table ledger (id int primary key, amount int not null); insert into ledger values (1, 10)");
      const failure = new Error("stop here");
      await expect(db.transaction(async (tx) => {
        await tx.query("insert into ledger values (2, 20)");
        await tx.query("update ledger set amount = 0");
        await tx.exec("create table made_in_tx (x int)");
        throw failure;
      })).rejects.toBe(failure);
      expect(await db.query("select id, amount from ledger")).toEqual([{ id: 1, amount: 10 }]);
      await expect(db.query("select * from made_in_tx")).rejects.toThrow(/made_in_tx/);
    });

    it("rolls back when a statement failed, even if the function caught the error", async () => {
      await db.exec("create table ledger (id int primary key)");
      await expect(db.transaction(async (tx) => {
        await tx.query("insert into ledger values (1)");
        await tx.query("insert into ledger values (1)").catch(() => "swallowed");
        return "done";
      })).rejects.toMatchObject({ name: "SqlError", code: "23505" });
      expect(await db.query("select count(*) as n from ledger")).toEqual([{ n: 0n }]);
    });

    it("runs a batch in order as one transaction of its own", async () => {
      await db.exec("create table trail (id bigserial primary key, note text not null, doc jsonb)");
      await db.batch([
        { sql: "insert into trail (note, doc) values ($1, $2)", params: ["first", { n: 1 }] },
        { sql: "insert into trail (note) select unnest($1::text[])", params: [["second", "third"]] },
        { sql: "update trail set note = note || '!' where note = $1", params: ["first"] },
      ]);
      expect(await db.query("select id, note, doc from trail order by id")).toEqual([
        { id: 1n, note: "first!", doc: { n: 1 } }, { id: 2n, note: "second", doc: null }, { id: 3n, note: "third", doc: null },
      ]);
      // A failing statement: none of the batch lands, and its error is the statement's.
      await expect(db.batch([
        { sql: "insert into trail (note) values ($1)", params: ["lost"] },
        { sql: "insert into trail (id, note) values ($1, $2)", params: [1, "duplicate"] },
        { sql: "insert into trail (note) values ($1)", params: ["lost too"] },
      ])).rejects.toMatchObject({ name: "SqlError", code: "23505" });
      expect(await db.query("select count(*) as n from trail")).toEqual([{ n: 3n }]);
      await db.batch([]);
    });

    it("runs a batch inside a transaction as part of it", async () => {
      await db.exec("create table trail (note text not null)");
      await expect(db.transaction(async (tx) => {
        await tx.batch([{ sql: "insert into trail values ($1)", params: ["a"] }, { sql: "insert into trail values ($1)", params: ["b"] }]);
        expect(await tx.query("select count(*) as n from trail")).toEqual([{ n: 2n }]);
        throw new Error("abort");
      })).rejects.toThrow("abort");
      await db.transaction((tx) => tx.batch([{ sql: "insert into trail values ($1)", params: ["c"] }]));
      expect(await db.query("select note from trail")).toEqual([{ note: "c" }]);
    });

    it("runs a statement again after its table changed shape (a prepared statement is not stale)", async () => {
      await db.exec("create table shape (a int); insert into shape values (1)");
      expect(await db.query("select * from shape where a = $1", [1])).toEqual([{ a: 1 }]);
      await db.exec("alter table shape add column b text default 'x'");
      expect(await db.query("select * from shape where a = $1", [1])).toEqual([{ a: 1, b: "x" }]);
      await db.batch([{ sql: "insert into shape values ($1)", params: [2] }]);
      await db.exec("alter table shape drop column b");
      await db.batch([{ sql: "insert into shape values ($1)", params: [3] }]);
      expect(await db.query("select * from shape order by a")).toEqual([{ a: 1 }, { a: 2 }, { a: 3 }]);
    });

    it("refuses a transaction's executor once the transaction has finished", async () => {
      let leaked: Parameters<Parameters<Database["transaction"]>[0]>[0] | undefined;
      await db.transaction(async (tx) => {
        leaked = tx;
      });
      await expect(leaked?.query("select 1")).rejects.toThrow(/transaction/i);
    });

    it("keeps concurrent transactions atomic and isolated", async () => {
      await db.exec("create table counter (n int not null); insert into counter values (0); create table log (tx int, step int)");
      await Promise.all(Array.from({ length: 20 }, (_, i) => db.transaction(async (tx) => {
        await tx.query("update counter set n = n + 1");
        for (let step = 0; step < 3; step++) await tx.query("insert into log values ($1, $2)", [i, step]);
        if (i % 5 === 4) throw new Error(`abort ${i}`);
      }).catch((error: Error) => error.message)));
      // 4 of the 20 aborted: their update and all their log rows are gone, the others are whole.
      expect(await db.query("select n from counter")).toEqual([{ n: 16 }]);
      const perTx = await db.query<{ tx: number; steps: bigint }>("select tx, count(*) as steps from log group by tx order by tx");
      expect(perTx.map((r) => r.tx)).toEqual([...Array(20).keys()].filter((i) => i % 5 !== 4));
      expect(perTx.every((r) => r.steps === 3n)).toBe(true);
    });

    it("delivers notifications to listeners, after commit and never on rollback", async () => {
      const got: string[] = [];
      const unlisten = await db.listen("opendcc_events", (payload) => got.push(payload));
      await db.notify("opendcc_events", "direct");
      await eventually(() => expect(got).toEqual(["direct"]));

      await db.transaction(async (tx) => {
        await tx.query("select pg_notify($1, $2)", ["opendcc_events", "committed"]);
        await delay(50);
        expect(got).toEqual(["direct"]); // not yet: the transaction is open
      });
      await eventually(() => expect(got).toEqual(["direct", "committed"]));

      await db.transaction(async (tx) => {
        await tx.query("select pg_notify($1, $2)", ["opendcc_events", "rolled back"]);
        throw new Error("abort");
      }).catch(() => {});
      await db.notify("opendcc_events", "{\"json\":\"payload\"}");
      await eventually(() => expect(got).toEqual(["direct", "committed", "{\"json\":\"payload\"}"]));

      await unlisten();
      await db.notify("opendcc_events", "after unlisten");
      await delay(100);
      expect(got).toHaveLength(3);
      await expect(db.listen("Bad-Channel", () => {})).rejects.toThrow(/lower-case identifier/);
    });

    it("lets a listener query the database when a transaction's notification arrives", async () => {
      await db.exec("create table inbox (id int)");
      const seen: unknown[] = [];
      const unlisten = await db.listen("opendcc_inbox", () => {
        db.query("select count(*) as n from inbox").then((rows) => seen.push(rows[0]?.n), (error: Error) => seen.push(error.message));
      });
      await db.transaction(async (tx) => {
        await tx.query("insert into inbox values (1)");
        await tx.query("select pg_notify('opendcc_inbox', '')");
      });
      await eventually(() => expect(seen).toEqual([1n]));
      await unlisten();
    });

    it("applies migrations once, in order, and re-running applies nothing", async () => {
      expect(await migrate(db, exampleMigrations)).toEqual({ applied: ["0001_widgets", "0002_widget_names"], unknown: [] });
      expect(await migrate(db, exampleMigrations)).toEqual({ applied: [], unknown: [] });
      expect(await db.query("select id, name from widgets")).toEqual([{ id: 1, name: "widget" }]);
      const recorded = await db.query<{ id: string; checksum: string; applied_at: Date }>("select * from schema_migrations order by id");
      expect(recorded.map((r) => r.id)).toEqual(["0001_widgets", "0002_widget_names"]);
      expect(recorded[0]?.checksum).toMatch(/^[0-9a-f]{64}$/);
      expect(recorded[0]?.applied_at).toBeInstanceOf(Date);
      // An older release, knowing only the first, leaves the second alone and reports it.
      expect(await migrate(db, exampleMigrations.slice(0, 1))).toEqual({ applied: [], unknown: ["0002_widget_names"] });
    });

    it("refuses a migration changed after it was applied, naming it", async () => {
      await migrate(db, exampleMigrations);
      const edited = [exampleMigrations[0]!, { id: "0002_widget_names", sql: "alter table widgets add column name text" }];
      const error = await migrate(db, edited).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(MigrationChangedError);
      expect((error as Error).message).toMatch(/migration "0002_widget_names" was changed after it was applied/);
    });

    it("applies none of a run's migrations when one fails, and says which", async () => {
      const broken = [...exampleMigrations, { id: "0003_broken", sql: "alter table no_such_table add column x int" }];
      await expect(migrate(db, broken)).rejects.toThrow(/migration "0003_broken" failed.*no_such_table/);
      await expect(db.query("select * from widgets")).rejects.toThrow(/widgets/);
      expect(await migrate(db, exampleMigrations)).toEqual({ applied: ["0001_widgets", "0002_widget_names"], unknown: [] });
    });

    it("applies each migration exactly once when three migrate at the same time", async () => {
      // Three connections (pools) on a server; the embedded store's one connection runs them in turn.
      const dbs = adapter.connectAgain ? [db, ...await Promise.all([adapter.connectAgain(), adapter.connectAgain()])] : [db, db, db];
      extra.push(...dbs.filter((other) => other !== db));
      const results = await Promise.all(dbs.map((each) => migrate(each, slowMigrations)));
      expect(results.flatMap((r) => r.applied).sort()).toEqual(["0001_widgets", "0002_widget_names"]);
      expect(await db.query("select count(*) as n from widgets")).toEqual([{ n: 1n }]);
      expect(await db.query("select count(*) as n from schema_migrations")).toEqual([{ n: 2n }]);
    });

    it("names the problem in errors on bad SQL, with its SQLSTATE, and keeps working", async () => {
      const syntax = await db.query("selec 1").catch((e: unknown) => e);
      expect(syntax).toBeInstanceOf(SqlError);
      expect(syntax).toMatchObject({ code: "42601" });
      expect((syntax as Error).message).toMatch(/syntax error at or near "selec".*42601.*in: selec 1/);
      await expect(db.query("select * from no_such_table")).rejects.toThrow(/relation "no_such_table" does not exist/);
      await expect(db.exec("create table t (x int); create tabel u (y int)")).rejects.toMatchObject({ code: "42601" });
      await db.exec("create table uniq (id int constraint uniq_pk primary key)");
      await db.query("insert into uniq values (1)");
      await expect(db.query("insert into uniq values ($1)", [1])).rejects.toMatchObject({ name: "SqlError", code: "23505", constraint: "uniq_pk" });
      await expect(db.query("select $1::int", ["not a number"])).rejects.toThrow(/invalid input syntax for type integer/);
      await expect(db.query("insert into uniq values ($1)", [new Uint8Array([1])])).rejects.toThrow();
      expect(await db.query("select 1 as ok")).toEqual([{ ok: 1 }]);
    });

    it("refuses every call once closed, saying so", async () => {
      const db = await adapter.open();
      await db.close();
      await db.close(); // twice is fine
      const closed = /database is closed/;
      await expect(db.query("select 1")).rejects.toThrow(DatabaseClosedError);
      await expect(db.query("select 1")).rejects.toThrow(closed);
      await expect(db.exec("select 1")).rejects.toThrow(closed);
      await expect(db.transaction(async () => 1)).rejects.toThrow(closed);
      await expect(db.listen("ch", () => {})).rejects.toThrow(closed);
      await expect(db.notify("ch", "x")).rejects.toThrow(closed);
    });
  });
}

describe("migrationsFrom", () => {
  it("orders a record of migrations by id", () => {
    expect(migrationsFrom({ "0002_b": "b", "0010_c": "c", "0001_a": "a" })).toEqual([
      { id: "0001_a", sql: "a" }, { id: "0002_b", sql: "b" }, { id: "0010_c", sql: "c" },
    ]);
  });

  it("refuses duplicate and empty ids before touching the database", async () => {
    const untouched = {} as Database;
    await expect(migrate(untouched, [{ id: "x", sql: "" }, { id: "x", sql: "" }])).rejects.toThrow(/"x" appears twice/);
    await expect(migrate(untouched, [{ id: " ", sql: "" }])).rejects.toThrow(/empty id/);
  });
});
