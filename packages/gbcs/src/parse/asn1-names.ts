// GBCS ASN.1 payloads (GBCS section 13 and its ASN.1 module) as data: per message code and
// command/response/alert, the structure and the names of its fields and values. asn1.ts reads
// DER with it. Implicit context tags ([n]) are given as the identifier octet they produce.

export type Names = Readonly<Record<number, string>>;

export type Asn1Schema =
  /** INTEGER; with names, an enumeration shown as { code, name }. */
  | { readonly kind: "integer"; readonly names?: Names }
  | { readonly kind: "enumerated"; readonly names: Names }
  /** OCTET STRING, shown as hex (EUI-64s, hashes, key ids, firmware versions). */
  | { readonly kind: "octets" }
  /** NULL used as a marker that something happened (e.g. "command accepted"): shown as true. */
  | { readonly kind: "accepted" }
  /** NULL that carries nothing: shown as null. */
  | { readonly kind: "null" }
  | { readonly kind: "time" }
  /** BIT STRING of named bits (X.509 KeyUsage). */
  | { readonly kind: "keyUsage" }
  /** An alert code INTEGER: shown as 0x8F66 with an `alert` field giving its meaning. */
  | { readonly kind: "alertCode" }
  | { readonly kind: "sequence"; readonly fields: readonly FieldSchema[] }
  | { readonly kind: "sequenceOf"; readonly item: Asn1Schema }
  /** An X.509 (SMKI) certificate. */
  | { readonly kind: "certificate" }
  /** A PKCS#10 certification request, kept as hex. */
  | { readonly kind: "certificationRequest" };

export interface FieldSchema {
  readonly name: string;
  readonly schema: Asn1Schema;
  /** The identifier octet when it is an implicit context tag instead of the type's own. */
  readonly tag?: number;
  readonly optional?: boolean;
}

/** One way a payload may be encoded; `name` null spreads a SEQUENCE's fields into the payload. */
export interface Alternative {
  readonly name: string | null;
  readonly schema: Asn1Schema;
}

/** What a message code carries per CRA flag; several alternatives are told apart by their tag. */
export interface MessageSchema {
  readonly command?: readonly Alternative[];
  readonly response?: readonly Alternative[];
  readonly alert?: readonly Alternative[];
}

const integer = (names?: Names): Asn1Schema => (names ? { kind: "integer", names } : { kind: "integer" });
const hex: Asn1Schema = { kind: "octets" };
const time: Asn1Schema = { kind: "time" };
const keyUsage: Asn1Schema = { kind: "keyUsage" };
const certificate: Asn1Schema = { kind: "certificate" };
const field = (name: string, schema: Asn1Schema, extra: { tag?: number; optional?: boolean } = {}): FieldSchema => ({ name, schema, ...extra });
const sequence = (...fields: FieldSchema[]): Asn1Schema => ({ kind: "sequence", fields });
const sequenceOf = (item: Asn1Schema): Asn1Schema => ({ kind: "sequenceOf", item });
const only = (schema: Asn1Schema): readonly Alternative[] => [{ name: null, schema }];
const named = (name: string, schema: Asn1Schema): readonly Alternative[] => [{ name, schema }];

const REMOTE_PARTY_ROLE: Names = {
  0: "root", 1: "recovery", 2: "supplier", 3: "networkOperator", 4: "accessControlBroker",
  5: "transitionalChangeOfSupplier", 6: "wanProvider", 7: "issuingAuthority", 8: "loadController", 127: "other",
};

/** CredentialsReplacementMode: also the low byte of the CS02b/CS02g message code (0x0100 + mode). */
const REPLACEMENT_MODE: Names = {
  0: "rootBySupplier", 1: "rootByWanProvider", 2: "supplierBySupplier", 3: "networkOperatorByNetworkOperator",
  4: "accessControlBrokerByAccessControlBroker", 5: "wanProviderByWanProvider", 6: "transCoSByTransCoS", 7: "supplierByTransCoS",
  8: "anyExceptAbnormalRootByRecovery", 9: "anyByContingency", 10: "loadControllerByLoadController", 11: "loadControllerBySupplier",
};

