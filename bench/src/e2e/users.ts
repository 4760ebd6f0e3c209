// The supplier users of the end-to-end runs (bench and test/e2e), and a network operator's: each
// has an XML-signing key for DUIS, GBCS digital-signing and key-agreement keys (Signed
// Pre-Commands; responses MAC'd and encrypted for it) and a prepayment key-agreement key (UTRNs),
// all from a test SMKI. The gateway is given only the certificates (`UserCertificates`, plain PEM
// text that crosses a process boundary); the private keys stay with the DUIS client.
import type { RoleCode } from "@opendcc/core";
import { certificateIssuerSerial } from "@opendcc/duis";
import { TestSmki } from "@opendcc/gbcs";

export const SUPPLIER_PARTY = "SUPPLIER-A";
/** A second supplier: the gaining supplier of a change of supplier (6.23). */
export const SUPPLIER_B_PARTY = "SUPPLIER-B";
/** A network operator (Electricity Distributor): the ESMEs' supply outage restore alerts (ECS80) go to it. */
export const NETWORK_OPERATOR_PARTY = "NETWORK-OPERATOR-A";

/**
 * User IDs start as in the DCC Boxed keystore (duis.md 1.1): 90B3D51F3001.. for supplier A,
 * 90B3D51F3003.. for B, 90B3D51F3002.. for the network operator (the RTDS ECS80 alert's recipient).
 */
const USER_ID_PREFIX: Readonly<Record<string, string>> = {
  [SUPPLIER_PARTY]: "90B3D51F3001", [SUPPLIER_B_PARTY]: "90B3D51F3003", [NETWORK_OPERATOR_PARTY]: "90B3D51F3002",
};
/** SMKI remote party role codes (gbcs.md 12) the certificates carry. */
const SUPPLIER_ROLE_CODE = "02";
const NETWORK_OPERATOR_ROLE_CODE = "03";

export interface UserCertificates {
  readonly userId: string;
  readonly partyId: string;
  /** PEM: DUIS XML signing, GBCS digital signing, key agreement, prepayment key agreement. */
  readonly xml: string;
  readonly ds: string;
  readonly ka: string;
  readonly ppKa: string;
  /** DUIS user roles; the Import and Gas Supplier roles when absent. */
  readonly roles?: readonly RoleCode[];
}

export interface E2eUser {
  readonly certificates: UserCertificates;
  readonly userId: string;
  readonly xmlKey: CryptoKey;
  /** X509IssuerSerial of the XML-signing certificate, as the XML signature names it. */
  readonly issuerName: string;
  readonly serialNumber: string;
  readonly dsKey: CryptoKey;
  readonly kaKey: CryptoKey;
  readonly ppKaKey: CryptoKey;
}

/** Supplier user n: the party's prefix and n in 4 hex digits (n = 0 of Supplier A is the demo's Supplier A). */
export function supplierUserId(n: number, partyId = SUPPLIER_PARTY): string {
  const prefix = USER_ID_PREFIX[partyId];
  if (!prefix) throw new Error(`no user IDs for party ${partyId} (known: ${Object.keys(USER_ID_PREFIX).join(", ")})`);
  return `${prefix}${n.toString(16).toUpperCase().padStart(4, "0")}`;
}

/** `count` users of a supplier (Supplier A unless named), each with the Import and Gas Supplier roles. */
export function makeSupplierUsers(count: number, smki?: TestSmki, partyId = SUPPLIER_PARTY): Promise<E2eUser[]> {
  return makeUsers(count, smki, partyId, SUPPLIER_ROLE_CODE, null);
}

/** The network operator's user 90B3D51F30020000: Electricity Distributor (ED), SMKI role 03 (its prepayment key goes unused). */
export async function makeNetworkOperatorUser(smki?: TestSmki): Promise<E2eUser> {
  const [user] = await makeUsers(1, smki, NETWORK_OPERATOR_PARTY, NETWORK_OPERATOR_ROLE_CODE, ["ED"]);
  if (!user) throw new Error("no network operator user was made");
  return user;
}

async function makeUsers(count: number, smki: TestSmki | undefined, partyId: string, roleCode: string, roles: readonly RoleCode[] | null): Promise<E2eUser[]> {
  const ca = smki ?? (await TestSmki.create("OpenDCC e2e users CA"));
  const users: E2eUser[] = [];
  for (let n = 0; n < count; n++) {
    const userId = supplierUserId(n, partyId);
    const issue = (usage: "ds" | "ka") => ca.issue({ eui: userId, usage, commonName: `${partyId} ${n}`, roleCode });
    const [xml, ds, ka, ppKa] = await Promise.all([issue("ds"), issue("ds"), issue("ka"), issue("ka")]);
    const { issuerName, serialDecimal } = certificateIssuerSerial(xml.der);
    users.push({
      certificates: { userId, partyId, xml: xml.pem, ds: ds.pem, ka: ka.pem, ppKa: ppKa.pem, ...(roles ? { roles } : {}) },
      userId, xmlKey: xml.keys.privateKey, issuerName, serialNumber: serialDecimal,
      dsKey: ds.keys.privateKey, kaKey: ka.keys.privateKey, ppKaKey: ppKa.keys.privateKey,
    });
  }
  return users;
}
