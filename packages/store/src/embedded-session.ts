// PGlite's one connection, spoken to in the wire protocol directly. PGlite's own query() makes
// six calls into PostgreSQL per statement (Parse, Describe, Bind, Describe, Execute, Sync), each
// with its JavaScript around it, and parses and plans the statement every time: about 0.25 ms of
// CPU for `select 1`. Here a statement is parsed once into a named prepared statement (its
// parameter types learnt then) and each run is one call: Bind, Describe, Execute, Sync (about
// 0.05 ms); a batch of statements is one call with one Sync, which PostgreSQL runs as one
// implicit transaction. Values are serialized and rows parsed with PGlite's codecs, as its
// query() does, so results are the same.
import { parse, protocol, type PGlite } from "@electric-sql/pglite";
import type { Statement } from "./database.js";

const { serialize } = protocol;

interface Prepared {
  readonly name: string;
  /** The parameter types PostgreSQL inferred (OIDs), which choose each value's serializer. */
  readonly types: readonly number[];
}

/** Prepared statements kept per session; beyond this the least recently used are closed. */
const MAX_PREPARED = 256;

/** PostgreSQL refuses a cached plan whose result columns changed (DDL since it was prepared). */
const STALE_PLAN = /cached plan must not change result type/;

type Message = { readonly name: string; readonly text?: string };

export class EmbeddedSession {
  private readonly prepared = new Map<string, Prepared>();
  private readonly closing: Uint8Array[] = [];
  private nextName = 0;
  private tail: Promise<unknown> = Promise.resolve();
  /** In a transaction block: PGlite syncs its filesystem after a call only outside one. */
  private inBlock = false;

  constructor(private readonly pg: PGlite) {}

  /** Runs work alone on the connection (statements, transactions and LISTEN one at a time). */
  exclusive<T>(work: () => Promise<T>): Promise<T> {
    const run = this.tail.then(work);
    this.tail = run.catch(() => undefined);
    return run;
  }

  /** One statement: one call into PostgreSQL once prepared. Call inside exclusive(). */
  async query<Row>(sql: string, params: readonly unknown[]): Promise<Row[]> {
    try {
      const statement = await this.prepare(sql);
      const messages = await this.send([...this.run(statement, params, true), serialize.sync()]);
      return parse.parseResults(messages as never, this.pg.parsers)[0]?.rows as Row[];
    } catch (error) {
      if (!this.inBlock && STALE_PLAN.test((error as Error).message) && this.forget(sql)) return this.query(sql, params);
      throw error;
    }
  }

  /**
   * Runs the statements in order with one Sync: outside a transaction block PostgreSQL runs them
   * as one implicit transaction (all or none); inside one, as part of it. Call inside exclusive().
   */
  async batch(statements: readonly Statement[]): Promise<void> {
    const prepared: Prepared[] = [];
    for (const { sql } of statements) prepared.push(await this.prepare(sql));
    const messages: Uint8Array[] = [];
    statements.forEach(({ params = [] }, i) => messages.push(...this.run(prepared[i] as Prepared, params, false)));
    try {
      await this.send([...messages, serialize.sync()]);
    } catch (error) {
      // A plan made stale by DDL: prepare again and run the batch once more (nothing of it committed).
      if (STALE_PLAN.test((error as Error).message) && statements.some(({ sql }) => this.forget(sql))) return this.batch(statements);
      throw error;
    }
  }

  /** Statements without parameters (simple query protocol); returns the last command's tag. Call inside exclusive(). */
  async simple(sql: string): Promise<string | undefined> {
    const messages = await this.send([serialize.query(sql)]);
    return (messages as Message[]).findLast((m) => m.name === "commandComplete")?.text;
  }

  private async prepare(sql: string): Promise<Prepared> {
    const known = this.prepared.get(sql);
    if (known) {
      // Most recently used last, so that the first is the one to close.
      this.prepared.delete(sql);
      this.prepared.set(sql, known);
      return known;
    }
    const name = `opendcc_${this.nextName++}`;
    const messages = await this.send([serialize.parse({ name, text: sql }), serialize.describe({ type: "S", name }), serialize.sync()]);
    const statement = { name, types: parse.parseDescribeStatementResults(messages as never) };
    this.prepared.set(sql, statement);
    if (this.prepared.size > MAX_PREPARED) {
      const [oldest] = this.prepared;
      if (oldest) this.forget(oldest[0]);
    }
    return statement;
  }

  /** Drops a prepared statement (closed with the next call); true if it was there. */
  private forget(sql: string): boolean {
    const statement = this.prepared.get(sql);
    if (!statement) return false;
    this.prepared.delete(sql);
    this.closing.push(serialize.close({ type: "S", name: statement.name }));
    return true;
  }

  private run(statement: Prepared, params: readonly unknown[], describe: boolean): Uint8Array[] {
    const values = params.map((value, i) => {
      // undefined is sent as NULL, as the server adapter does.
      if (value === null || value === undefined) return null;
      const serializer = this.pg.serializers[statement.types[i] as number];
      return serializer ? (serializer(value) as string) : String(value);
    });
    const bind = serialize.bind({ statement: statement.name, values });
    return describe ? [bind, serialize.describe({ type: "P" }), serialize.execute({})] : [bind, serialize.execute({})];
  }

  /** One call into PostgreSQL; throws the first error it reported (after it has reached the Sync). */
  private async send(messages: Uint8Array[]): Promise<readonly unknown[]> {
    const parts = [...this.closing.splice(0), ...messages];
    let size = 0;
    for (const part of parts) size += part.length;
    const bytes = new Uint8Array(size);
    let offset = 0;
    for (const part of parts) {
      bytes.set(part, offset);
      offset += part.length;
    }
    try {
      return await this.pg.execProtocolStream(bytes, { syncToFs: !this.inBlock });
    } finally {
      this.inBlock = this.pg.isInTransaction();
    }
  }
}
