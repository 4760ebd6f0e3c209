// The demo DCC that `opendcc start` runs: demo parties and users with the fixture keystore's
// identities (so DCC Boxed sample requests work once signed), their keys from a generated test
// SMKI, and a small commissioned fleet in the inventory with its registration data.
import type { Dcc, DeviceRecord, RoleCode } from "@opendcc/core";
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

export interface DemoKeys {
  readonly userId: string;
  readonly keyPem: string;
  readonly certificatePem: string;
}

/** Loads parties and users, issuing each an XML-signing certificate; returns their key material. */
export async function loadDemoUsers(dcc: Dcc, smki: TestSmki): Promise<DemoKeys[]> {
  const keys: DemoKeys[] = [];
  for (const user of DEMO_USERS) {
    if (!dcc.services.users.party(user.partyId)) dcc.services.users.addParty({ partyId: user.partyId, name: user.name });
    const issued: IssuedCertificate = await smki.issue({ eui: user.userId, usage: "ds", commonName: user.name, roleCode: user.roleCode });
    dcc.services.users.addUser({
      userId: user.userId, partyId: user.partyId, roles: user.roles, suspended: false,
      certificates: [userCertificateFromPem(issued.pem, "xml")],
    });
    keys.push({ userId: user.userId, keyPem: toPem("PRIVATE KEY", await exportPrivateKey(issued.keys.privateKey)), certificatePem: issued.pem });
  }
  return keys;
}

/**
 * Puts `premises` commissioned premises in the inventory: a hub (CHF + GPF), an electricity meter,
 * a gas meter and an IHD each, registered to Supplier A and Network Operator 1. The first premises
 * uses the RTDS device IDs (00DB1234567890A0 ESME, A1 GSME, A2 CHF, A3 GPF, A5 IHD).
 */
export function loadDemoFleet(dcc: Dcc, premises: number): { devices: number } {
  const at = dcc.services.now().toISOString();
  const appointments = [];
  let devices = 0;
  for (let i = 0; i < premises; i++) {
    const id = (suffix: number) => (i === 0 ? `00DB1234567890A${suffix}` : `00DB${(0x10000000 + i).toString(16).toUpperCase()}000${suffix}`);
    const mpan = String(1_200_000_000_000 + i);
    const mprn = String(7_000_000 + i);
    const premisesInfo = { postcode: `SW1A ${1 + (i % 9)}AA`, address: `${i + 1} Demo Street`, uprn: String(100_000_000_000 + i) };
    const record = (deviceId: string, type: DeviceRecord["type"], extra: Partial<DeviceRecord> = {}): DeviceRecord => ({
      deviceId, type, status: "commissioned", manufacturer: "OD01", model: "DEMO", firmwareVersion: "00010000",
      mpxn: null, chfId: id(2), associatedWith: null, premises: premisesInfo, statusChangedAt: at, ...extra,
    });
    for (const device of [
      record(id(2), "CHF"),
      record(id(3), "GPF"),
      record(id(0), "ESME", { mpxn: mpan }),
      record(id(1), "GSME", { mpxn: mprn, associatedWith: id(3) }),
      record(id(5), "IHD", { associatedWith: id(0) }),
    ]) {
      dcc.services.inventory.restore(device);
      devices++;
    }
    dcc.services.inventory.restoreDeviceLog(id(2), [id(3), id(0), id(1), id(5)].map((deviceId) => ({ deviceId, type: dcc.services.inventory.require(deviceId).type })));
    const from = "2020-01-01";
    appointments.push(
      { mpxn: mpan, fuel: "electricity" as const, role: "IS" as const, partyId: "SUPPLIER-A", effectiveFrom: from, effectiveTo: null },
      { mpxn: mpan, fuel: "electricity" as const, role: "ED" as const, partyId: "DNO-1", effectiveFrom: from, effectiveTo: null },
      { mpxn: mprn, fuel: "gas" as const, role: "GS" as const, partyId: "SUPPLIER-A", effectiveFrom: from, effectiveTo: null },
      { mpxn: mprn, fuel: "gas" as const, role: "GT" as const, partyId: "DNO-1", effectiveFrom: from, effectiveTo: null },
    );
  }
  dcc.services.registration.replaceAll([...dcc.services.registration.all(), ...appointments]);
  return { devices };
}
