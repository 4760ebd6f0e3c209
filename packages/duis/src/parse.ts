// DUIS XML -> typed Request / Response. Every refusal is a DuisError naming what is wrong.
import { srvInfo, type SrvInfo } from "./catalogue.js";
import { fail, type DuisErrorCode } from "./errors.js";
import {
  OTHER_RESPONSE_ELEMENTS, parseRequestId,
  type CommandVariant, type DuisBody, type DuisNode, type DuisRequest, type DuisResponse, type RequestHeader,
  type RequestId, type ResponseBody, type ResponseContent, type ResponseHeader, type XmlSignatureInfo,
} from "./model.js";
import { readSignatureInfo } from "./signature-info.js";
import { base64, collapse, dateTime, hexBinary, isDecimal, unsigned } from "./values.js";
import {
  COMMENT_NODE, DS_NS, ELEMENT_NODE, SR_NS, TEXT_NODE, CDATA_SECTION_NODE, XMLNS_NS, XSI_NS,
  describe, elementChildren, isElement, ownText, parseXml, type Document, type Element, type XmlLimits,
} from "./xml.js";

/** Limits applied before parsing (see XmlLimits for the defaults: 1 MiB, depth 64, 10 000 elements). */
export type ParseOptions = XmlLimits;

// ---------------------------------------------------------------------------------------------
// Requests

/**
 * Parses a DUIS Service Request, from text or from a document parseXml already read (a gateway
 * that also verifies the signature parses once). Throws DuisError.
 */
export function parseRequest(xml: string | Uint8Array | Document, options: ParseOptions = {}): DuisRequest {
  const document = typeof xml === "string" || xml instanceof Uint8Array ? parseXml(xml, options) : xml;
  const root = document.documentElement as Element;
  const { schemaVersion, header, body, signature } = readEnvelope(root, "Request");
  const requestHeader = readRequestHeader(header);
  const info = catalogueEntry(requestHeader);
  return { schemaVersion, header: requestHeader, body: readRequestBody(body, requestHeader, info), signature };
}

const REQUEST_HEADER = [
  { name: "RequestID", required: true },
  { name: "FirstInSequence" },
  { name: "PrecedingServiceRequestID" },
  { name: "CommandVariant", required: true },
  { name: "ServiceReference", required: true },
  { name: "ServiceReferenceVariant", required: true },
];

function readRequestHeader(header: Element): RequestHeader {
  const fields = readSequence(header, REQUEST_HEADER, "DUIS_HEADER");
  const requestId = parseRequestId(collapse(leaf(fields.get("RequestID"), "DUIS_HEADER")));
  const first = fields.get("FirstInSequence");
  const preceding = fields.get("PrecedingServiceRequestID");
  const cvText = collapse(leaf(fields.get("CommandVariant"), "DUIS_HEADER"));
  if (!/^\+?[0-9]{1,9}$/.test(cvText)) fail("DUIS_COMMAND_VARIANT", `CommandVariant "${cvText}" is not an integer 1..8`);
  const cv = Number(cvText);
  if (cv < 1 || cv > 8) {
    fail("DUIS_COMMAND_VARIANT", cv === 9
      ? "CommandVariant 9 is internal to DCC systems and never valid in a request (1..8 are)"
      : `CommandVariant ${cv} is not 1..8`);
  }
  const result: {
    requestId: RequestId; firstInSequence?: boolean; precedingRequestId?: RequestId; commandVariant: CommandVariant;
    serviceReference: string; serviceReferenceVariant: string;
  } = {
    requestId,
    commandVariant: cv as CommandVariant,
    serviceReference: leaf(fields.get("ServiceReference"), "DUIS_HEADER"),
    serviceReferenceVariant: leaf(fields.get("ServiceReferenceVariant"), "DUIS_HEADER"),
  };
  if (first) result.firstInSequence = boolean(leaf(first, "DUIS_HEADER"), "FirstInSequence");
  if (preceding) result.precedingRequestId = parseRequestId(collapse(leaf(preceding, "DUIS_HEADER")), "PrecedingServiceRequestID");
  return result;
}

