// A Workers module for the workerd test: the server adapter, bundled for workerd, answering one
// request by running a few statements against the PostgreSQL server named in env.DATABASE_URL.
import { migrate } from "../../src/migrate.js";
import { openPostgres } from "../../src/postgres.js";

export default {
  async fetch(_request: Request, env: { DATABASE_URL: string }): Promise<Response> {
    const db = await openPostgres(env.DATABASE_URL, { max: 2 });
    try {
      const migrated = await migrate(db, [{ id: "0001_edge", sql: "create table if not exists edge_rows (id bigint primary key, body bytea, doc jsonb, at timestamptz)" }]);
      await db.transaction(async (tx) => {
        await tx.query("insert into edge_rows values ($1, $2, $3, $4) on conflict (id) do nothing", [1n, new Uint8Array([1, 2, 255]), { from: "workerd" }, new Date(0)]);
      });
      const rows = await db.query<{ id: bigint; body: Uint8Array; doc: unknown; at: Date }>("select * from edge_rows");
      const error = await db.query("selec 1").then(() => "none", (e: Error) => `${e.name}: ${e.message}`);
      return Response.json({
        migrated,
        rows: rows.map((row) => ({ id: row.id.toString(), body: Array.from(row.body), isUint8Array: Object.getPrototypeOf(row.body) === Uint8Array.prototype, doc: row.doc, at: row.at.toISOString() })),
        error,
      });
    } finally {
      await db.close();
    }
  },
};
