// The JSON admin API (/admin/v1): load parties, users and their certificates, registration data
// and inventory; suspend users; set anomaly thresholds; list, release and delete quarantined
// requests; read the audit trail. Every body is validated and a bad one gets a 400 naming the field.
import { Hono, type Context } from "hono";
import { z } from "zod";
import {
  DEVICE_TYPES, ROLE_CODES, normaliseEui, parseRegistrationFeed, userCertificateFromPem, type Dcc, type DeviceRecord, type RoleCode, type UserCertificate,
} from "@opendcc/core";

const eui = z.string().transform((value, ctx) => {
  try {
    return normaliseEui(value);
  } catch {
    ctx.addIssue({ code: "custom", message: `"${value}" is not an EUI-64 (16 hex digits, dashes allowed)` });
    return z.NEVER;
  }
});

const party = z.object({ partyId: z.string().min(1), name: z.string().min(1) });
const certificate = z.object({ usage: z.enum(["ds", "ka", "xml"]), pem: z.string().includes("BEGIN CERTIFICATE", { message: "pem must hold a PEM certificate" }) });
const user = z.object({
  userId: eui,
  partyId: z.string().min(1),
  roles: z.array(z.enum(ROLE_CODES as unknown as [RoleCode, ...RoleCode[]])).min(1, "a user needs at least one role"),
  suspended: z.boolean().default(false),
  certificates: z.array(certificate).default([]),
});
const device = z.object({
  deviceId: eui,
  type: z.enum(DEVICE_TYPES as unknown as [string, ...string[]]),
  status: z.enum(["pending", "installed-not-commissioned", "commissioned", "withdrawn", "decommissioned"]),
  manufacturer: z.string().nullable().default(null),
  model: z.string().nullable().default(null),
  firmwareVersion: z.string().nullable().default(null),
  mpxn: z.string().nullable().default(null),
  chfId: eui.nullable().default(null),
  associatedWith: eui.nullable().default(null),
  premises: z.object({ postcode: z.string().nullable().default(null), address: z.string().nullable().default(null), uprn: z.string().nullable().default(null) }).default({ postcode: null, address: null, uprn: null }),
});
const threshold = z.object({ userId: eui.optional(), srv: z.string().optional(), windowMs: z.number().int().min(1000), limit: z.number().int().min(0) });

async function parseJson<T extends z.ZodType>(c: Context, schema: T): Promise<z.infer<T> | Response> {
  let body: unknown;
  try {
    body = await c.req.json();
  } catch {
    return c.json({ error: "body is not JSON" }, 400);
  }
  const result = schema.safeParse(body);
  if (!result.success) {
    return c.json({ error: result.error.issues.map((issue) => `${issue.path.join(".") || "body"}: ${issue.message}`).join("; ") }, 400);
  }
  return result.data;
}

const isResponse = (value: unknown): value is Response => value instanceof Response;

// EUI path segments may be written with dashes; anything else is left to miss.
function normaliseEuiOr(value: string): string {
  try {
    return normaliseEui(value);
  } catch {
    return value;
  }
}

