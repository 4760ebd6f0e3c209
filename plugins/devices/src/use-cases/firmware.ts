// Firmware. ECS52 Read ESME/Comms Hub Firmware Version (SRV 11.2): a get of 0-0:0.2.1.255
// attribute 2, answered with the running version as an octet string of its text (as the inventory
// records it, e.g. "00010000"). CS06 Activate Firmware (SRV 11.3, critical; ESME, GSME): the
// device runs the image it holds when the command names that image's hash; the response is the
// outcome and the version now running (RTDS CS06: 0 success, 1 no image held, 2 hash mismatch).
// A future execution date-time is held and carried out then, with the 0x00CA alert (0x8F66, or
// 0x8F67 when it failed), and answered now with NULL ("command accepted", as the RTDS
// cancellation response).
import { fromHex } from "@opendcc/kernel";
import { ALERT } from "../alerts.js";
import type { Estate } from "../estate.js";
import { ACCESS, RESULT, accessResponse } from "../protocol/dlms.js";
import { derInteger, derOctets, derSequence } from "../protocol/asn1.js";
import { ROLE } from "../model.js";
import { at, defineUseCase } from "./types.js";

export const ECS52 = defineUseCase({
  name: "ECS52", messageCode: 0x0059, kinds: ["ESME", "CHF"], critical: false, roles: [ROLE.supplier, ROLE.networkOperator], dateTime: false,
  execute(context) {
    const version = context.estate.firmwareVersions[context.estate.firmware[context.index] ?? 0] ?? "";
    return accessResponse(context.header.counter, [{ choice: ACCESS.get, result: RESULT.success, data: (w) => w.dlmsOctets(new TextEncoder().encode(version)) }]);
  },
});

export const ACTIVATION = { success: 0, noImageHeld: 1, hashMismatch: 2 } as const;
export type ActivationOutcome = (typeof ACTIVATION)[keyof typeof ACTIVATION];
/** Firmware versions are four bytes on the air (RTDS CS06: 04 04 0123ABCF), eight hex digits as text. */
export const FIRMWARE_VERSION = /^[0-9A-F]{8}$/;

/** Runs the held image when `hash` names it; the outcome code. */
export function activateFirmware(estate: Estate, index: number, hash: string): ActivationOutcome {
  const hot = estate.hotState(index);
  const image = hot.firmwareImage ?? null;
  if (!image) return ACTIVATION.noImageHeld;
  if (image.hash !== hash.toUpperCase()) return ACTIVATION.hashMismatch;
  estate.firmware[index] = estate.firmwareIndex(image.version);
  hot.firmwareImage = null;
  return ACTIVATION.success;
}

/** SEQUENCE { outcome, the version running }: the response and the future-dated alert's outcome. */
export function activationOutcome(estate: Estate, index: number, outcome: ActivationOutcome): Uint8Array {
  const running = estate.firmwareVersions[estate.firmware[index] ?? 0] ?? "";
  return derSequence(derInteger(outcome), derOctets(FIRMWARE_VERSION.test(running) ? fromHex(running) : new Uint8Array(4)));
}

const DER_NULL = Uint8Array.of(0x05, 0x00);

export const CS06 = defineUseCase({
  name: "CS06", messageCode: 0x0012, kinds: ["ESME", "GSME"], critical: true, roles: [ROLE.supplier], dateTime: false,
  execute(context) {
    const fields = context.command.payload.fields;
    const hash = String(at(fields, "manufacturerImageHash") ?? "");
    const when = at(fields, "executionDateTime");
    const time = when === undefined ? null : new Date(String(when));
    if (time && Number.isNaN(time.getTime())) throw new Error(`CS06 execution date-time ${String(when)} is not a date-time`);
    if (time && time.getTime() > context.now.getTime()) {
      context.hold({ at: time.getTime(), action: { kind: "firmware", hash: hash.toUpperCase() }, alert: { family: "asn1", deferred: new Uint8Array(0) } });
      return DER_NULL;
    }
    const outcome = activateFirmware(context.estate, context.index, hash);
    if (outcome === ACTIVATION.success) context.estate.log(context.index, "events", ALERT.firmwareChanged, context.now);
    return activationOutcome(context.estate, context.index, outcome);
  },
});
