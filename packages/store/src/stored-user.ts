// Users as the store keeps them: certificates' DER bytes travel through jsonb as base64.
import type { User } from "@opendcc/core";

export type StoredUser = Omit<User, "certificates"> & { certificates: (Omit<User["certificates"][number], "der"> & { der: string })[] };

function toBase64(bytes: Uint8Array): string {
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}

export function storeUser(user: User): StoredUser {
  return { ...user, certificates: user.certificates.map((c) => ({ ...c, der: toBase64(c.der) })) };
}

export function loadUser(stored: StoredUser): User {
  return { ...stored, certificates: stored.certificates.map((c) => ({ ...c, der: Uint8Array.from(atob(c.der), (ch) => ch.charCodeAt(0)) })) };
}
