// Hostile and malformed input: each is refused with its own DuisError code and a message naming
// what is wrong. Runs without the fixtures (the documents are built here).
import { describe, expect, it } from "vitest";
import { DuisError, parseRequest, parseResponse, type DuisErrorCode, type ParseOptions } from "../src/index.js";
import { requestXml } from "./support.js";

function refusal(input: string | Uint8Array, options?: ParseOptions, parse: (xml: string | Uint8Array, options?: ParseOptions) => unknown = parseRequest): DuisError {
  try {
    parse(input, options);
  } catch (error) {
    if (error instanceof DuisError) return error;
    throw new Error(`expected a DuisError, got ${String(error)}`);
  }
  throw new Error("expected the document to be refused");
}

function expectRefused(input: string | Uint8Array, code: DuisErrorCode, message: RegExp, options?: ParseOptions): void {
  const error = refusal(input, options);
  expect(error.code).toBe(code);
  expect(error.message).toMatch(message);
}

const header = (fields: string[]) => fields.join("\n    ");
const ID = "<sr:RequestID>90-B3-D5-1F-30-01-00-00:90-B3-D5-1F-30-00-00-02:1000</sr:RequestID>";
const CV8 = "<sr:CommandVariant>8</sr:CommandVariant>";
const SR = "<sr:ServiceReference>8.2</sr:ServiceReference>";
const SRV = "<sr:ServiceReferenceVariant>8.2</sr:ServiceReferenceVariant>";
const deviceHeader = (cv: number, sr: string, srv: string, target = "00-DB-12-34-56-78-90-A0") => header([
  `<sr:RequestID>90-B3-D5-1F-30-01-00-00:${target}:1000</sr:RequestID>`,
  `<sr:CommandVariant>${cv}</sr:CommandVariant>`,
  `<sr:ServiceReference>${sr}</sr:ServiceReference>`,
  `<sr:ServiceReferenceVariant>${srv}</sr:ServiceReferenceVariant>`,
]);

describe("the baseline document", () => {
  it("is accepted, so that each refusal below is caused by its one change", () => {
    const request = parseRequest(requestXml());
    expect(request.header.serviceReferenceVariant).toBe("8.2");
    expect(parseRequest(new TextEncoder().encode(requestXml())).header.commandVariant).toBe(8);
  });
});

