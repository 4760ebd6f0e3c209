// The gateway the end-to-end runs drive (bench e2e and test/e2e): the real DCC (openDcc with the
// DUIS codec, its checks, transform, the ACB's MAC), optionally on the embedded store in memory,
// with the devices plugin as its device transport (design step 6), a provisioned fleet in the
// Smart Metering Inventory with its device logs, registration data naming Supplier A for every
// premises, and the supplier users (and a network operator's when given: the devices trust every
// user's party, so the ESMEs' ECS80 alerts reach it). The CoS party (seed 003 paragraph 142) has
// its signing key and the devices trust its certificate, so a gaining supplier's 6.23 runs end to
// end. Served over HTTP by the Node entry, with its node:crypto ECDSA and node:http pushes.
import { COS_PARTY_ID, createDuisCodec, openDcc, userCertificateFromPem, type AnomalyThreshold, type Dcc, type GatewayStore } from "@opendcc/core";
import { ACCESS_CONTROL_BROKER, KeyRing, TestSmki, type IssuedCertificate } from "@opendcc/gbcs";
import { createDevicesPlugin, fleetEui, SLOTS, type DeviceEmulator } from "@opendcc/plugin-devices";
import { startPlugins } from "@opendcc/server";
import { createNodePusher, nodeEcdsa, startNodeServer } from "@opendcc/server/node";
import { SqlGatewayStore } from "@opendcc/store";
import { openEmbedded } from "@opendcc/store/embedded";
import { NETWORK_OPERATOR_PARTY, SUPPLIER_B_PARTY, SUPPLIER_PARTY, type UserCertificates } from "./users.js";

export const DCC_EUI = "90B3D51F30000002";
/** SMKI remote party role of the Transitional CoS party (GBCS: 05). */
const COS_ROLE_CODE = "05";
const PARTY_NAMES: Readonly<Record<string, string>> = { [SUPPLIER_PARTY]: "Supplier A", [SUPPLIER_B_PARTY]: "Supplier B", [NETWORK_OPERATOR_PARTY]: "Network Operator A" };
/** The devices plugin's default fleet base (plugins/devices eui.ts). */
const FLEET_BASE = 0x20000000;

export type E2eStore = "memory" | "embedded";

export interface E2eGatewayOptions {
  readonly premises: number;
  /** Users have their roles (the Import and Gas Supplier roles unless given); parties are made from their party IDs. */
  readonly users: readonly UserCertificates[];
  /** "memory": no store; "embedded": the embedded PostgreSQL (PGlite), in memory. */
  readonly store: E2eStore;
  readonly now?: () => Date;
  readonly thresholds?: readonly AnomalyThreshold[];
  /** Every n-th premises has prepayment meters (0: none). */
  readonly prepaymentEvery?: number;
  readonly port?: number;
  readonly log?: (line: string) => void;
}

export interface PremisesDevices {
  readonly esme: string;
  readonly gsme: string;
  readonly chf: string;
  readonly gpf: string;
  readonly ihd: string;
  readonly mpan: string;
  readonly mprn: string;
}

export interface E2eGateway {
  readonly url: string;
  readonly dcc: Dcc;
  readonly devices: DeviceEmulator;
  readonly plugins: Awaited<ReturnType<typeof startPlugins>>;
  readonly dccCertificate: IssuedCertificate;
  /** The CoS party's digital-signing certificate (role 05), a trust anchor of every device. */
  readonly cosCertificate: IssuedCertificate;
  /** Makes the keys of the first `count` premises' meters (as installed devices already have) and primes the ACB's secrets with them. */
  warm(count: number): Promise<void>;
  close(): Promise<void>;
}

/** The devices of fleet premises `p` (0-based) and their MPxNs (plugins/devices emulator.ts numbering). */
export function premisesDevices(p: number): PremisesDevices {
  const eui = (slot: number) => fleetEui(FLEET_BASE, p, slot);
  return {
    esme: eui(SLOTS.ESME), gsme: eui(SLOTS.GSME), chf: eui(SLOTS.CHF), gpf: eui(SLOTS.GPF), ihd: eui(SLOTS.IHD),
    mpan: String(1_300_000_000_000 + p), mprn: String(8_000_000 + p),
  };
}

