// Run in a child process by the durability tests (bundled by children.ts):
//   commit-loop embedded <dataDir> <fsync: on|off>  |  commit-loop server <url>
//     commits transactions of 3 rows forever, printing each id once its COMMIT has returned;
//   migrate <url>
//     runs migrate() with the test migrations and prints what it applied, as JSON.
import type { Database } from "../../src/database.js";
import { migrate } from "../../src/migrate.js";
import { slowMigrations } from "./migrations.js";

const [command, kind, target, fsync] = process.argv.slice(2);

async function open(): Promise<Database> {
  if (kind === "embedded") {
    const { openEmbedded } = await import("../../src/embedded.js");
    return openEmbedded({ dataDir: target as string, fsync: fsync !== "off" });
  }
  const { openPostgres } = await import("../../src/postgres.js");
  return openPostgres(target as string);
}

if (command === "commit-loop") {
  const db = await open();
  await db.exec("create table if not exists loop (id bigint not null, part int not null, primary key (id, part))");
  const [{ next }] = await db.query<{ next: bigint }>("select coalesce(max(id), 0) + 1 as next from loop") as [{ next: bigint }];
  process.stdout.write("ready\n");
  for (let id = next; ; id++) {
    await db.transaction(async (tx) => {
      for (let part = 0; part < 3; part++) await tx.query("insert into loop (id, part) values ($1, $2)", [id, part]);
    });
    // On Linux a write to a pipe is synchronous: once this returns the parent can read it.
    process.stdout.write(`${id}\n`);
  }
} else if (command === "migrate") {
  const db = await open();
  const result = await migrate(db, slowMigrations);
  process.stdout.write(`${JSON.stringify(result)}\n`);
  await db.close();
} else {
  throw new Error(`unknown command ${command}`);
}
