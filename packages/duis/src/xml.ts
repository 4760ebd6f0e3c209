// Safe XML parsing: the limits and the XXE refusals are enforced by one linear scan of the text
// before any DOM is built, then @xmldom/xmldom builds the (namespace-aware) DOM with every
// warning treated as fatal. DUIS needs no DTD, no entities beyond the five predefined ones, and
// no processing instructions, so all of those are refused outright.
import { DOMParser, type Document, type Element, type Node } from "@xmldom/xmldom";
import { fail } from "./errors.js";

export type { Document, Element, Node };

export const SR_NS = "http://www.dccinterface.co.uk/ServiceUserGateway";
export const DS_NS = "http://www.w3.org/2000/09/xmldsig#";
export const XSI_NS = "http://www.w3.org/2001/XMLSchema-instance";
export const RA_NS = "http://www.dccinterface.co.uk/ResponseAndAlert";
export const XMLNS_NS = "http://www.w3.org/2000/xmlns/";
export const XML_NS = "http://www.w3.org/XML/1998/namespace";

export const ELEMENT_NODE = 1;
export const TEXT_NODE = 3;
export const CDATA_SECTION_NODE = 4;
export const PROCESSING_INSTRUCTION_NODE = 7;
export const COMMENT_NODE = 8;
export const DOCUMENT_NODE = 9;

export interface XmlLimits {
  /** Largest accepted document in bytes (UTF-8). Default 1 MiB. */
  readonly maxBytes?: number;
  /** Deepest accepted element nesting; the root element is at depth 1. Default 64. */
  readonly maxDepth?: number;
  /** Most elements accepted in one document. Default 10 000. */
  readonly maxElements?: number;
}

export const DEFAULT_LIMITS: Required<XmlLimits> = { maxBytes: 1024 * 1024, maxDepth: 64, maxElements: 10_000 };

/** Parses `input` (text, or UTF-8 bytes) into a DOM after checking limits; throws DuisError. */
export function parseXml(input: string | Uint8Array, limits: XmlLimits = {}): Document {
  const { maxBytes, maxDepth, maxElements } = { ...DEFAULT_LIMITS, ...limits };
  let text: string;
  if (typeof input === "string") {
    if (utf8Length(input, maxBytes) > maxBytes) fail("XML_SIZE", `document is larger than the ${maxBytes}-byte limit`);
    text = input;
  } else {
    if (input.length > maxBytes) fail("XML_SIZE", `document is ${input.length} bytes; the limit is ${maxBytes}`);
    try {
      text = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(input);
    } catch {
      fail("XML_ENCODING", "document is not valid UTF-8");
    }
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const attributeCounts = scan(text, maxDepth, maxElements);
  let document: Document;
  let problem: string | undefined;
  try {
    document = new DOMParser({
      onError: (level, message) => {
        problem ??= `${message} (${level})`;
        throw new Error(message);
      },
    }).parseFromString(text, "text/xml");
  } catch (error) {
    fail("XML_MALFORMED", `not well-formed XML: ${problem ?? (error as Error).message}`);
  }
  if (!document.documentElement) fail("XML_MALFORMED", "document has no root element");
  checkAttributeCounts(document.documentElement, attributeCounts);
  return document;
}

// Namespaces in XML: no element may carry two attributes with the same namespace and local name
// (a:x and b:x with a and b bound to one URI). The DOM builder silently keeps only one of them,
// so every element's attribute count is compared with the count the scan saw in its start tag
// (elements in document order are start tags in text order).
function checkAttributeCounts(root: Element, counts: readonly number[]): void {
  const stack: Element[] = [root];
  let index = 0;
  while (stack.length > 0) {
    const element = stack.pop() as Element;
    if (element.attributes.length !== counts[index]) {
      fail("XML_MALFORMED", `element ${element.nodeName} has two attributes with the same namespace and local name`);
    }
    index++;
    const elements: Element[] = [];
    for (let child = element.firstChild; child; child = child.nextSibling) if (child.nodeType === ELEMENT_NODE) elements.push(child as Element);
    for (let i = elements.length - 1; i >= 0; i--) stack.push(elements[i] as Element);
  }
}

// UTF-8 length of a string, counting only as far as needed to know it exceeds `limit`.
function utf8Length(text: string, limit: number): number {
  if (text.length > limit) return text.length;
  if (text.length * 3 <= limit) return text.length;
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      bytes += 4;
      i++;
    } else bytes += 3;
    if (bytes > limit) return bytes;
  }
  return bytes;
}

