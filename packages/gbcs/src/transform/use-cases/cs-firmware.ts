// CS06 Activate Firmware (SRV 11.3): SEQUENCE { manufacturer image hash, originator counter,
// execution date-time (when future dated) } (gbcs.md 4, ASN.1).
import { TransformError, defineUseCase } from "../types.js";
import { derGeneralizedTime, derInteger, derOctets, derSequence } from "./security-der.js";

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

export const FIRMWARE_ENCODERS = [CS06] as const;