const STATUS_CODE: Names = {
  0: "success", 5: "badCertificate", 10: "noTrustAnchor", 17: "insufficientMemory", 25: "trustAnchorNotFound",
  30: "resourcesBusy", 127: "other",
};

const CELL_USAGE: Names = { 0: "management", 1: "prepaymentTopUp" };

const DEVICE_TYPE: Names = { 0: "gsme", 1: "esme", 2: "chf", 3: "gpf", 4: "hcalcs", 5: "ppmid", 6: "type2" };

const JOIN_RESPONSE: Names = {
  0: "success", 1: "invalidMessageCodeForJoinMethodAndRole", 2: "invalidJoinMethodAndRole", 3: "incompatibleWithExistingEntry",
  4: "deviceLogFull", 5: "writeFailure", 6: "keyAgreementNoResources", 7: "keyAgreementUnknownIssuer",
  8: "keyAgreementUnsupportedSuite", 9: "keyAgreementBadMessage", 10: "keyAgreementBadKeyConfirm",
  11: "invalidOrMissingCertificate", 12: "noPartnerLinkKeyReceived", 13: "noCbkeResponse",
};

const remotePartyRole = integer(REMOTE_PARTY_ROLE);

const trustAnchorCellIdentifier = sequence(
  field("remotePartyRole", remotePartyRole),
  field("keyUsage", keyUsage),
  field("cellUsage", integer(CELL_USAGE), { optional: true }),
);

const specialistSeqNumber = sequence(field("seqNumberUsage", integer({ 0: "prepaymentTopUp" })), field("seqNumber", integer()));

const remotePartySeqNumberChange = sequence(
  field("remotePartyRole", remotePartyRole),
  field("floorSeqNumber", integer()),
  field("specialistFloorSeqNumbers", sequenceOf(specialistSeqNumber), { optional: true }),
);

const replacementOutcome = sequence(
  field("affectedTrustAnchorCell", trustAnchorCellIdentifier),
  field("statusCode", { kind: "enumerated", names: STATUS_CODE }),
  field("existingSubjectUniqueId", hex),
  field("existingSubjectKeyId", hex),
  field("replacingSubjectUniqueId", hex),
  field("replacingSubjectKeyId", hex),
);

const updateCredentialsOutcome = sequence(
  field("authorisingRemotePartySeqNumber", integer()),
  field("credentialsReplacementMode", integer(REPLACEMENT_MODE)),
  field("remotePartySeqNumberChanges", sequenceOf(remotePartySeqNumberChange)),
  field("replacementOutcomes", sequenceOf(replacementOutcome)),
);

const updateCredentialsAlert = only(sequence(
  field("alertCode", { kind: "alertCode" }), field("executionDateTime", time), field("executionOutcome", updateCredentialsOutcome),
));

// CS02b / CS02g Update Security Credentials (GBCS 13.3.2.2).
const updateSecurityCredentials: MessageSchema = {
  command: only(sequence(
    field("authorisingRemotePartyControl", sequence(
      field("credentialsReplacementMode", integer(REPLACEMENT_MODE)),
      field("plaintextSymmetricKey", hex, { tag: 0x80, optional: true }),
      field("applyTimeBasedCpvChecks", integer({ 0: "apply", 1: "disapply" }), { tag: 0x81, optional: true }),
      field("authorisingRemotePartyTaCellIdentifier", trustAnchorCellIdentifier, { tag: 0xa2, optional: true }),
      field("authorisingRemotePartySeqNumber", integer(), { tag: 0x83 }),
      field("newRemotePartyFloorSeqNumber", integer(), { tag: 0x84, optional: true }),
      field("newRemotePartySpecialistFloorSeqNumbers", sequenceOf(specialistSeqNumber), { tag: 0xa5, optional: true }),
      field("otherRemotePartySeqNumberChanges", sequenceOf(remotePartySeqNumberChange), { tag: 0xa6, optional: true }),
    )),
    field("replacements", sequenceOf(sequence(field("replacingCertificate", certificate), field("targetTrustAnchorCell", trustAnchorCellIdentifier)))),
    field("certificationPathCertificates", sequenceOf(certificate)),
    field("executionDateTime", time, { optional: true }),
  )),
  response: only(sequence(field("commandAccepted", { kind: "accepted" }), field("executionOutcome", updateCredentialsOutcome, { optional: true }))),
  alert: updateCredentialsAlert,
};

