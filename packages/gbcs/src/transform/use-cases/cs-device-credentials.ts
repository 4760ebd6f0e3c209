// The other security-credential use cases (gbcs.md 4, ASN.1 DER):
// CS02a / CS02f Provide Security Credentials Details (6.24.1): which parties' cells the device
//   should describe, asked by the ACB;
// CS02c Issue Security Credentials (6.17) and CS02e Provide Device Certificate (6.24.2): the key
//   usage of the device key pair meant;
// CS02d Update Device Certificate (6.15.2): the new device certificate itself.
import { ACCESS_CONTROL_BROKER } from "../../protection.js";
import { TransformError, defineUseCase, type DeviceType, type EncodeContext, type UseCaseEncoder } from "../types.js";
import { REMOTE_PARTY_ROLE } from "./cs-credentials-update.js";
import { derInteger, derKeyUsage, derRaw, derSequence, type KeyUsageName } from "./security-der.js";

const METERS: readonly DeviceType[] = ["ESME", "GSME"];

/** DUIS CredentialType -> the key usage of the device's key pair. */
const CREDENTIAL_TYPES: Readonly<Record<string, KeyUsageName>> = {
  "Digital Signature": "digitalSignature",
  "Key Agreement": "keyAgreement",
};

const keyUsageCommand = (useCase: string, srv: string, messageCode: number) => defineUseCase({
  useCase, srv, deviceTypes: METERS, messageCode, critical: true,
  write: (w, context) => derSequence(w, (s) => derKeyUsage(s, context.fields.oneOf(CREDENTIAL_TYPES, "CredentialType"))),
});

const CS02c = keyUsageCommand("CS02c", "6.17", 0x000a);
const CS02e = keyUsageCommand("CS02e", "6.24.2", 0x000c);

const CS02d = defineUseCase({
  useCase: "CS02d", srv: "6.15.2", deviceTypes: METERS, messageCode: 0x000b, critical: true,
  write: (w, context) => derRaw(w, context.fields.base64("DeviceCertificate"), "DeviceCertificate"),
});

/** DUIS RemotePartyRole -> GBCS RemotePartyRole (DUIS names as in the RTDS samples and XSD). */
const DUIS_REMOTE_PARTY_ROLES: Readonly<Record<string, number>> = {
  Root: REMOTE_PARTY_ROLE.root,
  Recovery: REMOTE_PARTY_ROLE.recovery,
  Supplier: REMOTE_PARTY_ROLE.supplier,
  NetworkOperator: REMOTE_PARTY_ROLE.networkOperator,
  AccessControlBroker: REMOTE_PARTY_ROLE.accessControlBroker,
  TransCoS: REMOTE_PARTY_ROLE.transitionalCoS,
  WANProvider: REMOTE_PARTY_ROLE.wanProvider,
  LoadController: REMOTE_PARTY_ROLE.loadController,
};

function requestedRoles(context: EncodeContext): number[] {
  const roles = context.fields.all("RemotePartyRole").map((role) => role.oneOf(DUIS_REMOTE_PARTY_ROLES));
  if (roles.length === 0) throw new TransformError("at least one RemotePartyRole is needed", "RemotePartyRole");
  return roles;
}

// CS02f is the code that can name the load controller; CS02a the original one (gbcs.md 5).
const PROVIDE_DETAILS = { CS02a: 0x0008, CS02f: 0x011b } as const;
const provideDetailsUseCase = (context: EncodeContext) => (requestedRoles(context).includes(REMOTE_PARTY_ROLE.loadController) ? "CS02f" : "CS02a");

// The ACB asks, authorising with its key-agreement cell; MAC only.
const CS02aOrF = defineUseCase({
  useCase: "CS02a/CS02f", srv: "6.24.1", deviceTypes: METERS, critical: false,
  chosenUseCase: provideDetailsUseCase,
  messageCode: (context) => PROVIDE_DETAILS[provideDetailsUseCase(context)],
  header: () => ({ originator: ACCESS_CONTROL_BROKER }),
  write: (w, context) => derSequence(w, (s) => {
    derSequence(s, (cell) => {
      derInteger(cell, REMOTE_PARTY_ROLE.accessControlBroker);
      derKeyUsage(cell, "keyAgreement");
    });
    derSequence(s, (roles) => requestedRoles(context).forEach((role) => derInteger(roles, role)));
  }),
});

export const DEVICE_CREDENTIAL_ENCODERS: readonly UseCaseEncoder[] = [CS02aOrF, CS02c, CS02d, CS02e];
