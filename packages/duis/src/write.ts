// Typed Request / Response -> DUIS XML: the sr prefix, the namespaces the samples declare, the
// schemaVersion kept, fields in schema order, two-space indentation. No signature: sign the
// result with signDocument, or write and sign in one step with writeSignedResponse
// (signed-write.ts), which uses the canonical form written here (`canonical`: what Canonical XML
// 1.0 makes of the plain form, so no DOM is needed to digest it).
// Text and attribute values are escaped as C14N escapes them, so the written text reads back
// unchanged (CR survives as &#xD;) and is already in canonical form.
import { escapeAttribute, escapeText } from "./c14n.js";
import {
  formatRequestId, isSignedPreCommand, node,
  type DuisNode, type DuisRequest, type DuisResponse, type ResponseBody, type ResponseContent,
} from "./model.js";
import { toBase64Text } from "./values.js";
import { DS_NS, NOT_XML_CHAR, RA_NS, SR_NS, XSI_NS } from "./xml.js";

const DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>';
const NAME = /^[A-Za-z_][A-Za-z0-9_.-]*$/;
// "xmlns" would be a namespace declaration, not an attribute.
const ATTRIBUTE_NAME = /^(?:xsi:)?(?!xmlns$)[A-Za-z_][A-Za-z0-9_.-]*$/;

export function writeRequest(request: DuisRequest): string {
  return plain(requestLines(request, false));
}

export function writeResponse(response: DuisResponse): string {
  return plain(responseLines(response, false));
}

/**
 * The root element's lines: plain (as writeRequest/writeResponse write them) or canonical (Canonical
 * XML 1.0 of the plain form: namespace declarations and attributes sorted, empty elements with an
 * end tag; joined with "\n" they are the canonical document).
 */
export function requestLines(request: DuisRequest, canonical: boolean): string[] {
  const { header, body } = request;
  const headerFields: DuisNode[] = [node("RequestID", formatRequestId(header.requestId))];
  if (header.firstInSequence !== undefined) headerFields.push(node("FirstInSequence", String(header.firstInSequence)));
  if (header.precedingRequestId) headerFields.push(node("PrecedingServiceRequestID", formatRequestId(header.precedingRequestId)));
  headerFields.push(
    node("CommandVariant", String(header.commandVariant)),
    node("ServiceReference", header.serviceReference),
    node("ServiceReferenceVariant", header.serviceReferenceVariant),
  );
  const leading = body.executionDateTime !== undefined ? [node("ExecutionDateTime", body.executionDateTime)] : [];
  let bodyElement: DuisNode;
  if (isSignedPreCommand(body)) {
    bodyElement = node("SignedPreCommand", [...leading, node("GBCSPayload", toBase64Text(body.gbcsPayload))]);
  } else {
    const { content } = body;
    if (content.name !== body.element) throw new TypeError(`body.content is sr:${content.name} but body.element says ${body.element}`);
    if (leading.length > 0 && content.text !== undefined) throw new TypeError(`sr:${content.name} has text, so it cannot also take an ExecutionDateTime`);
    bodyElement = leading.length > 0 ? { ...content, children: [...leading, ...(content.children ?? [])] } : content;
  }
  return document("Request", request.schemaVersion, [["ds", DS_NS], ["sr", SR_NS], ["xsi", XSI_NS]], [
    node("Header", headerFields),
    node("Body", [bodyElement]),
  ], canonical);
}

export function responseLines(response: DuisResponse, canonical: boolean): string[] {
  const { header } = response;
  const headerFields: DuisNode[] = [];
  if (header.requestId) headerFields.push(node("RequestID", formatRequestId(header.requestId)));
  if (header.responseId) headerFields.push(node("ResponseID", formatRequestId(header.responseId)));
  headerFields.push(node("ResponseCode", header.responseCode), node("ResponseDateTime", header.responseDateTime));
  return document("Response", response.schemaVersion, [["sr", SR_NS], ["ra", RA_NS], ["xsi", XSI_NS]], [
    node("Header", headerFields),
    node("Body", [responseBody(response.body)]),
  ], canonical);
}

function responseBody(body: ResponseBody): DuisNode {
  switch (body.kind) {
    case "ResponseMessage":
      return node("ResponseMessage", [
        node("ServiceReference", body.serviceReference),
        node("ServiceReferenceVariant", body.serviceReferenceVariant),
        ...(body.content ? [responseContent(body.content)] : []),
      ]);
    case "DeviceAlertMessage":
      return node("DeviceAlertMessage", [
        node("AlertCode", body.alertCode),
        ...throttling(body),
        node("GBCSPayload", toBase64Text(body.gbcsPayload)),
      ]);
    case "DCCAlertMessage":
      return node("DCCAlertMessage", [node("DCCAlertCode", body.dccAlertCode), ...throttling(body), node("DCCAlert", [body.event])]);
  }
}

