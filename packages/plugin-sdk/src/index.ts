// @opendcc/plugin-sdk: everything a third party needs to write an OpenDCC plugin, and nothing of
// core's internals. A plugin is a plain object made with definePlugin:
//
//   export default definePlugin({
//     name: "charging",
//     migrations: [{ id: "charging-001", sql: "CREATE TABLE charging_events (...)" }],
//     setup(ctx) {
//       ctx.on("request.accepted", (event) => { ... });
//       ctx.addJob({ name: "monthly-close", everyMs: 60_000, run: () => { ... } });
//     },
//     routes(router) { router.get("/charges", (c) => c.json([])); },   // served at /plugins/charging/charges
//     teardown() { ... },
//   });
//
// Lifecycle: migrations -> setup -> events, jobs and routes live -> teardown on stop. A plugin that
// throws in setup is disabled; errors in its handlers and jobs are counted and logged, never
// propagated into the gateway.
import type { Hono } from "hono";
import type { PluginDefinition } from "@opendcc/core";

export type OpenDccPlugin = PluginDefinition<Hono>;

/** Types a plugin definition (no runtime effect beyond a name check). */
export function definePlugin(plugin: OpenDccPlugin): OpenDccPlugin {
  if (!/^[a-z][a-z0-9-]*$/.test(plugin.name)) throw new Error(`plugin name "${plugin.name}" must be lowercase letters, digits and dashes`);
  return plugin;
}

export type {
  DccEventHandler, DccEventName, DccEvents, DeviceRecord, DeviceStatus, DeviceTransport, DeviceType,
  PluginContext, PluginJob, PluginMigration, PluginStatus, RoleCode,
} from "@opendcc/core";
