// Safe XML parsing: the limits and the XXE refusals are enforced by one linear scan of the text
// before any tree is built, then a second pass builds the namespace-aware tree (dom.ts), checking
// what the scan does not: tags that match, attributes written once, prefixes that are bound. DUIS
// needs no DTD, no entities beyond the five predefined ones, and no processing instructions, so
// all of those are refused outright.
import { Document, Element, Node, type Attr } from "./dom.js";
import { fail } from "./errors.js";

export { Document, Element, Node };
export {
  CDATA_SECTION_NODE, COMMENT_NODE, DOCUMENT_NODE, ELEMENT_NODE, PROCESSING_INSTRUCTION_NODE, TEXT_NODE,
} from "./dom.js";
import { CDATA_SECTION_NODE, COMMENT_NODE, ELEMENT_NODE, TEXT_NODE } from "./dom.js";

export const SR_NS = "http://www.dccinterface.co.uk/ServiceUserGateway";
export const DS_NS = "http://www.w3.org/2000/09/xmldsig#";
export const XSI_NS = "http://www.w3.org/2001/XMLSchema-instance";
export const RA_NS = "http://www.dccinterface.co.uk/ResponseAndAlert";
export const XMLNS_NS = "http://www.w3.org/2000/xmlns/";
export const XML_NS = "http://www.w3.org/XML/1998/namespace";

export interface XmlLimits {
  /** Largest accepted document in bytes (UTF-8). Default 1 MiB. */
  readonly maxBytes?: number;
  /** Deepest accepted element nesting; the root element is at depth 1. Default 64. */
  readonly maxDepth?: number;
  /** Most elements accepted in one document. Default 10 000. */
  readonly maxElements?: number;
}

export const DEFAULT_LIMITS: Required<XmlLimits> = { maxBytes: 1024 * 1024, maxDepth: 64, maxElements: 10_000 };

/** Parses `input` (text, or UTF-8 bytes) into a tree after checking limits; throws DuisError. */
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
  const start = scan(text, maxDepth, maxElements);
  return buildTree(text, start);
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
function scan(text: string, maxDepth: number, maxElements: number): number {
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
  const afterDeclaration = i;
  let depth = 0;
  let elements = 0;
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
        else j++;
      }
      const selfClosing = text.charCodeAt(j - 1) === 0x2f;
      elements++;
      if (elements > maxElements) fail("XML_ELEMENTS", `document has more than ${maxElements} elements`);
      if (depth + 1 > maxDepth) fail("XML_DEPTH", `elements nest deeper than ${maxDepth} levels (offset ${i})`);
      if (!selfClosing) depth++;
      i = j + 1;
    }
  }
  return afterDeclaration;
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
  return node.nodeType === ELEMENT_NODE && (node as Element).namespaceURI === namespace && (node as Element).localName === localName;
}

/** "{namespace}local" for messages. */
export function describe(element: Element): string {
  return element.namespaceURI === SR_NS ? `sr:${element.localName}` : element.namespaceURI === DS_NS ? `ds:${element.localName}`
    : element.namespaceURI ? `{${element.namespaceURI}}${element.localName}` : (element.localName ?? element.nodeName);
}

// ---------------------------------------------------------------------------------------------
// The tree. The scan has already refused bad characters, references, DTDs, PIs, unterminated
// markup and documents over the limits; what is left to check is the structure.

