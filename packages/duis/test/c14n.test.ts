// Our canonicalizers against known answers worked out from the C14N specifications, and against
// xml-crypto's (a devDependency used only here, as an independent implementation).
// xml-crypto reads an @xmldom/xmldom DOM of the same text (our parser builds its own small tree).
import { DOMParser, type Element as XmldomElement } from "@xmldom/xmldom";
import { C14nCanonicalization, ExclusiveCanonicalization } from "xml-crypto";
import { describe, expect, it } from "vitest";
import { canonicalizeDocument, canonicalizeExclusive, parseXml, DS_NS } from "../src/index.js";
import { describeWithFixtures } from "../../../test/support/fixtures.js";
import { duisSamples } from "./support.js";

type DomElement = ReturnType<typeof parseXml>["documentElement"] & object;

const theirsInclusive = (element: XmldomElement) => new C14nCanonicalization().process(element as never, {}) as string;
const theirsExclusive = (element: XmldomElement) => new ExclusiveCanonicalization().process(element as never, {}) as string;
const theirDocument = (xml: string) => new DOMParser().parseFromString(xml, "text/xml");

// Elements in document order; both trees of one text list them alike.
interface TreeNode {
  readonly firstChild: TreeNode | null;
  readonly nextSibling: TreeNode | null;
  readonly nodeType: number;
}

function allElements<E>(root: TreeNode): E[] {
  const out: E[] = [];
  const walk = (element: TreeNode) => {
    out.push(element as E);
    for (let child = element.firstChild; child; child = child.nextSibling) if (child.nodeType === 1) walk(child);
  };
  walk(root);
  return out;
}

const TRICKY = [
  // Default namespace, undeclared again below; prefixed and unprefixed attributes to sort.
  '<doc xmlns="http://a" xmlns:b="http://b"><e1 b:attr="x" attr="y" xmlns:c="http://c"><e2 xmlns="http://a"/><e3 xmlns=""/></e1></doc>',
  // Escaping in text and attributes, CR kept through a character reference, CDATA, entities.
  '<r a="&quot;&#9;&#10;&#13;&lt;>&amp;" b=\'single "quoted"\'>a&amp;b&lt;c&gt;d"e\'f&#13;<![CDATA[x<y&z]]></r>',
  // Redundant redeclarations, attributes in several namespaces, xml:lang.
  '<p:a xmlns:p="u" xmlns:q="v" q:z="1" p:z="2" z="3" xml:lang="en"><p:b xmlns:p="u" xmlns:q="w" q:y="4"><q:c/></p:b></p:a>',
  // Comments and whitespace everywhere, empty elements both ways.
  '<?xml version="1.0" encoding="UTF-8"?>\n<!-- before -->\n<r>\n  <!-- inside -->\n  <e/>\n  <f></f>\t\n</r>\n<!-- after -->\n',
  // Non-ASCII text and names.
  '<r xmlns:ü="urn:ü"><ü:é attr="ñ">€ 𝄞</ü:é></r>',
];

