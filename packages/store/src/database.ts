// The storage port every OpenDCC room talks to: PostgreSQL SQL with $1, $2 placeholders, the
// same on the embedded store (PGlite) and on a PostgreSQL server. Web-standard types only, so
// the port and the server adapter also run on an edge runtime.
//
// Values, identical on both adapters:
//   text, varchar, uuid, numeric -> string       int2, int4, float4, float8 -> number
//   int8 (bigint, count(*))      -> bigint       bool -> boolean
//   bytea                        <-> Uint8Array   timestamptz, timestamp, date -> Date
//   json, jsonb                  <-> any JSON value; a parameter is always JSON.stringify'd, so
//                                    a JS string becomes a JSON string (bigint -> its decimal text)

/** A statement and its parameters, for a batch. */
export interface Statement {
  readonly sql: string;
  readonly params?: readonly unknown[];
}

/** What runs SQL: the database itself, or one transaction. */
export interface Executor {
  /** One statement, parameters bound as $1, $2, ...; resolves to its rows (empty for DML). */
  query<Row = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<Row[]>;
  /**
   * Statements in order, their rows not wanted, as one round trip (embedded: one call into
   * PostgreSQL; server: pipelined). On the database they are one transaction of their own (all
   * or none, durable when it resolves); in a transaction, part of it.
   */
  batch(statements: readonly Statement[]): Promise<void>;
  /** One or more statements without parameters (simple query protocol): DDL, migrations. */
  exec(sql: string): Promise<void>;
}

export interface Database extends Executor {
  readonly dialect: "postgres";
  readonly kind: "embedded" | "server";
  /**
   * Runs fn in one transaction; commits when it resolves, rolls back when it throws. If a
   * statement in it failed, it rolls back and throws that statement's error even if fn caught it.
   */
  transaction<T>(fn: (tx: Executor) => Promise<T>): Promise<T>;
  /**
   * Calls onMessage with each payload sent to channel (after the sender's transaction commits).
   * Resolves once listening, to a function that stops it. Channels are lower-case identifiers.
   */
  listen(channel: string, onMessage: (payload: string) => void): Promise<() => Promise<void>>;
  /** pg_notify(channel, payload); inside a transaction use tx.query("select pg_notify($1, $2)", ...). */
  notify(channel: string, payload: string): Promise<void>;
  /** Waits for running work, then releases the database; later calls throw DatabaseClosedError. */
  close(): Promise<void>;
}

/** PostgreSQL rejected a statement. `code` is its SQLSTATE (23505 unique violation, 42601 syntax, ...). */
export class SqlError extends Error {
  override readonly name = "SqlError";
  readonly code: string;
  readonly detail: string | undefined;
  readonly constraint: string | undefined;

  constructor(message: string, fields: { code: string; detail?: string | undefined; constraint?: string | undefined; sql: string }, cause: unknown) {
    super(`${message} [SQLSTATE ${fields.code}] in: ${abbreviate(fields.sql)}`, { cause });
    this.code = fields.code;
    this.detail = fields.detail;
    this.constraint = fields.constraint;
  }
}

export class DatabaseClosedError extends Error {
  override readonly name = "DatabaseClosedError";
  constructor(kind: Database["kind"]) {
    super(`the ${kind} database is closed`);
  }
}

/** Errors a driver raises for a statement the server rejected carry a 5-character SQLSTATE `code`. */
export function toSqlError(error: unknown, sql: string): unknown {
  if (!(error instanceof Error) || error instanceof SqlError) return error;
  const fields = error as Error & { code?: unknown; detail?: unknown; constraint?: unknown; constraint_name?: unknown };
  if (typeof fields.code !== "string" || !/^[0-9A-Z]{5}$/.test(fields.code)) return error;
  const constraint = fields.constraint ?? fields.constraint_name;
  return new SqlError(error.message, {
    code: fields.code,
    detail: typeof fields.detail === "string" ? fields.detail : undefined,
    constraint: typeof constraint === "string" ? constraint : undefined,
    sql,
  }, error);
}

/** Channel names are passed to LISTEN unquoted by one driver and quoted by the other: allow only names both agree on. */
export function checkChannel(channel: string): void {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(channel)) {
    throw new TypeError(`channel "${channel}" must be a lower-case identifier ([a-z_][a-z0-9_]*, at most 63 characters)`);
  }
}

function abbreviate(sql: string): string {
  const oneLine = sql.replace(/\s+/g, " ").trim();
  return oneLine.length > 200 ? `${oneLine.slice(0, 200)}...` : oneLine;
}
