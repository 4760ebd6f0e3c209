// XML canonicalization over the tree parseXml builds (dom.ts), for the two forms the DUIS signature uses:
// - Canonical XML 1.0 (inclusive, http://www.w3.org/TR/2001/REC-xml-c14n-20010315) of a whole
//   document, optionally leaving out one subtree (the enveloped-signature transform);
// - Exclusive XML Canonicalization 1.0 (http://www.w3.org/2001/10/xml-exc-c14n#) of one element
//   subtree (SignedInfo), with an optional InclusiveNamespaces PrefixList.
// Both without comments unless asked. Documents reaching here have no DTD (the parser refuses
// one), so there are no default attributes or entity references to expand, and no relative
// namespace URIs are special-cased.
import {
  CDATA_SECTION_NODE, COMMENT_NODE, ELEMENT_NODE, PROCESSING_INSTRUCTION_NODE, TEXT_NODE, XMLNS_NS, XML_NS,
  type Document, type Element, type Node,
} from "./xml.js";

export interface DocumentC14nOptions {
  /** A subtree to leave out entirely (the ds:Signature under the enveloped-signature transform). */
  readonly exclude?: Node | null;
  /** Keep comments (Canonical XML "with comments"); default false. */
  readonly withComments?: boolean;
}

// Namespace bindings as a chain: an element's own declarations over its parent's. No element
// copies its ancestors' bindings, so a document declaring many prefixes on many elements costs
// time linear in its size (lookups are bounded by the depth limit).
interface Bindings {
  readonly own: ReadonlyMap<string, string>;
  readonly parent: Bindings | null;
}

function lookup(bindings: Bindings | null, prefix: string): string | undefined {
  for (let at = bindings; at; at = at.parent) {
    const uri = at.own.get(prefix);
    if (uri !== undefined) return uri;
  }
  return undefined;
}

const extend = (bindings: Bindings | null, declared: readonly [string, string][]): Bindings => ({ own: new Map(declared), parent: bindings });

/** Canonical XML 1.0 of a whole document. */
export function canonicalizeDocument(document: Document, options: DocumentC14nOptions = {}): string {
  const out: string[] = [];
  let afterRoot = false;
  for (let child = document.firstChild; child; child = child.nextSibling) {
    if (child.nodeType === ELEMENT_NODE) {
      if (child !== options.exclude) inclusiveElement(child as Element, null, out, options);
      afterRoot = true;
    } else if ((child.nodeType === COMMENT_NODE && options.withComments) || child.nodeType === PROCESSING_INSTRUCTION_NODE) {
      // Outside the root element, C14N separates comments and PIs from it with one line feed.
      if (afterRoot) out.push("\n");
      out.push(child.nodeType === COMMENT_NODE ? `<!--${child.nodeValue ?? ""}-->` : processingInstruction(child));
      if (!afterRoot) out.push("\n");
    }
  }
  return out.join("");
}

function inclusiveElement(element: Element, parentScope: Bindings | null, out: string[], options: DocumentC14nOptions): void {
  const attributes: Attribute[] = [];
  const declared: [string, string][] = [];
  readAttributes(element, declared, attributes);
  // Every namespace declared here that the parent did not already render with the same value
  // (an element that declares none renders none: its scope is its parent's).
  const declarations: [string, string][] = [];
  for (const [prefix, uri] of declared) {
    if (prefix === "xml") continue;
    if (prefix === "" ? uri !== (lookup(parentScope, "") ?? "") : lookup(parentScope, prefix) !== uri) declarations.push([prefix, uri]);
  }
  const scope = declared.length > 0 ? extend(parentScope, declared) : parentScope;
  openTag(element, declarations, attributes, out);
  for (let child = element.firstChild; child; child = child.nextSibling) {
    if (child.nodeType === ELEMENT_NODE) {
      if (child !== options.exclude) inclusiveElement(child as Element, scope, out, options);
    } else content(child, out, options.withComments ?? false);
  }
  out.push(`</${element.nodeName}>`);
}

/** Exclusive XML Canonicalization 1.0 (without comments) of the subtree rooted at `element`. */
export function canonicalizeExclusive(element: Element, inclusivePrefixes: readonly string[] = []): string {
  const out: string[] = [];
  const inclusive = new Set(inclusivePrefixes.map((p) => (p === "#default" ? "" : p)));
  const above: Bindings = { own: inScopeNamespaces(element.parentNode), parent: null };
  exclusiveElement(element, true, null, above, inclusive, out);
  return out.join("");
}

