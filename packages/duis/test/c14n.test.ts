// Our canonicalizers against known answers worked out from the C14N specifications, and against
// xml-crypto's (a devDependency used only here, as an independent implementation).
import { C14nCanonicalization, ExclusiveCanonicalization } from "xml-crypto";
import { describe, expect, it } from "vitest";
import { canonicalizeDocument, canonicalizeExclusive, parseXml, DS_NS } from "../src/index.js";
import { describeWithFixtures } from "../../../test/support/fixtures.js";
import { duisSamples } from "./support.js";

type DomElement = ReturnType<typeof parseXml>["documentElement"] & object;

const theirsInclusive = (element: DomElement) => new C14nCanonicalization().process(element as never, {}) as string;
const theirsExclusive = (element: DomElement) => new ExclusiveCanonicalization().process(element as never, {}) as string;

function allElements(root: DomElement): DomElement[] {
  const out: DomElement[] = [];
  const walk = (element: DomElement) => {
    out.push(element);
    for (let child = element.firstChild; child; child = child.nextSibling) if (child.nodeType === 1) walk(child as DomElement);
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
      const root = doc.documentElement as DomElement;
      expect(canonicalizeDocument(doc), xml).toBe(theirsInclusive(root));
      for (const element of allElements(root)) expect(canonicalizeExclusive(element), xml).toBe(theirsExclusive(element));
    }
  });
});

describeWithFixtures("canonical XML of the DUIS samples", () => {
  it("agrees with xml-crypto on every sample: the document without its signature, SignedInfo, and the Body", () => {
    const samples = duisSamples();
    expect(samples.length).toBeGreaterThan(0);
    for (const { name, xml } of samples) {
      const doc = parseXml(xml);
      const signature = doc.getElementsByTagNameNS(DS_NS, "Signature")[0] as DomElement;
      const signedInfo = doc.getElementsByTagNameNS(DS_NS, "SignedInfo")[0] as DomElement;
      expect(canonicalizeExclusive(signedInfo), name).toBe(theirsExclusive(signedInfo));
      const ours = canonicalizeDocument(doc, { exclude: signature });
      signature.parentNode?.removeChild(signature);
      expect(ours, name).toBe(theirsInclusive(doc.documentElement as DomElement));
      const body = doc.getElementsByTagNameNS("http://www.dccinterface.co.uk/ServiceUserGateway", "Body")[0] as DomElement;
      expect(canonicalizeExclusive(body), name).toBe(theirsExclusive(body));
    }
  });
});
