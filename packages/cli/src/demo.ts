// The demo DCC that `opendcc start` runs: demo parties and users with the fixture keystore's
// identities (so DCC Boxed sample requests work once signed), their keys from a generated test
// SMKI written to the keys folder in the keystore layout, and the registration data of a fleet.
// The demo is plain data, loaded straight into an in-process DCC or through the admin API of a
// running one.
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { Appointment, Dcc, DeviceRecord, RoleCode } from "@opendcc/core";
import { userCertificateFromPem } from "@opendcc/core";
import { exportPrivateKey } from "@opendcc/kernel";
import { toPem, type IssuedCertificate, type TestSmki } from "@opendcc/gbcs";

export interface DemoUser {
  readonly userId: string;
  readonly partyId: string;
  readonly name: string;
  readonly roles: readonly RoleCode[];
  /** SMKI remote-party role code for the certificate's OU. */
  readonly roleCode: string;
}

/** The identities of the DCC Boxed test keystore (duis.md 1.1). */
export const DEMO_USERS: readonly DemoUser[] = [
  { userId: "90B3D51F30010000", partyId: "SUPPLIER-A", name: "Demo Supplier A", roles: ["IS", "GS"], roleCode: "02" },
  { userId: "90B3D51F30030000", partyId: "SUPPLIER-B", name: "Demo Supplier B", roles: ["IS", "GS"], roleCode: "02" },
  { userId: "90B3D51F30020000", partyId: "DNO-1", name: "Demo Network Operator", roles: ["ED", "GT"], roleCode: "03" },
  { userId: "00DB123456780004", partyId: "OTHER-1", name: "Demo Other User", roles: ["OU"], roleCode: "06" },
];

const SUPPLIER_ROLE = "02";

/** A user's key files: `<eui>-xml` (DUIS XML signing), `-ds`, `-ka` and, for suppliers, `-pp-ka`. */
type KeyUse = "xml" | "ds" | "ka" | "pp-ka";
const usesOf = (user: DemoUser): KeyUse[] => (user.roleCode === SUPPLIER_ROLE ? ["xml", "ds", "ka", "pp-ka"] : ["xml", "ds", "ka"]);
const fileOf = (eui: string, use: KeyUse) => `${eui.toLowerCase()}-${use}`;

/** The certificates (PEM) of one demo user, as read back from the keys folder. */
export interface DemoUserCertificates {
  readonly user: DemoUser;
  readonly pem: Readonly<Partial<Record<KeyUse, string>>>;
}

async function keyPem(issued: IssuedCertificate): Promise<string> {
  return toPem("PRIVATE KEY", await exportPrivateKey(issued.keys.privateKey));
}

/** Issues every demo user's keys and writes them as `<eui>-<use>.key` (PKCS#8) and `.pem`. */
export async function writeDemoUserKeys(smki: TestSmki, dir: string): Promise<void> {
  for (const user of DEMO_USERS) {
    for (const use of usesOf(user)) {
      const issued = await smki.issue({ eui: user.userId, usage: use === "ds" || use === "xml" ? "ds" : "ka", commonName: user.name, roleCode: user.roleCode });
      await writeFile(join(dir, `${fileOf(user.userId, use)}.key`), await keyPem(issued), { mode: 0o600 });
      await writeFile(join(dir, `${fileOf(user.userId, use)}.pem`), issued.pem);
    }
  }
}

/** Writes an issued certificate and its key in the keystore layout (e.g. the ACB's KA pair). */
export async function writeKeyPair(dir: string, eui: string, use: KeyUse, issued: IssuedCertificate): Promise<void> {
  await writeFile(join(dir, `${fileOf(eui, use)}.pem`), issued.pem);
  await writeFile(join(dir, `${fileOf(eui, use)}.key`), await keyPem(issued), { mode: 0o600 });
}

export async function readDemoUserCertificates(dir: string): Promise<DemoUserCertificates[]> {
  return Promise.all(DEMO_USERS.map(async (user) => {
    const pem: Partial<Record<KeyUse, string>> = {};
    for (const use of usesOf(user)) pem[use] = await readFile(join(dir, `${fileOf(user.userId, use)}.pem`), "utf8");
    return { user, pem };
  }));
}

