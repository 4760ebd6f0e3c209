// A throwaway PostgreSQL server for tests: a fresh cluster in a temp directory on a free
// loopback port, fsync on, removed by stop(). With OPENDCC_DATABASE_URL set, that server is used
// instead and each start gets a fresh database on it, dropped by stop().
// Installs nothing: without initdb/pg_ctl it says what is missing (postgresAvailability()).
import { execFileSync, spawnSync } from "node:child_process";
import { accessSync, chownSync, constants, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import postgres from "postgres";

export interface PostgresServer {
  /** postgres://... of a database no one else uses. */
  readonly url: string;
  /** true when it is OPENDCC_DATABASE_URL's server rather than one started here. */
  readonly external: boolean;
  stop(): Promise<void>;
}

export type PostgresAvailability =
  | { readonly available: true; readonly external: true; readonly url: string }
  | { readonly available: true; readonly external: false; readonly binDir: string; readonly runAs: OsUser | undefined }
  | { readonly available: false; readonly reason: string };

interface OsUser {
  readonly name: string;
  readonly uid: number;
  readonly gid: number;
}

const installHint = "install PostgreSQL (Debian: apt-get install -y postgresql) or set OPENDCC_DATABASE_URL=postgres://...";

/** Whether a server can be had here, and if not, why (one line). Synchronous, for describe.skipIf. */
export function postgresAvailability(): PostgresAvailability {
  const url = process.env.OPENDCC_DATABASE_URL;
  if (url) return { available: true, external: true, url };
  const binDir = findBinDir();
  if (!binDir) return { available: false, reason: `no PostgreSQL server binaries (initdb and pg_ctl) on PATH or in /usr/lib/postgresql/*/bin: ${installHint}` };
  // PostgreSQL refuses to run as root: run it as the postgres system user (Debian's package creates it).
  if (process.getuid?.() !== 0) return { available: true, external: false, binDir, runAs: undefined };
  const runAs = osUser("postgres");
  if (!runAs) return { available: false, reason: "running as root and there is no 'postgres' OS user to run PostgreSQL as (PostgreSQL refuses root): create it (useradd --system postgres) or run as another user" };
  return { available: true, external: false, binDir, runAs };
}

export async function startPostgresServer(): Promise<PostgresServer> {
  const availability = postgresAvailability();
  if (!availability.available) throw new Error(availability.reason);
  if (availability.external) return freshDatabase(availability.url);
  return startCluster(availability.binDir, availability.runAs);
}

async function startCluster(binDir: string, runAs: OsUser | undefined): Promise<PostgresServer> {
  const dir = mkdtempSync(join(tmpdir(), "opendcc-pg-"));
  if (runAs) chownSync(dir, runAs.uid, runAs.gid);
  const dataDir = join(dir, "data");
  const run = (tool: string, args: string[]): void => {
    const result = spawnSync(join(binDir, tool), args, { cwd: dir, encoding: "utf8", ...(runAs ? { uid: runAs.uid, gid: runAs.gid } : {}) });
    if (result.status !== 0) {
      const log = existsSync(join(dir, "postgres.log")) ? readFileSync(join(dir, "postgres.log"), "utf8") : "";
      throw new Error(`${tool} ${args.join(" ")} failed (${result.error?.message ?? `exit ${result.status}`}): ${result.stderr}${log}`);
    }
  };
  const stopNow = (): void => {
    spawnSync(join(binDir, "pg_ctl"), ["-D", dataDir, "-m", "immediate", "-w", "stop"], { stdio: "ignore", ...(runAs ? { uid: runAs.uid, gid: runAs.gid } : {}) });
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    run("initdb", ["-D", dataDir, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C", "--no-sync"]);
    let port = 0;
    for (let attempt = 1; ; attempt++) {
      port = await freePort();
      const settings = `-c listen_addresses=127.0.0.1 -p ${port} -c unix_socket_directories=${dir} -c fsync=on -c max_connections=200`;
      try {
        run("pg_ctl", ["-D", dataDir, "-l", join(dir, "postgres.log"), "-w", "-t", "60", "-o", settings, "start"]);
        break;
      } catch (error) {
        if (attempt >= 3) throw error; // the port was taken between probing and starting: try another
      }
    }
    // Should this process end without stop(), do not leave the server running.
    process.once("exit", stopNow);
    return {
      url: `postgres://postgres@127.0.0.1:${port}/postgres`,
      external: false,
      // A throwaway server: stopped without a shutdown checkpoint (which can take many seconds on
      // a loaded machine), its data directory then removed.
      async stop() {
        process.removeListener("exit", stopNow);
        stopNow();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    stopNow();
    throw error;
  }
}

async function freshDatabase(serverUrl: string): Promise<PostgresServer> {
  const name = `opendcc_test_${process.pid}_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`create database ${name}`);
  } finally {
    await admin.end({ timeout: 5 });
  }
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    external: true,
    async stop() {
      const drop = postgres(serverUrl, { max: 1, onnotice: () => {} });
      try {
        await drop.unsafe(`drop database if exists ${name} with (force)`);
      } finally {
        await drop.end({ timeout: 5 });
      }
    },
  };
}

function findBinDir(): string | undefined {
  const candidates = (process.env.PATH ?? "").split(delimiter).filter(Boolean);
  const debian = "/usr/lib/postgresql";
  if (existsSync(debian)) {
    const versions = readdirSync(debian).filter((v) => /^\d+$/.test(v)).sort((a, b) => Number(b) - Number(a));
    candidates.push(...versions.map((v) => join(debian, v, "bin")));
  }
  return candidates.find((dir) => isExecutable(join(dir, "initdb")) && isExecutable(join(dir, "pg_ctl")));
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function osUser(name: string): OsUser | undefined {
  try {
    const uid = Number(execFileSync("id", ["-u", name], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }));
    const gid = Number(execFileSync("id", ["-g", name], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }));
    return Number.isInteger(uid) && Number.isInteger(gid) ? { name, uid, gid } : undefined;
  } catch {
    return undefined;
  }
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no free port"))));
    });
  });
}
