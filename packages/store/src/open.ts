// One setting for both deployments: OPENDCC_DATABASE_URL=postgres://... for a server, a
// directory path (or file:///path) for the embedded store on disk, memory: for a throwaway one.
// Each adapter is imported only when chosen.
import type { Database } from "./database.js";

export async function openDatabase(target: string): Promise<Database> {
  if (/^postgres(ql)?:\/\//i.test(target)) {
    const { openPostgres } = await import("./postgres.js");
    return openPostgres(target);
  }
  const { openEmbedded } = await import("./embedded.js");
  if (/^memory:(\/\/)?$/i.test(target)) return openEmbedded({ memory: true });
  const dataDir = target.startsWith("file://") ? decodeURIComponent(new URL(target).pathname) : target;
  if (!dataDir || /^[a-z][a-z0-9+.-]*:\/\//i.test(dataDir)) throw new TypeError(`cannot open "${target}": expected postgres://..., memory: or a directory`);
  return openEmbedded({ dataDir });
}
