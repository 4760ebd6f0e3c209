// The checks a device makes on every command before acting on it (GBCS: the device is the
// intended recipient, the MAC verifies with the ACB's key agreement key, the sender is a remote
// party it holds trust anchors for and whose role may send this command, a critical command is
// signed by that party, and the originator counter is greater than the last one accepted).
// A failure names the Table 5.4 alert the device raises (seed 003 Annex 5: A2, A3, A4).
import { ACCESS_CONTROL_BROKER, headerOf, signedBytes, type Header } from "@opendcc/gbcs";
import { verify, verifyMac, type Frame } from "@opendcc/kernel";
import { ALERT } from "./alerts.js";
import type { Estate } from "./estate.js";
import { ROLE } from "./model.js";
import type { DeviceKeys, TrustStore, TrustedParty } from "./keys.js";
import type { UseCase } from "./use-cases/index.js";

export interface Accepted {
  readonly ok: true;
  readonly header: Header;
  readonly sender: TrustedParty;
}

export interface Rejected {
  readonly ok: false;
  readonly header: Header;
  readonly alert: number;
  readonly reason: string;
  /** Who hears about it: the sender when it is a party the device trusts, else nobody in particular. */
  readonly sender: TrustedParty | null;
}

export interface CheckInput {
  readonly estate: Estate;
  readonly trust: TrustStore;
  readonly keys: DeviceKeys;
  readonly index: number;
  readonly message: Uint8Array;
  readonly frame: Frame;
  readonly useCase: UseCase | undefined;
}

export async function checkCommand(input: CheckInput): Promise<Accepted | Rejected> {
  const { estate, trust, keys, index, message, frame, useCase } = input;
  const header = headerOf(message, frame);
  const known = trust.get(header.originator) ?? null;
  const reject = (alert: number, reason: string): Rejected => ({ ok: false, header, alert, reason, sender: known });
  const me = estate.euiOf(index);
  if (header.recipient !== me) return reject(ALERT.notIntendedRecipient, `the command is addressed to ${header.recipient}, not ${me}`);
  if (frame.form !== "GeneralCiphering") return reject(ALERT.authenticationFailure, "a command must be MAC-protected (General Ciphering)");
  const broker = trust.get(ACCESS_CONTROL_BROKER);
  if (!broker?.ka) return reject(ALERT.authenticationFailure, "the device holds no key-agreement trust anchor for the Access Control Broker");
  if (!verifyMac(await keys.secretWith(index, broker, "ka"), message)) return reject(ALERT.authenticationFailure, "the command's MAC does not verify");
  if (!known) return reject(ALERT.noPermission, `${header.originator} is not a remote party this device holds trust anchors for`);
  if (useCase && !useCase.roles.includes(known.roleCode as UseCase["roles"][number])) {
    return reject(ALERT.noPermission, `a party of role ${known.roleCode} may not send ${useCase.name}`);
  }
  // After a change of supplier the device's supplier cells hold the gaining supplier's anchors only.
  const supplier = estate.hot.get(index)?.supplier;
  if (known.roleCode === ROLE.supplier && supplier && supplier !== known.eui) {
    return reject(ALERT.noPermission, `the device's supplier trust anchors are ${supplier}'s, not ${known.eui}'s`);
  }
  if (frame.signature === "present") {
    const at = frame.signatureOffset as number;
    if (!known.ds) return reject(ALERT.authenticationFailure, `the device holds no digital-signing trust anchor for ${known.eui}`);
    if (!(await verify(known.ds, signedBytes(message, frame), message.subarray(at, at + 64)))) {
      return reject(ALERT.authenticationFailure, `the signature does not verify with ${known.eui}'s digital-signing trust anchor`);
    }
  } else if (useCase?.critical) {
    return reject(ALERT.authenticationFailure, `${useCase.name} is critical and must be signed by the sender`);
  }
  const counters = estate.hotState(index).counters;
  const last = counters.get(known.eui) ?? 0n;
  if (header.counter <= last) return reject(ALERT.authenticationFailure, `originator counter ${header.counter} is not greater than the last accepted (${last})`);
  counters.set(known.eui, header.counter);
  return { ok: true, header, sender: known };
}
