// CS02b / CS02g Update Security Credentials from the four DUIS services that replace a remote
// party's certificates on a device (6.15.1 KRP, 6.21 handover, 6.23 change of supplier, 8.5 opt
// out). The request names the party whose cells change; the mode, the message code (gbcs.md 5:
// CS02b split by credential type) and the authorising cell follow from it. The values each field
// takes were read off the RTDS CS02b / CS02g vectors.
import { ACCESS_CONTROL_BROKER } from "../../protection.js";
import type { ServiceFields } from "../fields.js";
import { TransformError, defineUseCase, type DeviceType, type EncodeContext, type UseCaseEncoder } from "../types.js";
import { REMOTE_PARTY_ROLE, writeCredentialsUpdate, type CredentialsUpdate, type SeqNumberChange, type TrustAnchorCell } from "./cs-credentials-update.js";
import { isCancellation } from "./security-der.js";

/** The DCC's Transitional Change of Supplier party (gbcs.md 12), which originates CoS updates. */
export const TRANSITIONAL_COS = "90B3D51F30000004";

/** What each replaced party's update is: message code, replacement mode, authoriser. */
interface Replacement {
  readonly messageCode: number;
  readonly mode: number;
  readonly role: number;
  readonly authoriser: number | null;
  /** Where the new floor goes: [4] when the authoriser replaces its own cells, else [6]. */
  readonly floorIn: "own" | "other";
}

const SUPPLIER_BY_SUPPLIER: Replacement = { messageCode: 0x0102, mode: 2, role: REMOTE_PARTY_ROLE.supplier, authoriser: REMOTE_PARTY_ROLE.supplier, floorIn: "own" };
const NETWORK_OPERATOR_BY_NETWORK_OPERATOR: Replacement = {
  messageCode: 0x0103, mode: 3, role: REMOTE_PARTY_ROLE.networkOperator, authoriser: REMOTE_PARTY_ROLE.networkOperator, floorIn: "own",
};
const ACB_BY_ACB: Replacement = { messageCode: 0x0104, mode: 4, role: REMOTE_PARTY_ROLE.accessControlBroker, authoriser: null, floorIn: "own" };
const SUPPLIER_BY_TRANSITIONAL_COS: Replacement = {
  messageCode: 0x0107, mode: 7, role: REMOTE_PARTY_ROLE.supplier, authoriser: REMOTE_PARTY_ROLE.transitionalCoS, floorIn: "other",
};
const LOAD_CONTROLLER_BY_SUPPLIER: Replacement = {
  messageCode: 0x0126, mode: 11, role: REMOTE_PARTY_ROLE.loadController, authoriser: REMOTE_PARTY_ROLE.supplier, floorIn: "other",
};

/** DUIS RemotePartyRole -> the update it asks for (6.15.1 and 6.21). */
const BY_REMOTE_PARTY_ROLE: Readonly<Record<string, Replacement>> = {
  Supplier: SUPPLIER_BY_SUPPLIER,
  NetworkOperator: NETWORK_OPERATOR_BY_NETWORK_OPERATOR,
  LoadController: LOAD_CONTROLLER_BY_SUPPLIER,
};
const HANDOVER_ROLES: Readonly<Record<string, Replacement>> = { Supplier: SUPPLIER_BY_SUPPLIER, NetworkOperator: NETWORK_OPERATOR_BY_NETWORK_OPERATOR };

/** Replacement certificate elements -> the cell each lands in. */
const CERTIFICATE_CELLS: Readonly<Record<string, Omit<TrustAnchorCell, "role">>> = {
  DigitalSigningCertificate: { usage: "digitalSignature" },
  KeyAgreementCertificate: { usage: "keyAgreement" },
  KeyAgreementTopUpCertificate: { usage: "keyAgreement", topUp: true },
};

const SMART_METERS_AND_GPF: readonly DeviceType[] = ["ESME", "GSME", "GPF"];

function replacements(certificates: ServiceFields, role: number): CredentialsUpdate["replacements"] {
  const found = certificates.children().map((element) => {
    const cell = CERTIFICATE_CELLS[element.name];
    if (!cell) throw new TransformError(`${element.name} is not a replacement certificate`, element.name);
    return { certificate: element.base64(), field: element.name, cell: { ...cell, role } };
  });
  if (found.length === 0) throw new TransformError("no replacement certificate given", certificates.name);
  return found;
}

/** The single child (a choice of certificate groups) or the element itself when it holds them. */
function certificateGroup(fields: ServiceFields, name: string): ServiceFields {
  const element = fields.get(name);
  const [first] = element.children();
  return first && !CERTIFICATE_CELLS[first.name] ? first : element;
}

function certificationPath(fields: ServiceFields): CredentialsUpdate["certificationPath"] {
  return fields.get("CertificationPathCertificates").all("Certificate").map((certificate, i) => ({
    certificate: certificate.base64(), field: `CertificationPathCertificates/Certificate[${i + 1}]`,
  }));
}

const applyChecks = (fields: ServiceFields) => (fields.has("ApplyTimeBasedCPVChecks") ? fields.bool("ApplyTimeBasedCPVChecks") : true);
const optionalBig = (fields: ServiceFields, name: string) => (fields.has(name) ? fields.big(name) : undefined);

