// Schema migrations: applied in the order given, each once, recorded with a checksum in
// schema_migrations. Several gateway processes may start at once against one server: the
// whole run holds a transaction-scoped advisory lock, so one applies and the others then find
// everything applied. All pending migrations run in that one transaction: all or none land.
// (So a migration cannot use statements PostgreSQL refuses in a transaction, such as
// CREATE INDEX CONCURRENTLY.)
import type { Database } from "./database.js";

export interface Migration {
  /** Unique and stable; conventionally ordered, e.g. "0001_requests". */
  readonly id: string;
  /** One or more statements. Never edit it once released: add a new migration instead. */
  readonly sql: string;
}

export interface MigrationResult {
  /** Applied by this call, in order. */
  readonly applied: readonly string[];
  /** Recorded in the database but not in the list given (a newer release applied them). */
  readonly unknown: readonly string[];
}

export class MigrationChangedError extends Error {
  override readonly name = "MigrationChangedError";
  constructor(readonly id: string, recorded: string, now: string) {
    super(`migration "${id}" was changed after it was applied (checksum ${recorded.slice(0, 12)}... recorded, ${now.slice(0, 12)}... now): add a new migration instead of editing it`);
  }
}

/** Applies the migrations not yet applied, in the order given. Safe to call from many processes at once. */
export async function migrate(db: Database, migrations: readonly Migration[]): Promise<MigrationResult> {
  const seen = new Set<string>();
  for (const { id } of migrations) {
    if (!id.trim()) throw new TypeError("a migration has an empty id");
    if (seen.has(id)) throw new TypeError(`migration id "${id}" appears twice`);
    seen.add(id);
  }
  const checksums = await Promise.all(migrations.map((migration) => sha256Hex(migration.sql)));

  return db.transaction(async (tx) => {
    // Waits for any other migrate() on this database; released at COMMIT or ROLLBACK.
    await tx.query("select pg_advisory_xact_lock(hashtext('opendcc.schema_migrations'))");
    await tx.exec(`create table if not exists schema_migrations (
      id text primary key,
      checksum text not null,
      applied_at timestamptz not null default now()
    )`);
    const recorded = new Map(
      (await tx.query<{ id: string; checksum: string }>("select id, checksum from schema_migrations")).map((row) => [row.id, row.checksum]),
    );
    const applied: string[] = [];
    for (const [index, migration] of migrations.entries()) {
      const checksum = checksums[index] as string;
      const before = recorded.get(migration.id);
      if (before !== undefined) {
        if (before !== checksum) throw new MigrationChangedError(migration.id, before, checksum);
        continue;
      }
      try {
        await tx.exec(migration.sql);
      } catch (error) {
        throw new Error(`migration "${migration.id}" failed, none of this run's migrations were applied: ${(error as Error).message}`, { cause: error });
      }
      await tx.query("insert into schema_migrations (id, checksum) values ($1, $2)", [migration.id, checksum]);
      applied.push(migration.id);
    }
    const unknown = [...recorded.keys()].filter((id) => !seen.has(id)).sort();
    return { applied, unknown };
  });
}

/** { "0001_x": "create ...", ... } -> migrations ordered by id, e.g. from a folder of .sql files. */
export function migrationsFrom(record: Readonly<Record<string, string>>): Migration[] {
  return Object.keys(record)
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
    .map((id) => ({ id, sql: record[id] as string }));
}

async function sha256Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return Array.from(new Uint8Array(digest), (byte) => byte.toString(16).padStart(2, "0")).join("");
}
