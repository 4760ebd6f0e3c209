// End-to-end support: the gateway of bench/src/e2e (the real DCC over HTTP, the devices plugin as
// its transport, a fleet in the inventory with registration data) and, on the users' side, what a
// service user has: a DUIS client, its outbox (pulled through the admin API), and the devices'
// certificates from the SMKI route, so that delivered GBCS responses are checked (MACs,
// signatures) and decrypted as a user would.
import { afterEach } from "vitest";
import { parseResponse, type DuisResponse } from "@opendcc/duis";
import { KeyRing, parseGbcs, readCertificate, type ParsedMessage } from "@opendcc/gbcs";
import { importPublicKey, pemToDer } from "@opendcc/kernel";
import { DuisClient, requestKey } from "../../bench/src/e2e/client.js";
import { premisesDevices, startE2eGateway, type E2eGateway, type E2eGatewayOptions, type PremisesDevices } from "../../bench/src/e2e/gateway.js";
import { makeSupplierUsers, type E2eUser } from "../../bench/src/e2e/users.js";

export { blockTariff, disableSupply, enableSupply, armSupply, readImportRegisters, topUp } from "../../bench/src/e2e/bodies.js";

export interface Delivered {
  readonly response: DuisResponse;
  /** The device's response as the user reads it (null for responses without a GBCS payload). */
  readonly gbcs: ParsedMessage | null;
}

export interface E2e {
  readonly gateway: E2eGateway;
  readonly user: E2eUser;
  readonly client: DuisClient;
  readonly premises: PremisesDevices;
  /** JSON from the gateway's admin API or a plugin route. */
  json<T>(method: string, path: string, body?: unknown): Promise<T>;
  /** The device's state as the devices plugin shows it (GET /plugins/devices/devices/{eui}). */
  device(deviceId: string): Promise<DeviceState>;
  /** Waits for what the DCC delivered for a request (by its key) or a device alert (by its code), and takes it from the outbox. */
  delivered(what: string | { readonly alertCode: string }, within?: number): Promise<Delivered>;
}

export interface DeviceState {
  readonly supply: string;
  readonly credit: number | null;
  readonly prepayment: Readonly<Record<string, number>> | null;
  readonly firmwareVersion: string;
  readonly deviceLog: { readonly deviceId: string; readonly kind: string }[];
  readonly register: { readonly value: number; readonly unit: string } | null;
  readonly tariff: { readonly source: string; readonly values: Record<string, unknown> };
  readonly security: { readonly code: string }[];
  readonly events: { readonly code: string }[];
}

const running: E2eGateway[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((gateway) => gateway.close()));
});

export async function startE2e(options: Partial<E2eGatewayOptions> = {}): Promise<E2e> {
  const [user] = await makeSupplierUsers(1);
  if (!user) throw new Error("no user");
  const gateway = await startE2eGateway({ premises: 4, store: "memory", prepaymentEvery: 2, ...options, users: [user.certificates] });
  running.push(gateway);
  const json = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const response = await fetch(`${gateway.url}${path}`, { method, ...(body === undefined ? {} : { body: JSON.stringify(body), headers: { "content-type": "application/json" } }) });
    if (!response.ok) throw new Error(`${method} ${path}: HTTP ${response.status} ${await response.text()}`);
    return (await response.json()) as T;
  };
  const ring = new KeyRing();
  ring.add({ eui: user.userId, role: "ka", certificate: null, publicKey: null, privateKey: user.kaKey });
  const known = new Set<string>();
  const withDeviceCertificates = async (deviceId: string) => {
    if (known.has(deviceId)) return;
    for (const usage of ["ka", "ds"] as const) {
      const response = await fetch(`${gateway.url}/plugins/devices/smki/${deviceId}/${usage}`);
      const certificate = readCertificate(pemToDer(await response.text()));
      ring.add({ eui: deviceId, role: usage, certificate, publicKey: await importPublicKey(certificate.spki, usage), privateKey: null });
    }
    known.add(deviceId);
  };
  const delivered = async (what: string | { readonly alertCode: string }, within = 5000): Promise<Delivered> => {
    const deadline = Date.now() + within;
    for (;;) {
      const outbox = await json<{ id: number; xml: string }[]>("GET", `/admin/v1/users/${user.userId}/outbox`);
      for (const message of outbox) {
        const response = parseResponse(message.xml);
        const id = response.header.requestId;
        const matches = typeof what === "string" ? id !== undefined && requestKey(id.originator, id.target, id.counter) === what
          : response.body.kind === "DeviceAlertMessage" && response.body.alertCode === what.alertCode;
        if (!matches) continue;
        await json("POST", `/admin/v1/users/${user.userId}/outbox/acknowledge`, { throughId: message.id });
        const body = response.body;
        const content = body.kind === "ResponseMessage" ? body.content : null;
        const payload = content?.kind === "GBCSPayload" || content?.kind === "DSPScheduledMessage" ? content.gbcsPayload
          : body.kind === "DeviceAlertMessage" ? body.gbcsPayload : null;
        if (!payload) return { response, gbcs: null };
        await withDeviceCertificates((await parseGbcs(payload)).originator);
        return { response, gbcs: await parseGbcs(payload, { ring }) };
      }
      if (Date.now() > deadline) throw new Error(`nothing was delivered for ${typeof what === "string" ? what : `alert ${what.alertCode}`} within ${within} ms (outbox: ${outbox.length} messages)`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  };
  return {
    gateway, user, client: new DuisClient(gateway.url, user), premises: premisesDevices(0), json, delivered,
    device: (deviceId) => json<DeviceState>("GET", `/plugins/devices/devices/${deviceId}`),
  };
}
