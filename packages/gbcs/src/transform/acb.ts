// Commands the Access Control Broker originates on a user's behalf (gbcs.md 2b): the ACB is the
// GBCS originator with its own counter; the user and its request counter go in the
// other-information as the supplementary remote party.
import { ACCESS_CONTROL_BROKER } from "../protection.js";
import { TransformError, type EncodeContext, type HeaderChoice } from "./types.js";

export function onBehalfOfUser(context: EncodeContext): HeaderChoice {
  const counter = context.input.acbCounter;
  if (counter === undefined) throw new TransformError("this command is originated by the Access Control Broker: its own originator counter (acbCounter) is needed", "acbCounter");
  return {
    originator: ACCESS_CONTROL_BROKER,
    counter,
    supplementaryRemoteParty: context.input.requestId.originator,
    supplementaryRemotePartyCounter: context.input.requestId.counter,
  };
}

/**
 * Reads that name the user's key-agreement certificate (KAPublicSecurityCredentials) are for a
 * party the device does not know (unknown remote party): the ACB sends them with the certificate
 * in the other-information; otherwise the user is the originator.
 */
export function unknownRemotePartyHeader(context: EncodeContext): HeaderChoice {
  if (!context.fields.has("KAPublicSecurityCredentials")) return {};
  return { ...onBehalfOfUser(context), remotePartyCertificate: context.fields.base64("KAPublicSecurityCredentials") };
}