const ENTITIES: Readonly<Record<string, string>> = { lt: "<", gt: ">", amp: "&", apos: "'", quot: '"' };
const REFERENCES = /&(?:(lt|gt|amp|apos|quot)|#([0-9]+)|#x([0-9a-fA-F]+));/g;
const NAME_CHARS = "A-Za-z_\\u00C0-\\uFFFF";
const QNAME = new RegExp(`^[${NAME_CHARS}][${NAME_CHARS}0-9.\\-\\u00B7]*(?::[${NAME_CHARS}][${NAME_CHARS}0-9.\\-\\u00B7]*)?$`);
const WHITESPACE_ONLY = /^[\t\n\r ]*$/;

const malformed = (message: string): never => fail("XML_MALFORMED", `not well-formed XML: ${message}`);

function decode(text: string): string {
  if (!text.includes("&")) return text;
  return text.replace(REFERENCES, (_, entity: string | undefined, decimal: string | undefined, hex: string | undefined) =>
    entity !== undefined ? (ENTITIES[entity] as string) : String.fromCodePoint(decimal !== undefined ? Number.parseInt(decimal, 10) : Number.parseInt(hex ?? "", 16)));
}

const isSpace = (c: number) => c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;

// The namespaces in scope: an element's own declarations over its parent's scope (a chain, so
// that no element copies its ancestors' bindings; lookups are bounded by the depth limit).
interface Scope {
  readonly bindings: ReadonlyMap<string, string>;
  readonly parent: Scope | null;
}
const ROOT_SCOPE: Scope = { bindings: new Map([["xml", XML_NS]]), parent: null };

function lookup(scope: Scope, prefix: string): string | undefined {
  for (let at: Scope | null = scope; at; at = at.parent) {
    const uri = at.bindings.get(prefix);
    if (uri !== undefined) return uri;
  }
  return undefined;
}

function buildTree(source: string, start: number): Document {
  // End-of-line handling (XML 1.0 section 2.11): CR LF and lone CR read as LF; a CR written as
  // &#13; survives, as the character references are decoded later.
  const text = source.includes("\r") ? source.replace(/\r\n?/g, "\n") : source;
  const from = source === text ? start : source.slice(0, start).replace(/\r\n?/g, "\n").length;
  const document = new Document();
  const open: Element[] = [];
  const scopes: Scope[] = [ROOT_SCOPE];
  let parent: Node = document;
  let rootSeen = false;
  const n = text.length;
  let i = from;
  while (i < n) {
    let lt = text.indexOf("<", i);
    if (lt < 0) lt = n;
    if (lt > i) {
      const data = text.slice(i, lt);
      if (parent === document) {
        if (!WHITESPACE_ONLY.test(data)) malformed(`text outside root element: '${data.trim().slice(0, 40)}'`);
      } else parent.appendChild(document.createTextNode(decode(data)));
    }
    if (lt >= n) break;
    if (text.startsWith("<!--", lt)) {
      const end = text.indexOf("-->", lt + 4);
      parent.appendChild(new Node(COMMENT_NODE, "#comment", text.slice(lt + 4, end)));
      i = end + 3;
    } else if (text.startsWith("<![CDATA[", lt)) {
      const end = text.indexOf("]]>", lt + 9);
      parent.appendChild(new Node(CDATA_SECTION_NODE, "#cdata-section", text.slice(lt + 9, end)));
      i = end + 3;
    } else if (text.charCodeAt(lt + 1) === 0x2f) {
      const end = text.indexOf(">", lt);
      const name = text.slice(lt + 2, end).replace(/[\t\n\r ]+$/, "");
      const element = open.pop();
      if (!element) malformed(`end tag </${name}> without a start tag`);
      else if (element.nodeName !== name) malformed(`end tag </${name}> does not match (mismatch) the start tag <${element.nodeName}>`);
      scopes.pop();
      parent = open[open.length - 1] ?? document;
      i = end + 1;
    } else {
      if (rootSeen && parent === document) malformed(`element after the root element at offset ${lt}`);
      i = startTag(text, lt, parent, scopes, open);
      rootSeen = true;
      parent = open[open.length - 1] ?? document;
    }
  }
  if (open.length > 0) malformed(`unclosed element <${(open[open.length - 1] as Element).nodeName}>`);
  if (!rootSeen) fail("XML_MALFORMED", "document has no root element");
  return document;
}

interface RawAttribute {
  readonly name: string;
  readonly value: string;
}

// Reads the start tag at `lt`, appends its element to `parent` (and opens it unless it is empty)
// and returns the offset after it.
function startTag(text: string, lt: number, parent: Node, scopes: Scope[], open: Element[]): number {
  let j = lt + 1;
  const nameEnd = (at: number) => {
    let k = at;
    for (;;) {
      const c = text.charCodeAt(k);
      if (isSpace(c) || c === 0x3e || c === 0x2f || c === 0x3d || Number.isNaN(c)) return k;
      k++;
    }
  };
  const end = nameEnd(j);
  const qname = text.slice(j, end);
  if (!QNAME.test(qname)) malformed(`"${qname}" is not an element name (offset ${lt})`);
  j = end;
  const raw: RawAttribute[] = [];
  const names = new Set<string>();
  let selfClosing = false;
  for (;;) {
    const spaced = isSpace(text.charCodeAt(j));
    while (isSpace(text.charCodeAt(j))) j++;
    const c = text.charCodeAt(j);
    if (c === 0x3e) break;
    if (c === 0x2f) {
      if (text.charCodeAt(j + 1) !== 0x3e) malformed(`"/" not closing the start tag <${qname}>`);
      selfClosing = true;
      j++;
      break;
    }
    if (!spaced) malformed(`attributes of <${qname}> must be separated by whitespace`);
    const attributeEnd = nameEnd(j);
    const name = text.slice(j, attributeEnd);
    if (!QNAME.test(name)) malformed(`"${name}" is not an attribute name in <${qname}>`);
    j = attributeEnd;
    while (isSpace(text.charCodeAt(j))) j++;
    if (text.charCodeAt(j) !== 0x3d) malformed(`attribute ${name} of <${qname}> has no value`);
    j++;
    while (isSpace(text.charCodeAt(j))) j++;
    const quote = text.charAt(j);
    if (quote !== '"' && quote !== "'") malformed(`the value of attribute ${name} of <${qname}> is not quoted`);
    const close = text.indexOf(quote, j + 1);
    // Attribute-value normalization (XML 1.0 section 3.3.3): literal whitespace reads as spaces.
    const value = decode(text.slice(j + 1, close).replace(/[\t\n\r]/g, " "));
    if (names.has(name)) malformed(`attribute ${name} redefined in <${qname}>`);
    names.add(name);
    raw.push({ name, value });
    j = close + 1;
  }

  // Namespaces in XML 1.0: declarations first, then the element's and attributes' names.
  const parentScope = scopes[scopes.length - 1] as Scope;
  let bindings: Map<string, string> | null = null;
  for (const { name, value } of raw) {
    if (name !== "xmlns" && !name.startsWith("xmlns:")) continue;
    const prefix = name === "xmlns" ? "" : name.slice(6);
    if (prefix === "xmlns") malformed("the xmlns prefix cannot be declared");
    if (prefix === "xml" ? value !== XML_NS : value === XML_NS) malformed(`the xml prefix and ${XML_NS} belong only to each other`);
    if (value === XMLNS_NS) malformed(`${XMLNS_NS} cannot be declared`);
    if (prefix !== "" && value === "") malformed(`prefix ${prefix} cannot be undeclared (xmlns:${prefix}="")`);
    (bindings ??= new Map()).set(prefix, value);
  }
  const scope: Scope = bindings ? { bindings, parent: parentScope } : parentScope;
  const resolve = (name: string, useDefault: boolean): [string | null, string, string | null] => {
    const colon = name.indexOf(":");
    if (colon < 0) return [null, name, useDefault ? lookup(scope, "") || null : null];
    const prefix = name.slice(0, colon);
    if (prefix === "xmlns") malformed(`element <${name}> uses the reserved prefix xmlns`);
    const namespace = lookup(scope, prefix);
    if (namespace === undefined) malformed(`namespace prefix ${prefix} of ${name} is not declared`);
    return [prefix, name.slice(colon + 1), namespace as string];
  };
  const [prefix, localName, namespace] = resolve(qname, true);
  const attributes: Attr[] = [];
  const expanded = new Set<string>();
  for (const { name, value } of raw) {
    let attribute: Attr;
    if (name === "xmlns") attribute = { name, prefix: null, localName: "xmlns", namespaceURI: XMLNS_NS, value };
    else if (name.startsWith("xmlns:")) attribute = { name, prefix: "xmlns", localName: name.slice(6), namespaceURI: XMLNS_NS, value };
    else {
      const [attributePrefix, attributeLocal, attributeNamespace] = resolve(name, false);
      attribute = { name, prefix: attributePrefix, localName: attributeLocal, namespaceURI: attributeNamespace, value };
      const key = `${attributeNamespace ?? ""} ${attributeLocal}`;
      if (expanded.has(key)) fail("XML_MALFORMED", `element ${qname} has two attributes with the same namespace and local name`);
      expanded.add(key);
    }
    attributes.push(attribute);
  }
  const element = new Element(qname, prefix, localName, namespace, attributes);
  parent.appendChild(element);
  if (!selfClosing) {
    open.push(element);
    scopes.push(scope);
  }
  return j + 1;
}
