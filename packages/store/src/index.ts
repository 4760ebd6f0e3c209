// @opendcc/store: the storage port and migrations. The adapters are separate entry points so
// that each deployment loads only its own: "@opendcc/store/embedded" (PGlite, Node) and
// "@opendcc/store/postgres" (a PostgreSQL server; Node or workerd); "@opendcc/store/open"
// picks one from a URL.
export { checkChannel, DatabaseClosedError, SqlError, type Database, type Executor } from "./database.js";
export { migrate, migrationsFrom, MigrationChangedError, type Migration, type MigrationResult } from "./migrate.js";
export { SqlGatewayStore, GATEWAY_MIGRATIONS, type GatewayStoreOptions } from "./gateway-store.js";
export type { SharedSettings } from "./shared-store.js";
