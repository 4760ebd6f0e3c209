// CS01a / CS01b Apply Prepayment Top Up (SRV 2.2): the UTRN goes to the meter as 20 ASCII digits
// (gbcs.md 9, "Carriage"). The token is not checked here: a bad one (e.g. the RTDS error token)
// is the device's to reject.
import { writeDlmsRequest } from "../dlms.js";
import { clientCommand, writeGbz } from "../gbz.js";
import { TransformError, defineUseCase, type EncodeContext } from "../types.js";

/** ESME: the Token Gateway (class 115) of 0-0:19.40.0.255, method 1 (enter token). */
const TOKEN_GATEWAY = { access: "action", classId: 0x0073, obis: "0-0:19.40.0.255", id: 1 } as const;
/** GSME: Prepayment cluster (0705), Consumer Top Up (04), originated remotely (device 00). */
const PREPAYMENT = 0x0705;
const CONSUMER_TOP_UP = 0x04;
const ORIGINATED_REMOTELY = 0x00;

function utrnDigits(context: EncodeContext): Uint8Array {
  const utrn = context.fields.text("UTRN");
  if (!/^\d{20}$/.test(utrn)) throw new TransformError(`UTRN "${utrn}" is not 20 digits`, "UTRN");
  return new TextEncoder().encode(utrn);
}

const CS01a = defineUseCase({
  useCase: "CS01a", srv: "2.2", deviceTypes: ["ESME"], messageCode: 0x0007, critical: false,
  write: (w, context) => writeDlmsRequest(w, context.counter, [TOKEN_GATEWAY], [(data) => data.dlmsOctets(utrnDigits(context))]),
});

const CS01b = defineUseCase({
  useCase: "CS01b", srv: "2.2", deviceTypes: ["GSME"], messageCode: 0x0097, critical: false,
  write: (w, context) => {
    const token = utrnDigits(context);
    writeGbz(w, [clientCommand(PREPAYMENT, CONSUMER_TOP_UP, (p) => p.byte(ORIGINATED_REMOTELY).byte(token.length).bytes(token))]);
  },
});

export const TOP_UP_ENCODERS = [CS01a, CS01b] as const;
