// The gateway's DUIS layer on @opendcc/duis: requests in (parse, structure, XML signature with the
// sender's certificate), responses out (DUIS XML signed by the DCC).
import {
  DuisError, formatEui, formatRequestId, node, parseRequest, parseRequestId, parseXml, text, verifyDocument, writeResponse, writeSignedResponse,
  normalizeDn, type XmlDocument, type DuisNode, type DuisResponse, type Ecdsa, type KeyResolver, type ResponseContent, type ResponseMessageBody, type DeviceAlertMessageBody,
} from "@opendcc/duis";
import { importPublicKey } from "@opendcc/kernel";
import { certificateIssuerSerial } from "@opendcc/duis";
import type { DccAlert, Decoded, GatewayResponse, ParsedRequest, RequestCodec, ResponseBody, SignatureCheck } from "./gateway.js";
import type { DeviceRecord } from "./inventory.js";
import type { User, UserCertificate } from "./parties.js";
import { ResponseCodes } from "./response-codes.js";

export interface DccSigningKey {
  readonly privateKey: CryptoKey;
  /** The DCC's XML-signing certificate (PEM or DER); its issuer and serial go into KeyInfo. */
  readonly certificate: string | Uint8Array;
}

/**
 * The DCC Alert code of a completed change of supplier (seed 003 paragraph 146). duis.md 3.3 names
 * ChangeOfSupplier among the DCCAlert events, but the XSD's pairing of N-codes with events is not
 * in our material (packages/duis checks only AD1 / N<number>): N42 is OpenDCC's choice, and the
 * event's children (RequestID, DeviceID, MPxN) are ours too.
 */
export const CHANGE_OF_SUPPLIER_ALERT = "N42";

const STATUS_NAMES: Record<DeviceRecord["status"], string> = {
  pending: "Pending",
  "installed-not-commissioned": "InstalledNotCommissioned",
  commissioned: "Commissioned",
  withdrawn: "Withdrawn",
  decommissioned: "Decommissioned",
};

/** ecdsa: the XML signatures' ECDSA (default WebCrypto; a Node gateway passes @opendcc/server/node's nodeEcdsa). */
export function createDuisCodec(options: { dccKey?: DccSigningKey; now?: () => Date; ecdsa?: Ecdsa } = {}): RequestCodec {
  const now = options.now ?? (() => new Date());
  const keyCache = new WeakMap<UserCertificate, Promise<CryptoKey>>();
  // Each request's document, read once for both the request and its signature.
  const documents = new WeakMap<ParsedRequest, XmlDocument>();
  const dccKeyInfo = options.dccKey ? certificateIssuerSerial(options.dccKey.certificate) : null;

  const decode = (xml: string): Decoded => {
    try {
      const document = parseXml(xml);
      const request = parseRequest(document);
      const body = request.body;
      const content: DuisNode | null = "content" in body ? body.content : null;
      const parsed: ParsedRequest = {
        requestId: request.header.requestId,
        commandVariant: request.header.commandVariant,
        serviceReference: request.header.serviceReference,
        srv: request.header.serviceReferenceVariant,
        executionDateTime: body.executionDateTime ? new Date(body.executionDateTime) : null,
        bodyElement: body.element,
        field: (...path) => (content ? text(content, path.join("/")) : undefined),
        content,
        gbcsPayload: "gbcsPayload" in body ? body.gbcsPayload : null,
        precedingRequestId: request.header.precedingRequestId ?? null,
      };
      documents.set(parsed, document);
      return { ok: true, request: parsed };
    } catch (error) {
      if (!(error instanceof DuisError)) throw error;
      const code = error.code === "DUIS_COMMAND_VARIANT" ? ResponseCodes.commandVariant : ResponseCodes.malformed;
      return { ok: false, code, reason: error.message, requestId: salvageRequestId(xml) };
    }
  };

  const verifySignature = async (request: ParsedRequest, sender: User, at: Date): Promise<SignatureCheck> => {
    const document = documents.get(request);
    if (!document) throw new Error("verifySignature takes a request this codec decoded");
    let matched: UserCertificate | undefined;
    const resolve: KeyResolver = (issuerName, serialDecimal) => {
      matched = sender.certificates.find((c) => c.usage === "xml" && c.serial === serialDecimal && normalizeDn(c.issuer) === normalizeDn(issuerName));
      if (!matched) return null;
      let key = keyCache.get(matched);
      if (!key) {
        key = importPublicKey(certificateIssuerSerial(matched.der).spki, "ds");
        keyCache.set(matched, key);
      }
      return key;
    };
    const result = await verifyDocument(document, resolve, options.ecdsa ? { ecdsa: options.ecdsa } : {});
    if (!result.ok) {
      if (result.reason === "unknown-certificate") {
        return { ok: false, code: ResponseCodes.certificateInvalid, reason: `the signing certificate is not an XML-signing certificate of ${sender.userId}: ${result.message}` };
      }
      return { ok: false, code: ResponseCodes.signatureInvalid, reason: `XML signature: ${result.message}` };
    }
    const certificate = matched as UserCertificate;
    if (at < new Date(certificate.notBefore) || at > new Date(certificate.notAfter)) {
      return { ok: false, code: ResponseCodes.certificateInvalid, reason: `the signing certificate (serial ${certificate.serial}) is valid ${certificate.notBefore} to ${certificate.notAfter}, not at ${at.toISOString()}` };
    }
    return { ok: true };
  };

  const write = async (response: GatewayResponse): Promise<string> => {
    const body: ResponseMessageBody | DeviceAlertMessageBody = response.body?.kind === "deviceAlert" ? {
      kind: "DeviceAlertMessage", alertCode: response.body.alertCode, gbcsPayload: response.body.gbcs,
    } : {
      kind: "ResponseMessage",
      serviceReference: response.serviceReference ?? "",
      serviceReferenceVariant: response.srv ?? "",
      ...(response.body && response.body.kind !== "completed" ? { content: responseContent(response.body) } : {}),
    };
    const duisResponse: DuisResponse = {
      schemaVersion: "5.2",
      header: {
        ...(response.requestId ? { requestId: response.requestId } : {}),
        responseCode: response.responseCode,
        responseDateTime: now().toISOString(),
      },
      body,
      signature: null,
    };
    return sign(duisResponse);
  };

  // Written and signed in one step (no DOM): two signed responses per Service Request.
  const sign = async (response: DuisResponse): Promise<string> => {
    if (!options.dccKey || !dccKeyInfo) return writeResponse(response);
    return writeSignedResponse(response, {
      privateKey: options.dccKey.privateKey, issuerName: dccKeyInfo.issuerName, serialNumber: dccKeyInfo.serialDecimal, ...(options.ecdsa ? { ecdsa: options.ecdsa } : {}),
    });
  };

  const writeDccAlert = async (alert: DccAlert): Promise<string> => sign({
    schemaVersion: "5.2",
    header: { responseCode: ResponseCodes.success, responseDateTime: now().toISOString() },
    body: alert.kind === "quarantined" ? {
      kind: "DCCAlertMessage",
      dccAlertCode: "AD1",
      event: node("QuarantinedRequest", [node("ADUserThresholdBreach", [
        node("RequestID", formatRequestId(alert.requestId)),
        node("QuarantineEventRef", String(alert.quarantineEventRef)),
      ])]),
    } : {
      kind: "DCCAlertMessage",
      dccAlertCode: CHANGE_OF_SUPPLIER_ALERT,
      event: node("ChangeOfSupplier", [
        node("RequestID", formatRequestId(alert.requestId)),
        node("DeviceID", formatEui(alert.deviceId)),
        node("MPxN", alert.mpxn),
      ]),
    },
    signature: null,
  });

  return { decode, verifySignature, writeResponse: write, writeDccAlert };
}

