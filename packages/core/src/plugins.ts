// The plugin host (design: core owns the event bus and the plugin host). Lifecycle, in order:
// migrations (run by the store before start) -> setup(ctx) -> event handlers and jobs run ->
// teardown() on stop. A plugin whose setup throws is marked failed and skipped; a handler or job
// that throws is counted against its plugin and never reaches core.
import { EventBus, type DccEventHandler, type DccEventName } from "./events.js";

/** Where commands leave the DCC for devices, and responses come back (the WAN side). */
export interface DeviceTransport {
  /** Delivers a MAC-protected GBCS command to the device. */
  send(command: { readonly requestId: string; readonly deviceId: string; readonly gbcs: Uint8Array }): Promise<void>;
  /**
   * Hands a firmware image (SRV 11.1) to the CSP, which takes it to the device through its hub
   * and keeps trying while the hub is unreachable; the device answers with an alert (0x8F72 with
   * the image's hash, or 0x8F1C). Without it, 11.1 is refused.
   */
  distributeFirmware?(distribution: { readonly requestId: string; readonly deviceId: string; readonly image: Uint8Array }): Promise<void>;
  /** Registers the receiver of device responses and alerts (GBCS bytes). */
  onMessage(receiver: (message: { readonly deviceId: string; readonly gbcs: Uint8Array }) => void): void;
  /**
   * Registers the receiver of the CSP's reports that a hub connected to the SM WAN (its first
   * connection, or one after an outage); the DCC commissions a hub not yet commissioned then
   * (seed 003 paragraph 185: install and leave, WAN later).
   */
  onHubConnected?(receiver: (chfId: string) => void): void;
}

export interface PluginJob {
  readonly name: string;
  readonly everyMs: number;
  run(): void | Promise<void>;
}

export interface PluginContext {
  readonly name: string;
  on<E extends DccEventName>(event: E, handler: DccEventHandler<E>): void;
  addJob(job: PluginJob): void;
  log(message: string): void;
  now(): Date;
}

/** What a plugin declares; `Router` is the HTTP router type (Hono in @opendcc/plugin-sdk). */
export interface PluginDefinition<Router = unknown> {
  /** Unique; routes are mounted under /plugins/<name>. */
  readonly name: string;
  readonly version?: string;
  /** PostgreSQL migrations, applied by the store before setup, ids prefixed with the name. */
  readonly migrations?: readonly PluginMigration[];
  setup?(context: PluginContext): void | Promise<void>;
  routes?(router: Router): void;
  /** At most one plugin provides the device transport. */
  readonly deviceTransport?: DeviceTransport;
  teardown?(): void | Promise<void>;
}

export type PluginMigration = { readonly id: string; readonly sql: string };

export interface PluginHostOptions {
  now: () => Date;
  log: (line: string) => void;
  /** Applies a plugin's migrations (the store, through Dcc.migratePlugin); absent: none are run. */
  migrate?: (plugin: string, migrations: readonly PluginMigration[]) => Promise<void>;
}

export type PluginState = "loaded" | "running" | "failed" | "stopped";

export interface PluginStatus {
  readonly name: string;
  readonly state: PluginState;
  readonly error: string | null;
  readonly handlerErrors: number;
}

interface Loaded<Router> {
  readonly plugin: PluginDefinition<Router>;
  state: PluginState;
  error: string | null;
  handlerErrors: number;
  readonly unsubscribe: (() => void)[];
  readonly timers: ReturnType<typeof setInterval>[];
}

export class PluginHost<Router = unknown> {
  private readonly loaded = new Map<string, Loaded<Router>>();

  constructor(
    private readonly events: EventBus,
    private readonly options: PluginHostOptions = { now: () => new Date(), log: (line) => console.error(line) },
  ) {}

