// CS04AC / CS04B Unjoin (SRVs 8.8.1 / 8.8.2): the other device's EUI-64 as an OCTET STRING
// (gbcs.md 4, ASN.1). Sent to a meter, critical unjoins (of Type 1 devices) are CS04AC and
// non-critical ones (of Type 2 devices) CS04B; sent to a PPMID or HCALCS, the non-critical unjoin
// is CS04AC from the Access Control Broker, which signs it (8.8.2_CS04ACNonCritical).
import { onBehalfOfUser } from "../acb.js";
import { acbSignsForTypeOne } from "./cs-join.js";
import { TransformError, defineUseCase, type EncodeContext } from "../types.js";
import { derOctets } from "./security-der.js";

function otherDevice(context: EncodeContext): Uint8Array {
  const eui = context.fields.hex("OtherDeviceID");
  if (eui.length !== 8) throw new TransformError("OtherDeviceID is not an EUI-64", "OtherDeviceID");
  return eui;
}

const CS04AC = defineUseCase({
  useCase: "CS04AC", srv: "8.8.1", deviceTypes: ["ESME", "GSME"], messageCode: 0x000f, critical: true,
  write: (w, context) => derOctets(w, otherDevice(context)),
});

const CS04B = defineUseCase({
  useCase: "CS04B", srv: "8.8.2", deviceTypes: ["ESME", "GSME"], messageCode: 0x0010, critical: false,
  write: (w, context) => derOctets(w, otherDevice(context)),
});

const CS04AC_NON_CRITICAL = defineUseCase({
  useCase: "CS04AC", srv: "8.8.2", deviceTypes: ["PPMID", "HCALCS"], messageCode: 0x000f, critical: false,
  header: onBehalfOfUser, signedByAcb: acbSignsForTypeOne,
  write: (w, context) => derOctets(w, otherDevice(context)),
});

export const UNJOIN_ENCODERS = [CS04AC, CS04B, CS04AC_NON_CRITICAL] as const;