// CS02a / CS02f Provide Security Credentials Details (GBCS 13.3.2.1).
const provideSecurityCredentialDetails: MessageSchema = {
  command: only(sequence(
    field("authorisingRemotePartyTaCellIdentifier", trustAnchorCellIdentifier),
    field("remotePartyRolesCredentialsRequired", sequenceOf(remotePartyRole)),
  )),
  response: named("remotePartyDetails", sequenceOf(sequence(
    field("remotePartyRole", remotePartyRole),
    field("statusCode", { kind: "enumerated", names: STATUS_CODE }),
    field("currentSeqNumber", integer(), { optional: true }),
    field("trustAnchorCellDetails", sequenceOf(sequence(
      field("keyUsage", keyUsage),
      field("cellUsage", integer(CELL_USAGE), { optional: true }),
      field("subjectUniqueId", hex),
      field("subjectKeyIdentifier", hex),
    )), { optional: true }),
  ))),
};

const keyUsageCommand = only(sequence(field("keyUsage", keyUsage)));

const deviceLogEntry = sequence(field("deviceId", hex), field("deviceType", integer(DEVICE_TYPE)));

const activateFirmwareOutcome = sequence(
  field("responseCode", integer({ 0: "success", 1: "noImageHeld", 2: "hashMismatch", 3: "activationFailure" })),
  field("firmwareVersion", hex),
);

const joinCommand = only(sequence(
  field("joinMethodAndRole", integer({ 0: "methodAInitiator", 1: "methodAResponder", 2: "methodB", 3: "methodC" })),
  field("otherDeviceEntityId", hex),
  field("otherDeviceType", integer(DEVICE_TYPE)),
  field("otherDeviceCertificate", certificate, { optional: true }),
));
const joinResponse = named("responseCode", integer(JOIN_RESPONSE));
const join: MessageSchema = { command: joinCommand, response: joinResponse };

const unjoin: MessageSchema = {
  command: named("otherDeviceEntityId", hex),
  response: named("responseCode", integer({ 0: "success", 1: "notInDeviceLog", 2: "otherFailure" })),
};

const firmwareVersionRead = sequence(field("firmwareVersion", hex), field("responseCode", integer({ 0: "success", 1: "failure" })));
const firmwareVersionAlert = only(sequence(
  field("alertCode", { kind: "alertCode" }), field("executionDateTime", time), field("firmwareVersion", hex),
  field("responseCode", integer({ 0: "success", 1: "failure" })),
));

