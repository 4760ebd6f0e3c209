// DUIS response codes the gateway answers with (duis.md section 3.2). Codes with a published
// meaning keep it; where DUIS publishes no code for a check OpenDCC makes, we use codes DUIS
// leaves without a meaning (E40-E49) and say so here (reference README: keep the code, write a
// clear message of our own).

export const ResponseCodes = {
  /** Success; the outcome is in the body. */
  success: "I0",
  /** Accepted; the result follows asynchronously (or a non-device request with no data). */
  acknowledged: "I99",
  /** The User / User Role pair is not a valid SEC party and role. */
  unknownUser: "E1",
  /** The User Role may not send this Service Reference. */
  roleNotEligible: "E2",
  /** The User's status (suspended, SEC M8) does not allow this Service Reference. */
  userSuspended: "E3",
  /** The User is not authorised for this Device at the needed date/time (Registration Data). */
  notRegistered: "E4",
  /** The Device's inventory status does not allow this Service Reference. */
  deviceStatus: "E5",
  /** The request does not fit the device type. */
  wrongDeviceType: "E11",
  /** The Command Variant does not apply to this request type. */
  commandVariant: "E12",
  /** The request type is wrong for the URL. */
  wrongEndpoint: "E13",
  /** The Device does not exist. */
  unknownDevice: "E19",
  /** The DCC cannot reach the device. */
  communicationsFailure: "E20",
  /** OpenDCC: the XML signature is missing or does not verify. */
  signatureInvalid: "E40",
  /** OpenDCC: the signing certificate is unknown, not the originator's, or outside its validity. */
  certificateInvalid: "E41",
  /** OpenDCC: the RequestID counter is not above the originator's last one (replay). */
  replay: "E42",
  /** OpenDCC: the request is malformed (schema, structure or content). */
  malformed: "E43",
  /** OpenDCC: the request breached an anomaly threshold and is quarantined. */
  quarantined: "E44",
  /** OpenDCC: the service is recognised but this gateway cannot execute it yet. */
  notSupported: "E45",
  /** OpenDCC: a Signed Pre-Command's content is not the Pre-Command issued for its RequestID. */
  preCommandMismatch: "E46",
  /** OpenDCC: a Signed Pre-Command is unsigned or its GBCS signature is not the originator's. */
  preCommandSignature: "E47",
  /** OpenDCC: a sequenced request's preceding request is unknown, or it failed. */
  precedingFailed: "E48",
  /** OpenDCC: a cancellation (ExecutionDateTime 3000-12-31) finds no future-dated request held by the DCC. */
  nothingToCancel: "E49",
} as const;

export type ResponseCode = (typeof ResponseCodes)[keyof typeof ResponseCodes] | string;

/** A service refused (or warned about) a request; `code` is the DUIS response code to answer. */
export class ServiceError extends Error {
  constructor(readonly code: ResponseCode, message: string) {
    super(message);
    this.name = "ServiceError";
  }
}
