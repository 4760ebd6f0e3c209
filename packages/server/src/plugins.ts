// Plugins beside a DCC, as every entry starts them: each plugin's migrations through the DCC's
// store before its setup (plugins.ts lifecycle), and the device transport a devices plugin (or a
// CSP adapter) provides taken into use, so that commands reach devices (design step 6).
import type { Hono } from "hono";
import { PluginHost, type Dcc, type PluginDefinition } from "@opendcc/core";

export interface StartPluginsOptions {
  readonly log?: (line: string) => void;
}

export async function startPlugins(dcc: Dcc, plugins: readonly PluginDefinition<Hono>[], options: StartPluginsOptions = {}): Promise<PluginHost<Hono>> {
  const host = new PluginHost<Hono>(dcc.services.events, {
    now: dcc.services.now,
    log: options.log ?? ((line) => console.error(line)),
    migrate: (plugin, migrations) => dcc.migratePlugin(plugin, migrations),
  });
  await host.start(plugins);
  dcc.useTransport(host.transport());
  return host;
}