function catalogueEntry(header: RequestHeader): SrvInfo {
  const { serviceReference: sr, serviceReferenceVariant: srv } = header;
  const info = srvInfo(srv);
  if (!info) fail("DUIS_UNKNOWN_SRV", `ServiceReferenceVariant "${srv}" is not a DUIS Service Reference Variant`);
  if (srv !== sr && !srv.startsWith(`${sr}.`)) {
    fail("DUIS_SR_MISMATCH", `ServiceReferenceVariant ${srv} does not belong to ServiceReference ${sr}: it must equal it or start with "${sr}."`);
  }
  if (info.serviceReference !== sr) fail("DUIS_SR_MISMATCH", `ServiceReferenceVariant ${srv} belongs to ServiceReference ${info.serviceReference}, not ${sr}`);
  return info;
}

function readRequestBody(body: Element, header: RequestHeader, info: SrvInfo): DuisBody {
  const element = onlyChild(body, "DUIS_BODY");
  const signed = header.commandVariant >= 5 && header.commandVariant <= 7;
  const expected = signed ? "SignedPreCommand" : info.bodyElement;
  if (element.localName !== expected) {
    fail("DUIS_BODY", signed
      ? `CommandVariant ${header.commandVariant} takes a sr:SignedPreCommand body, not ${describe(element)}`
      : element.localName === "SignedPreCommand"
        ? `sr:SignedPreCommand is only for CommandVariant 5, 6 or 7, not ${header.commandVariant}`
        : `body element ${describe(element)} does not match ServiceReferenceVariant ${info.srv}, which takes sr:${info.bodyElement}`);
  }
  if (signed) {
    const fields = readSequence(element, [{ name: "ExecutionDateTime" }, { name: "GBCSPayload", required: true }], "DUIS_BODY");
    const executionDateTime = fields.get("ExecutionDateTime");
    const gbcsPayload = base64(leaf(fields.get("GBCSPayload"), "DUIS_BODY"), "SignedPreCommand GBCSPayload");
    if (!executionDateTime) return { element: "SignedPreCommand", gbcsPayload };
    return { element: "SignedPreCommand", executionDateTime: executionTime(executionDateTime, info), gbcsPayload };
  }
  const content = toNode(element);
  const [first, ...rest] = content.children ?? [];
  const misplaced = rest.findIndex((c) => c.name === "ExecutionDateTime");
  if (misplaced >= 0) fail("DUIS_EXECUTION_DATE_TIME", `ExecutionDateTime must be the first child of sr:${content.name}, not child ${misplaced + 2}`);
  if (first?.name !== "ExecutionDateTime") return { element: content.name, content };
  const executionDateTime = executionTime(elementChildren(element)[0] as Element, info);
  const remaining: { name: string; attributes?: Readonly<Record<string, string>>; children?: readonly DuisNode[] } = { name: content.name };
  if (content.attributes) remaining.attributes = content.attributes;
  if (rest.length > 0) remaining.children = rest;
  return { element: content.name, executionDateTime, content: remaining };
}

function executionTime(element: Element, info: SrvInfo): string {
  if (!info.executionDateTimeAllowed) {
    fail("DUIS_EXECUTION_DATE_TIME", `ServiceReferenceVariant ${info.srv} cannot be future dated: its body takes no ExecutionDateTime`);
  }
  return dateTime(leaf(element, "DUIS_EXECUTION_DATE_TIME"), "ExecutionDateTime", "DUIS_EXECUTION_DATE_TIME");
}

// ---------------------------------------------------------------------------------------------
// Responses

/** Parses a DUIS Response (a result, an acknowledgement or an alert). Throws DuisError. */
export function parseResponse(xml: string | Uint8Array, options: ParseOptions = {}): DuisResponse {
  const root = parseXml(xml, options).documentElement as Element;
  const { schemaVersion, header, body, signature } = readEnvelope(root, "Response");
  return { schemaVersion, header: readResponseHeader(header), body: readResponseBody(body), signature };
}

