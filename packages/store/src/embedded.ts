// The embedded store: PostgreSQL compiled to WASM (PGlite) inside this process, on a data
// directory or in memory. No server to run; one process at a time owns the directory.
// Node only (it reads and writes the directory with node:fs).
import { AsyncLocalStorage } from "node:async_hooks";
import { mkdirSync } from "node:fs";
import { PGlite, type PGliteOptions } from "@electric-sql/pglite";
import { NodeFS } from "@electric-sql/pglite/nodefs";
import { lockDataDir } from "./data-dir-lock.js";
export { DataDirLockedError } from "./data-dir-lock.js";
import { checkChannel, DatabaseClosedError, toSqlError, type Database, type Executor, type Statement } from "./database.js";
import { SyncingNodeFS, syncingStartParams } from "./embedded-fs.js";
import { EmbeddedSession } from "./embedded-session.js";
import { oid, parseBytea, parseInt8, parseJson, serializeBytea, serializeInt8, serializeJson } from "./values.js";

export type EmbeddedOptions =
  | {
      /** Directory holding the database; created if missing. */
      readonly dataDir: string;
      /**
       * true (default): COMMIT returns only after the WAL is fsync'd, so a committed transaction
       * survives power loss. false: after it is written to the OS (survives a crash or kill -9 of
       * this process, not of the machine); commits are then several times faster.
       */
      readonly fsync?: boolean;
    }
  | { readonly memory: true };

export interface EmbeddedDatabase extends Database {
  readonly kind: "embedded";
  /** The data directory, or undefined in memory. */
  readonly dataDir: string | undefined;
  /** fsync calls made so far (0 in memory or with fsync: false): shows commits really reach the disk. */
  readonly fsyncs: number;
}

const codecs = {
  parsers: { [oid.int8]: parseInt8, [oid.json]: parseJson, [oid.jsonb]: parseJson, [oid.bytea]: parseBytea },
  serializers: { [oid.int8]: serializeInt8, [oid.json]: serializeJson, [oid.jsonb]: serializeJson, [oid.bytea]: serializeBytea },
};

// initdb is most of PGlite's start-up (about 1.5 s): later in-memory stores in this process
// start from a copy of the first one's fresh data directory instead (about 0.4 s).
let freshMemoryImage: Promise<File | Blob> | undefined;

async function openMemory(): Promise<PGlite> {
  const image = freshMemoryImage;
  if (image) return PGlite.create({ ...codecs, loadDataDir: await image });
  const pg = await PGlite.create({ ...codecs });
  freshMemoryImage = pg.dumpDataDir("none");
  await freshMemoryImage.catch(() => (freshMemoryImage = undefined));
  return pg;
}

export async function openEmbedded(options: EmbeddedOptions): Promise<EmbeddedDatabase> {
  if ("memory" in options) return wrap(await openMemory(), undefined, undefined, () => {});
  const { dataDir } = options;
  mkdirSync(dataDir, { recursive: true });
  const release = lockDataDir(dataDir);
  try {
    const fsync = options.fsync ?? true;
    const fs = fsync ? new SyncingNodeFS(dataDir) : new NodeFS(dataDir);
    const pgOptions: PGliteOptions = { ...codecs, fs };
    if (fsync) pgOptions.startParams = syncingStartParams(PGlite.defaultStartParams);
    const pg = await PGlite.create(pgOptions);
    return wrap(pg, dataDir, fs instanceof SyncingNodeFS ? fs : undefined, release);
  } catch (error) {
    release();
    throw error;
  }
}

function wrap(pg: PGlite, dataDir: string | undefined, syncingFs: SyncingNodeFS | undefined, release: () => void): EmbeddedDatabase {
  const session = new EmbeddedSession(pg);
  // PGlite is one connection: db.query awaited inside db.transaction would wait for the
  // transaction, which waits for it. Tell the caller instead of hanging.
  const inTransaction = new AsyncLocalStorage<true>();
  let closed = false;
  const ready = (): void => {
    if (closed) throw new DatabaseClosedError("embedded");
    if (inTransaction.getStore()) {
      throw new Error("the embedded store has one connection: inside db.transaction(fn) use fn's tx, not db (db would wait for the transaction forever)");
    }
  };

  return {
    dialect: "postgres",
    kind: "embedded",
    dataDir,
    get fsyncs() {
      return syncingFs?.syncCount ?? 0;
    },
    async query<Row>(sql: string, params: readonly unknown[] = []) {
      ready();
      return session.exclusive(() => sqlErrors(sql, session.query<Row>(sql, params)));
    },
    async batch(statements: readonly Statement[]) {
      ready();
      await session.exclusive(() => sqlErrors(statements, session.batch(statements)));
    },
    async exec(sql: string) {
      ready();
      await session.exclusive(() => sqlErrors(sql, session.simple(sql)));
    },
    async transaction<T>(fn: (tx: Executor) => Promise<T>) {
      ready();
      return session.exclusive(async () => {
        await sqlErrors("BEGIN", session.simple("BEGIN"));
        // If fn caught a failed statement's error and resolved, COMMIT finds the transaction
        // aborted and rolls back: throw the statement's error, as the server adapter does.
        let firstError: unknown;
        let finished = false;
        const noting = <R>(sql: string | readonly Statement[], work: () => Promise<R>): Promise<R> => {
          if (finished) return Promise.reject(new Error("this transaction has already finished"));
          return sqlErrors(sql, work()).catch((error: unknown) => {
            firstError ??= error;
            throw error;
          });
        };
        let value: T;
        try {
          value = await inTransaction.run(true, () => fn({
            query: <Row>(sql: string, params: readonly unknown[] = []) => noting(sql, () => session.query<Row>(sql, params)),
            batch: (statements: readonly Statement[]) => noting(statements, () => session.batch(statements)),
            exec: (sql: string) => noting(sql, async () => void await session.simple(sql)),
          }));
        } catch (error) {
          finished = true;
          await sqlErrors("ROLLBACK", session.simple("ROLLBACK"));
          throw error;
        }
        finished = true;
        const outcome = await sqlErrors("COMMIT", session.simple("COMMIT"));
        if (outcome === "ROLLBACK") throw firstError ?? new Error("the transaction was aborted and rolled back instead of committed");
        return value;
      });
    },
    async listen(channel: string, onMessage: (payload: string) => void) {
      checkChannel(channel);
      ready();
      const unlisten = await session.exclusive(() => pg.listen(channel, onMessage));
      return async () => {
        if (!closed) await session.exclusive(() => unlisten());
      };
    },
    async notify(channel: string, payload: string) {
      checkChannel(channel);
      ready();
      await session.exclusive(() => sqlErrors("select pg_notify($1, $2)", session.query("select pg_notify($1, $2)", [channel, payload])));
    },
    async close() {
      if (closed) return;
      closed = true;
      try {
        await session.exclusive(() => pg.close());
      } finally {
        release();
      }
    },
  };
}

/** PostgreSQL's errors as SqlError, naming the statement (the first of a batch). */
async function sqlErrors<T>(sql: string | readonly Statement[], work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (error) {
    throw toSqlError(error, typeof sql === "string" ? sql : `(a batch of ${sql.length}, the first) ${sql[0]?.sql ?? ""}`);
  }
}