/** What the emulated devices trust: each demo user's DS, KA and prepayment KA certificates. */
export function trustAnchorsOf(users: readonly DemoUserCertificates[]): { ds?: string; ka?: string; ppKa?: string }[] {
  return users.map(({ pem }) => ({ ...(pem.ds ? { ds: pem.ds } : {}), ...(pem.ka ? { ka: pem.ka } : {}), ...(pem["pp-ka"] ? { ppKa: pem["pp-ka"] } : {}) }));
}

export interface Demo {
  readonly parties: { partyId: string; name: string }[];
  readonly users: { userId: string; partyId: string; roles: readonly RoleCode[]; certificates: { usage: "xml" | "ds" | "ka"; pem: string }[] }[];
  readonly devices: readonly DeviceRecord[];
  readonly deviceLogs: readonly { chfId: string; deviceIds: string[] }[];
  readonly appointments: Appointment[];
}

/**
 * The demo: its users with their XML-signing, digital-signing and key-agreement certificates, the
 * fleet's inventory records and HAN device logs, and registration data that appoints Supplier A
 * (IS, GS) and Network Operator 1 (ED, GT) to every meter's MPxN.
 */
export function buildDemo(users: readonly DemoUserCertificates[], devices: readonly DeviceRecord[], deviceLogs: Demo["deviceLogs"]): Demo {
  const from = "2020-01-01";
  const appointments: Appointment[] = [];
  for (const device of devices) {
    if (device.mpxn === null) continue;
    if (device.type === "ESME") {
      appointments.push(
        { mpxn: device.mpxn, fuel: "electricity", role: "IS", partyId: "SUPPLIER-A", effectiveFrom: from, effectiveTo: null },
        { mpxn: device.mpxn, fuel: "electricity", role: "ED", partyId: "DNO-1", effectiveFrom: from, effectiveTo: null },
      );
    } else if (device.type === "GSME") {
      appointments.push(
        { mpxn: device.mpxn, fuel: "gas", role: "GS", partyId: "SUPPLIER-A", effectiveFrom: from, effectiveTo: null },
        { mpxn: device.mpxn, fuel: "gas", role: "GT", partyId: "DNO-1", effectiveFrom: from, effectiveTo: null },
      );
    }
  }
  return {
    parties: DEMO_USERS.map((u) => ({ partyId: u.partyId, name: u.name })),
    users: users.map(({ user, pem }) => ({
      userId: user.userId, partyId: user.partyId, roles: user.roles,
      certificates: (["xml", "ds", "ka"] as const).flatMap((usage) => (pem[usage] ? [{ usage, pem: pem[usage] }] : [])),
    })),
    devices, deviceLogs, appointments,
  };
}

/** Loads the demo into an in-process DCC (journaled with the DCC's next commit). */
export function loadDemo(dcc: Dcc, demo: Demo): void {
  const { users, inventory, registration } = dcc.services;
  demo.parties.forEach((party) => users.addParty(party));
  demo.users.forEach((user) => users.addUser({
    userId: user.userId, partyId: user.partyId, roles: user.roles, suspended: false,
    certificates: user.certificates.map((c) => userCertificateFromPem(c.pem, c.usage)),
  }));
  demo.devices.forEach((device) => inventory.load(device));
  const types = new Map(demo.devices.map((d) => [d.deviceId, d.type]));
  demo.deviceLogs.forEach((log) => inventory.loadDeviceLog(log.chfId, log.deviceIds.map((deviceId) => ({ deviceId, type: types.get(deviceId) ?? "IHD" }))));
  registration.replaceAll([...registration.all(), ...demo.appointments]);
}

/** Loads the demo through a running gateway's admin API (e.g. one on workerd). */
export async function postDemo(baseUrl: string, demo: Demo): Promise<void> {
  const call = async (method: string, path: string, body: unknown) => {
    const response = await fetch(`${baseUrl}/admin/v1${path}`, { method, body: JSON.stringify(body), headers: { "content-type": "application/json" } });
    if (!response.ok) throw new Error(`${method} ${path}: HTTP ${response.status} ${await response.text()}`);
  };
  await call("POST", "/parties", demo.parties);
  await call("POST", "/users", demo.users);
  await call("POST", "/inventory/devices", demo.devices.map(({ statusChangedAt: _at, ...device }) => device));
  await call("PUT", "/registration", demo.appointments);
}
