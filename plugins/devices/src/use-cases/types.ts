// What a use case sees and does. A use case is data plus one function: the message code and
// device kinds it answers, whether it is critical (must be signed), which remote party roles may
// send it, and `execute`, which changes the device's state and returns the response content.
import type { Header, ParsedMessage, UtrnCheck } from "@opendcc/gbcs";
import type { Estate, PendingCommand } from "../estate.js";
import type { TrustedParty } from "../keys.js";
import type { DeviceKind, RoleCode } from "../model.js";
import type { SupplierAnchors } from "./credentials.js";

export interface CommandContext {
  readonly estate: Estate;
  readonly index: number;
  readonly kind: DeviceKind;
  readonly now: Date;
  readonly header: Header;
  /** The command as @opendcc/gbcs's Parse names it. */
  readonly command: ParsedMessage;
  /** Who sent it (a trusted remote party). */
  readonly sender: TrustedParty;
  /** Encrypts a response block for the remote party (gbcs.md 7). */
  seal(plaintext: Uint8Array): Promise<Uint8Array>;
  /** Checks a UTRN against this device and the sender's prepayment key (gbcs.md 9). */
  checkUtrn(utrn: string): Promise<UtrnCheck>;
  /** Raises an alert after the response (to the sender). */
  alert(code: number): void;
  /** The device's supplier trust anchors now, and the parties the estate trusts (CS02b). */
  anchors(): SupplierAnchors;
  /** Holds a future-dated command until its time. */
  hold(pending: Omit<PendingCommand, "originator" | "counter" | "messageCode">): void;
}

export interface UseCase {
  readonly name: string;
  readonly messageCode: number;
  readonly kinds: readonly DeviceKind[];
  readonly critical: boolean;
  readonly roles: readonly RoleCode[];
  /** Whether the response carries the device's date-time (as the RTDS response does). */
  readonly dateTime: boolean;
  execute(context: CommandContext): Uint8Array | Promise<Uint8Array>;
}

export const defineUseCase = (useCase: UseCase): UseCase => useCase;

/** Walks parsed fields: `at(fields, "requests", 0, "value")`; undefined when absent. */
export function at(value: unknown, ...path: (string | number)[]): unknown {
  let here = value;
  for (const step of path) {
    if (here === null || typeof here !== "object") return undefined;
    here = (here as Record<string | number, unknown>)[step];
  }
  return here;
}

/** The command's request or component list (DLMS requests, GBZ components). */
export function list(value: unknown, ...path: (string | number)[]): unknown[] {
  const found = at(value, ...path);
  return Array.isArray(found) ? found : [];
}
