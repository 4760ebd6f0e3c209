// Which payload family a message's content belongs to, in the decision order of gbcs.md section 4:
// the message code first (ASN.1 use cases and GBZ alerts with layouts of their own), then the
// content's first bytes; anything else is opaque.
import { ASN1_MESSAGE_CODES } from "./asn1-names.js";

export type Family = "ASN.1" | "GBZ" | "DLMS" | "opaque";

/** GBZ alerts whose body is not a list of components (gbcs.md section 4, alert layouts). */
const GBZ_SPECIAL_ALERTS: ReadonlySet<number> = new Set([0x008b, 0x00cd, 0x00cf, 0x00f2]);

export function familyOf(messageCode: number, content: Uint8Array): Family {
  if (ASN1_MESSAGE_CODES.has(messageCode)) return "ASN.1";
  if (GBZ_SPECIAL_ALERTS.has(messageCode)) return "GBZ";
  const [first, second] = content;
  if (first === 0x01 && second === 0x09) return "GBZ";
  if (first === 0xd9 || first === 0xda || first === 0x0f) return "DLMS";
  return "opaque";
}
