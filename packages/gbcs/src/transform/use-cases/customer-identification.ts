// ECS50 / GCS36 Request Customer Identification Number (SRV 9.1, no DUIS fields): the DCC generates
// the CIN (TransformInput.customerIdentificationNumber) and the Access Control Broker sends it to
// the meter for the user: on the ESME the CIN Data object (DLMS), on the GSME the Device
// Management cluster's Update CIN (GBZ). Both as the RTDS 9.1 vectors have them.
import { onBehalfOfUser } from "../acb.js";
import { ISSUER_EVENT_ID, serverCommand, writeGbz } from "../gbz.js";
import { TransformError, defineUseCase, type EncodeContext } from "../types.js";
import { CLASS, request, set } from "./esme-more-dlms.js";
import { CLUSTER, DEVICE_MANAGEMENT_PUBLISH } from "./gas-clusters.js";
import { NO_PROVIDER } from "./gas-calendar.js";

const CUSTOMER_IDENTIFICATION_NUMBER = "0-3:96.13.1.255";
/** A CIN is a short run of digits (the RTDS's is 1234); the ZCL octet string holds at most 254 bytes. */
const CIN = /^\d{1,16}$/;

function cin(context: EncodeContext): Uint8Array {
  const value = context.input.customerIdentificationNumber;
  if (value === undefined) throw new TransformError("the DCC generates the Customer Identification Number: customerIdentificationNumber is needed", "customerIdentificationNumber");
  if (!CIN.test(value)) throw new TransformError(`customerIdentificationNumber "${value}" is not 1 to 16 digits`, "customerIdentificationNumber");
  return new TextEncoder().encode(value);
}

const ECS50 = defineUseCase({
  useCase: "ECS50", srv: "9.1", deviceTypes: ["ESME"], messageCode: 0x0058, critical: false, header: onBehalfOfUser,
  write: (w, context) => request(w, context.counter, [[set(CLASS.data, CUSTOMER_IDENTIFICATION_NUMBER, 2), (x) => void x.dlmsOctets(cin(context))]]),
});

// Update CIN: issuer event, now, no provider, the CIN as a ZCL octet string.
const GCS36 = defineUseCase({
  useCase: "GCS36", srv: "9.1", deviceTypes: ["GSME"], messageCode: 0x0083, critical: false, header: onBehalfOfUser,
  write: (w, context) => writeGbz(w, [serverCommand(CLUSTER.deviceManagement, DEVICE_MANAGEMENT_PUBLISH.updateCin, (p) => {
    const number = cin(context);
    p.uintLe(ISSUER_EVENT_ID, 4).uintLe(0, 4).uintLe(NO_PROVIDER, 4).byte(number.length).bytes(number);
  })]),
});

export const CUSTOMER_IDENTIFICATION_ENCODERS = [ECS50, GCS36] as const;