export async function startE2eGateway(options: E2eGatewayOptions): Promise<E2eGateway> {
  const now = options.now ?? (() => new Date());
  const smki = await TestSmki.create("OpenDCC e2e DCC CA");
  const dccCertificate = await smki.issue({ eui: DCC_EUI, usage: "ds", commonName: "OpenDCC", roleCode: "04" });
  const acb = await smki.issue({ eui: ACCESS_CONTROL_BROKER, usage: "ka", commonName: "ACB", roleCode: "04" });
  const cos = await smki.issue({ eui: COS_PARTY_ID, usage: "ds", commonName: "OpenDCC CoS party", roleCode: COS_ROLE_CODE });
  const ring = new KeyRing();
  ring.add({ eui: ACCESS_CONTROL_BROKER, role: "ka", certificate: null, publicKey: acb.keys.publicKey, privateKey: acb.keys.privateKey });

  const { plugin, devices } = await createDevicesPlugin({
    accessControlBrokerKa: acb.pem, now, smki, ...(options.log ? { log: options.log } : {}),
    parties: [...options.users.map((u) => ({ ds: u.ds, ka: u.ka, ppKa: u.ppKa })), { ds: cos.pem }],
  });
  const fleet = devices.provisionFleet(options.premises, { prepaymentEvery: options.prepaymentEvery ?? 0 });
  if (fleet.firstPremises !== 0) throw new Error(`the fleet starts at premises ${fleet.firstPremises}, not 0`);

  const store: GatewayStore | undefined = options.store === "embedded" ? await SqlGatewayStore.open(await openEmbedded({ memory: true })) : undefined;
  const commandKeys = devices.commandKeys(ring);
  const dcc = await openDcc({
    // The Node gateway's choices (server/node.ts): node:crypto ECDSA for the XML signatures, node:http pushes.
    codec: createDuisCodec({ dccKey: { privateKey: dccCertificate.keys.privateKey, certificate: dccCertificate.der }, now, ecdsa: nodeEcdsa }),
    push: createNodePusher(), now, commandKeys, cosSigningKey: cos.keys.privateKey, ...(store ? { store } : {}), ...(options.thresholds ? { thresholds: options.thresholds } : {}),
  });
  const { users, inventory, registration } = dcc.services;
  for (const partyId of new Set([SUPPLIER_PARTY, ...options.users.map((u) => u.partyId)])) users.addParty({ partyId, name: PARTY_NAMES[partyId] ?? partyId });
  for (const user of options.users) {
    users.addUser({
      userId: user.userId, partyId: user.partyId, roles: [...(user.roles ?? ["IS", "GS"])], suspended: false,
      certificates: [userCertificateFromPem(user.xml, "xml"), userCertificateFromPem(user.ds, "ds"), userCertificateFromPem(user.ka, "ka")],
    });
  }
  for (const record of fleet.records()) inventory.load(record);
  for (const log of fleet.deviceLogs()) inventory.loadDeviceLog(log.chfId, log.deviceIds.map((deviceId) => ({ deviceId, type: inventory.require(deviceId).type })));
  const appointments = [];
  for (let p = 0; p < options.premises; p++) {
    const { mpan, mprn } = premisesDevices(p);
    appointments.push(
      { mpxn: mpan, fuel: "electricity" as const, role: "IS" as const, partyId: SUPPLIER_PARTY, effectiveFrom: "2020-01-01", effectiveTo: null },
      { mpxn: mprn, fuel: "gas" as const, role: "GS" as const, partyId: SUPPLIER_PARTY, effectiveFrom: "2020-01-01", effectiveTo: null },
    );
  }
  registration.replaceAll(appointments);
  await dcc.commit();

  const plugins = await startPlugins(dcc, [plugin], { log: options.log ?? (() => {}) });
  const server = await startNodeServer({ dcc, plugins, port: options.port ?? 0 });
  return {
    url: server.url, dcc, devices, plugins, dccCertificate, cosCertificate: cos,
    async warm(count) {
      for (let p = 0; p < count; p++) {
        const { esme, gsme } = premisesDevices(p);
        await Promise.all([esme, gsme].map((deviceId) => commandKeys.brokerSecret(deviceId)));
      }
    },
    async close() {
      await server.close();
      await plugins.stop();
      await dcc.close();
    },
  };
}