function exclusiveElement(
  element: Element, apex: boolean, rendered: Bindings | null, parentScope: Bindings,
  inclusive: ReadonlySet<string>, out: string[],
): void {
  const attributes: Attribute[] = [];
  const declared: [string, string][] = [];
  readAttributes(element, declared, attributes);
  const scope = declared.length > 0 ? extend(parentScope, declared) : parentScope;
  // Namespaces the element visibly utilizes: its own prefix (or the default namespace) and the
  // prefixes of its attributes; plus the prefixes of the InclusiveNamespaces PrefixList in scope.
  // Each is rendered unless the nearest output ancestor already rendered it with the same value.
  // Below the apex, which renders every listed prefix in scope, a listed prefix can only differ
  // from what was rendered where it is declared again, so only the element's own declarations
  // are looked at (the list may be long; this keeps the cost linear).
  const needed = new Map<string, string>();
  needed.set(element.prefix ?? "", element.namespaceURI ?? "");
  for (const attribute of attributes) if (attribute.prefix) needed.set(attribute.prefix, attribute.namespace);
  if (apex) {
    for (const prefix of inclusive) {
      const uri = lookup(scope, prefix);
      if (uri !== undefined) needed.set(prefix, uri);
    }
  } else {
    for (const [prefix, uri] of declared) if (inclusive.has(prefix)) needed.set(prefix, uri);
  }
  const declarations: [string, string][] = [];
  for (const [prefix, uri] of needed) {
    if (prefix === "xml") continue;
    if (prefix === "" ? uri === (lookup(rendered, "") ?? "") : lookup(rendered, prefix) === uri) continue;
    declarations.push([prefix, uri]);
  }
  const next = declarations.length > 0 ? extend(rendered, declarations) : rendered;
  openTag(element, declarations, attributes, out);
  for (let child = element.firstChild; child; child = child.nextSibling) {
    if (child.nodeType === ELEMENT_NODE) exclusiveElement(child as Element, false, next, scope, inclusive, out);
    else content(child, out, false);
  }
  out.push(`</${element.nodeName}>`);
}

interface Attribute {
  readonly qname: string;
  readonly prefix: string;
  readonly local: string;
  readonly namespace: string;
  readonly value: string;
}

// Splits an element's attributes into namespace declarations ([prefix, uri], "" for the default
// namespace) and ordinary attributes.
function readAttributes(element: Element, declared: [string, string][], attributes: Attribute[]): void {
  const list = element.attributes;
  for (let i = 0; i < list.length; i++) {
    const attribute = list.item(i);
    if (!attribute) continue;
    if (attribute.namespaceURI === XMLNS_NS) {
      declared.push([attribute.prefix === "xmlns" ? attribute.localName ?? "" : "", attribute.value]);
    } else {
      attributes.push({
        qname: attribute.name,
        prefix: attribute.prefix ?? "",
        local: attribute.localName ?? attribute.name,
        namespace: attribute.namespaceURI ?? "",
        value: attribute.value,
      });
    }
  }
}

/** Namespace bindings in scope at `node` (nearest declaration wins); empty above the root. */
export function inScopeNamespaces(node: Node | null): Map<string, string> {
  const chain: Element[] = [];
  for (let at = node; at && at.nodeType === ELEMENT_NODE; at = at.parentNode) chain.unshift(at as Element);
  const scope = new Map<string, string>([["xml", XML_NS]]);
  for (const element of chain) {
    const declared: [string, string][] = [];
    readAttributes(element, declared, []);
    for (const [prefix, uri] of declared) scope.set(prefix, uri);
  }
  return scope;
}

function openTag(element: Element, declarations: [string, string][], attributes: Attribute[], out: string[]): void {
  declarations.sort((a, b) => compareCodePoints(a[0], b[0]));
  attributes.sort((a, b) => compareCodePoints(a.namespace, b.namespace) || compareCodePoints(a.local, b.local));
  let tag = `<${element.nodeName}`;
  for (const [prefix, uri] of declarations) tag += `${prefix === "" ? " xmlns" : ` xmlns:${prefix}`}="${escapeAttribute(uri)}"`;
  for (const attribute of attributes) tag += ` ${attribute.qname}="${escapeAttribute(attribute.value)}"`;
  out.push(`${tag}>`);
}

function content(node: Node, out: string[], withComments: boolean): void {
  if (node.nodeType === TEXT_NODE || node.nodeType === CDATA_SECTION_NODE) out.push(escapeText(node.nodeValue ?? ""));
  else if (node.nodeType === COMMENT_NODE && withComments) out.push(`<!--${node.nodeValue ?? ""}-->`);
  else if (node.nodeType === PROCESSING_INSTRUCTION_NODE) out.push(processingInstruction(node));
}

function processingInstruction(node: Node): string {
  const data = node.nodeValue ?? "";
  return `<?${node.nodeName}${data ? ` ${data}` : ""}?>`;
}

export function escapeText(text: string): string {
  return text.replace(/[&<>\r]/g, (c) => (c === "&" ? "&amp;" : c === "<" ? "&lt;" : c === ">" ? "&gt;" : "&#xD;"));
}

export function escapeAttribute(text: string): string {
  return text.replace(/[&<"\t\n\r]/g, (c) =>
    c === "&" ? "&amp;" : c === "<" ? "&lt;" : c === '"' ? "&quot;" : c === "\t" ? "&#x9;" : c === "\n" ? "&#xA;" : "&#xD;");
}

// C14N orders by Unicode code point; JavaScript's < compares UTF-16 code units, which differs
// only for characters above U+FFFF against U+E000..U+FFFF.
const SURROGATE = /[\uD800-\uDFFF]/;

function compareCodePoints(a: string, b: string): number {
  if (a === b) return 0;
  if (!SURROGATE.test(a) && !SURROGATE.test(b)) return a < b ? -1 : 1;
  const left = Array.from(a, (c) => c.codePointAt(0) ?? 0);
  const right = Array.from(b, (c) => c.codePointAt(0) ?? 0);
  for (let i = 0; i < Math.min(left.length, right.length); i++) {
    const d = (left[i] ?? 0) - (right[i] ?? 0);
    if (d !== 0) return d;
  }
  return left.length - right.length;
}