function responseContent(body: Exclude<ResponseBody, { kind: "deviceAlert" | "completed" }>): ResponseContent {
  switch (body.kind) {
    case "preCommand":
      return { kind: "PreCommand", gbcsVersion: body.gbcsVersion, gbcsPayload: body.gbcs };
    case "localCommand":
      return { kind: "LocalCommand", gbcsPayload: body.gbcs };
    case "deviceResponse":
      return { kind: "GBCSPayload", gbcsPayload: body.gbcs };
    case "scheduledResponse":
      return { kind: "DSPScheduledMessage", gbcsPayload: body.gbcs, dspScheduleId: body.scheduleId };
    case "inventory":
      return { kind: "DSPInventory", node: inventoryNode(body.devices) };
    case "scheduleId":
      return { kind: "DSPScheduleID", dspScheduleId: body.id };
    case "schedules":
      // Each record echoes the schedule as created (the DSPSchedule structure of 5.1).
      return { kind: "DSPSchedulesRead", node: node("DSPSchedulesRead", body.schedules.map((schedule) => node("DSPSchedules", [
        node("DSPScheduleID", String(schedule.id)),
        { ...(schedule.parameters as DuisNode), name: "DSPScheduleDetails" },
      ]))) };
  }
}

// DUIS 5.4 DSPInventory: at most 17 Device records, each field in the schema's order.
export const INVENTORY_RESPONSE_LIMIT = 17;

function inventoryNode(devices: readonly DeviceRecord[]): DuisNode {
  return node("DSPInventory", devices.slice(0, INVENTORY_RESPONSE_LIMIT).map((device) => {
    const fields: DuisNode[] = [
      node("DeviceID", formatEui(device.deviceId)),
      node("DeviceType", device.type),
      node("DeviceStatus", STATUS_NAMES[device.status]),
      node("DeviceManufacturer", device.manufacturer ?? ""),
      node("DeviceModel", device.model ?? ""),
    ];
    if (device.firmwareVersion) fields.push(node("DeviceFirmwareVersion", device.firmwareVersion));
    if (device.status === "commissioned") fields.push(node("DateCommissioned", device.statusChangedAt.slice(0, 10)));
    if (device.mpxn) fields.push(node("ImportMPxN", device.mpxn));
    if (device.premises.uprn) fields.push(node("UPRN", device.premises.uprn));
    if (device.premises.postcode) {
      fields.push(node("PropertyFilter", [node("PostCode", device.premises.postcode), node("AddressIdentifier", (device.premises.address ?? "").slice(0, 30))]));
    }
    return node("Device", fields);
  }));
}

// An error response repeats the RequestID when the document still shows one.
function salvageRequestId(xml: string): ReturnType<typeof parseRequestId> | null {
  const match = /<(?:[A-Za-z_][\w.-]*:)?RequestID>\s*([^<]{1,120}?)\s*<\//.exec(xml.slice(0, 4096));
  if (!match?.[1]) return null;
  try {
    return parseRequestId(match[1]);
  } catch {
    return null;
  }
}
