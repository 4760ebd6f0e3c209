// The adapters the contract suite runs against: each opens a fresh, empty database.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Database } from "../../src/database.js";
import { openEmbedded } from "../../src/embedded.js";
import { openPostgres } from "../../src/postgres.js";
import { startPostgresServer, type PostgresServer } from "../../src/testing/postgres-server.js";

export interface Adapter {
  readonly name: string;
  readonly needsServer: boolean;
  /** Once per suite. */
  setup(): Promise<void>;
  /** A database (a new one, except on the server: a new pool on the suite's database). */
  open(): Promise<Database>;
  /** Another connection (pool) to the database the last open() gave; the embedded store has only one. */
  readonly connectAgain?: () => Promise<Database>;
  teardown(): Promise<void>;
}

export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `opendcc-store-${prefix}-`));
}

const embeddedMemory: Adapter = {
  name: "embedded (memory)",
  needsServer: false,
  async setup() {},
  open: () => openEmbedded({ memory: true }),
  async teardown() {},
};

function embeddedDisk(): Adapter {
  const dirs: string[] = [];
  return {
    name: "embedded (disk, fsync)",
    needsServer: false,
    async setup() {},
    async open() {
      const dir = tempDir("embedded");
      dirs.push(dir);
      return openEmbedded({ dataDir: dir });
    },
    async teardown() {
      for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
    },
  };
}

function server(): Adapter {
  let running: PostgresServer | undefined;
  return {
    name: "server (postgres)",
    needsServer: true,
    async setup() {
      running = await startPostgresServer();
    },
    async connectAgain() {
      if (!running) throw new Error("setup() first");
      return openPostgres(running.url);
    },
    async open() {
      if (!running) throw new Error("setup() first");
      return openPostgres(running.url);
    },
    async teardown() {
      await running?.stop();
    },
  };
}

export function adapters(): Adapter[] {
  return [embeddedMemory, embeddedDisk(), server()];
}