function throttling(body: { throttledAlertSequenceId?: number; throttledAlertCount?: number }): DuisNode[] {
  const fields: DuisNode[] = [];
  if (body.throttledAlertSequenceId !== undefined) fields.push(node("ThrottledAlertSequenceId", String(body.throttledAlertSequenceId)));
  if (body.throttledAlertCount !== undefined) fields.push(node("ThrottledAlertCount", String(body.throttledAlertCount)));
  return fields;
}

function responseContent(content: ResponseContent): DuisNode {
  const payload = (bytes: Uint8Array) => node("GBCSPayload", toBase64Text(bytes));
  switch (content.kind) {
    case "GBCSPayload":
      return payload(content.gbcsPayload);
    case "PreCommand":
      return node("PreCommand", [node("GBCSVersion", content.gbcsVersion), payload(content.gbcsPayload)]);
    case "LocalCommand":
      return node("LocalCommand", [payload(content.gbcsPayload)]);
    case "FutureDatedDeviceAlertMessage":
      return node("FutureDatedDeviceAlertMessage", [
        node("FutureDatedAlertCode", content.futureDatedAlertCode),
        payload(content.gbcsPayload),
        node("InstructionNumber", String(content.instructionNumber)),
        node("TotalCommandInstructions", String(content.totalCommandInstructions)),
      ]);
    case "DSPScheduledMessage":
      return node("DSPScheduledMessage", [payload(content.gbcsPayload), node("DSPScheduleID", String(content.dspScheduleId))]);
    case "DSPScheduleID":
      return node("DSPScheduleID", String(content.dspScheduleId));
    case "CINMessage":
      return node("CINMessage", [payload(content.gbcsPayload), node("CustomerIdentificationNumber", content.customerIdentificationNumber)]);
    case "DSPSchedulesRead":
    case "DSPInventory":
    case "Other":
      return content.node;
  }
}

const plain = (lines: readonly string[]): string => `${DECLARATION}\n${lines.join("\n")}\n`;

function document(root: string, schemaVersion: string, namespaces: [string, string][], children: DuisNode[], canonical: boolean): string[] {
  if (!/^[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)$/.test(schemaVersion)) throw new TypeError(`schemaVersion "${schemaVersion}" is not a decimal`);
  // C14N orders namespace declarations by prefix (the prefixes here are ASCII).
  const ordered = canonical ? [...namespaces].sort((a, b) => (a[0] < b[0] ? -1 : 1)) : namespaces;
  const declarations = ordered.map(([prefix, uri]) => ` xmlns:${prefix}="${uri}"`).join("");
  const lines = [`<sr:${root}${declarations} schemaVersion="${schemaVersion}">`];
  for (const child of children) writeNode(child, 1, lines, canonical);
  lines.push(`</sr:${root}>`);
  return lines;
}

function writeNode(element: DuisNode, depth: number, lines: string[], canonical: boolean): void {
  if (!NAME.test(element.name)) throw new TypeError(`"${element.name}" is not an element name`);
  if (element.children && element.children.length > 0 && element.text !== undefined) {
    throw new TypeError(`sr:${element.name} has both children and text; DUIS has no mixed content`);
  }
  const indent = "  ".repeat(depth);
  let open = `sr:${element.name}`;
  const attributes = Object.entries(element.attributes ?? {});
  // C14N orders attributes by namespace URI, then local name: unprefixed ones (no namespace)
  // before xsi: ones; the names are ASCII.
  if (canonical && attributes.length > 1) attributes.sort(([a], [b]) => (canonicalKey(a) < canonicalKey(b) ? -1 : 1));
  for (const [name, value] of attributes) {
    if (!ATTRIBUTE_NAME.test(name)) throw new TypeError(`"${name}" is not an attribute name`);
    if (NOT_XML_CHAR.test(value)) throw new TypeError(`attribute ${name} of sr:${element.name} holds a character XML does not allow`);
    open += ` ${name}="${escapeAttribute(value)}"`;
  }
  if (element.children && element.children.length > 0) {
    lines.push(`${indent}<${open}>`);
    for (const child of element.children) writeNode(child, depth + 1, lines, canonical);
    lines.push(`${indent}</sr:${element.name}>`);
  } else if (element.text !== undefined && element.text !== "") {
    if (NOT_XML_CHAR.test(element.text)) throw new TypeError(`sr:${element.name} holds a character XML does not allow`);
    lines.push(`${indent}<${open}>${escapeText(element.text)}</sr:${element.name}>`);
  } else {
    lines.push(canonical ? `${indent}<${open}></sr:${element.name}>` : `${indent}<${open}/>`);
  }
}

const canonicalKey = (name: string): string => (name.startsWith("xsi:") ? `1${name.slice(4)}` : `0${name}`);