/** An update for a party's own replacement (6.15.1, 6.21) or a load controller's by its supplier. */
function partyUpdate(context: EncodeContext, replacement: Replacement, executionDateTime: Date | null): CredentialsUpdate {
  const { fields } = context;
  const floor = fields.big("RemotePartyFloorSeqNumber");
  const topUpFloor = optionalBig(fields, "RemotePartyPrepaymentTopUpFloorSeqNumber");
  const own = replacement.floorIn === "own";
  const change: SeqNumberChange = { role: replacement.role, floor, topUpFloor };
  return {
    mode: replacement.mode,
    applyTimeBasedCpvChecks: applyChecks(fields),
    authorisingCell: replacement.authoriser === null ? null : { role: replacement.authoriser, usage: "digitalSignature" },
    seqNumber: context.counter,
    newFloor: own ? floor : undefined,
    newTopUpFloor: own ? topUpFloor : undefined,
    otherChanges: own ? undefined : [change],
    replacements: replacements(certificateGroup(fields, "ReplacementCertificates"), replacement.role),
    certificationPath: certificationPath(fields),
    executionDateTime,
  };
}

const replacementFor = (context: EncodeContext) => context.fields.oneOf(BY_REMOTE_PARTY_ROLE, "RemotePartyRole");
const handoverFor = (context: EncodeContext) => context.fields.oneOf(HANDOVER_ROLES, "RemotePartyRole");

// 6.15.1: the user replaces its own cells (supplier, network operator) or, as supplier, the load
// controller's (CS02g). Critical: the user signs. Future dating is executed by the device.
const UPDATE_KRP = defineUseCase({
  useCase: "CS02b/CS02g", srv: "6.15.1", deviceTypes: SMART_METERS_AND_GPF, critical: true,
  chosenUseCase: (context) => (replacementFor(context) === LOAD_CONTROLLER_BY_SUPPLIER ? "CS02g" : "CS02b"),
  messageCode: (context) => replacementFor(context).messageCode,
  write: (w, context) => writeCredentialsUpdate(w, partyUpdate(context, replacementFor(context), context.executionDateTime)),
});

// 6.21: the ACB hands a DCC-controlled device over to the user; the ACB originates and signs, and
// future dating is held by the DCC (DUIS "DSP"), so the command carries no execution time.
const HANDOVER = defineUseCase({
  useCase: "CS02b", srv: "6.21", deviceTypes: SMART_METERS_AND_GPF, critical: true,
  messageCode: (context) => handoverFor(context).messageCode,
  header: () => ({ originator: ACCESS_CONTROL_BROKER }),
  write: (w, context) => writeCredentialsUpdate(w, partyUpdate(context, handoverFor(context), null)),
});

// 6.23: the Transitional CoS party replaces the old supplier's cells with the new supplier's and
// signs. The new supplier's floors go in [6]; a cancellation carries none (RTDS 6.23 vectors).
const CHANGE_OF_SUPPLIER = defineUseCase({
  useCase: "CS02b", srv: "6.23", deviceTypes: SMART_METERS_AND_GPF, critical: true, messageCode: SUPPLIER_BY_TRANSITIONAL_COS.messageCode,
  header: () => ({ originator: TRANSITIONAL_COS }),
  write: (w, context) => {
    const { fields } = context;
    const replacement = SUPPLIER_BY_TRANSITIONAL_COS;
    const change: SeqNumberChange = {
      role: replacement.role, floor: fields.big("SupplierFloorSeqNumber"), topUpFloor: optionalBig(fields, "SupplierPrepaymentTopUpFloorSeqNumber"),
    };
    writeCredentialsUpdate(w, {
      mode: replacement.mode,
      applyTimeBasedCpvChecks: applyChecks(fields),
      authorisingCell: { role: REMOTE_PARTY_ROLE.transitionalCoS, usage: "digitalSignature" },
      seqNumber: context.counter,
      otherChanges: isCancellation(context) ? undefined : [change],
      replacements: replacements(fields.get("SupplierReplacementCertificates"), replacement.role),
      certificationPath: certificationPath(fields),
      executionDateTime: context.executionDateTime,
    });
  },
});

// 8.5: the ACB replaces its own key-agreement cell. It authorises by MAC alone: no authorising
// cell and no signature (gbcs.md 3, the one unsigned CS02b). Future dating is held by the DCC.
const SERVICE_OPT_OUT = defineUseCase({
  useCase: "CS02b", srv: "8.5", deviceTypes: SMART_METERS_AND_GPF, critical: false, messageCode: ACB_BY_ACB.messageCode,
  header: () => ({ originator: ACCESS_CONTROL_BROKER }),
  write: (w, context) => {
    const { fields } = context;
    writeCredentialsUpdate(w, {
      mode: ACB_BY_ACB.mode,
      applyTimeBasedCpvChecks: applyChecks(fields),
      authorisingCell: null,
      seqNumber: context.counter,
      newFloor: fields.big("ACBFloorSeqNumber"),
      replacements: replacements(certificateGroup(fields, "ReplacementCertificates"), ACB_BY_ACB.role),
      certificationPath: certificationPath(fields),
    });
  },
});

export const CREDENTIALS_UPDATE_ENCODERS: readonly UseCaseEncoder[] = [UPDATE_KRP, HANDOVER, CHANGE_OF_SUPPLIER, SERVICE_OPT_OUT];