describe("XML-level attacks and limits", () => {
  it("refuses a DOCTYPE with an entity-expansion bomb (billion laughs)", () => {
    const bomb = `<?xml version="1.0"?>
<!DOCTYPE lolz [
  <!ENTITY lol "lol">
  <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
  <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>
<sr:Request xmlns:sr="http://www.dccinterface.co.uk/ServiceUserGateway" schemaVersion="5.2">&lol3;</sr:Request>`;
    expectRefused(bomb, "XML_DTD", /DOCTYPE/);
  });

  it("refuses an external entity (XXE)", () => {
    const xxe = requestXml({ declaration: '<?xml version="1.0"?>\n<!DOCTYPE r [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>' })
      .replace("00-DB-12-34-56-78-90-A2", "&xxe;");
    expectRefused(xxe, "XML_DTD", /DOCTYPE/);
  });

  it("refuses a reference to an undeclared entity even without a DOCTYPE", () => {
    expectRefused(requestXml().replace("00-DB-12-34-56-78-90-A2", "&xxe;"), "XML_MALFORMED", /undeclared entity "&xxe;"/);
  });

  it("refuses a bare ENTITY declaration and processing instructions", () => {
    expectRefused(`<!ENTITY x "y">${requestXml({ declaration: "" })}`, "XML_DTD", /ENTITY/);
    expectRefused(requestXml().replace("<sr:Body>", '<sr:Body><?xml-stylesheet href="x"?>'), "XML_PI", /xml-stylesheet/);
    expectRefused(`\n${requestXml()}`, "XML_PI", /XML declaration not at the start/);
  });

  it("refuses a document over the size limit, in characters or in bytes", () => {
    const big = requestXml().replace("</sr:Request>", `<!--${"x".repeat(2 * 1024 * 1024)}--></sr:Request>`);
    expectRefused(big, "XML_SIZE", /1048576-byte limit/);
    expectRefused(new TextEncoder().encode(big), "XML_SIZE", /limit is 1048576/);
    // Configurable: the same small document is refused under a tighter limit, counted in UTF-8 bytes.
    const small = requestXml();
    expectRefused(small, "XML_SIZE", /limit/, { maxBytes: 200 });
    const multibyte = requestXml().replace("</sr:Request>", `<!--${"é".repeat(300)}--></sr:Request>`);
    expect(() => parseRequest(multibyte, { maxBytes: small.length + 400 })).toThrow(/limit/);
    expect(parseRequest(multibyte, { maxBytes: small.length + 700 }).header.commandVariant).toBe(8);
  });

  it("refuses nesting deeper than the limit", () => {
    const deep = requestXml({ body: `<sr:ReadInventory>${"<sr:X>".repeat(100)}${"</sr:X>".repeat(100)}</sr:ReadInventory>` });
    expectRefused(deep, "XML_DEPTH", /deeper than 64/);
    expectRefused(requestXml(), "XML_DEPTH", /deeper than 3/, { maxDepth: 3 });
    // Self-closing elements count at their own depth too: Request > Body > ReadInventory > DeviceID is 4.
    expectRefused(requestXml({ body: "<sr:ReadInventory><sr:DeviceID/></sr:ReadInventory>" }), "XML_DEPTH", /deeper than 3/, { maxDepth: 3 });
    expect(parseRequest(requestXml({ body: "<sr:ReadInventory/>" }), { maxDepth: 3 }).body.element).toBe("ReadInventory");
  });

  it("refuses more elements than the limit", () => {
    const wide = requestXml({ body: `<sr:ReadInventory>${"<sr:X/>".repeat(10_001)}</sr:ReadInventory>` });
    expectRefused(wide, "XML_ELEMENTS", /more than 10000 elements/);
    expectRefused(requestXml(), "XML_ELEMENTS", /more than 5 elements/, { maxElements: 5 });
  });

  it("refuses non-XML garbage, truncation, and characters XML does not allow", () => {
    expectRefused("hello, this is not XML", "XML_MALFORMED", /not well-formed|root element/);
    expectRefused("", "XML_MALFORMED", /root element/);
    expectRefused(requestXml().slice(0, 300), "XML_MALFORMED", /unclosed|unterminated|not well-formed/);
    expectRefused(requestXml().replace("</sr:Body>", "</sr:Bdy>"), "XML_MALFORMED", /mismatch|not well-formed/);
    expectRefused(requestXml().replace("00-DB", "00\u0001DB"), "XML_MALFORMED", /U\+0001/);
    expectRefused(requestXml().replace("00-DB", "00&#0;DB"), "XML_MALFORMED", /&#0;/);
    expectRefused(requestXml().replace("00-DB", "00 & DB"), "XML_MALFORMED", /bare "&"/);
    expectRefused(new Uint8Array([0x3c, 0x61, 0x3e, 0xff, 0xfe, 0x3c, 0x2f, 0x61, 0x3e]), "XML_ENCODING", /UTF-8/);
    expectRefused(requestXml({ declaration: '<?xml version="1.0" encoding="ISO-8859-1"?>' }), "XML_ENCODING", /ISO-8859-1/);
    expectRefused(requestXml().replace('schemaVersion="5.2"', 'schemaVersion="5.2" schemaVersion="5.3"'), "XML_MALFORMED", /redefined|not well-formed/);
    expectRefused(requestXml().replace("<sr:Body>", "<sr:Body><x:Y/>"), "XML_MALFORMED", /namespace|prefix/i);
    expectRefused(requestXml().replace("<sr:ReadInventory>", '<sr:ReadInventory xmlns:a="urn:x" xmlns:b="urn:x" a:n="1" b:n="2">'),
      "XML_MALFORMED", /sr:ReadInventory has two attributes with the same namespace and local name/);
    expectRefused(requestXml().replace("<sr:Body>", "junk<sr:Body>"), "DUIS_STRUCTURE", /holds text \("junk"\)/);
    expectRefused(`junk${requestXml({ declaration: "" })}`, "XML_MALFORMED", /outside root element: 'junk'/);
    expectRefused(`${requestXml()}<sr:Request/>`, "XML_MALFORMED", /not well-formed/);
  });
});

describe("the tree builder's own checks", () => {
  const withInventory = (tag: string) => requestXml().replace("<sr:ReadInventory>", tag);

  it("refuses broken start tags and names", () => {
    expectRefused(withInventory('<sr:ReadInventory a="1"b="2">'), "XML_MALFORMED", /separated by whitespace/);
    expectRefused(withInventory("<sr:ReadInventory a=1>"), "XML_MALFORMED", /attribute a of <sr:ReadInventory> is not quoted/);
    expectRefused(withInventory("<sr:ReadInventory a>"), "XML_MALFORMED", /attribute a of <sr:ReadInventory> has no value/);
    expectRefused(withInventory('<sr:ReadInventory a="1"/ >'), "XML_MALFORMED", /"\/" not closing the start tag <sr:ReadInventory>/);
    expectRefused(withInventory('<sr:ReadInventory 1a="1">'), "XML_MALFORMED", /"1a" is not an attribute name/);
    expectRefused(requestXml().replace("<sr:Body>", "<sr:Body><sr:a:b/>"), "XML_MALFORMED", /"sr:a:b" is not an element name/);
    expectRefused(requestXml().replace("</sr:Body>", "</sr:Header>"), "XML_MALFORMED", /end tag <\/sr:Header> does not match \(mismatch\) the start tag <sr:Body>/);
  });

  it("refuses namespace declarations Namespaces in XML forbids", () => {
    expectRefused(withInventory('<sr:ReadInventory xmlns:p="">'), "XML_MALFORMED", /prefix p cannot be undeclared/);
    expectRefused(withInventory('<sr:ReadInventory xmlns:xml="urn:x">'), "XML_MALFORMED", /the xml prefix/);
    expectRefused(withInventory('<sr:ReadInventory xmlns:p="http://www.w3.org/XML/1998/namespace">'), "XML_MALFORMED", /the xml prefix/);
    expectRefused(withInventory('<sr:ReadInventory xmlns:xmlns="urn:x">'), "XML_MALFORMED", /xmlns prefix cannot be declared/);
    expectRefused(withInventory('<sr:ReadInventory xmlns:p="http://www.w3.org/2000/xmlns/">'), "XML_MALFORMED", /cannot be declared/);
    expectRefused(requestXml().replace("<sr:Body>", "<sr:Body><xmlns:x/>"), "XML_MALFORMED", /reserved prefix xmlns/);
    expectRefused(withInventory('<sr:ReadInventory p:a="1">'), "XML_MALFORMED", /namespace prefix p of p:a is not declared/);
  });

  it("reads line ends and attribute whitespace as XML 1.0 says, and end tags with trailing spaces", () => {
    const xml = requestXml().replace(/\n/g, "\r\n").replace("<sr:ReadInventory>", '<sr:ReadInventory xsi:type="a\tb\r\nc\rd&#13;&#10;e">').replace("</sr:Body>", "</sr:Body \n>");
    const body = parseRequest(xml).body;
    expect("content" in body ? body.content.attributes : null).toEqual({ "xsi:type": "a b c d\r\ne" });
  });
});

describe("DUIS envelope", () => {
  it("refuses the wrong namespace", () => {
    expectRefused(requestXml().replace('xmlns:sr="http://www.dccinterface.co.uk/ServiceUserGateway"', 'xmlns:sr="http://example.com/other"'),
      "DUIS_NAMESPACE", /sr:Request|Request.*not in the DUIS namespace/);
    expectRefused(requestXml({ header: header([ID, CV8, SR, SRV]).replace("<sr:CommandVariant>8</sr:CommandVariant>", '<CommandVariant xmlns="urn:x">8</CommandVariant>') }),
      "DUIS_NAMESPACE", /CommandVariant.*not in the DUIS namespace/);
  });

  it("refuses the wrong root element, and a response parsed as a request", () => {
    expectRefused(requestXml().replace(/sr:Request/g, "sr:Requests"), "DUIS_ROOT", /sr:Requests, not sr:Request/);
    const error = refusal(requestXml(), undefined, parseResponse);
    expect(error.code).toBe("DUIS_ROOT");
  });

  it("refuses a missing or non-decimal schemaVersion", () => {
    expectRefused(requestXml().replace(' schemaVersion="5.2"', ""), "DUIS_SCHEMA_VERSION", /lacks the schemaVersion/);
    expectRefused(requestXml().replace('schemaVersion="5.2"', 'schemaVersion="five"'), "DUIS_SCHEMA_VERSION", /"five" is not a decimal/);
  });

  it("refuses a missing Header or Body, stray text, and anything after the signature", () => {
    expectRefused(requestXml().replace(/<sr:Header>[\s\S]*<\/sr:Header>/, ""), "DUIS_STRUCTURE", /must start with sr:Header/);
    expectRefused(requestXml().replace(/<sr:Body>[\s\S]*<\/sr:Body>/, ""), "DUIS_STRUCTURE", /sr:Body must follow sr:Header/);
    expectRefused(requestXml().replace("<sr:Body>", "stray text<sr:Body>"), "DUIS_STRUCTURE", /holds text \("stray text"\)/);
    expectRefused(requestXml({ signature: "<sr:Extra/>" }), "DUIS_STRUCTURE", /only a ds:Signature may follow sr:Body/);
    expectRefused(requestXml().replace('schemaVersion="5.2"', 'schemaVersion="5.2" version="1"'), "DUIS_STRUCTURE", /unexpected attribute version/);
  });
});

describe("DUIS header", () => {
  it("refuses a missing header field", () => {
    expectRefused(requestXml({ header: header([ID, SR, SRV]) }), "DUIS_HEADER", /sr:Header lacks sr:CommandVariant/);
    expectRefused(requestXml({ header: header([CV8, SR, SRV]) }), "DUIS_HEADER", /lacks sr:RequestID/);
  });

  it("refuses header fields out of order, repeated, or unknown", () => {
    expectRefused(requestXml({ header: header([CV8, ID, SR, SRV]) }), "DUIS_HEADER", /sr:RequestID is out of order.*before sr:CommandVariant/);
    expectRefused(requestXml({ header: header([ID, CV8, SRV, SR]) }), "DUIS_HEADER", /sr:ServiceReference is out of order/);
    expectRefused(requestXml({ header: header([ID, CV8, CV8, SR, SRV]) }), "DUIS_HEADER", /sr:CommandVariant appears more than once/);
    expectRefused(requestXml({ header: header([ID, "<sr:Priority>1</sr:Priority>", CV8, SR, SRV]) }), "DUIS_HEADER", /unexpected element sr:Priority/);
    expectRefused(requestXml({ header: header([ID, "<sr:FirstInSequence>yes</sr:FirstInSequence>", CV8, SR, SRV]) }), "DUIS_HEADER", /"yes" is not an xs:boolean/);
  });

  it("accepts upper- and lower-case hex in a RequestID, the full counter range, and the sequencing fields", () => {
    const lower = parseRequest(requestXml({ header: header([ID.replace("90-B3-D5-1F-30-01-00-00", "90-b3-d5-1f-30-01-00-00"), CV8, SR, SRV]) }));
    expect(lower.header.requestId.originator).toBe("90B3D51F30010000");
    const max = parseRequest(requestXml({ header: header([ID.replace(":1000", ":18446744073709551615"), CV8, SR, SRV]) }));
    expect(max.header.requestId.counter).toBe(18446744073709551615n);
    const zero = parseRequest(requestXml({ header: header([ID.replace(":1000", ":0"), CV8, SR, SRV]) }));
    expect(zero.header.requestId.counter).toBe(0n);
    const sequenced = parseRequest(requestXml({ header: header([
      ID, "<sr:FirstInSequence>false</sr:FirstInSequence>",
      "<sr:PrecedingServiceRequestID>90-B3-D5-1F-30-01-00-00:90-B3-D5-1F-30-00-00-02:999</sr:PrecedingServiceRequestID>", CV8, SR, SRV,
    ]) }));
    expect(sequenced.header.firstInSequence).toBe(false);
    expect(sequenced.header.precedingRequestId?.counter).toBe(999n);
  });

  it("refuses bad RequestIDs: leading zeros, counter over 2^64-1, undashed or short EUIs, missing parts", () => {
    const withId = (id: string) => requestXml({ header: header([`<sr:RequestID>${id}</sr:RequestID>`, CV8, SR, SRV]) });
    expectRefused(withId("90-B3-D5-1F-30-01-00-00:90-B3-D5-1F-30-00-00-02:01000"), "DUIS_REQUEST_ID", /leading zeros/);
    expectRefused(withId("90-B3-D5-1F-30-01-00-00:90-B3-D5-1F-30-00-00-02:18446744073709551616"), "DUIS_REQUEST_ID", /larger than 2\^64-1/);
    expectRefused(withId("90B3D51F30010000:90-B3-D5-1F-30-00-00-02:1000"), "DUIS_REQUEST_ID", /originator "90B3D51F30010000"/);
    expectRefused(withId("90-B3-D5-1F-30-01-00-00:90-B3-D5-1F-30-00-00:1000"), "DUIS_REQUEST_ID", /target/);
    expectRefused(withId("90-B3-D5-1F-30-01-00-00:90-B3-D5-1F-30-00-00-02"), "DUIS_REQUEST_ID", /ORIGINATOR:TARGET:COUNTER/);
    expectRefused(withId("90-B3-D5-1F-30-01-00-00:90-B3-D5-1F-30-00-00-02:-1"), "DUIS_REQUEST_ID", /not a decimal integer/);
    expectRefused(withId("90-G3-D5-1F-30-01-00-00:90-B3-D5-1F-30-00-00-02:1"), "DUIS_REQUEST_ID", /originator/);
  });

  it("refuses CommandVariant 9, 0 and non-integers", () => {
    expectRefused(requestXml({ header: header([ID, "<sr:CommandVariant>9</sr:CommandVariant>", SR, SRV]) }), "DUIS_COMMAND_VARIANT", /9 is internal to DCC systems/);
    expectRefused(requestXml({ header: header([ID, "<sr:CommandVariant>0</sr:CommandVariant>", SR, SRV]) }), "DUIS_COMMAND_VARIANT", /0 is not 1\.\.8/);
    expectRefused(requestXml({ header: header([ID, "<sr:CommandVariant>one</sr:CommandVariant>", SR, SRV]) }), "DUIS_COMMAND_VARIANT", /"one" is not an integer/);
  });

  it("refuses an unknown SRV, and an SR that does not own the SRV", () => {
    expectRefused(requestXml({ header: header([ID, CV8, "<sr:ServiceReference>8.99</sr:ServiceReference>", "<sr:ServiceReferenceVariant>8.99</sr:ServiceReferenceVariant>"]) }),
      "DUIS_UNKNOWN_SRV", /"8\.99" is not a DUIS Service Reference Variant/);
    expectRefused(requestXml({ header: header([ID, CV8, "<sr:ServiceReference>8.3</sr:ServiceReference>", SRV]) }),
      "DUIS_SR_MISMATCH", /8\.2 does not belong to ServiceReference 8\.3/);
    // The duis-parser quirk: SR 6.2 for SRV 6.20.1 (the XSD and templates say 6.20).
    expectRefused(requestXml({ header: deviceHeader(1, "6.2", "6.20.1") }), "DUIS_SR_MISMATCH", /6\.20\.1 does not belong to ServiceReference 6\.2:/);
    // A prefix that passes the text rule but is not the catalogue's SR.
    expectRefused(requestXml({ header: deviceHeader(1, "6", "6.20.1") }), "DUIS_SR_MISMATCH", /belongs to ServiceReference 6\.20, not 6/);
  });
});

describe("DUIS body", () => {
  it("refuses a body element that is not the SRV's", () => {
    expectRefused(requestXml({ body: "<sr:DecommissionDevice><sr:DeviceID>00-DB-12-34-56-78-90-A2</sr:DeviceID></sr:DecommissionDevice>" }),
      "DUIS_BODY", /sr:DecommissionDevice does not match ServiceReferenceVariant 8\.2, which takes sr:ReadInventory/);
  });

  it("refuses two body children, and an empty body", () => {
    const body = "<sr:ReadInventory><sr:DeviceID>00-DB-12-34-56-78-90-A2</sr:DeviceID></sr:ReadInventory>";
    expectRefused(requestXml({ body: body + body }), "DUIS_BODY", /holds 2 elements.*exactly one/);
    expectRefused(requestXml({ body: "" }), "DUIS_BODY", /sr:Body is empty/);
  });

  it("ties SignedPreCommand to CommandVariant 5, 6 and 7", () => {
    const signedBody = "<sr:SignedPreCommand><sr:GBCSPayload>3wkB</sr:GBCSPayload></sr:SignedPreCommand>";
    expect(parseRequest(requestXml({ header: deviceHeader(5, "7.1", "7.1"), body: signedBody })).body.element).toBe("SignedPreCommand");
    expectRefused(requestXml({ header: deviceHeader(4, "7.1", "7.1"), body: signedBody }), "DUIS_BODY", /only for CommandVariant 5, 6 or 7, not 4/);
    expectRefused(requestXml({ header: deviceHeader(5, "7.1", "7.1"), body: "<sr:EnableSupply/>" }), "DUIS_BODY", /CommandVariant 5 takes a sr:SignedPreCommand body/);
    expectRefused(requestXml({ header: deviceHeader(5, "7.1", "7.1"), body: "<sr:SignedPreCommand><sr:GBCSPayload>!!</sr:GBCSPayload></sr:SignedPreCommand>" }),
      "DUIS_VALUE", /GBCSPayload is not valid base64/);
    expectRefused(requestXml({ header: deviceHeader(5, "7.1", "7.1"), body: "<sr:SignedPreCommand/>" }), "DUIS_BODY", /lacks sr:GBCSPayload/);
  });

  it("allows ExecutionDateTime only where the SRV may be future dated, first, and as an xs:dateTime", () => {
    const edt = "<sr:ExecutionDateTime>2030-01-15T09:00:00.00Z</sr:ExecutionDateTime>";
    // 4.1.1 may be future dated; 8.2 (non-device) and 7.1 may not.
    const read = parseRequest(requestXml({ header: deviceHeader(1, "4.1", "4.1.1"), body: `<sr:ReadInstantaneousImportRegisters>${edt}</sr:ReadInstantaneousImportRegisters>` }));
    expect(read.body.executionDateTime).toBe("2030-01-15T09:00:00.00Z");
    expectRefused(requestXml({ body: `<sr:ReadInventory>${edt}<sr:DeviceID>00-DB-12-34-56-78-90-A2</sr:DeviceID></sr:ReadInventory>` }),
      "DUIS_EXECUTION_DATE_TIME", /8\.2 cannot be future dated/);
    expectRefused(requestXml({ header: deviceHeader(5, "7.1", "7.1"), body: `<sr:SignedPreCommand>${edt}<sr:GBCSPayload>3wkB</sr:GBCSPayload></sr:SignedPreCommand>` }),
      "DUIS_EXECUTION_DATE_TIME", /7\.1 cannot be future dated/);
    expectRefused(requestXml({ header: deviceHeader(1, "4.1", "4.1.1"), body: "<sr:ReadInstantaneousImportRegisters><sr:ExecutionDateTime>tomorrow</sr:ExecutionDateTime></sr:ReadInstantaneousImportRegisters>" }),
      "DUIS_EXECUTION_DATE_TIME", /"tomorrow" is not an xs:dateTime/);
    expectRefused(requestXml({ header: deviceHeader(1, "4.18", "4.18"), body: `<sr:ReadMeterBalance><sr:Other>1</sr:Other>${edt}</sr:ReadMeterBalance>` }),
      "DUIS_EXECUTION_DATE_TIME", /must be the first child/);
  });

  it("refuses mixed content and foreign attributes in the body", () => {
    expectRefused(requestXml({ body: "<sr:ReadInventory>text<sr:DeviceID>00-DB-12-34-56-78-90-A2</sr:DeviceID></sr:ReadInventory>" }),
      "DUIS_STRUCTURE", /mixes text \("text"\) with elements/);
    expectRefused(requestXml({ body: '<sr:ReadInventory xmlns:x="urn:x" x:a="1"><sr:DeviceID>00-DB-12-34-56-78-90-A2</sr:DeviceID></sr:ReadInventory>' }),
      "DUIS_STRUCTURE", /attribute x:a .* namespace urn:x/);
  });
});