  /** Registers and starts plugins in order; a failing one is reported and left out. */
  async start(plugins: readonly PluginDefinition<Router>[]): Promise<PluginStatus[]> {
    for (const plugin of plugins) {
      if (!/^[a-z][a-z0-9-]*$/.test(plugin.name)) throw new Error(`plugin name "${plugin.name}" must be lowercase letters, digits and dashes`);
      if (this.loaded.has(plugin.name)) throw new Error(`two plugins are named "${plugin.name}"`);
      if (plugin.deviceTransport && this.transport()) throw new Error(`plugin "${plugin.name}" provides a device transport, but "${this.transportOwner()}" already does`);
      const entry: Loaded<Router> = { plugin, state: "loaded", error: null, handlerErrors: 0, unsubscribe: [], timers: [] };
      this.loaded.set(plugin.name, entry);
      try {
        // Its tables exist before its setup runs; a failed migration disables the plugin.
        if (plugin.migrations && plugin.migrations.length > 0) {
          if (this.options.migrate) await this.options.migrate(plugin.name, plugin.migrations);
          else this.options.log(`plugin ${plugin.name}: no store, its ${plugin.migrations.length} migration(s) are not applied`);
        }
        await plugin.setup?.(this.contextFor(entry));
        entry.state = "running";
      } catch (error) {
        this.fail(entry, error);
      }
    }
    return this.status();
  }

  status(): PluginStatus[] {
    return [...this.loaded.values()].map(({ plugin, state, error, handlerErrors }) => ({ name: plugin.name, state, error, handlerErrors }));
  }

  /** Running plugins (for mounting routes). */
  running(): PluginDefinition<Router>[] {
    return [...this.loaded.values()].filter((l) => l.state === "running").map((l) => l.plugin);
  }

  transport(): DeviceTransport | undefined {
    return [...this.loaded.values()].find((l) => l.state === "running" && l.plugin.deviceTransport)?.plugin.deviceTransport;
  }

  async stop(): Promise<void> {
    for (const entry of [...this.loaded.values()].reverse()) {
      this.detach(entry);
      if (entry.state !== "running") continue;
      try {
        await entry.plugin.teardown?.();
      } catch (error) {
        this.options.log(`plugin ${entry.plugin.name}: teardown failed: ${(error as Error).message}`);
      }
      entry.state = "stopped";
    }
  }

  private transportOwner(): string | undefined {
    return [...this.loaded.values()].find((l) => l.plugin.deviceTransport)?.plugin.name;
  }

  private contextFor(entry: Loaded<Router>): PluginContext {
    const guard = (what: string, error: unknown) => {
      entry.handlerErrors++;
      this.options.log(`plugin ${entry.plugin.name}: ${what} failed: ${(error as Error)?.message ?? String(error)}`);
    };
    return {
      name: entry.plugin.name,
      on: (event, handler) => {
        entry.unsubscribe.push(this.events.on(event, (payload) => {
          if (entry.state !== "running" && entry.state !== "loaded") return;
          try {
            const result = handler(payload);
            if (result instanceof Promise) return result.catch((error: unknown) => guard(`${event} handler`, error));
          } catch (error) {
            guard(`${event} handler`, error);
          }
          return undefined;
        }));
      },
      addJob: (job) => {
        if (!(job.everyMs >= 10)) throw new Error(`job ${job.name}: everyMs must be at least 10`);
        let busy = false;
        const timer = setInterval(() => {
          if (busy || entry.state !== "running") return;
          busy = true;
          Promise.resolve().then(() => job.run()).catch((error: unknown) => guard(`job ${job.name}`, error)).finally(() => (busy = false));
        }, job.everyMs);
        (timer as { unref?: () => void }).unref?.();
        entry.timers.push(timer);
      },
      log: (message) => this.options.log(`plugin ${entry.plugin.name}: ${message}`),
      now: this.options.now,
    };
  }

  private fail(entry: Loaded<Router>, error: unknown): void {
    entry.state = "failed";
    entry.error = (error as Error)?.message ?? String(error);
    this.detach(entry);
    this.options.log(`plugin ${entry.plugin.name}: setup failed, plugin disabled: ${entry.error}`);
  }

  private detach(entry: Loaded<Router>): void {
    entry.unsubscribe.splice(0).forEach((off) => off());
    entry.timers.splice(0).forEach((timer) => clearInterval(timer));
  }
}
