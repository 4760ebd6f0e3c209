// Register reads. ECS17b (SRV 4.1.1, ESME): the import energy registers, returned encrypted for
// the requesting party inside the Data Protection object's response (gbcs.md 4 "Encrypted
// reads", 7). GCS13a (SRV 4.1.1, GSME or GPF): the Metering cluster's read-attributes response,
// its payload encrypted (RTDS GCS13a).
import { DLMS, concatBytes, counterBytes, encode, fromHex, type GbcsWriter } from "@opendcc/kernel";
import { ACCESS, RESULT, accessResponse } from "../protocol/dlms.js";
import { SERVER_PROFILE_WIDE, gbzPayload } from "../protocol/gbz.js";
import { ROLE } from "../model.js";
import { at, defineUseCase, list, type CommandContext } from "./types.js";

const UNIT = { wh: 0x1e, varh: 0x20 } as const;
/** Reactive import, as a share of active import (the emulated homes' power factor). */
const REACTIVE_SHARE = 0.1;

function scaled(w: GbcsWriter, value: number, unit: number): void {
  w.dlmsNumber(DLMS.uint32, Math.min(0xffffffff, Math.round(value))).dlmsStructure(2).dlmsNumber(DLMS.int8, 0).dlmsNumber(DLMS.enum, unit);
}

/**
 * A protected read's response (gbcs.md 7): the Data Protection object's action answer, with the
 * protection parameters the response repeats (transaction-id, device, party, agreed key) and the
 * plaintext sealed for the requesting party.
 */
export async function protectedResponse(context: CommandContext, plaintext: Uint8Array): Promise<Uint8Array> {
  const block = await context.seal(plaintext);
  const transactionId = concatBytes(Uint8Array.of(0x04), counterBytes(context.header.counter));
  return accessResponse(context.header.counter, [{
    choice: ACCESS.action, result: RESULT.success,
    data: (w) => {
      w.dlmsStructure(2);
      w.dlmsArray(1).dlmsStructure(2).dlmsNumber(DLMS.enum, 2).dlmsStructure(5);
      w.dlmsOctets(transactionId).dlmsOctets(fromHex(context.header.recipient)).dlmsOctets(fromHex(context.sender.eui)).dlmsOctets(new Uint8Array(0));
      w.dlmsStructure(2).dlmsNumber(DLMS.enum, 2).dlmsStructure(2).dlmsOctets(Uint8Array.of(0x02)).dlmsOctets(new Uint8Array(0));
      w.dlmsOctets(block);
    },
  }]);
}

export const ECS17b = defineUseCase({
  name: "ECS17b", messageCode: 0x0027, kinds: ["ESME"], critical: false, roles: [ROLE.supplier, ROLE.networkOperator], dateTime: true,
  async execute(context) {
    const wh = context.estate.registerAt(context.index, context.now);
    const plaintext = encode((w) => {
      w.dlmsStructure(1).dlmsStructure(4);
      scaled(w, wh, UNIT.wh);
      scaled(w, wh * REACTIVE_SHARE, UNIT.varh);
    });
    return protectedResponse(context, plaintext);
  },
});

/** Metering cluster attributes a gas meter answers: id -> ZCL type and value. */
const METERING = {
  currentSummationDelivered: 0x0000,
  unitOfMeasure: 0x0300,
  multiplier: 0x0301,
  divisor: 0x0302,
} as const;
const ZCL = { uint24: 0x22, uint48: 0x25, enum8: 0x30 } as const;
const UNSUPPORTED_ATTRIBUTE = 0x86;

/** The gas meter whose register a command reads: the GSME itself, or the one behind a GPF. */
export function gasMeter(context: CommandContext): number {
  if (context.kind === "GSME") return context.index;
  const hub = context.estate.hub[context.index] ?? -1;
  const meter = context.estate.hanOf(hub).find((i) => context.estate.kindAt(i) === "GSME");
  if (meter === undefined) throw new Error(`no gas meter on the HAN of ${context.estate.euiOf(context.index)}`);
  return meter;
}

export const GCS13a = defineUseCase({
  name: "GCS13a", messageCode: 0x0074, kinds: ["GSME", "GPF"], critical: false, roles: [ROLE.supplier, ROLE.networkOperator], dateTime: true,
  async execute(context) {
    const litres = Math.round(context.estate.registerAt(gasMeter(context), context.now));
    const component = list(context.command.payload.fields, "components")[0];
    const asked = list(component, "payload", "attributes").map((a) => Number.parseInt(String(at(a, "id")), 16));
    const plaintext = encode((w) => {
      for (const id of asked) {
        w.uintLe(id, 2);
        if (id === METERING.divisor) w.byte(0).byte(ZCL.uint24).uintLe(1000, 3);
        else if (id === METERING.multiplier) w.byte(0).byte(ZCL.uint24).uintLe(1, 3);
        else if (id === METERING.unitOfMeasure) w.byte(0).byte(ZCL.enum8).byte(0x01); // m3
        else if (id === METERING.currentSummationDelivered) w.byte(0).byte(ZCL.uint48).uintLe(litres, 6);
        else w.byte(UNSUPPORTED_ATTRIBUTE);
      }
    });
    return gbzPayload([{
      cluster: 0x0702, frameControl: SERVER_PROFILE_WIDE, sequence: Number(at(component, "sequenceNumber") ?? 0), commandId: 0x01,
      payload: await context.seal(plaintext), encrypted: true,
    }]);
  },
});
