// End-to-end support: the gateway of bench/src/e2e (the real DCC over HTTP, the devices plugin as
// its transport, a fleet in the inventory with registration data) and, on the users' side, what a
// service user has: a DUIS client, its outbox (pulled through the admin API), and the devices'
// certificates from the SMKI route (for each user: Supplier A's, and Supplier B's or the network
// operator's when asked for), so that delivered GBCS responses are checked (MACs, signatures) and
// decrypted as a user would.
import { afterEach } from "vitest";
import { parseResponse, type DuisResponse } from "@opendcc/duis";
import { KeyRing, parseGbcs, readCertificate, TestSmki, type ParsedMessage } from "@opendcc/gbcs";
import { importPublicKey, pemToDer } from "@opendcc/kernel";
import { DuisClient, requestKey } from "../../bench/src/e2e/client.js";
import { premisesDevices, startE2eGateway, type E2eGateway, type E2eGatewayOptions, type PremisesDevices } from "../../bench/src/e2e/gateway.js";
import { makeNetworkOperatorUser, makeSupplierUsers, SUPPLIER_B_PARTY, type E2eUser } from "../../bench/src/e2e/users.js";

export { blockTariff, disableSupply, enableSupply, armSupply, readImportRegisters, topUp } from "../../bench/src/e2e/bodies.js";

export interface Delivered {
  readonly response: DuisResponse;
  /** The device's response as the user reads it (null for responses without a GBCS payload). */
  readonly gbcs: ParsedMessage | null;
}

export interface E2e {
  readonly gateway: E2eGateway;
  readonly user: E2eUser;
  /** The CA that issued the users' certificates (their certification path). */
  readonly usersCa: TestSmki;
  readonly client: DuisClient;
  readonly premises: PremisesDevices;
  /** JSON from the gateway's admin API or a plugin route. */
  json<T>(method: string, path: string, body?: unknown): Promise<T>;
  /** The device's state as the devices plugin shows it (GET /plugins/devices/devices/{eui}). */
  device(deviceId: string): Promise<DeviceState>;
  /** What the DCC delivered to the (first) user: see UserSide. */
  delivered(what: Awaiting, within?: number): Promise<Delivered>;
  /** Supplier B's user, when asked for (StartOptions.gainingSupplier). */
  readonly gaining: UserSide | null;
  /** The network operator's user (90B3D51F30020000, role ED), when asked for (StartOptions.networkOperator). */
  readonly networkOperator: UserSide | null;
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
  readonly supplier: string | null;
  readonly events: { readonly code: string }[];
}

const running: E2eGateway[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((gateway) => gateway.close()));
});

/** What one service user has: its DUIS client and what the DCC delivered to it. */
export interface UserSide {
  readonly user: E2eUser;
  readonly client: DuisClient;
  /**
   * Waits for what the DCC delivered to this user for a request (by its key), a device alert (by
   * its code) or a DCC alert (by its code), and takes it from the outbox.
   */
  delivered(what: Awaiting, within?: number): Promise<Delivered>;
}

export type Awaiting = string | { readonly alertCode: string } | { readonly dccAlertCode: string };

export interface StartOptions extends Partial<E2eGatewayOptions> {
  /** Adds a user of Supplier B (registered for nothing; the gaining supplier of a change of supplier). */
  readonly gainingSupplier?: boolean;
  /** Adds the network operator's user, whose party the devices trust (it receives the ESMEs' ECS80 alerts). */
  readonly networkOperator?: boolean;
}

const describeAwaited = (what: Awaiting) => (typeof what === "string" ? what : "alertCode" in what ? `alert ${what.alertCode}` : `DCC alert ${what.dccAlertCode}`);

function matches(response: DuisResponse, what: Awaiting): boolean {
  const body = response.body;
  if (typeof what === "string") {
    const id = response.header.requestId;
    return id !== undefined && requestKey(id.originator, id.target, id.counter) === what;
  }
  if ("alertCode" in what) return body.kind === "DeviceAlertMessage" && body.alertCode === what.alertCode;
  return body.kind === "DCCAlertMessage" && body.dccAlertCode === what.dccAlertCode;
}

export async function startE2e(options: StartOptions = {}): Promise<E2e> {
  const { gainingSupplier, networkOperator, ...gatewayOptions } = options;
  const usersCa = await TestSmki.create("OpenDCC e2e users CA");
  const [user] = await makeSupplierUsers(1, usersCa);
  if (!user) throw new Error("no user");
  const [gaining] = gainingSupplier ? await makeSupplierUsers(1, usersCa, SUPPLIER_B_PARTY) : [];
  const operator = networkOperator ? await makeNetworkOperatorUser(usersCa) : null;
  const users = [user, ...(gaining ? [gaining] : []), ...(operator ? [operator] : [])];
  const gateway = await startE2eGateway({ premises: 4, store: "memory", prepaymentEvery: 2, ...gatewayOptions, users: users.map((u) => u.certificates) });
  running.push(gateway);
  const json = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const response = await fetch(`${gateway.url}${path}`, { method, ...(body === undefined ? {} : { body: JSON.stringify(body), headers: { "content-type": "application/json" } }) });
    if (!response.ok) throw new Error(`${method} ${path}: HTTP ${response.status} ${await response.text()}`);
    return (await response.json()) as T;
  };
  const side = (who: E2eUser): UserSide => {
    const ring = new KeyRing();
    ring.add({ eui: who.userId, role: "ka", certificate: null, publicKey: null, privateKey: who.kaKey });
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
    const delivered = async (what: Awaiting, within = 5000): Promise<Delivered> => {
      const deadline = Date.now() + within;
      for (;;) {
        const outbox = await json<{ id: number; xml: string }[]>("GET", `/admin/v1/users/${who.userId}/outbox`);
        for (const message of outbox) {
          const response = parseResponse(message.xml);
          if (!matches(response, what)) continue;
          await json("POST", `/admin/v1/users/${who.userId}/outbox/acknowledge`, { throughId: message.id });
          const body = response.body;
          const content = body.kind === "ResponseMessage" ? body.content : null;
          const payload = content?.kind === "GBCSPayload" || content?.kind === "DSPScheduledMessage" ? content.gbcsPayload
            : body.kind === "DeviceAlertMessage" ? body.gbcsPayload : null;
          if (!payload) return { response, gbcs: null };
          await withDeviceCertificates((await parseGbcs(payload)).originator);
          return { response, gbcs: await parseGbcs(payload, { ring }) };
        }
        if (Date.now() > deadline) throw new Error(`nothing was delivered to ${who.userId} for ${describeAwaited(what)} within ${within} ms (outbox: ${outbox.length} messages)`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    };
    return { user: who, client: new DuisClient(gateway.url, who), delivered };
  };
  const first = side(user);
  return {
    gateway, user, usersCa, client: first.client, premises: premisesDevices(0), json, delivered: first.delivered,
    gaining: gaining ? side(gaining) : null,
    networkOperator: operator ? side(operator) : null,
    device: (deviceId) => json<DeviceState>("GET", `/plugins/devices/devices/${deviceId}`),
  };
}