const RESPONSE_HEADER = [
  { name: "RequestID" },
  { name: "ResponseID" },
  { name: "ResponseCode", required: true },
  { name: "ResponseDateTime", required: true },
];

const RESPONSE_CODE = /^(?:I0|I99|E[0-9]{1,7}|W[0-9]{6})$/;

function readResponseHeader(header: Element): ResponseHeader {
  const fields = readSequence(header, RESPONSE_HEADER, "DUIS_HEADER");
  const responseCode = collapse(leaf(fields.get("ResponseCode"), "DUIS_HEADER"));
  if (!RESPONSE_CODE.test(responseCode)) fail("DUIS_VALUE", `ResponseCode "${responseCode}" is not a DUIS response code (I0, I99, E.., W..)`);
  const result: { requestId?: RequestId; responseId?: RequestId; responseCode: string; responseDateTime: string } = {
    responseCode,
    responseDateTime: dateTime(leaf(fields.get("ResponseDateTime"), "DUIS_HEADER"), "ResponseDateTime"),
  };
  const requestId = fields.get("RequestID");
  const responseId = fields.get("ResponseID");
  if (requestId) result.requestId = parseRequestId(collapse(leaf(requestId, "DUIS_HEADER")));
  if (responseId) result.responseId = parseRequestId(collapse(leaf(responseId, "DUIS_HEADER")), "ResponseID");
  return result;
}

function readResponseBody(body: Element): ResponseBody {
  const element = onlyChild(body, "DUIS_BODY");
  switch (element.localName) {
    case "ResponseMessage":
      return readResponseMessage(element);
    case "DeviceAlertMessage": {
      const fields = readSequence(element, [
        { name: "AlertCode", required: true }, { name: "ThrottledAlertSequenceId" }, { name: "ThrottledAlertCount" },
        { name: "GBCSPayload", required: true },
      ], "DUIS_BODY");
      return {
        kind: "DeviceAlertMessage",
        alertCode: hexBinary(leaf(fields.get("AlertCode"), "DUIS_BODY"), "AlertCode"),
        ...throttling(fields),
        gbcsPayload: base64(leaf(fields.get("GBCSPayload"), "DUIS_BODY"), "DeviceAlertMessage GBCSPayload"),
      };
    }
    case "DCCAlertMessage": {
      const fields = readSequence(element, [
        { name: "DCCAlertCode", required: true }, { name: "ThrottledAlertSequenceId" }, { name: "ThrottledAlertCount" },
        { name: "DCCAlert", required: true },
      ], "DUIS_BODY");
      const dccAlertCode = collapse(leaf(fields.get("DCCAlertCode"), "DUIS_BODY"));
      if (!/^(?:AD1|N[0-9]{1,3})$/.test(dccAlertCode)) fail("DUIS_VALUE", `DCCAlertCode "${dccAlertCode}" is not AD1 or N<number>`);
      return { kind: "DCCAlertMessage", dccAlertCode, ...throttling(fields), event: toNode(onlyChild(fields.get("DCCAlert") as Element, "DUIS_BODY")) };
    }
    case "SMETS1ResponseMessage":
      fail("DUIS_UNSUPPORTED", "SMETS1ResponseMessage is SMETS1 only and not supported");
    // falls through (fail never returns)
    default:
      fail("DUIS_BODY", `${describe(element)} is not a Response body (ResponseMessage, DeviceAlertMessage or DCCAlertMessage)`);
  }
}

function throttling(fields: Map<string, Element>): { throttledAlertSequenceId?: number; throttledAlertCount?: number } {
  const result: { throttledAlertSequenceId?: number; throttledAlertCount?: number } = {};
  const sequence = fields.get("ThrottledAlertSequenceId");
  const count = fields.get("ThrottledAlertCount");
  if (sequence) result.throttledAlertSequenceId = unsigned(leaf(sequence, "DUIS_BODY"), "ThrottledAlertSequenceId", 0xffffffff);
  if (count) result.throttledAlertCount = unsigned(leaf(count, "DUIS_BODY"), "ThrottledAlertCount", 0xffffffff);
  return result;
}

