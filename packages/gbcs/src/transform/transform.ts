// DUIS Service Request -> GBCS General-Signing APDU: picks the use case for the SRV and the target's
// device type, builds the grouping header (gbcs.md 2b) and lets the use case write the content.
import { concatBytes, counterBytes, encode, fromHex } from "@opendcc/kernel";
import { ServiceFields } from "./fields.js";
import { TransformError, type DeviceType, type EncodeContext, type HeaderChoice, type TransformInput, type TransformResult, type UseCaseEncoder } from "./types.js";
import { USE_CASE_ENCODERS } from "./use-cases/index.js";

// Encoders by SRV and device type; where several serve the same pair, the first is the default.
const byService = new Map<string, UseCaseEncoder[]>();
for (const encoder of USE_CASE_ENCODERS) {
  for (const deviceType of encoder.deviceTypes) {
    const key = `${encoder.srv}/${deviceType}`;
    const encoders = byService.get(key) ?? [];
    if (encoders.some((e) => e.useCase === encoder.useCase)) throw new Error(`two encoders for ${encoder.useCase} (SRV ${encoder.srv} on ${deviceType})`);
    byService.set(key, [...encoders, encoder]);
  }
}

/** The use case a request would be transformed with (the preferred one when it serves), or undefined when there is none yet. */
export function useCaseFor(srv: string, deviceType: DeviceType, preferred?: string): UseCaseEncoder | undefined {
  const encoders = byService.get(`${srv}/${deviceType}`) ?? [];
  return encoders.find((e) => e.useCase === preferred) ?? encoders[0];
}

/** Every SRV / device type pair that has an encoder, with the use cases that serve it. */
export function transformableServices(): { readonly srv: string; readonly deviceType: DeviceType; readonly useCase: string }[] {
  return [...byService].map(([key, encoders]) => {
    const [srv, deviceType] = key.split("/") as [string, DeviceType];
    return { srv, deviceType, useCase: encoders.map((e) => e.useCase).join("/") };
  });
}

export function transformRequest(input: TransformInput): TransformResult {
  const encoder = useCaseFor(input.srv, input.deviceType, input.useCase);
  if (!encoder) throw new TransformError(`no GBCS transform for SRV ${input.srv} on a ${input.deviceType} yet`);
  const executionDateTime = input.executionDateTime ? new Date(input.executionDateTime) : null;
  if (executionDateTime && Number.isNaN(executionDateTime.getTime())) throw new TransformError(`ExecutionDateTime "${input.executionDateTime}" is not a date-time`, "ExecutionDateTime");
  const base: EncodeContext = {
    input,
    fields: new ServiceFields(input.body),
    counter: input.requestId.counter,
    originator: eui(input.requestId.originator),
    recipient: eui(input.requestId.target),
    executionDateTime,
  };
  const choice = encoder.header?.(base) ?? {};
  const context: EncodeContext = {
    ...base,
    counter: choice.counter ?? base.counter,
    originator: choice.originator ? eui(choice.originator) : base.originator,
    recipient: choice.recipient ? eui(choice.recipient) : base.recipient,
  };
  const messageCode = typeof encoder.messageCode === "number" ? encoder.messageCode : encoder.messageCode(context);
  const critical = typeof encoder.critical === "boolean" ? encoder.critical : encoder.critical(context);
  const apdu = encode((writer) => writer.generalSigning({
    cra: 1,
    counter: context.counter,
    originator: context.originator,
    recipient: context.recipient,
    dateTime: null,
    otherInfo: otherInformation(messageCode, choice),
  }, (content) => encoder.write(content, context)));
  const useCase = encoder.chosenUseCase?.(context) ?? encoder.useCase;
  return { useCase, messageCode, critical, apdu, ...(encoder.signedByAcb?.(context) ? { signedByAcb: true as const } : {}) };
}

/** Message code, then the supplementary fields when present (gbcs.md 2b). */
function otherInformation(messageCode: number, choice: HeaderChoice): Uint8Array {
  const code = Uint8Array.of(messageCode >> 8, messageCode & 0xff);
  if (!choice.supplementaryRemoteParty) return code;
  const parts = [code, eui(choice.supplementaryRemoteParty)];
  if (choice.supplementaryRemotePartyCounter !== undefined) parts.push(counterBytes(choice.supplementaryRemotePartyCounter));
  if (choice.remotePartyCertificate) parts.push(choice.remotePartyCertificate);
  return concatBytes(...parts);
}

function eui(text: string): Uint8Array {
  const hex = text.replace(/-/g, "");
  if (!/^[0-9A-Fa-f]{16}$/.test(hex)) throw new TransformError(`"${text}" is not an EUI-64`);
  return fromHex(hex);
}
