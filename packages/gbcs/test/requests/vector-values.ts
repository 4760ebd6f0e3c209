// Values a derived test request takes from an RTDS vector, read from the vector when the test runs.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fromHex, parseFrame } from "@opendcc/kernel";
import { rtdsDir } from "../../../../test/support/fixtures.js";

/**
 * The DER certificates in an APDU, in order: an X.509 certificate is SEQUENCE { TBSCertificate
 * SEQUENCE, signatureAlgorithm SEQUENCE, signatureValue BIT STRING } (RFC 5280 4.1). GBCS
 * certificates are a few hundred bytes, so the outer and TBS lengths take two bytes
 * (`30 82 hh ll 30 82 hh ll`) and the algorithm and signature one (ECDSA with SHA-256).
 */
export function certificatesIn(apdu: Uint8Array): Uint8Array[] {
  const byte = (at: number) => apdu[at] ?? -1;
  const twoByteLength = (at: number) => byte(at) << 8 | byte(at + 1);
  const certificateAt = (at: number): number | undefined => {
    if (byte(at) !== 0x30 || byte(at + 1) !== 0x82 || byte(at + 4) !== 0x30 || byte(at + 5) !== 0x82) return undefined;
    const end = at + 4 + twoByteLength(at + 2);
    const algorithm = at + 8 + twoByteLength(at + 6);
    const signature = algorithm + 2 + byte(algorithm + 1);
    const fits = byte(algorithm) === 0x30 && byte(signature) === 0x03 && signature + 2 + byte(signature + 1) === end;
    return fits && end <= apdu.length ? end : undefined;
  };
  const certificates: Uint8Array[] = [];
  for (let at = 0; at < apdu.length; at++) {
    const end = certificateAt(at);
    if (end === undefined) continue;
    certificates.push(apdu.subarray(at, end));
    at = end - 1;
  }
  return certificates;
}

/**
 * The `ordinal`-th certificate (from 0) carried in an RTDS vector's APDU, base64 as DUIS has it;
 * read when the returned function is called, so only where the fixtures are.
 */
export const certificateFromVector = (vector: string, ordinal: number) => (): string => {
  const message = fromHex(readFileSync(join(rtdsDir, vector), "utf8").trim());
  const { apdu } = parseFrame(message);
  const certificates = certificatesIn(message.subarray(apdu.offset, apdu.offset + apdu.length));
  const certificate = certificates[ordinal];
  if (!certificate) throw new Error(`${vector} carries ${certificates.length} certificate(s), none at ${ordinal}`);
  return Buffer.from(certificate).toString("base64");
};
