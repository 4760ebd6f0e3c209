// PGlite's NodeFS writes straight to the data directory with writeSync, so a committed
// transaction is in the OS page cache when its COMMIT returns and survives a crash or kill -9
// of this process. It does not survive power loss or an OS crash by default, because:
//   - PGlite starts postgres with -F (fsync = off), and
//   - Emscripten's NODEFS has no fsync operation (fsync() is a silent no-op) and its
//     fdatasync() syscall does nothing at all.
// SyncingNodeFS gives NODEFS a real fsync (fs.fsyncSync on the file's descriptor); with
// fsync = on and wal_sync_method = fsync, PostgreSQL then flushes the WAL to disk before COMMIT
// returns, and data files and directories at checkpoints, as a server does.
import { fsyncSync } from "node:fs";
import { NodeFS } from "@electric-sql/pglite/nodefs";
import type { PGlite } from "@electric-sql/pglite";

type EmscriptenOptions = Parameters<NodeFS["init"]>[1];

interface NodefsModule {
  NODEFS?: {
    stream_ops?: { fsync?: (stream: { nfd?: number }) => number };
    tryFSOperation?: <T>(operation: () => T) => T;
  };
}

/** The startup parameters that make PostgreSQL flush the WAL through our fsync. */
export function syncingStartParams(defaults: readonly string[]): string[] {
  return [...defaults.filter((param) => param !== "-F"), "-c", "fsync=on", "-c", "wal_sync_method=fsync"];
}

export class SyncingNodeFS extends NodeFS {
  /** fsync calls made so far: lets a test prove commits really reach fsyncSync. */
  syncCount = 0;

  override async init(pg: PGlite, opts: EmscriptenOptions): Promise<{ emscriptenOpts: EmscriptenOptions }> {
    const { emscriptenOpts } = await super.init(pg, opts);
    const installFsync = (mod: NodefsModule): void => {
      const nodefs = mod.NODEFS;
      if (!nodefs?.stream_ops || !nodefs.tryFSOperation) {
        // A PGlite upgrade moved the internals this relies on: refuse rather than run without sync.
        throw new Error("PGlite's NODEFS internals changed: cannot install fsync; the embedded store would not be durable");
      }
      const tryFSOperation = nodefs.tryFSOperation.bind(nodefs);
      nodefs.stream_ops.fsync = (stream) => {
        this.syncCount++;
        // tryFSOperation turns a Node error into the errno PostgreSQL sees (it then PANICs, as it should).
        if (stream.nfd !== undefined) tryFSOperation(() => fsyncSync(stream.nfd as number));
        return 0;
      };
    };
    return { emscriptenOpts: { ...emscriptenOpts, preRun: [...(emscriptenOpts.preRun ?? []), installFsync] } };
  }
}
