// The server adapter: a PostgreSQL server shared by several gateway instances, through the
// `postgres` driver (porsager), which also runs on workerd over its TCP sockets. Imports nothing
// from node: or from the embedded adapter, so an edge bundle of it stays small.
import postgres from "postgres";
import { checkChannel, DatabaseClosedError, toSqlError, type Database, type Executor, type Statement } from "./database.js";
import { oid, parseBytea, parseInt8, parseJson, serializeBytea, serializeInt8, serializeJson } from "./values.js";

export interface PostgresOptions {
  /** Pool size (default 10). One more connection is opened on the first listen(). */
  readonly max?: number;
  /** Seconds to wait for a connection (default 30). */
  readonly connectTimeoutSeconds?: number;
  /** Close connections idle this many seconds (default: never). */
  readonly idleTimeoutSeconds?: number;
  /** Named prepared statements (default true); turn off behind a transaction-mode pooler. */
  readonly prepare?: boolean;
}

export interface ServerDatabase extends Database {
  readonly kind: "server";
}

/** Opens a pool on `url` (postgres://user:password@host:port/database?sslmode=require). */
export async function openPostgres(url: string, options: PostgresOptions = {}): Promise<ServerDatabase> {
  const sql = postgres(url, {
    max: options.max ?? 10,
    connect_timeout: options.connectTimeoutSeconds ?? 30,
    idle_timeout: options.idleTimeoutSeconds ?? 0,
    prepare: options.prepare ?? true,
    onnotice: () => {}, // "relation already exists, skipping" and the like are not errors
    types: {
      json: { to: oid.jsonb, from: [oid.json, oid.jsonb], parse: parseJson, serialize: serializeJson },
      int8: { to: oid.int8, from: [oid.int8], parse: parseInt8, serialize: serializeInt8 },
      bytea: { to: oid.bytea, from: [oid.bytea], parse: parseBytea, serialize: serializeBytea },
    },
  });
  // Fail now, with the driver's reason, rather than on the first request.
  try {
    await sql`select 1`;
  } catch (error) {
    await sql.end({ timeout: 0 });
    throw new Error(`cannot connect to PostgreSQL at ${redact(url)}: ${(error as Error).message}`, { cause: error });
  }

  let closed = false;
  const ready = (): void => {
    if (closed) throw new DatabaseClosedError("server");
  };

  return {
    dialect: "postgres",
    kind: "server",
    async query<Row>(text: string, params: readonly unknown[] = []) {
      ready();
      return runQuery<Row>(sql, text, params);
    },
    async batch(statements: readonly Statement[]) {
      ready();
      if (statements.length === 0) return;
      // BEGIN, the statements and COMMIT go out pipelined on one connection.
      await sql.begin((tx) => runBatch(tx, statements)).catch((error: unknown) => {
        throw toSqlError(error, (error as { query?: string }).query ?? "(batch)");
      });
    },
    async exec(text: string) {
      ready();
      await runExec(sql, text);
    },
    async transaction<T>(fn: (tx: Executor) => Promise<T>) {
      ready();
      // sql.begin commits when fn resolves and rolls back when it throws, or when any statement
      // in it failed even if fn caught that error (PostgreSQL would roll back such a COMMIT).
      const result = await sql.begin(async (tx) => {
        let finished = false;
        const open = (): void => {
          if (finished) throw new Error("this transaction has already finished");
        };
        try {
          return { value: await fn({
            query: async <Row>(text: string, params: readonly unknown[] = []) => {
              open();
              return runQuery<Row>(tx, text, params);
            },
            batch: async (statements: readonly Statement[]) => {
              open();
              await runBatch(tx, statements);
            },
            exec: async (text: string) => {
              open();
              await runExec(tx, text);
            },
          }) };
        } finally {
          finished = true;
        }
      }).catch((error: unknown) => {
        // A statement's error the driver re-throws at COMMIT is still the driver's own: wrap it too.
        throw toSqlError(error, (error as { query?: string }).query ?? "(transaction)");
      });
      return result.value;
    },
    async listen(channel: string, onMessage: (payload: string) => void) {
      checkChannel(channel);
      ready();
      // The driver keeps one dedicated connection for all channels and re-listens after a reconnect.
      const { unlisten } = await sql.listen(channel, onMessage);
      return async () => {
        if (!closed) await unlisten();
      };
    },
    async notify(channel: string, payload: string) {
      checkChannel(channel);
      ready();
      await runQuery(sql, "select pg_notify($1, $2)", [channel, payload]);
    },
    async close() {
      if (closed) return;
      closed = true;
      await sql.end({ timeout: 5 });
    },
  };
}

type Sql = postgres.Sql | postgres.TransactionSql;

async function runQuery<Row>(sql: Sql, text: string, params: readonly unknown[]): Promise<Row[]> {
  try {
    // A plain array: the driver's result rows carry extra properties (count, columns, ...).
    return [...(await sql.unsafe(text, untyped(sql, params)))] as Row[];
  } catch (error) {
    throw toSqlError(error, text);
  }
}

/** The statements sent without waiting for each other's answers (the driver pipelines them), in a transaction. */
async function runBatch(tx: postgres.TransactionSql, statements: readonly Statement[]): Promise<void> {
  const sent = statements.map(({ sql, params = [] }) => tx.unsafe(sql, untyped(tx, params)).catch((error: unknown) => {
    throw toSqlError(error, sql);
  }));
  // Every one settled before returning (a failure aborts the rest), the first failure thrown.
  const settled = await Promise.allSettled(sent);
  const failed = settled.find((outcome) => outcome.status === "rejected");
  if (failed) throw failed.reason;
}

// undefined is sent as NULL, as the embedded adapter does. Type 0 for every parameter: the
// server decides each one's type from the statement, as it does on the embedded store, instead
// of the driver guessing from the JS value (it would declare `true` boolean even for a jsonb column).
function untyped(sql: Sql, params: readonly unknown[]): never[] {
  return params.map((value) => sql.typed((value ?? null) as never, 0)) as never[];
}

async function runExec(sql: Sql, text: string): Promise<void> {
  try {
    await sql.unsafe(text).simple();
  } catch (error) {
    throw toSqlError(error, text);
  }
}

function redact(url: string): string {
  return url.replace(/\/\/([^:@/]+):[^@/]*@/, "//$1:***@");
}
