// The edge entry: a Workers-style module (Cloudflare Workers, workerd) serving the same app as the
// Node entry. State lives in PostgreSQL (DATABASE_URL, through the runtime's TCP sockets); without
// it the DCC lives in the isolate's memory only. The DCC's XML-signing key and certificate come
// from DCC_XML_KEY (PKCS#8 PEM) and DCC_XML_CERT (PEM). Timers do not outlive a request on the
// edge, so deliveries and schedules run from the `scheduled` handler (a cron trigger).
import type { Hono } from "hono";
import { createDuisCodec, openDcc, type Dcc, type DccSigningKey } from "@opendcc/core";
import { importPrivateKey, pemToDer } from "@opendcc/kernel";
import { SqlGatewayStore } from "@opendcc/store";
import { openPostgres } from "@opendcc/store/postgres";
import { createApp } from "./app.js";

export interface EdgeEnv {
  readonly DATABASE_URL?: string;
  readonly DCC_XML_KEY?: string;
  readonly DCC_XML_CERT?: string;
}

interface Gateway {
  readonly app: Hono;
  readonly dcc: Dcc;
}

let gateway: Promise<Gateway> | null = null;

async function open(env: EdgeEnv): Promise<Gateway> {
  let dccKey: DccSigningKey | undefined;
  if (env.DCC_XML_KEY && env.DCC_XML_CERT) {
    dccKey = { privateKey: await importPrivateKey(pemToDer(env.DCC_XML_KEY), "ds"), certificate: env.DCC_XML_CERT };
  }
  // A connection cannot outlive the request that opened it on the edge: one per load and write.
  const url = env.DATABASE_URL;
  const store = url ? SqlGatewayStore.perOperation(() => openPostgres(url, { max: 1 })) : undefined;
  const dcc = await openDcc({ codec: createDuisCodec(dccKey ? { dccKey } : {}), ...(store ? { store } : {}), deliveryIntervalMs: 0 });
  return { app: createApp({ dcc }), dcc };
}

function gatewayFor(env: EdgeEnv): Promise<Gateway> {
  gateway ??= open(env).catch((error: unknown) => {
    gateway = null; // let the next request try again
    throw error;
  });
  return gateway;
}

export default {
  async fetch(request: Request, env: EdgeEnv): Promise<Response> {
    try {
      return await (await gatewayFor(env)).app.fetch(request);
    } catch (error) {
      return Response.json({ error: `the gateway could not start: ${(error as Error).message}` }, { status: 503 });
    }
  },
  async scheduled(_controller: unknown, env: EdgeEnv): Promise<void> {
    const { dcc } = await gatewayFor(env);
    await dcc.runSchedules();
    await dcc.delivery.pump();
    await dcc.commit();
  },
};
