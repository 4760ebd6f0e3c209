import { defineConfig } from "vitest/config";
import { postgresAvailability } from "./packages/store/dist/testing/postgres-server.js";

// The gateway suite runs a second time with every gateway on a PostgreSQL server when one can be
// had (CI requires it); elsewhere it says so once and runs in memory only.
const postgres = postgresAvailability();
if (!postgres.available) {
  if (process.env.OPENDCC_REQUIRE_POSTGRES === "1") throw new Error(`OPENDCC_REQUIRE_POSTGRES=1 but ${postgres.reason}`);
  // The config is read more than once per run: say it once.
  if (!process.env.OPENDCC_POSTGRES_SKIP_SAID) console.warn(`gateway suite on PostgreSQL skipped: ${postgres.reason}`);
  process.env.OPENDCC_POSTGRES_SKIP_SAID = "1";
}

export default defineConfig({
  test: {
    globalSetup: ["test/support/announce-fixtures.ts"],
    reporters: ["default", "./test/support/summary-reporter.ts"],
    testTimeout: 30_000,
    pool: "forks",
    projects: [
      {
        extends: true,
        test: { name: "all", include: ["packages/*/test/**/*.test.ts", "plugins/*/test/**/*.test.ts", "test/**/*.test.ts"] },
      },
      ...(postgres.available
        ? [{ extends: true as const, test: { name: "gateway on PostgreSQL", include: ["packages/server/test/gateway.test.ts"], env: { OPENDCC_TEST_STORE: "postgres" } } }]
        : []),
    ],
  },
});
