// GCS28 Set Clock on the GSME (SRV 6.11 and, at commissioning, 8.1.1): ASN.1 DER, not GBZ
// (gbcs.md section 4): SEQUENCE { GeneralizedTime from, GeneralizedTime until }, the window in
// which the meter accepts the new time: the request's CurrentDateTime plus its TolerancePeriod.
import type { GbcsWriter } from "@opendcc/kernel";
import { defineUseCase, type EncodeContext, type UseCaseEncoder } from "../types.js";

const SEQUENCE = 0x30;
const GENERALIZED_TIME = 0x18;

/** "YYYYMMDDhhmmssZ", whole seconds, UTC. */
function generalizedTime(w: GbcsWriter, date: Date): void {
  const text = date.toISOString().replace(/\.\d{3}Z$/, "Z").replace(/[-:T]/g, "");
  w.byte(GENERALIZED_TIME).sized("gbcs", (inner) => inner.bytes(new TextEncoder().encode(text)));
}

function writeClockWindow(w: GbcsWriter, { fields }: EncodeContext): void {
  const from = fields.dateTime("CurrentDateTime");
  const tolerance = fields.intIn(0, 0xffffffff, "TolerancePeriod");
  w.byte(SEQUENCE).sized("gbcs", (inner) => {
    generalizedTime(inner, from);
    generalizedTime(inner, new Date(from.getTime() + tolerance * 1000));
  });
}

export const GAS_CLOCK_ENCODERS: readonly UseCaseEncoder[] = ["6.11", "8.1.1"].map((srv) => defineUseCase({
  useCase: "GCS28", srv, deviceTypes: ["GSME"], messageCode: 0x007f, critical: true, write: writeClockWindow,
}));
