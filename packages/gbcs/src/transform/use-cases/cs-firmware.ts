// CS06 Activate Firmware (SRV 11.3): SEQUENCE { manufacturer image hash, originator counter,
// execution date-time (when future dated) } (gbcs.md 4, ASN.1). CS08 Read PPMID/HCALCS Firmware
// Version (SRV 11.2 on a Type 1 device): a bare NULL, which the Access Control Broker sends on the
// user's behalf (the RTDS's 11.2_CS08 vectors).
import { onBehalfOfUser } from "../acb.js";
import { TransformError, defineUseCase } from "../types.js";
import { DER, derGeneralizedTime, derInteger, derOctets, derSequence } from "./security-der.js";

const IMAGE_HASH_LENGTH = 32;

const CS06 = defineUseCase({
  useCase: "CS06", srv: "11.3", deviceTypes: ["ESME", "GSME"], messageCode: 0x0012, critical: true,
  write: (w, context) => {
    const hash = context.fields.hex("FirmwareHash");
    if (hash.length !== IMAGE_HASH_LENGTH) throw new TransformError(`FirmwareHash is ${hash.length} bytes, not ${IMAGE_HASH_LENGTH}`, "FirmwareHash");
    derSequence(w, (s) => {
      derOctets(s, hash);
      derInteger(s, context.counter);
      if (context.executionDateTime) derGeneralizedTime(s, context.executionDateTime);
    });
  },
});

const CS08 = defineUseCase({
  useCase: "CS08", srv: "11.2", deviceTypes: ["PPMID", "HCALCS"], messageCode: 0x0129, critical: false, header: onBehalfOfUser,
  write: (w) => void w.byte(DER.null).length(0),
});

export const FIRMWARE_ENCODERS = [CS06, CS08] as const;
