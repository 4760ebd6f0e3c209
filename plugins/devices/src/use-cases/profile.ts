// Profile data reads (SRV 4.8.1 Read Active Import Profile Data). ECS22b (ESME): the Half Hour
// Profile Active Import buffer (0-0:99.1.0.255) restricted to the command's date range, returned
// encrypted for the requester inside the Data Protection object's response, as ECS17b's register
// block is (gbcs.md 4 "Encrypted reads"). GCS17 (GSME): the Metering cluster's Get Sampled Data,
// answered with Get Sampled Data Response (half-hourly consumption samples), its payload encrypted
// as the RTDS GCS61 response's is; nothing recorded in the range is a Default Response "not found"
// (RTDS GCS17 NOT_FOUND).
//
// The RTDS has no success response for either, so the entries are ours: ESME buffer entries are
// { capture time (COSEM date-time), Wh imported in that half hour (double-long-unsigned) }, GSME
// samples are litres (uint24; the register's divisor of 1000 makes them m³). Both come from the
// meter's consumption curve (consumption.ts), up to the device's clock and for the last 13 months
// at most (what SMETS2 meters keep).
import { DLMS, encode } from "@opendcc/kernel";
import { halfHourProfile, meanRate } from "../consumption.js";
import { ROLE } from "../model.js";
import { cosemDateTime, zigbeeSeconds } from "../protocol/frames.js";
import { SERVER_PROFILE_WIDE, defaultResponse, gbzPayload } from "../protocol/gbz.js";
import { gasMeter, protectedResponse } from "./registers.js";
import { at, defineUseCase, list, type CommandContext } from "./types.js";

const HALF_HOUR = 1800;
/** SMETS2 profile data logs hold 13 months of half hours. */
const KEPT_SECONDS = 396 * 86_400;
const UINT24_MAX = 0xffffff;

/** Half-hourly use of a meter in [from, to), clipped to what the meter has recorded by now. */
function recorded(context: CommandContext, meter: number, gas: boolean, from: Date, to: Date): [number, number][] {
  const now = context.now.getTime() / 1000;
  const start = Math.max(from.getTime() / 1000, now - KEPT_SECONDS);
  return halfHourProfile(meanRate(meter, gas), start, Math.min(to.getTime() / 1000, now));
}

function dateOf(value: unknown, what: string): Date {
  const time = new Date(String(value));
  if (Number.isNaN(time.getTime())) throw new Error(`${what} ${JSON.stringify(value)} is not a date-time`);
  return time;
}

export const ECS22b = defineUseCase({
  name: "ECS22b", messageCode: 0x0037, kinds: ["ESME"], critical: false, roles: [ROLE.supplier, ROLE.networkOperator], dateTime: true,
  async execute(context) {
    const request = list(context.command.payload.fields, "requests")[0];
    const restriction = at(request, "value", "protectedAttributes", 0, "restriction");
    if (at(restriction, "type") !== "byDate") throw new Error(`ECS22b needs a by-date range, not ${JSON.stringify(restriction)}`);
    const entries = recorded(context, context.index, false, dateOf(at(restriction, "from"), "ECS22b from"), dateOf(at(restriction, "to"), "ECS22b to"))
      .map(([start, wh]) => [cosemDateTime(new Date(start * 1000)), Math.round(wh)] as const);
    const plaintext = encode((w) => {
      w.dlmsStructure(1).dlmsArray(entries.length);
      for (const [time, wh] of entries) w.dlmsStructure(2).dlmsOctets(time).dlmsNumber(DLMS.uint32, wh);
    });
    return protectedResponse(context, plaintext);
  },
});

const METERING = 0x0702;
const GET_SAMPLED_DATA = 0x08;
const GET_SAMPLED_DATA_RESPONSE = 0x07;
/** ZCL frame control: cluster-specific, server to client, default response disabled (RTDS GCS61). */
const SERVER_CLUSTER_SPECIFIC_NO_DEFAULT = 0x19;
const ZCL_NOT_FOUND = 0x8b;
const DEFAULT_RESPONSE = 0x0b;

export const GCS17 = defineUseCase({
  name: "GCS17", messageCode: 0x0078, kinds: ["GSME", "GPF"], critical: false, roles: [ROLE.supplier, ROLE.networkOperator], dateTime: true,
  async execute(context) {
    const component = list(context.command.payload.fields, "components")[0];
    const payload = at(component, "payload");
    const sequence = Number(at(component, "sequenceNumber") ?? 0);
    const from = dateOf(at(payload, "earliestSampleTime"), "GCS17 earliest sample time");
    const wanted = Number(at(payload, "numberOfSamples") ?? 0);
    const samples = recorded(context, gasMeter(context), true, from, new Date(from.getTime() + wanted * HALF_HOUR * 1000));
    const first = samples[0];
    if (!first) {
      return gbzPayload([{ cluster: METERING, frameControl: SERVER_PROFILE_WIDE, sequence, commandId: DEFAULT_RESPONSE, payload: defaultResponse(GET_SAMPLED_DATA, ZCL_NOT_FOUND) }]);
    }
    const plaintext = encode((w) => {
      w.uintLe(Number(at(payload, "sampleId") ?? 0), 2).uintLe(zigbeeSeconds(new Date(first[0] * 1000)), 4).byte(Number(at(payload, "sampleType", "code") ?? 0));
      w.uintLe(HALF_HOUR, 2).uintLe(samples.length, 2);
      for (const [, litres] of samples) w.uintLe(Math.min(UINT24_MAX, Math.round(litres)), 3);
    });
    return gbzPayload([{
      cluster: METERING, frameControl: SERVER_CLUSTER_SPECIFIC_NO_DEFAULT, sequence, commandId: GET_SAMPLED_DATA_RESPONSE,
      payload: await context.seal(plaintext), encrypted: true,
    }]);
  },
});