// Characters XML 1.0 allows anywhere in a document.
export const NOT_XML_CHAR = /[^\t\n\r\x20-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;
const REFERENCE = /^&(?:(lt|gt|amp|apos|quot)|#([0-9]+)|#x([0-9a-fA-F]+));/;
const NAME_START = /[A-Za-z_:\u00C0-\uFFFF]/;

/**
 * One pass over the text: refuses DOCTYPE/ENTITY/processing instructions, undeclared entity
 * references, bad character references and characters, and counts elements and depth, so that
 * no hostile document reaches the DOM builder.
 */
function scan(text: string, maxDepth: number, maxElements: number): number[] {
  const bad = NOT_XML_CHAR.exec(text);
  if (bad) fail("XML_MALFORMED", `character U+${(bad[0].codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, "0")} is not allowed in XML (at offset ${bad.index})`);
  const n = text.length;
  let i = 0;
  if (/^<\?xml[\t\n\r ]/.test(text)) {
    const end = text.indexOf("?>");
    if (end < 0) fail("XML_MALFORMED", "unterminated XML declaration");
    checkDeclaration(text.slice(0, end + 2));
    i = end + 2;
  }
  let depth = 0;
  let elements = 0;
  const attributeCounts: number[] = [];
  while (i < n) {
    const lt = text.indexOf("<", i);
    const textEnd = lt < 0 ? n : lt;
    if (textEnd > i) checkCharacterData(text, i, textEnd, "text");
    if (lt < 0) break;
    i = lt;
    if (text.startsWith("<!--", i)) {
      const end = text.indexOf("-->", i + 4);
      if (end < 0) fail("XML_MALFORMED", `unterminated comment at offset ${i}`);
      if (text.slice(i + 4, end).includes("--") || text.charCodeAt(end - 1) === 0x2d) fail("XML_MALFORMED", `"--" inside a comment at offset ${i}`);
      i = end + 3;
    } else if (text.startsWith("<![CDATA[", i)) {
      if (depth === 0) fail("XML_MALFORMED", `CDATA section outside the root element at offset ${i}`);
      const end = text.indexOf("]]>", i + 9);
      if (end < 0) fail("XML_MALFORMED", `unterminated CDATA section at offset ${i}`);
      i = end + 3;
    } else if (text.startsWith("<!DOCTYPE", i)) {
      fail("XML_DTD", `DOCTYPE declarations are not accepted (offset ${i}): DUIS needs no DTD, and DTDs carry entity attacks`);
    } else if (text.startsWith("<!ENTITY", i)) {
      fail("XML_DTD", `ENTITY declarations are not accepted (offset ${i})`);
    } else if (text.startsWith("<!", i)) {
      fail("XML_MALFORMED", `unexpected markup declaration at offset ${i}`);
    } else if (text.startsWith("<?", i)) {
      const target = /^<\?([^\s?]*)/.exec(text.slice(i, i + 64))?.[1] ?? "";
      fail("XML_PI", target.toLowerCase() === "xml"
        ? `XML declaration not at the start of the document (offset ${i})`
        : `processing instruction <?${target}?> is not accepted (offset ${i})`);
    } else if (text.startsWith("</", i)) {
      const end = text.indexOf(">", i);
      if (end < 0) fail("XML_MALFORMED", `unterminated end tag at offset ${i}`);
      depth--;
      if (depth < 0) fail("XML_MALFORMED", `end tag without a start tag at offset ${i}`);
      i = end + 1;
    } else {
      if (!NAME_START.test(text.charAt(i + 1))) fail("XML_MALFORMED", `"<" not starting a tag at offset ${i}`);
      let j = i + 1;
      let attributes = 0;
      for (;;) {
        if (j >= n) fail("XML_MALFORMED", `unterminated start tag at offset ${i}`);
        const c = text.charCodeAt(j);
        if (c === 0x22 || c === 0x27) {
          const close = text.indexOf(c === 0x22 ? '"' : "'", j + 1);
          if (close < 0) fail("XML_MALFORMED", `unterminated attribute value at offset ${j}`);
          checkCharacterData(text, j + 1, close, "attribute");
          j = close + 1;
        } else if (c === 0x3e) break;
        else if (c === 0x3c) fail("XML_MALFORMED", `"<" inside a start tag at offset ${j}`);
        else {
          if (c === 0x3d) attributes++;
          j++;
        }
      }
      const selfClosing = text.charCodeAt(j - 1) === 0x2f;
      elements++;
      attributeCounts.push(attributes);
      if (elements > maxElements) fail("XML_ELEMENTS", `document has more than ${maxElements} elements`);
      if (depth + 1 > maxDepth) fail("XML_DEPTH", `elements nest deeper than ${maxDepth} levels (offset ${i})`);
      if (!selfClosing) depth++;
      i = j + 1;
    }
  }
  return attributeCounts;
}

function checkDeclaration(declaration: string): void {
  const encoding = /\sencoding\s*=\s*["']([^"']*)["']/.exec(declaration)?.[1];
  if (encoding !== undefined && !/^utf-?8$/i.test(encoding)) fail("XML_ENCODING", `declared encoding "${encoding}" is not UTF-8`);
  const version = /\sversion\s*=\s*["']([^"']*)["']/.exec(declaration)?.[1];
  if (version !== "1.0") fail("XML_MALFORMED", `XML declaration must say version="1.0" (found ${version === undefined ? "none" : `"${version}"`})`);
}

// Character data and attribute values: every "&" starts a predefined entity or a character
// reference to an allowed character, "<" never appears in attribute values and "]]>" never in
// text. A plain loop, so the whole scan stays linear in the document size.
function checkCharacterData(text: string, from: number, to: number, where: "text" | "attribute"): void {
  for (let at = from; at < to; at++) {
    const c = text.charCodeAt(at);
    if (c === 0x26) {
      const match = REFERENCE.exec(text.slice(at, Math.min(to, at + 32)));
      if (!match) {
        const name = /^&([^\s;&<]{0,40});/.exec(text.slice(at, Math.min(to, at + 48)))?.[1];
        fail("XML_MALFORMED", name !== undefined
          ? `reference to undeclared entity "&${name};" at offset ${at} (no DTD, so only the five predefined entities exist)`
          : `bare "&" in ${where} at offset ${at}`);
      }
      if (match[2] !== undefined || match[3] !== undefined) {
        const code = match[2] !== undefined ? Number.parseInt(match[2], 10) : Number.parseInt(match[3] ?? "", 16);
        const allowed = code === 0x9 || code === 0xa || code === 0xd || (code >= 0x20 && code <= 0xd7ff) ||
          (code >= 0xe000 && code <= 0xfffd) || (code >= 0x10000 && code <= 0x10ffff);
        if (!allowed) fail("XML_MALFORMED", `character reference ${match[0]} at offset ${at} names a character XML does not allow`);
      }
    } else if (c === 0x3c && where === "attribute") {
      fail("XML_MALFORMED", `"<" inside an attribute value at offset ${at}`);
    } else if (c === 0x3e && where === "text" && at >= from + 2 && text.charCodeAt(at - 1) === 0x5d && text.charCodeAt(at - 2) === 0x5d) {
      fail("XML_MALFORMED", `"]]>" in text at offset ${at - 2}`);
    }
  }
}

/** Element children of `node`, in document order. */
export function elementChildren(node: Node): Element[] {
  const out: Element[] = [];
  for (let child = node.firstChild; child; child = child.nextSibling) if (child.nodeType === ELEMENT_NODE) out.push(child as Element);
  return out;
}

/** Concatenated text and CDATA children of `node` (not descendants). */
export function ownText(node: Node): string {
  let text = "";
  for (let child = node.firstChild; child; child = child.nextSibling) {
    if (child.nodeType === TEXT_NODE || child.nodeType === CDATA_SECTION_NODE) text += child.nodeValue ?? "";
  }
  return text;
}

export function isElement(node: Node, namespace: string, localName: string): node is Element {
  return node.nodeType === ELEMENT_NODE && node.namespaceURI === namespace && (node as Element).localName === localName;
}

/** "{namespace}local" for messages. */
export function describe(element: Element): string {
  return element.namespaceURI === SR_NS ? `sr:${element.localName}` : element.namespaceURI === DS_NS ? `ds:${element.localName}`
    : element.namespaceURI ? `{${element.namespaceURI}}${element.localName}` : (element.localName ?? element.nodeName);
}
