// The OpenDCC Hono app: DUIS routes, the admin API, health and metrics. Runtime-neutral: each
// runtime's entry (node.ts, and the edge entry to come) serves it.
import { Hono } from "hono";
import type { Dcc, PluginHost } from "@opendcc/core";
import { adminRoutes } from "./admin-routes.js";
import { duisRoutes } from "./duis-routes.js";
import { Metrics } from "./metrics.js";
import { OPENAPI } from "./openapi.js";

export interface AppOptions {
  readonly dcc: Dcc;
  /** Started plugins: each running one's routes are served under /plugins/<name>. */
  readonly plugins?: PluginHost<Hono>;
  /** Largest DUIS request accepted (bytes); 1 MiB by default. */
  readonly maxRequestBytes?: number;
}

export function createApp(options: AppOptions): Hono {
  const metrics = new Metrics();
  const app = new Hono();
  app.route("/", duisRoutes({ gateway: options.dcc.gateway, writeResponse: (response) => options.dcc.services.codec.writeResponse(response), metrics, maxRequestBytes: options.maxRequestBytes ?? 1024 * 1024 }));
  app.route("/admin/v1", adminRoutes(options.dcc));
  for (const plugin of options.plugins?.running() ?? []) {
    const router = new Hono();
    plugin.routes?.(router);
    // A plugin's failure is its own: its routes answer 500 and the gateway carries on.
    router.onError((error, c) => {
      console.error(`plugin ${plugin.name}: ${error.message}`);
      return c.json({ error: `plugin ${plugin.name} failed to handle the request` }, 500);
    });
    app.route(`/plugins/${plugin.name}`, router);
  }
  app.get("/healthz", (c) => {
    const failure = options.dcc.failure();
    const plugins = options.plugins?.status() ?? [];
    return failure ? c.json({ status: "failed", error: failure.message, plugins }, 503) : c.json({ status: "ok", plugins });
  });
  app.get("/metrics", (c) => c.text(metrics.render(), 200, { "content-type": "text/plain; version=0.0.4" }));
  app.get("/openapi.json", (c) => c.json(OPENAPI));
  app.notFound((c) => c.json({ error: `no route ${c.req.method} ${c.req.path}` }, 404));
  app.onError((error, c) => {
    if (options.dcc.failure()) return c.json({ error: options.dcc.failure()?.message }, 503);
    console.error(error);
    return c.json({ error: "internal error; the request was not executed" }, 500);
  });
  return app;
}
