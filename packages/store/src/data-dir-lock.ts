// PGlite is one PostgreSQL backend inside this process and does not lock its data directory
// (its postmaster.pid holds a fake pid), so two processes opening the same directory would both
// write to it and corrupt it. This lock file, holding the owner's pid, refuses the second
// opener. A lock left by a killed process names a dead pid and is taken over.
import { linkSync, readFileSync, renameSync, unlinkSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";

const heldHere = new Set<string>();

export class DataDirLockedError extends Error {
  override readonly name = "DataDirLockedError";
  constructor(dataDir: string, pid: number) {
    super(`embedded store ${dataDir} is already open in process ${pid}${pid === process.pid ? " (this one)" : ""}; one process at a time may open it (if that process is not using it, delete ${join(dataDir, "opendcc.lock")})`);
  }
}

/** Takes the lock on dataDir (which must exist); resolves to its release. */
export function lockDataDir(dataDir: string): () => void {
  const dir = resolve(dataDir);
  const path = join(dir, "opendcc.lock");
  if (heldHere.has(dir)) throw new DataDirLockedError(dir, process.pid);
  // Written whole under a private name, then linked into place: link is atomic and fails if the
  // lock exists, so no one ever reads a half-written lock.
  const mine = `${path}.${process.pid}`;
  writeFileSync(mine, `${process.pid}\n`);
  try {
    for (let attempt = 0; ; attempt++) {
      try {
        linkSync(mine, path);
        break;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== "EEXIST" || attempt > 3) throw error;
        const holder = readPid(path);
        if (holder !== undefined && holder !== process.pid && isAlive(holder)) throw new DataDirLockedError(dir, holder);
        removeStale(path, holder);
      }
    }
  } finally {
    unlinkSync(mine);
  }
  heldHere.add(dir);
  return () => {
    heldHere.delete(dir);
    try {
      if (readPid(path) === process.pid) unlinkSync(path);
    } catch {
      // already gone: nothing to release
    }
  };
}

/** Moves the stale lock aside atomically; if another process replaced it meanwhile, puts that one back. */
function removeStale(path: string, stalePid: number | undefined): void {
  const aside = `${path}.stale-${process.pid}`;
  try {
    renameSync(path, aside);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return;
    throw error;
  }
  if (readPid(aside) !== stalePid) {
    try {
      linkSync(aside, path);
    } catch {
      // someone took the lock meanwhile: theirs stands
    }
  }
  unlinkSync(aside);
}

function readPid(path: string): number | undefined {
  try {
    const pid = Number.parseInt(readFileSync(path, "utf8"), 10);
    return Number.isSafeInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to another user.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