describe("canonical XML known answers", () => {
  it("renders namespaces, attribute order and default-namespace undeclaration (inclusive)", () => {
    expect(canonicalizeDocument(parseXml(TRICKY[0] ?? ""))).toBe(
      '<doc xmlns="http://a" xmlns:b="http://b"><e1 xmlns:c="http://c" attr="y" b:attr="x"><e2></e2><e3 xmlns=""></e3></e1></doc>',
    );
  });

  it("renders only visibly utilized namespaces (exclusive)", () => {
    const doc = parseXml(TRICKY[0] ?? "");
    const e1 = doc.documentElement?.firstChild as DomElement;
    expect(canonicalizeExclusive(e1)).toBe('<e1 xmlns="http://a" xmlns:b="http://b" attr="y" b:attr="x"><e2></e2><e3 xmlns=""></e3></e1>');
  });

  it("honours an InclusiveNamespaces PrefixList (exclusive)", () => {
    const doc = parseXml('<r xmlns:p="u" xmlns:q="v"><s:x xmlns:s="w"/></r>');
    const x = doc.documentElement?.firstChild as DomElement;
    expect(canonicalizeExclusive(x)).toBe('<s:x xmlns:s="w"></s:x>');
    expect(canonicalizeExclusive(x, ["p"])).toBe('<s:x xmlns:p="u" xmlns:s="w"></s:x>');
    // Below the apex a listed prefix is rendered again only where it is bound to something else,
    // or first comes into scope; the default namespace is listed as #default.
    const nested = parseXml('<r xmlns:p="u" xmlns="d"><a><b xmlns:p="u"><c xmlns:p="u2" xmlns:t="t"><e xmlns=""/></c></b></a></r>');
    const a = nested.documentElement?.firstChild as DomElement;
    expect(canonicalizeExclusive(a, ["p", "t", "#default"])).toBe(
      '<a xmlns="d" xmlns:p="u"><b><c xmlns:p="u2" xmlns:t="t"><e xmlns=""></e></c></b></a>',
    );
    expect(canonicalizeExclusive(a)).toBe('<a xmlns="d"><b><c><e xmlns=""></e></c></b></a>');
  });

  it("stays linear when many elements declare namespaces under a root that declares many", () => {
    const prefixes = Array.from({ length: 20_000 }, (_, i) => ` xmlns:p${i}="u"`).join("");
    const children = Array.from({ length: 9_000 }, (_, i) => `<x xmlns:q="v${i}"/>`).join("");
    const started = performance.now();
    const doc = parseXml(`<r${prefixes}>${children}</r>`);
    const canonical = canonicalizeDocument(doc);
    expect(canonical.endsWith('<x xmlns:q="v8999"></x></r>')).toBe(true);
    expect(canonicalizeExclusive(doc.documentElement as DomElement, prefixes.match(/p[0-9]+/g) ?? []).length).toBeGreaterThan(canonical.length / 2);
    // Copying the root's bindings for each child took over 10 s here.
    expect(performance.now() - started).toBeLessThan(3000);
  });

  it("escapes text and attribute values as C14N says", () => {
    expect(canonicalizeDocument(parseXml(TRICKY[1] ?? ""))).toBe(
      '<r a="&quot;&#x9;&#xA;&#xD;&lt;>&amp;" b="single &quot;quoted&quot;">a&amp;b&lt;c&gt;d"e\'f&#xD;x&lt;y&amp;z</r>',
    );
  });

  it("drops the XML declaration, whitespace outside the root and (by default) comments", () => {
    const doc = parseXml(TRICKY[3] ?? "");
    expect(canonicalizeDocument(doc)).toBe("<r>\n  \n  <e></e>\n  <f></f>\t\n</r>");
    expect(canonicalizeDocument(doc, { withComments: true })).toBe(
      "<!-- before -->\n<r>\n  <!-- inside -->\n  <e></e>\n  <f></f>\t\n</r>\n<!-- after -->",
    );
  });

  it("leaves out an excluded subtree but keeps the whitespace around it", () => {
    const doc = parseXml('<r xmlns:ds="urn:ds">\n  <a/>\n  <ds:Signature><x/></ds:Signature>\n</r>');
    const signature = doc.getElementsByTagNameNS("urn:ds", "Signature")[0] ?? null;
    expect(canonicalizeDocument(doc, { exclude: signature })).toBe('<r xmlns:ds="urn:ds">\n  <a></a>\n  \n</r>');
  });

  it("agrees with xml-crypto on each tricky document, inclusive and exclusive, for every element", () => {
    for (const xml of TRICKY) {
      const doc = parseXml(xml);
      const theirs = theirDocument(xml).documentElement as XmldomElement;
      expect(canonicalizeDocument(doc), xml).toBe(theirsInclusive(theirs));
      const ourElements = allElements<DomElement>(doc.documentElement as DomElement);
      const theirElements = allElements<XmldomElement>(theirs);
      expect(ourElements.length).toBe(theirElements.length);
      ourElements.forEach((element, i) => expect(canonicalizeExclusive(element), xml).toBe(theirsExclusive(theirElements[i] as XmldomElement)));
    }
  });
});

describeWithFixtures("canonical XML of the DUIS samples", () => {
  it("agrees with xml-crypto on every sample: the document without its signature, SignedInfo, and the Body", () => {
    const samples = duisSamples();
    expect(samples.length).toBeGreaterThan(0);
    for (const { name, xml } of samples) {
      const doc = parseXml(xml);
      const theirs = theirDocument(xml);
      const first = (namespace: string, name: string) => [
        doc.getElementsByTagNameNS(namespace, name)[0] as DomElement, theirs.getElementsByTagNameNS(namespace, name)[0] as XmldomElement,
      ] as const;
      const [signature, theirSignature] = first(DS_NS, "Signature");
      const [signedInfo, theirSignedInfo] = first(DS_NS, "SignedInfo");
      expect(canonicalizeExclusive(signedInfo), name).toBe(theirsExclusive(theirSignedInfo));
      expect(canonicalizeDocument(doc, { exclude: signature }), name).toBe((() => {
        theirSignature.parentNode?.removeChild(theirSignature);
        return theirsInclusive(theirs.documentElement as XmldomElement);
      })());
      const [body, theirBody] = first("http://www.dccinterface.co.uk/ServiceUserGateway", "Body");
      expect(canonicalizeExclusive(body), name).toBe(theirsExclusive(theirBody));
    }
  });
});
