// The small, namespace-aware tree parseXml builds (xml.ts): the part of the W3C DOM that reading,
// canonicalizing and signing DUIS use, under the DOM's names, and nothing else. A general DOM
// library cost a third of the gateway's time on the request path (issue point 7).

export const ELEMENT_NODE = 1;
export const TEXT_NODE = 3;
export const CDATA_SECTION_NODE = 4;
export const PROCESSING_INSTRUCTION_NODE = 7;
export const COMMENT_NODE = 8;
export const DOCUMENT_NODE = 9;

export class Node {
  parentNode: Node | null = null;
  firstChild: Node | null = null;
  lastChild: Node | null = null;
  previousSibling: Node | null = null;
  nextSibling: Node | null = null;

  constructor(readonly nodeType: number, readonly nodeName: string, readonly nodeValue: string | null) {}

  /** Inserts `node` (detached from where it was) before `reference`, or last when it is null. */
  insertBefore(node: Node, reference: Node | null): Node {
    if (reference && reference.parentNode !== this) throw new Error("insertBefore: the reference is not a child");
    if (node.parentNode) node.parentNode.removeChild(node);
    node.parentNode = this;
    node.nextSibling = reference;
    node.previousSibling = reference ? reference.previousSibling : this.lastChild;
    if (node.previousSibling) node.previousSibling.nextSibling = node;
    else this.firstChild = node;
    if (reference) reference.previousSibling = node;
    else this.lastChild = node;
    return node;
  }

  appendChild(node: Node): Node {
    return this.insertBefore(node, null);
  }

  removeChild(node: Node): Node {
    if (node.parentNode !== this) throw new Error("removeChild: not a child");
    if (node.previousSibling) node.previousSibling.nextSibling = node.nextSibling;
    else this.firstChild = node.nextSibling;
    if (node.nextSibling) node.nextSibling.previousSibling = node.previousSibling;
    else this.lastChild = node.previousSibling;
    node.parentNode = node.previousSibling = node.nextSibling = null;
    return node;
  }
}

export interface Attr {
  /** The qualified name as written. */
  readonly name: string;
  readonly prefix: string | null;
  readonly localName: string;
  readonly namespaceURI: string | null;
  readonly value: string;
}

/** An element's attributes, namespace declarations included, in document order. */
export class AttributeList {
  constructor(private readonly list: readonly Attr[]) {}

  get length(): number {
    return this.list.length;
  }

  item(index: number): Attr | null {
    return this.list[index] ?? null;
  }
}

export class Element extends Node {
  readonly attributes: AttributeList;

  constructor(
    qualifiedName: string, readonly prefix: string | null, readonly localName: string, readonly namespaceURI: string | null,
    attributes: readonly Attr[],
  ) {
    super(ELEMENT_NODE, qualifiedName, null);
    this.attributes = new AttributeList(attributes);
  }

  getAttribute(name: string): string | null {
    for (let i = 0; i < this.attributes.length; i++) {
      const attribute = this.attributes.item(i) as Attr;
      if (attribute.name === name) return attribute.value;
    }
    return null;
  }

  hasAttribute(name: string): boolean {
    return this.getAttribute(name) !== null;
  }
}

export class Document extends Node {
  constructor() {
    super(DOCUMENT_NODE, "#document", null);
  }

  get documentElement(): Element | null {
    for (let child = this.firstChild; child; child = child.nextSibling) if (child.nodeType === ELEMENT_NODE) return child as Element;
    return null;
  }

  createTextNode(text: string): Node {
    return new Node(TEXT_NODE, "#text", text);
  }

  /** Elements with this namespace and local name, in document order. */
  getElementsByTagNameNS(namespace: string, localName: string): Element[] {
    const found: Element[] = [];
    const walk = (parent: Node) => {
      for (let child = parent.firstChild; child; child = child.nextSibling) {
        if (child.nodeType !== ELEMENT_NODE) continue;
        const element = child as Element;
        if (element.namespaceURI === namespace && element.localName === localName) found.push(element);
        walk(element);
      }
    };
    walk(this);
    return found;
  }
}