const CONTENT_ELEMENTS = new Set<string>([
  "GBCSPayload", "PreCommand", "LocalCommand", "FutureDatedDeviceAlertMessage", "DSPScheduledMessage", "DSPScheduleID",
  "CINMessage", "DSPSchedulesRead", "DSPInventory", ...OTHER_RESPONSE_ELEMENTS,
]);

function readResponseMessage(element: Element): ResponseBody {
  noText(element, "DUIS_BODY");
  const [sr, srv, content, ...extra] = elementChildren(element);
  for (const child of [sr, srv, content]) if (child) requireSr(child);
  if (!sr || sr.localName !== "ServiceReference") fail("DUIS_BODY", "sr:ResponseMessage must start with sr:ServiceReference");
  if (!srv || srv.localName !== "ServiceReferenceVariant") fail("DUIS_BODY", "sr:ResponseMessage must have sr:ServiceReferenceVariant after sr:ServiceReference");
  const serviceReference = leaf(sr, "DUIS_BODY");
  const serviceReferenceVariant = leaf(srv, "DUIS_BODY");
  if (serviceReferenceVariant !== serviceReference && !serviceReferenceVariant.startsWith(`${serviceReference}.`)) {
    fail("DUIS_SR_MISMATCH", `ServiceReferenceVariant ${serviceReferenceVariant} does not belong to ServiceReference ${serviceReference}`);
  }
  if (extra.length > 0) fail("DUIS_BODY", `sr:ResponseMessage carries more than one result element (${[content, ...extra].map((e) => describe(e as Element)).join(", ")})`);
  if (!content) return { kind: "ResponseMessage", serviceReference, serviceReferenceVariant };
  if (!CONTENT_ELEMENTS.has(content.localName ?? "")) fail("DUIS_BODY", `${describe(content)} is not a ResponseMessage result element`);
  return { kind: "ResponseMessage", serviceReference, serviceReferenceVariant, content: readContent(content) };
}

function readContent(element: Element): ResponseContent {
  const name = element.localName ?? "";
  const payload = (fields: Map<string, Element>) => base64(leaf(fields.get("GBCSPayload"), "DUIS_BODY"), `${name} GBCSPayload`);
  switch (name) {
    case "GBCSPayload":
      return { kind: "GBCSPayload", gbcsPayload: base64(leaf(element, "DUIS_BODY"), "ResponseMessage GBCSPayload") };
    case "PreCommand": {
      const fields = readSequence(element, [{ name: "GBCSVersion", required: true }, { name: "GBCSPayload", required: true }], "DUIS_BODY");
      return { kind: "PreCommand", gbcsVersion: leaf(fields.get("GBCSVersion"), "DUIS_BODY"), gbcsPayload: payload(fields) };
    }
    case "LocalCommand":
      return { kind: "LocalCommand", gbcsPayload: payload(readSequence(element, [{ name: "GBCSPayload", required: true }], "DUIS_BODY")) };
    case "FutureDatedDeviceAlertMessage": {
      const fields = readSequence(element, [
        { name: "FutureDatedAlertCode", required: true }, { name: "GBCSPayload", required: true },
        { name: "InstructionNumber", required: true }, { name: "TotalCommandInstructions", required: true },
      ], "DUIS_BODY");
      return {
        kind: "FutureDatedDeviceAlertMessage",
        futureDatedAlertCode: hexBinary(leaf(fields.get("FutureDatedAlertCode"), "DUIS_BODY"), "FutureDatedAlertCode"),
        gbcsPayload: payload(fields),
        instructionNumber: unsigned(leaf(fields.get("InstructionNumber"), "DUIS_BODY"), "InstructionNumber", 0xffff),
        totalCommandInstructions: unsigned(leaf(fields.get("TotalCommandInstructions"), "DUIS_BODY"), "TotalCommandInstructions", 0xffff),
      };
    }
    case "DSPScheduledMessage": {
      const fields = readSequence(element, [{ name: "GBCSPayload", required: true }, { name: "DSPScheduleID", required: true }], "DUIS_BODY");
      return { kind: "DSPScheduledMessage", gbcsPayload: payload(fields), dspScheduleId: scheduleId(leaf(fields.get("DSPScheduleID"), "DUIS_BODY")) };
    }
    case "DSPScheduleID":
      return { kind: "DSPScheduleID", dspScheduleId: scheduleId(leaf(element, "DUIS_BODY")) };
    case "CINMessage": {
      const fields = readSequence(element, [{ name: "GBCSPayload", required: true }, { name: "CustomerIdentificationNumber", required: true }], "DUIS_BODY");
      const cin = leaf(fields.get("CustomerIdentificationNumber"), "DUIS_BODY");
      if (!/^[0-9]{4}$/.test(cin)) fail("DUIS_VALUE", `CustomerIdentificationNumber "${cin}" is not four digits`);
      return { kind: "CINMessage", gbcsPayload: payload(fields), customerIdentificationNumber: cin };
    }
    case "DSPSchedulesRead":
    case "DSPInventory":
      return { kind: name, node: toNode(element) };
    default:
      return { kind: "Other", node: toNode(element) };
  }
}

