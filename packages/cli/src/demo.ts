// The demo DCC that `opendcc start` runs: demo parties and users with the fixture keystore's
// identities (so DCC Boxed sample requests work once signed), their keys from a generated test
// SMKI, and a small commissioned fleet in the inventory with its registration data. The demo is
// plain data, loaded straight into an in-process DCC or through the admin API of a running one.
import type { Appointment, Dcc, DeviceRecord, RoleCode } from "@opendcc/core";
import { userCertificateFromPem } from "@opendcc/core";
import { exportPrivateKey } from "@opendcc/kernel";
import { toPem, type TestSmki } from "@opendcc/gbcs";

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

export interface Demo {
  readonly parties: { partyId: string; name: string }[];
  readonly users: { userId: string; partyId: string; roles: readonly RoleCode[]; certificates: { usage: "xml"; pem: string }[] }[];
  readonly keys: { userId: string; keyPem: string; certificatePem: string }[];
  readonly devices: DeviceRecord[];
  readonly deviceLogs: { chfId: string; deviceIds: string[] }[];
  readonly appointments: Appointment[];
}

/**
 * Builds the demo: users with XML-signing certificates from the test SMKI, and `premises`
 * commissioned premises (a hub with its gas proxy, an electricity meter, a gas meter, an IHD),
 * registered to Supplier A and Network Operator 1. The first premises uses the RTDS device IDs
 * (00DB1234567890A0 ESME, A1 GSME, A2 CHF, A3 GPF, A5 IHD).
 */
export async function buildDemo(smki: TestSmki, premises: number, at: Date): Promise<Demo> {
  const parties = DEMO_USERS.map((u) => ({ partyId: u.partyId, name: u.name }));
  const users: Demo["users"] = [];
  const keys: Demo["keys"] = [];
  for (const user of DEMO_USERS) {
    const issued = await smki.issue({ eui: user.userId, usage: "ds", commonName: user.name, roleCode: user.roleCode });
    users.push({ userId: user.userId, partyId: user.partyId, roles: user.roles, certificates: [{ usage: "xml", pem: issued.pem }] });
    keys.push({ userId: user.userId, keyPem: toPem("PRIVATE KEY", await exportPrivateKey(issued.keys.privateKey)), certificatePem: issued.pem });
  }
  const devices: DeviceRecord[] = [];
  const deviceLogs: Demo["deviceLogs"] = [];
  const appointments: Appointment[] = [];
  for (let i = 0; i < premises; i++) {
    const id = (suffix: number) => (i === 0 ? `00DB1234567890A${suffix}` : `00DB${(0x10000000 + i).toString(16).toUpperCase()}000${suffix}`);
    const mpan = String(1_200_000_000_000 + i);
    const mprn = String(7_000_000 + i);
    const where = { postcode: `SW1A ${1 + (i % 9)}AA`, address: `${i + 1} Demo Street`, uprn: String(100_000_000_000 + i) };
    const record = (deviceId: string, type: DeviceRecord["type"], extra: Partial<DeviceRecord> = {}): DeviceRecord => ({
      deviceId, type, status: "commissioned", manufacturer: "OD01", model: "DEMO", firmwareVersion: "00010000",
      mpxn: null, chfId: id(2), associatedWith: null, premises: where, statusChangedAt: at.toISOString(), ...extra,
    });
    devices.push(
      record(id(2), "CHF"),
      record(id(3), "GPF"),
      record(id(0), "ESME", { mpxn: mpan }),
      record(id(1), "GSME", { mpxn: mprn, associatedWith: id(3) }),
      record(id(5), "IHD", { associatedWith: id(0) }),
    );
    deviceLogs.push({ chfId: id(2), deviceIds: [id(3), id(0), id(1), id(5)] });
    const from = "2020-01-01";
    appointments.push(
      { mpxn: mpan, fuel: "electricity", role: "IS", partyId: "SUPPLIER-A", effectiveFrom: from, effectiveTo: null },
      { mpxn: mpan, fuel: "electricity", role: "ED", partyId: "DNO-1", effectiveFrom: from, effectiveTo: null },
      { mpxn: mprn, fuel: "gas", role: "GS", partyId: "SUPPLIER-A", effectiveFrom: from, effectiveTo: null },
      { mpxn: mprn, fuel: "gas", role: "GT", partyId: "DNO-1", effectiveFrom: from, effectiveTo: null },
    );
  }
  return { parties, users, keys, devices, deviceLogs, appointments };
}

/** Loads the demo into an in-process DCC. */
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
