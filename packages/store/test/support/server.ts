// Whether the PostgreSQL server suites run. Without a server they skip, and the run says why
// in one line; with OPENDCC_REQUIRE_POSTGRES=1 (CI) a missing server is a failure instead.
import { writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe } from "vitest";
import { postgresAvailability } from "../../src/testing/postgres-server.js";

const availability = postgresAvailability();
export const hasServer = availability.available;

if (!availability.available) {
  if (process.env.OPENDCC_REQUIRE_POSTGRES === "1") throw new Error(`OPENDCC_REQUIRE_POSTGRES=1 but ${availability.reason}`);
  // Each test file runs in its own process: let only the first of this run (same parent) say it.
  try {
    writeFileSync(join(tmpdir(), `opendcc-store-no-postgres-${process.ppid}`), "", { flag: "wx" });
    console.warn(`PostgreSQL server suites skipped: ${availability.reason}`);
  } catch {
    // already said in this run
  }
}

/** `describe` for suites that need a PostgreSQL server. */
export const describeWithServer = hasServer ? describe : describe.skip;