function scheduleId(text: string): number {
  return unsigned(text, "DSPScheduleID", 1_000_000_000_000);
}

// ---------------------------------------------------------------------------------------------
// The shared envelope: root, schemaVersion, Header, Body, optional ds:Signature

interface Envelope {
  readonly schemaVersion: string;
  readonly header: Element;
  readonly body: Element;
  readonly signature: XmlSignatureInfo | null;
}

function readEnvelope(root: Element, expected: "Request" | "Response"): Envelope {
  if (root.namespaceURI !== SR_NS) {
    fail("DUIS_NAMESPACE", `root element ${describe(root)} is not in the DUIS namespace ${SR_NS}`);
  }
  if (root.localName !== expected) fail("DUIS_ROOT", `root element is ${describe(root)}, not sr:${expected}`);
  const schemaVersion = root.hasAttribute("schemaVersion") ? collapse(root.getAttribute("schemaVersion") ?? "") : undefined;
  if (schemaVersion === undefined) fail("DUIS_SCHEMA_VERSION", `sr:${expected} lacks the schemaVersion attribute`);
  if (!isDecimal(schemaVersion)) fail("DUIS_SCHEMA_VERSION", `schemaVersion "${schemaVersion}" is not a decimal`);
  for (let i = 0; i < root.attributes.length; i++) {
    const attribute = root.attributes.item(i);
    if (!attribute || attribute.namespaceURI === XMLNS_NS || attribute.namespaceURI === XSI_NS || attribute.name === "schemaVersion") continue;
    fail("DUIS_STRUCTURE", `unexpected attribute ${attribute.name} on sr:${expected}`);
  }
  noText(root, "DUIS_STRUCTURE");
  const parts = elementChildren(root);
  const [header, body, signature, ...extra] = parts;
  for (const part of [header, body]) if (part) requireSr(part);
  if (!header || header.localName !== "Header") fail("DUIS_STRUCTURE", `sr:${expected} must start with sr:Header${header ? `, not ${describe(header)}` : ""}`);
  if (!body || body.localName !== "Body") fail("DUIS_STRUCTURE", `sr:Body must follow sr:Header${body ? `, not ${describe(body)}` : ""}`);
  if (signature && !isElement(signature, DS_NS, "Signature")) fail("DUIS_STRUCTURE", `only a ds:Signature may follow sr:Body, not ${describe(signature)}`);
  if (extra.length > 0) fail("DUIS_STRUCTURE", `nothing may follow ds:Signature (found ${describe(extra[0] as Element)})`);
  return { schemaVersion, header, body, signature: signature ? readSignatureInfo(signature) : null };
}

// ---------------------------------------------------------------------------------------------
// Element helpers

interface FieldSpec {
  readonly name: string;
  readonly required?: boolean;
}

