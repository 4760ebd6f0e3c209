import { defineConfig } from "vitest/config";
import { postgresAvailability } from "./packages/store/dist/testing/postgres-server.js";

// The gateway suites run again with every gateway on the embedded store, and on a PostgreSQL server
// when one can be had (CI requires it); without one they say so once.
const postgres = postgresAvailability();
if (!postgres.available) {
  if (process.env.OPENDCC_REQUIRE_POSTGRES === "1") throw new Error(`OPENDCC_REQUIRE_POSTGRES=1 but ${postgres.reason}`);
  // The config is read more than once per run: say it once.
  if (!process.env.OPENDCC_POSTGRES_SKIP_SAID) console.warn(`gateway suite on PostgreSQL skipped: ${postgres.reason}`);
  process.env.OPENDCC_POSTGRES_SKIP_SAID = "1";
}

const GATEWAY_SUITES = ["packages/server/test/gateway.test.ts", "packages/server/test/device-services.test.ts", "packages/server/test/scheduled-services.test.ts"];

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
      { extends: true, test: { name: "gateway on the embedded store", include: GATEWAY_SUITES, env: { OPENDCC_TEST_STORE: "embedded" } } },
      ...(postgres.available
        ? [{ extends: true as const, test: { name: "gateway on PostgreSQL", include: GATEWAY_SUITES, env: { OPENDCC_TEST_STORE: "postgres" } } }]
        : []),
    ],
  },
});
