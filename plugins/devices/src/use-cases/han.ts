// HAN membership as a meter sees it (its device log, ASN.1 use cases, gbcs.md 4): CS07 Read Device
// Join Details (SRV 8.9 family), CS03B Method B Join and CS04B Method B Unjoin (SRVs 8.7.2,
// 8.8.2: Type 2 devices such as IHDs joining a meter). Responses are DER: the status INTEGER, and
// for CS07 the device log as (EUI, device type) pairs.
import { fromHex } from "@opendcc/kernel";
import { derInteger, derOctets, derSequence } from "../protocol/asn1.js";
import { ASN1_DEVICE_TYPE, ROLE, kindOfAsn1Type } from "../model.js";
import { at, defineUseCase } from "./types.js";

/** A meter's device log holds a handful of HAN devices (GBCS: at least 5 entries). */
const DEVICE_LOG_SIZE = 8;
const JOIN = { success: 0, invalidJoinMethodAndRole: 2, incompatibleWithExistingEntry: 3, deviceLogFull: 4 } as const;
const UNJOIN = { success: 0, notInDeviceLog: 1 } as const;
const METHOD_B = 2;

export const CS07 = defineUseCase({
  name: "CS07", messageCode: 0x0013, kinds: ["ESME", "GSME"], critical: false, roles: [ROLE.supplier, ROLE.networkOperator, ROLE.accessControlBroker], dateTime: false,
  execute(context) {
    const entries = context.estate.deviceLogOf(context.index).map((e) => derSequence(derOctets(fromHex(e.eui)), derInteger(ASN1_DEVICE_TYPE[e.kind])));
    return derSequence(derInteger(0), derSequence(...entries));
  },
});

export const CS03B = defineUseCase({
  name: "CS03B", messageCode: 0x000e, kinds: ["ESME", "GSME"], critical: false, roles: [ROLE.supplier, ROLE.accessControlBroker], dateTime: false,
  execute(context) {
    const fields = context.command.payload.fields;
    if (at(fields, "joinMethodAndRole", "code") !== METHOD_B) return derInteger(JOIN.invalidJoinMethodAndRole);
    const eui = String(at(fields, "otherDeviceEntityId") ?? "").toUpperCase();
    const kind = kindOfAsn1Type(Number(at(fields, "otherDeviceType", "code")));
    if (!/^[0-9A-F]{16}$/.test(eui) || !kind) return derInteger(JOIN.invalidJoinMethodAndRole);
    const log = [...context.estate.deviceLogOf(context.index)];
    const existing = log.find((e) => e.eui === eui);
    if (existing) return derInteger(existing.kind === kind ? JOIN.success : JOIN.incompatibleWithExistingEntry);
    if (log.length >= DEVICE_LOG_SIZE) return derInteger(JOIN.deviceLogFull);
    context.estate.hotState(context.index).deviceLog = [...log, { eui, kind }];
    context.estate.log(context.index, "events", 0x8f49, context.now);
    return derInteger(JOIN.success);
  },
});

export const CS04B = defineUseCase({
  name: "CS04B", messageCode: 0x0010, kinds: ["ESME", "GSME"], critical: false, roles: [ROLE.supplier, ROLE.accessControlBroker], dateTime: false,
  execute(context) {
    const eui = String(at(context.command.payload.fields, "otherDeviceEntityId") ?? "").toUpperCase();
    const log = context.estate.deviceLogOf(context.index);
    if (!log.some((e) => e.eui === eui)) return derInteger(UNJOIN.notInDeviceLog);
    context.estate.hotState(context.index).deviceLog = log.filter((e) => e.eui !== eui);
    context.estate.log(context.index, "events", 0x8f4b, context.now);
    return derInteger(UNJOIN.success);
  },
});