/** Reads an xs:sequence of sr: elements, each at most once, in the order `fields` gives. */
function readSequence(parent: Element, fields: readonly FieldSpec[], code: DuisErrorCode): Map<string, Element> {
  noText(parent, code);
  const found = new Map<string, Element>();
  let position = 0;
  let last = "";
  for (const element of elementChildren(parent)) {
    requireSr(element);
    const name = element.localName ?? "";
    const index = fields.findIndex((f) => f.name === name);
    if (index < 0) fail(code, `unexpected element sr:${name} in ${describe(parent)}`);
    if (found.has(name)) fail(code, `sr:${name} appears more than once in ${describe(parent)}`);
    if (index < position) fail(code, `sr:${name} is out of order in ${describe(parent)}: it must come before sr:${last}`);
    found.set(name, element);
    position = index + 1;
    last = name;
  }
  for (const field of fields) if (field.required && !found.has(field.name)) fail(code, `${describe(parent)} lacks sr:${field.name}`);
  return found;
}

function onlyChild(parent: Element, code: DuisErrorCode): Element {
  noText(parent, code);
  const elements = elementChildren(parent);
  if (elements.length === 0) fail(code, `${describe(parent)} is empty; it must hold exactly one element`);
  if (elements.length > 1) fail(code, `${describe(parent)} holds ${elements.length} elements (${elements.map(describe).join(", ")}); DUIS allows exactly one`);
  const element = elements[0] as Element;
  requireSr(element);
  return element;
}

/** Text content of a simple-typed element (no child elements). */
function leaf(element: Element | undefined, code: DuisErrorCode): string {
  if (!element) fail(code, "missing element");
  const nested = elementChildren(element)[0];
  if (nested) fail(code, `${describe(element)} must hold text, not ${describe(nested)}`);
  return ownText(element);
}

function boolean(text: string, field: string): boolean {
  const value = collapse(text);
  if (value === "true" || value === "1") return true;
  if (value === "false" || value === "0") return false;
  fail("DUIS_HEADER", `${field} "${text}" is not an xs:boolean`);
}

function requireSr(element: Element): void {
  if (element.namespaceURI !== SR_NS) {
    fail("DUIS_NAMESPACE", `element ${describe(element)} is not in the DUIS namespace ${SR_NS}`);
  }
}

function noText(element: Element, code: DuisErrorCode): void {
  for (let child = element.firstChild; child; child = child.nextSibling) {
    if ((child.nodeType === TEXT_NODE || child.nodeType === CDATA_SECTION_NODE) && /[^\t\n\r ]/.test(child.nodeValue ?? "")) {
      fail(code, `${describe(element)} holds text ("${(child.nodeValue ?? "").trim().slice(0, 40)}") where only elements belong`);
    }
  }
}

/** The DuisNode form of an element subtree (see DuisNode). */
export function toNode(element: Element): DuisNode {
  requireSr(element);
  const result: { name: string; attributes?: Record<string, string>; children?: DuisNode[]; text?: string } = { name: element.localName ?? "" };
  for (let i = 0; i < element.attributes.length; i++) {
    const attribute = element.attributes.item(i);
    if (!attribute || attribute.namespaceURI === XMLNS_NS) continue;
    let name: string;
    if (!attribute.namespaceURI) name = attribute.name;
    else if (attribute.namespaceURI === XSI_NS) name = `xsi:${attribute.localName ?? ""}`;
    else fail("DUIS_STRUCTURE", `attribute ${attribute.name} of ${describe(element)} is in namespace ${attribute.namespaceURI}, which DUIS does not use`);
    (result.attributes ??= {})[name] = attribute.value;
  }
  const elements = elementChildren(element);
  if (elements.length > 0) {
    for (let child = element.firstChild; child; child = child.nextSibling) {
      if (child.nodeType === ELEMENT_NODE || child.nodeType === COMMENT_NODE) continue;
      if (/[^\t\n\r ]/.test(child.nodeValue ?? "")) {
        fail("DUIS_STRUCTURE", `${describe(element)} mixes text ("${(child.nodeValue ?? "").trim().slice(0, 40)}") with elements; DUIS has no mixed content`);
      }
    }
    result.children = elements.map(toNode);
  } else {
    const text = ownText(element);
    if (text !== "") result.text = text;
  }
  return result;
}
