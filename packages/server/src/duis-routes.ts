// DUIS over HTTP exactly where DCC Boxed clients send it (duis.md section 5): POST
// /api/v1/serviceS|serviceT|serviceD, application/xml in and out. Size and type limits are
// enforced before anything is parsed.
import { Hono } from "hono";
import type { Endpoint, Gateway, GatewayResponse } from "@opendcc/core";
import type { Metrics } from "./metrics.js";

export interface DuisRouteOptions {
  readonly gateway: Gateway;
  /** Writes the answer as DUIS XML, signed by the DCC. */
  readonly writeResponse: (response: GatewayResponse) => Promise<string>;
  readonly metrics: Metrics;
  /** Largest request body accepted, in bytes. */
  readonly maxRequestBytes: number;
}

const ENDPOINTS: readonly Endpoint[] = ["serviceS", "serviceT", "serviceD"];

export function duisRoutes(options: DuisRouteOptions): Hono {
  const app = new Hono();
  for (const endpoint of ENDPOINTS) {
    app.post(`/api/v1/${endpoint}`, async (c) => {
      const started = performance.now();
      const contentType = c.req.header("content-type") ?? "";
      if (!/^(application|text)\/xml\b/i.test(contentType)) {
        return c.text(`DUIS requests are application/xml, not ${contentType || "untyped"}`, 415);
      }
      const declared = Number(c.req.header("content-length") ?? "0");
      if (declared > options.maxRequestBytes) return c.text(`request of ${declared} bytes exceeds the ${options.maxRequestBytes}-byte limit`, 413);
      const body = await c.req.arrayBuffer();
      if (body.byteLength > options.maxRequestBytes) return c.text(`request of ${body.byteLength} bytes exceeds the ${options.maxRequestBytes}-byte limit`, 413);
      let xml: string;
      try {
        xml = new TextDecoder("utf-8", { fatal: true }).decode(body);
      } catch {
        return c.text("request body is not UTF-8", 400);
      }
      const response = await options.gateway.handle(xml, endpoint);
      options.metrics.record(endpoint, response.responseCode, performance.now() - started);
      const headers: Record<string, string> = { "content-type": "application/xml" };
      if (response.reason) headers["x-opendcc-reason"] = response.reason.replace(/[^\x20-\x7e]/g, "?");
      return c.body(await options.writeResponse(response), 200, headers);
    });
  }
  return app;
}