export function adminRoutes(dcc: Dcc): Hono {
  const { users, registration, inventory, anomaly, quarantine } = dcc.services;
  const app = new Hono();
  // A change is durable before the admin API says it is done.
  app.use(async (c, next) => {
    await next();
    if (c.req.method !== "GET") await dcc.commit();
  });

  app.get("/parties", (c) => c.json(users.allParties()));
  app.post("/parties", async (c) => {
    const body = await parseJson(c, z.array(party));
    if (isResponse(body)) return body;
    body.forEach((p) => users.addParty(p));
    return c.json({ loaded: body.length }, 201);
  });

  app.get("/users", (c) => c.json(users.allUsers().map(({ certificates, ...rest }) => ({ ...rest, certificates: certificates.map(({ der: _der, ...meta }) => meta) }))));
  app.post("/users", async (c) => {
    const body = await parseJson(c, z.array(user));
    if (isResponse(body)) return body;
    for (const u of body) {
      if (!users.party(u.partyId)) return c.json({ error: `user ${u.userId} names unknown party ${u.partyId}` }, 400);
    }
    const loaded: { userId: string; certificates: UserCertificate[] }[] = [];
    for (const u of body) {
      try {
        loaded.push({ userId: u.userId, certificates: u.certificates.map((cert) => userCertificateFromPem(cert.pem, cert.usage)) });
      } catch (error) {
        return c.json({ error: `user ${u.userId}: certificate cannot be read: ${(error as Error).message}` }, 400);
      }
    }
    body.forEach((u, i) => users.addUser({ userId: u.userId, partyId: u.partyId, roles: u.roles, suspended: u.suspended, certificates: loaded[i]!.certificates }));
    return c.json({ loaded: body.length }, 201);
  });
  app.post("/users/:userId/suspension", async (c) => {
    const body = await parseJson(c, z.object({ suspended: z.boolean() }));
    if (isResponse(body)) return body;
    try {
      const updated = users.setSuspended(c.req.param("userId"), body.suspended);
      return c.json({ userId: updated.userId, suspended: updated.suspended });
    } catch (error) {
      return c.json({ error: (error as Error).message }, 404);
    }
  });

  // Where the DCC pushes a user's asynchronous responses and alerts (DCC Boxed's "Receive
  // Response Service"); null stops pushing, and responses wait to be pulled.
  app.put("/users/:userId/endpoint", async (c) => {
    const body = await parseJson(c, z.object({ url: z.url({ protocol: /^https?$/ }).nullable() }));
    if (isResponse(body)) return body;
    const user = users.user(normaliseEuiOr(c.req.param("userId")));
    if (!user) return c.json({ error: `unknown user ${c.req.param("userId")}` }, 404);
    dcc.delivery.setEndpoint(user.userId, body.url);
    return c.json({ userId: user.userId, url: body.url });
  });
  // Pull: what waits for the user, oldest first; then acknowledge through an id to drop it.
  app.get("/users/:userId/outbox", (c) => c.json(dcc.delivery.pending(normaliseEuiOr(c.req.param("userId")))));
  app.post("/users/:userId/outbox/acknowledge", async (c) => {
    const body = await parseJson(c, z.object({ throughId: z.number().int().min(1) }));
    if (isResponse(body)) return body;
    return c.json({ acknowledged: dcc.delivery.acknowledge(normaliseEuiOr(c.req.param("userId")), body.throughId) });
  });

  app.get("/registration", (c) => {
    const mpxn = c.req.query("mpxn");
    return c.json(mpxn ? registration.all().filter((a) => a.mpxn === mpxn) : registration.all());
  });
  // The registration feed, JSON array or CSV; replaces what was loaded before (a refresh).
  app.put("/registration", async (c) => {
    try {
      const appointments = parseRegistrationFeed(await c.req.text());
      registration.replaceAll(appointments);
      return c.json({ loaded: appointments.length });
    } catch (error) {
      return c.json({ error: (error as Error).message }, 400);
    }
  });

  app.get("/inventory/devices/:deviceId", (c) => {
    const record = inventory.get(c.req.param("deviceId"));
    return record ? c.json(record) : c.json({ error: `device ${c.req.param("deviceId")} is not in the inventory` }, 404);
  });
  app.post("/inventory/devices", async (c) => {
    const body = await parseJson(c, z.array(device));
    if (isResponse(body)) return body;
    const at = dcc.services.now().toISOString();
    for (const d of body) inventory.load({ ...(d as Omit<DeviceRecord, "statusChangedAt">), statusChangedAt: at } as DeviceRecord);
    return c.json({ loaded: body.length }, 201);
  });

  app.get("/anomaly/thresholds", (c) => c.json(anomaly.current()));
  app.put("/anomaly/thresholds", async (c) => {
    const body = await parseJson(c, z.array(threshold));
    if (isResponse(body)) return body;
    try {
      anomaly.configure(body.map(({ userId, srv, windowMs, limit }) => ({ windowMs, limit, ...(userId ? { userId } : {}), ...(srv ? { srv } : {}) })));
    } catch (error) {
      return c.json({ error: (error as Error).message }, 400);
    }
    return c.json(anomaly.current());
  });

  app.get("/quarantine", (c) => c.json(quarantine.list().map(({ xml: _xml, ...rest }) => rest)));
  app.post("/quarantine/:id/release", async (c) => {
    const held = quarantine.take(Number(c.req.param("id")));
    if (!held) return c.json({ error: `no quarantined request ${c.req.param("id")}` }, 404);
    const response = await dcc.releaseQuarantined(held);
    return c.json({ released: held.id, requestId: held.requestId, responseCode: response.responseCode, reason: response.reason });
  });
  app.delete("/quarantine/:id", (c) => {
    const held = quarantine.take(Number(c.req.param("id")));
    return held ? c.json({ deleted: held.id }) : c.json({ error: `no quarantined request ${c.req.param("id")}` }, 404);
  });

  app.get("/audit", (c) => {
    const limit = Math.min(Number(c.req.query("limit") ?? "100") || 100, 1000);
    return c.json(dcc.recentAudit(limit).map(({ xml: _xml, ...rest }) => rest));
  });
  return app;
}
