// Parties and their Users (SEC H1): each User ID is an EUI-64 for one role of one party, with its
// certificates. The SEC Panel can suspend a user's rights (SEC M8).
import { pemToDer } from "@opendcc/kernel";
import { readCertificate } from "@opendcc/gbcs";
import { certificateIssuerSerial, normalizeDn } from "@opendcc/duis";
import type { RoleCode } from "./catalogue.js";
import { normaliseEui } from "./inventory.js";

export interface Party {
  readonly partyId: string;
  readonly name: string;
}

export interface UserCertificate {
  /** X.509 DER, for signature checks. */
  readonly der: Uint8Array;
  /** "ds" (GBCS digital signing), "ka" (key agreement) or "xml" (DUIS XML signing). */
  readonly usage: "ds" | "ka" | "xml";
  /** RFC 2253, as DUIS KeyInfo writes it ("CN=Z1,OU=07"). */
  readonly issuer: string;
  /** Serial number, decimal (DUIS KeyInfo writes it so). */
  readonly serial: string;
  readonly notBefore: string;
  readonly notAfter: string;
}

export interface User {
  /** EUI-64, 16 uppercase hex digits. */
  readonly userId: string;
  readonly partyId: string;
  /**
   * The roles this User ID acts in. SEC gives each role its own User ID, but test environments
   * (DCC Boxed's keystore) use one EUI as both import and gas supplier, so several are allowed.
   */
  readonly roles: readonly RoleCode[];
  readonly suspended: boolean;
  readonly certificates: readonly UserCertificate[];
}

export type DirectoryChange = { readonly kind: "party"; readonly party: Party } | { readonly kind: "user"; readonly user: User };

export class UserDirectory {
  private readonly parties = new Map<string, Party>();
  private readonly users = new Map<string, User>();
  private readonly listeners: ((change: DirectoryChange) => void)[] = [];

  onChange(listener: (change: DirectoryChange) => void): void {
    this.listeners.push(listener);
  }

  addParty(party: Party): void {
    this.parties.set(party.partyId, party);
    this.listeners.forEach((l) => l({ kind: "party", party }));
  }

  party(partyId: string): Party | undefined {
    return this.parties.get(partyId);
  }

  addUser(user: User): void {
    if (!this.parties.has(user.partyId)) throw new Error(`user ${user.userId} names unknown party ${user.partyId}`);
    if (user.roles.length === 0) throw new Error(`user ${user.userId} has no role`);
    const stored = { ...user, userId: normaliseEui(user.userId) };
    this.users.set(stored.userId, stored);
    this.listeners.forEach((l) => l({ kind: "user", user: stored }));
  }

  user(userId: string): User | undefined {
    return this.users.get(userId);
  }

  allUsers(): User[] {
    return [...this.users.values()];
  }

  allParties(): Party[] {
    return [...this.parties.values()];
  }

  /** SEC M8: the Panel suspends (or reinstates) a user's rights. */
  setSuspended(userId: string, suspended: boolean): User {
    const user = this.users.get(normaliseEui(userId));
    if (!user) throw new Error(`unknown user ${userId}`);
    const updated = { ...user, suspended };
    this.users.set(updated.userId, updated);
    this.listeners.forEach((l) => l({ kind: "user", user: updated }));
    return updated;
  }

  /** The user's certificate with this issuer and serial, if any. */
  certificate(userId: string, issuer: string, serial: string): UserCertificate | undefined {
    return this.users.get(userId)?.certificates.find((c) => c.serial === serial && normalizeDn(c.issuer) === normalizeDn(issuer));
  }
}

/** A user's certificate from its PEM text; `usage` says what the user uses it for. */
export function userCertificateFromPem(pem: string, usage: UserCertificate["usage"]): UserCertificate {
  const der = pemToDer(pem);
  const certificate = readCertificate(der);
  const { issuerName, serialDecimal } = certificateIssuerSerial(der);
  return {
    der,
    usage,
    issuer: issuerName,
    serial: serialDecimal,
    notBefore: certificate.notBefore.toISOString(),
    notAfter: certificate.notAfter.toISOString(),
  };
}