const SCHEMAS: ReadonlyMap<number, MessageSchema> = new Map<number, MessageSchema>([
  [0x0008, provideSecurityCredentialDetails],
  [0x011b, provideSecurityCredentialDetails],
  // CS02c Issue Security Credentials: the device makes a key pair and returns a certification request.
  [0x000a, {
    command: keyUsageCommand,
    response: [
      { name: "certificationRequest", schema: { kind: "certificationRequest" } },
      { name: "responseCode", schema: integer({ 1: "invalidKeyUsage", 2: "keyPairGenerationFailed", 3: "certificationRequestProductionFailed" }) },
    ],
  }],
  // CS02d Update Device Certificate on Device.
  [0x000b, {
    command: named("certificate", certificate),
    response: named("responseCode", integer({
      0: "success", 1: "invalidCertificate", 2: "wrongDeviceIdentity", 3: "invalidKeyUsage", 4: "noCorrespondingKeyPairGenerated",
      5: "wrongPublicKey", 6: "certificateStorageFailed", 7: "privateKeyChangeFailed",
    })),
  }],
  // CS02e Provide Device Certificate from Device.
  [0x000c, {
    command: keyUsageCommand,
    response: [
      { name: "certificate", schema: certificate },
      { name: "responseCode", schema: integer({ 1: "invalidKeyUsage", 2: "noCertificateHeld", 3: "certificateRetrievalFailure" }) },
    ],
  }],
  // CS03 joins (A1, B, A2, C) and CS04 unjoins (AC, B).
  [0x000d, join], [0x000e, join], [0x00ab, join], [0x00af, join],
  [0x000f, unjoin], [0x0010, unjoin],
  // CS06 Activate Firmware; its future-dated outcome is the 0x00CA alert.
  [0x0012, {
    command: only(sequence(field("manufacturerImageHash", hex), field("originatorCounter", integer()), field("executionDateTime", time, { optional: true }))),
    response: [{ name: "commandAccepted", schema: { kind: "accepted" } }, { name: "executionOutcome", schema: activateFirmwareOutcome }],
  }],
  [0x00ca, {
    alert: only(sequence(
      field("alertCode", { kind: "alertCode" }), field("executionDateTime", time), field("originatorCounter", integer()),
      field("executionOutcome", activateFirmwareOutcome),
    )),
  }],
  // CS07 Read Device Join Details: the command is a bare NULL.
  [0x0013, {
    command: named("request", { kind: "null" }),
    response: only(sequence(
      field("responseCode", integer({ 0: "success", 1: "readFailure" })),
      field("deviceLogEntries", sequenceOf(deviceLogEntry), { optional: true }),
    )),
  }],
  // GCS28 Set Clock on GSME (timestamps bracket when the command may be applied).
  [0x007f, {
    command: only(sequence(field("validityIntervalStart", time), field("validityIntervalEnd", time))),
    response: only(sequence(field("deviceTime", time), field("deviceTimeStatus", integer({ 0: "reliable", 1: "invalid", 2: "unreliable" })))),
  }],
  // GCS59 Restore GPF Device Log; GCS62 the GPF's backup alert.
  [0x008c, {
    command: only(sequence(field("deviceLogEntries", sequenceOf(deviceLogEntry)))),
    response: only(sequence(field("restoreOutcomes", sequenceOf(sequence(field("deviceLogEntry", deviceLogEntry), field("joinResponseCode", integer(JOIN_RESPONSE))))))),
  }],
  [0x00b2, {
    alert: only(sequence(field("alertCode", { kind: "alertCode" }), field("backupDateTime", time), field("deviceLogEntries", sequenceOf(deviceLogEntry)))),
  }],
  ...[0x0100, 0x0101, 0x0102, 0x0103, 0x0104, 0x0105, 0x0106, 0x0107, 0x0108, 0x0109, 0x0125, 0x0126].map(
    (code) => [code, updateSecurityCredentials] as const,
  ),
  // Future-dated CS02b (0x00CB) and CS02g (0x0124) outcomes.
  [0x00cb, { alert: updateCredentialsAlert }],
  [0x0124, { alert: updateCredentialsAlert }],
  // CCS08 Firmware Transfer alert.
  [0x0128, {
    alert: only(sequence(
      field("alertCode", { kind: "alertCode" }), field("executionDateTime", time), field("entityId", hex), field("firmwareVersion", hex),
      field("responseCode", integer({ 0: "success", 1: "imageDiscarded", 2: "hardwareVersionMismatch", 3: "fileTransferFailure" })),
    )),
  }],
  // CS08 Read PPMID/HCALCS Firmware Version: a NULL command; the version comes back, or in an alert.
  [0x0129, {
    command: named("request", { kind: "null" }),
    response: only(firmwareVersionRead),
    alert: firmwareVersionAlert,
  }],
  // CS09 firmware version alert: the same layout as the CS08 alert.
  [0x012b, { alert: firmwareVersionAlert }],
]);

/** Message codes whose payloads are ASN.1 DER (gbcs.md section 4). */
export const ASN1_MESSAGE_CODES: ReadonlySet<number> = new Set(SCHEMAS.keys());

export function asn1SchemaFor(messageCode: number): MessageSchema | undefined {
  return SCHEMAS.get(messageCode);
}
