// A test harness for plugins: the real event bus and plugin host of core, a Hono app with the
// plugin's routes mounted as the gateway mounts them, and a way to emit core events.
import { Hono } from "hono";
import { EventBus, PluginHost, type DccEventName, type DccEvents, type PluginMigration, type PluginStatus } from "@opendcc/core";
import type { OpenDccPlugin } from "./index.js";

export interface PluginTestHost {
  readonly status: PluginStatus[];
  /** Emits a core event, as the gateway would. */
  emit<E extends DccEventName>(event: E, payload: DccEvents[E]): void;
  /** Sends an HTTP request to the plugin's routes (path relative to /plugins/<name>). */
  request(path: string, init?: RequestInit): Promise<Response>;
  /** Log lines the host wrote about the plugin. */
  readonly log: readonly string[];
  stop(): Promise<void>;
}

export interface PluginTestOptions {
  readonly now?: () => Date;
  /**
   * Applies the plugin's migrations before its setup, as the gateway's store does: e.g.
   * `(name, migrations) => store.migratePlugin(name, migrations)` with `SqlGatewayStore.open(await
   * openEmbedded({ memory: true }))` from @opendcc/store. Without it the migrations are not run.
   */
  readonly migrate?: (plugin: string, migrations: readonly PluginMigration[]) => Promise<void>;
}

export async function startPluginForTest(plugin: OpenDccPlugin, options: PluginTestOptions = {}): Promise<PluginTestHost> {
  const log: string[] = [];
  const events = new EventBus((event, error) => log.push(`event ${event}: ${(error as Error).message}`));
  const host = new PluginHost<Hono>(events, { now: options.now ?? (() => new Date()), log: (line) => log.push(line), ...(options.migrate ? { migrate: options.migrate } : {}) });
  const status = await host.start([plugin]);
  const app = new Hono();
  for (const running of host.running()) {
    const router = new Hono();
    running.routes?.(router);
    app.route(`/plugins/${running.name}`, router);
  }
  return {
    status,
    emit: (event, payload) => events.emit(event, payload),
    request: (path, init) => Promise.resolve(app.request(`/plugins/${plugin.name}${path.startsWith("/") ? path : `/${path}`}`, init)),
    log,
    stop: () => host.stop(),
  };
}
