// The plugin's HTTP surface, under /plugins/devices: certificates by EUI and key usage (as DCC
// Boxed's SMKI service serves them, so users can verify device responses), device state, a
// meter's profile data, the WAN state of a hub, and the power at its premises.
import type { Hono } from "hono";
import type { DeviceEmulator } from "./emulator.js";
import { WAN, type WanState } from "./model.js";
import { POWER, PowerStateError, type PowerEvent } from "./power.js";

export function deviceRoutes(router: Hono, devices: () => DeviceEmulator): void {
  const known = (eui: string) => {
    try {
      devices().device(eui);
      return true;
    } catch {
      return false;
    }
  };

  router.get("/smki/:eui/:usage", async (c) => {
    const { eui, usage } = c.req.param();
    if (usage !== "ka" && usage !== "ds") return c.json({ error: `key usage "${usage}" is not ka or ds` }, 400);
    if (!known(eui)) return c.json({ error: `no emulated device ${eui}` }, 404);
    const certificate = (await devices().certificates(eui))[usage];
    if (c.req.query("format") === "der") return c.body(certificate.der.slice().buffer, 200, { "content-type": "application/pkix-cert" });
    return c.text(certificate.pem, 200, { "content-type": "application/x-pem-file" });
  });

  router.get("/devices/:eui", (c) => {
    const eui = c.req.param("eui");
    if (!known(eui)) return c.json({ error: `no emulated device ${eui}` }, 404);
    return c.json(devices().device(eui));
  });

  // A meter's half-hourly import over [from, to) as its profile data log holds it (what 4.8.1 reads).
  router.get("/devices/:eui/profile", (c) => {
    const eui = c.req.param("eui");
    if (!known(eui)) return c.json({ error: `no emulated device ${eui}` }, 404);
    const from = new Date(c.req.query("from") ?? "");
    const to = new Date(c.req.query("to") ?? "");
    if (Number.isNaN(from.getTime()) || Number.isNaN(to.getTime())) return c.json({ error: "from and to must be ISO date-times" }, 400);
    try {
      return c.json(devices().profile(eui, from, to));
    } catch (error) {
      return c.json({ error: (error as Error).message }, 400);
    }
  });

  router.put("/hubs/:eui/wan", async (c) => {
    const eui = c.req.param("eui");
    const body = (await c.req.json().catch(() => null)) as { state?: unknown; latencyMs?: unknown } | null;
    if (!body || !WAN.includes(body.state as WanState)) return c.json({ error: `state must be one of ${WAN.join(", ")}` }, 400);
    const latency = body.latencyMs === undefined ? 0 : Number(body.latencyMs);
    try {
      devices().setWan(eui, body.state as WanState, latency);
    } catch (error) {
      return c.json({ error: (error as Error).message }, known(eui) ? 400 : 404);
    }
    return c.json(devices().device(eui).wan);
  });

  // Power lost or restored at the hub's premises (power.ts): restoration sends the ESMEs' ECS80 alerts.
  router.post("/hubs/:eui/power", async (c) => {
    const eui = c.req.param("eui");
    const body = (await c.req.json().catch(() => null)) as { state?: unknown } | null;
    if (!body || !POWER.includes(body.state as PowerEvent)) return c.json({ error: `state must be one of ${POWER.join(", ")}` }, 400);
    try {
      return c.json(devices().setPower(eui, body.state as PowerEvent));
    } catch (error) {
      const status = error instanceof PowerStateError ? 409 : known(eui) ? 400 : 404;
      return c.json({ error: (error as Error).message }, status);
    }
  });
}
