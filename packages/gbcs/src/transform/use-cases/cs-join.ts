// CS03 joins (SRV 8.7.1 Join Service (Critical), 8.7.2 (Non-Critical)): SEQUENCE { join method
// and role, the other device's EUI-64, its GBCS device type, [its certificate] } (gbcs.md 4,
// ASN.1). DUIS names only OtherDeviceID; the type and, for Method C, the certificate are the
// inventory's and the SMKI's (TransformInput.otherDevice). Which join it is follows from the two
// devices' types (or the caller's useCase):
//   CS03A1 Method A, the meter initiates: ESME with a PPMID or HCALCS;
//   CS03A2 Method A, the Type 1 device responds: PPMID or HCALCS with an ESME;
//   CS03B  Method B: a meter with a Type 2 device (IHD, CAD), or a GSME with its GPF;
//   CS03C  Method C, with the other device's certificate: GSME with a PPMID or HCALCS, either side.
// And CS07, which reads a device's joins back.
import { onBehalfOfUser } from "../acb.js";
import { TransformError, defineUseCase, type DeviceType, type EncodeContext, type HeaderChoice, type OtherDevice } from "../types.js";
import { DER, derInteger, derOctets, derRaw, derSequence } from "./security-der.js";

interface Join {
  readonly useCase: string;
  readonly messageCode: number;
  /** joinMethodAndRole: 0 Method A initiator, 1 Method A responder, 2 Method B, 3 Method C. */
  readonly method: number;
}

const JOINS = {
  CS03A1: { useCase: "CS03A1", messageCode: 0x000d, method: 0 },
  CS03A2: { useCase: "CS03A2", messageCode: 0x00ab, method: 1 },
  CS03B: { useCase: "CS03B", messageCode: 0x000e, method: 2 },
  CS03C: { useCase: "CS03C", messageCode: 0x00af, method: 3 },
} as const satisfies Record<string, Join>;

/** GBCS DeviceType of the join command (the CS03 ASN.1 module). */
export const GBCS_DEVICE_TYPE: Readonly<Record<OtherDevice["deviceType"], number>> = {
  GSME: 0, ESME: 1, CHF: 2, GPF: 3, HCALCS: 4, PPMID: 5, IHD: 6, CAD: 6,
};

const TYPE_1: ReadonlySet<string> = new Set(["PPMID", "HCALCS"]);
const TYPE_2: ReadonlySet<string> = new Set(["IHD", "CAD"]);

function otherDevice(context: EncodeContext): OtherDevice {
  const other = context.input.otherDevice;
  if (!other) throw new TransformError("a join carries the other device's type, which the inventory knows: otherDevice is needed", "otherDevice");
  return other;
}

/** The join the caller names (an RTDS label such as CS03A2Critical names CS03A2), else the one the two device types make. */
function joinFor(context: EncodeContext): Join {
  const named = Object.values(JOINS).find((join) => context.input.useCase?.startsWith(join.useCase));
  if (named) return named;
  const target = context.input.deviceType;
  const other = otherDevice(context).deviceType;
  if (target === "ESME" && TYPE_1.has(other)) return JOINS.CS03A1;
  if (TYPE_1.has(target) && other === "ESME") return JOINS.CS03A2;
  if ((target === "ESME" || target === "GSME") && TYPE_2.has(other)) return JOINS.CS03B;
  if (target === "GSME" && other === "GPF") return JOINS.CS03B;
  if ((target === "GSME" && TYPE_1.has(other)) || (TYPE_1.has(target) && other === "GSME")) return JOINS.CS03C;
  throw new TransformError(`no GBCS join of a ${target} with a ${other}`, "OtherDeviceID");
}

/**
 * Non-critical joins and unjoins that involve a PPMID or HCALCS go from the Access Control Broker
 * on the user's behalf: so the RTDS sends CS03A2 and CS04AC to the PPMID, and CS03B to a GSME
 * naming a PPMID (8.7.2_CS03A2NonCritical, 8.8.2_CS04ACNonCritical, 8.7.2_CS03B ERROR).
 */
export function nonCriticalJoinHeader(context: EncodeContext): HeaderChoice {
  const typeOneInvolved = TYPE_1.has(context.input.deviceType) || TYPE_1.has(context.input.otherDevice?.deviceType ?? "");
  return typeOneInvolved ? onBehalfOfUser(context) : {};
}

/**
 * The ACB signs what it sends to a PPMID or HCALCS to change its device log (the RTDS's
 * CS03A2NonCritical and CS04ACNonCritical commands carry a signature; its CS08 read does not).
 */
export const acbSignsForTypeOne = (context: EncodeContext): boolean => TYPE_1.has(context.input.deviceType);

const JOIN_TARGETS: readonly DeviceType[] = ["ESME", "GSME", "PPMID", "HCALCS"];

function writeJoin(w: Parameters<typeof derSequence>[0], context: EncodeContext): void {
  const join = joinFor(context);
  const other = otherDevice(context);
  const id = context.fields.hex("OtherDeviceID");
  if (id.length !== 8) throw new TransformError("OtherDeviceID is not an EUI-64", "OtherDeviceID");
  derSequence(w, (s) => {
    derInteger(s, join.method);
    derOctets(s, id);
    derInteger(s, GBCS_DEVICE_TYPE[other.deviceType]);
    if (join !== JOINS.CS03C) return;
    if (!other.certificate) throw new TransformError("a Method C join carries the other device's certificate, which the SMKI holds: otherDevice.certificate is needed", "otherDevice.certificate");
    derRaw(s, other.certificate, "otherDevice.certificate");
  });
}

const JOIN_CRITICAL = defineUseCase({
  useCase: "CS03A1/CS03A2/CS03B/CS03C", srv: "8.7.1", deviceTypes: JOIN_TARGETS, critical: true,
  chosenUseCase: (context) => joinFor(context).useCase,
  messageCode: (context) => joinFor(context).messageCode,
  write: writeJoin,
});

const JOIN_NON_CRITICAL = defineUseCase({
  useCase: "CS03A1/CS03A2/CS03B/CS03C", srv: "8.7.2", deviceTypes: JOIN_TARGETS, critical: false,
  header: nonCriticalJoinHeader, signedByAcb: acbSignsForTypeOne,
  chosenUseCase: (context) => joinFor(context).useCase,
  messageCode: (context) => joinFor(context).messageCode,
  write: writeJoin,
});

/**
 * CS07 Read Device Join Details (SRV 8.9, ReadDeviceLog, on a meter or Type 1 device): a bare NULL.
 * No RTDS vector has it; as with CS08, a PPMID or HCALCS is read through the Access Control Broker.
 */
const CS07 = defineUseCase({
  useCase: "CS07", srv: "8.9", deviceTypes: JOIN_TARGETS, messageCode: 0x0013, critical: false,
  header: (context) => (TYPE_1.has(context.input.deviceType) ? onBehalfOfUser(context) : {}),
  write: (w) => void w.byte(DER.null).length(0),
});

export const JOIN_ENCODERS = [JOIN_CRITICAL, JOIN_NON_CRITICAL, CS07] as const;
