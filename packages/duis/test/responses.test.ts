// Responses: every form the gateway writes reads back equal; responses written elsewhere (our own
// renderings of the DCC Boxed shapes) parse; malformed ones are refused with their reason.
import { describe, expect, it } from "vitest";
import { fromHex, generateKeyPair } from "@opendcc/kernel";
import {
  DuisError, node, parseResponse, signDocument, text, verifyDocument, writeResponse, writeSignedResponse,
  type DuisErrorCode, type DuisResponse, type ResponseBody, type ResponseContent,
} from "../src/index.js";

const payload = fromHex("DF0902000001819000000003E80890B3D51F30010000080000DB1234567890A00002004F15D9200003E8");
const requestId = { originator: "90B3D51F30010000", target: "00DB1234567890A0", counter: 1662370822053n };
const responseId = { originator: "00DB1234567890A0", target: "90B3D51F30010000", counter: 1662370822053n };

function response(body: ResponseBody, header: Partial<DuisResponse["header"]> = {}): DuisResponse {
  return {
    schemaVersion: "5.1",
    header: { requestId, responseId, responseCode: "I0", responseDateTime: "2022-09-05T09:40:12.060Z", ...header },
    body,
    signature: null,
  };
}

const message = (content?: ResponseContent, sr = "4.1", srv = "4.1.1"): ResponseBody =>
  content ? { kind: "ResponseMessage", serviceReference: sr, serviceReferenceVariant: srv, content } : { kind: "ResponseMessage", serviceReference: sr, serviceReferenceVariant: srv };

const device = (id: string, type: string) => node("Device", [
  node("DeviceID", id), node("DeviceType", type), node("DeviceStatus", "Commissioned"),
  node("DeviceManufacturer", "ACME"), node("DeviceModel", "M1"),
]);

const FORMS: [string, DuisResponse][] = [
  ["acknowledgement without result (I99)", response(message(), { responseCode: "I99" })],
  ["error acknowledgement with only a RequestID", { ...response(message(undefined, "11.2", "11.2"), { responseCode: "E65" }), header: { requestId, responseCode: "E65", responseDateTime: "2022-09-05T09:40:12Z" } }],
  ["device result (GBCSPayload)", response(message({ kind: "GBCSPayload", gbcsPayload: payload }))],
  ["PreCommand (CV 4)", response(message({ kind: "PreCommand", gbcsVersion: "4.0", gbcsPayload: payload }, "7.1", "7.1"))],
  ["LocalCommand (CV 2/6)", response(message({ kind: "LocalCommand", gbcsPayload: payload }))],
  ["future-dated device alert", response(message({ kind: "FutureDatedDeviceAlertMessage", futureDatedAlertCode: "8F66", gbcsPayload: payload, instructionNumber: 1, totalCommandInstructions: 65535 }, "1.1", "1.1.1"))],
  ["DSP scheduled result", response(message({ kind: "DSPScheduledMessage", gbcsPayload: payload, dspScheduleId: 1_000_000_000_000 }, "4.6", "4.6.1"))],
  ["DSP schedule ID (5.1)", response(message({ kind: "DSPScheduleID", dspScheduleId: 17 }, "5.1", "5.1"))],
  ["CIN message (9.1)", response(message({ kind: "CINMessage", gbcsPayload: payload, customerIdentificationNumber: "0042" }, "9.1", "9.1"))],
  ["DSP schedules read (5.2)", response(message({
    kind: "DSPSchedulesRead",
    node: node("DSPSchedulesRead", [node("DSPSchedules", [node("DSPScheduleID", "17"), node("DSPScheduleDetails", [
      node("ScheduleFrequency", "Daily"), node("ScheduleStartDate", "2030-01-01"),
      node("DSPScheduledServiceReference", "4.6"), node("DSPScheduledServiceReferenceVariant", "4.6.1"),
      node("DeviceID", "00-DB-12-34-56-78-90-A0"), node("DSPRetrieveImportDailyReadLog", [node("ReadLogPeriodOffset", "-1")]),
    ])])]),
  }, "5.2", "5.2"))],
  ["DSP inventory (8.2)", response(message({
    kind: "DSPInventory", node: node("DSPInventory", [device("00-DB-12-34-56-78-90-A0", "ESME"), device("00-DB-12-34-56-78-90-A2", "CHF")]),
  }, "8.2", "8.2"))],
  ["DSP opt-in (8.6), a generic result", response(message({
    kind: "Other", node: node("DSPOptIn", [node("DeviceID", "00-DB-12-34-56-78-90-A0"), node("DSPBrokerSecurityCredentialsKeyAgreement", "MIIB")]),
  }, "8.6", "8.6"))],
  ["device alert", response({ kind: "DeviceAlertMessage", alertCode: "8F35", throttledAlertSequenceId: 3, throttledAlertCount: 4294967295, gbcsPayload: payload })],
  ["device alert without throttling", response({ kind: "DeviceAlertMessage", alertCode: "0001", gbcsPayload: payload })],
  ["DCC alert", response({
    kind: "DCCAlertMessage", dccAlertCode: "N12",
    event: node("PowerOutageEvent", [node("CommsHubDeviceID", "00-DB-12-34-56-78-90-A2"), node("StartDateTime", "2022-09-05T09:00:00Z"), node("MPxN", "1234567890123")]),
  }, { responseCode: "I0" })],
  ["DCC alert with attributes and special characters", response({
    kind: "DCCAlertMessage", dccAlertCode: "AD1", throttledAlertCount: 2,
    event: node("QuarantinedRequest", [node("ADUserThresholdBreach", [node("RequestID", "90-B3-D5-1F-30-01-00-00:00-DB-12-34-56-78-90-A0:5"), node("QuarantineEventRef", "12")])], { "xsi:nil": "false" }),
  })],
];

describe("response writers and parsers", () => {
  it.each(FORMS)("%s: writeResponse then parseResponse gives it back", (_, original) => {
    const xml = writeResponse(original);
    expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<sr:Response xmlns:sr="http://www.dccinterface.co.uk/ServiceUserGateway"')).toBe(true);
    expect(parseResponse(xml)).toEqual(original);
    expect(writeResponse(parseResponse(xml))).toBe(xml);
  });

  it("writes the header and ResponseMessage fields in schema order", () => {
    const xml = writeResponse(FORMS[4]?.[1] as DuisResponse);
    const order = ["<sr:RequestID>", "<sr:ResponseID>", "<sr:ResponseCode>", "<sr:ResponseDateTime>", "<sr:ServiceReference>", "<sr:ServiceReferenceVariant>", "<sr:LocalCommand>", "<sr:GBCSPayload>"];
    const positions = order.map((tag) => xml.indexOf(tag));
    expect(positions.every((p) => p > 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    expect(xml).toContain("<sr:ResponseID>00-DB-12-34-56-78-90-A0:90-B3-D5-1F-30-01-00-00:1662370822053</sr:ResponseID>");
  });

  it("reads a compact, DCC Boxed-shaped response with spare namespace declarations", () => {
    const xml = '<?xml version="1.0" encoding="UTF-8" standalone="no"?><sr:Response xmlns:sr="http://www.dccinterface.co.uk/ServiceUserGateway" ' +
      'xmlns:ns3="http://www.w3.org/2000/09/xmldsig#" xmlns:ra="http://www.dccinterface.co.uk/ResponseAndAlert" schemaVersion="5.1">' +
      "<sr:Header><sr:RequestID>90-B3-D5-1F-30-01-00-00:00-DB-12-34-56-78-90-A0:7</sr:RequestID><sr:ResponseCode>E65</sr:ResponseCode>" +
      "<sr:ResponseDateTime>2022-09-05T09:40:12.060Z</sr:ResponseDateTime></sr:Header><sr:Body><sr:ResponseMessage>" +
      "<sr:ServiceReference>11.2</sr:ServiceReference><sr:ServiceReferenceVariant>11.2</sr:ServiceReferenceVariant></sr:ResponseMessage></sr:Body></sr:Response>";
    const parsed = parseResponse(xml);
    expect(parsed.header).toEqual({ requestId: { ...requestId, counter: 7n }, responseCode: "E65", responseDateTime: "2022-09-05T09:40:12.060Z" });
    expect(parsed.body).toEqual({ kind: "ResponseMessage", serviceReference: "11.2", serviceReferenceVariant: "11.2" });
    expect(parsed.signature).toBeNull();
  });

  it("gives typed access into generic results", () => {
    const inventory = parseResponse(writeResponse(FORMS[10]?.[1] as DuisResponse));
    const body = inventory.body;
    expect(body.kind === "ResponseMessage" && body.content?.kind === "DSPInventory" ? body.content.node.children?.map((d) => text(d, "DeviceType")) : null)
      .toEqual(["ESME", "CHF"]);
  });

  it("signs a response and verifies it", async () => {
    const pair = await generateKeyPair("ds");
    const signed = await signDocument(writeResponse(FORMS[2]?.[1] as DuisResponse), { privateKey: pair.privateKey, issuerName: "CN=Z1,OU=07", serialNumber: 1n });
    expect((await verifyDocument(signed, () => pair.publicKey)).ok).toBe(true);
    const parsed = parseResponse(signed);
    expect(parsed.signature?.serialNumber).toBe("1");
    expect({ ...parsed, signature: null }).toEqual(FORMS[2]?.[1]);
  });
});

describe("writeSignedResponse", () => {
  // Attributes out of C14N order, characters C14N escapes, empty elements: the canonical writer's cases.
  const awkward = response({
    kind: "DCCAlertMessage", dccAlertCode: "N12",
    event: node("PowerOutageEvent", [
      node("CommsHubDeviceID", "a&b<c>d\re \"q\" 'x'\t"),
      node("Empty"),
      node("Attributed", "", { "xsi:type": "t", zeta: "1\t\"&<>", alpha: "2\n\r", "xsi:nil": "false" }),
      node("Nested", [node("Leaf", " spaced ", { b: "", a: "" })]),
    ]),
  });
  const signer = async () => {
    const pair = await generateKeyPair("ds");
    return { pair, options: { privateKey: pair.privateKey, issuerName: "CN=Z1 & <Co>,OU=07", serialNumber: "0042" } };
  };
  const withoutSignatureValue = (xml: string) => xml.replace(/<ds:SignatureValue>[^<]*<\/ds:SignatureValue>/, "<ds:SignatureValue/>");

  it.each([...FORMS, ["awkward attributes and text", awkward] as [string, DuisResponse]])(
    "%s: the same bytes as signDocument(writeResponse(...)), and it verifies",
    async (_, original) => {
      const { pair, options } = await signer();
      const signed = await writeSignedResponse(original, options);
      expect(withoutSignatureValue(signed)).toBe(withoutSignatureValue(await signDocument(writeResponse(original), options)));
      expect(await verifyDocument(signed, (issuer, serial) => (issuer === "CN=Z1 & <Co>,OU=07" && serial === "42" ? pair.publicKey : null)))
        .toEqual({ ok: true, issuerName: "CN=Z1 & <Co>,OU=07", serialNumber: "42" });
      expect({ ...parseResponse(signed), signature: null }).toEqual(original);
    },
  );

  it("refuses what the writer refuses, and an issuer name XML cannot hold", async () => {
    const { options } = await signer();
    await expect(writeSignedResponse(response(message(), { responseCode: "I99" }), { ...options, issuerName: "CN=\u0001" }))
      .rejects.toThrow("the issuer name holds a character XML does not allow");
    const bad = response({ kind: "DCCAlertMessage", dccAlertCode: "N12", event: node("Event", "x", { xmlns: "urn:other" }) });
    await expect(writeSignedResponse(bad, options)).rejects.toThrow('"xmlns" is not an attribute name');
    expect(() => writeResponse(bad)).toThrow('"xmlns" is not an attribute name');
  });
});

describe("malformed responses", () => {
  const good = writeResponse(FORMS[2]?.[1] as DuisResponse);

  function expectRefused(xml: string, code: DuisErrorCode, pattern: RegExp): void {
    let error: unknown;
    try {
      parseResponse(xml);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(DuisError);
    expect((error as DuisError).code).toBe(code);
    expect((error as DuisError).message).toMatch(pattern);
  }

  it("refuses bad header values and order", () => {
    expectRefused(good.replace(">I0<", ">X1<"), "DUIS_VALUE", /ResponseCode "X1"/);
    expectRefused(good.replace("2022-09-05T09:40:12.060Z", "yesterday"), "DUIS_VALUE", /ResponseDateTime "yesterday"/);
    expectRefused(good.replace(/<sr:ResponseCode>I0<\/sr:ResponseCode>/, ""), "DUIS_HEADER", /lacks sr:ResponseCode/);
    const swapped = good.replace(/(<sr:RequestID>[^<]*<\/sr:RequestID>)\s*(<sr:ResponseID>[^<]*<\/sr:ResponseID>)/, "$2$1");
    expectRefused(swapped, "DUIS_HEADER", /sr:RequestID is out of order/);
  });

  it("refuses bad bodies", () => {
    expectRefused(good.replace("<sr:GBCSPayload>", "<sr:GBCSPayload>*"), "DUIS_VALUE", /not valid base64/);
    expectRefused(good.replace("</sr:GBCSPayload>", "</sr:GBCSPayload><sr:DSPScheduleID>1</sr:DSPScheduleID>"), "DUIS_BODY", /more than one result element/);
    expectRefused(good.replace(/sr:GBCSPayload/g, "sr:Payload"), "DUIS_BODY", /sr:Payload is not a ResponseMessage result element/);
    expectRefused(good.replace("<sr:ServiceReference>4.1<", "<sr:ServiceReference>4.2<"), "DUIS_SR_MISMATCH", /4\.1\.1 does not belong to ServiceReference 4\.2/);
    expectRefused(good.replace(/sr:ResponseMessage/g, "sr:SMETS1ResponseMessage"), "DUIS_UNSUPPORTED", /SMETS1/);
    expectRefused(good.replace(/sr:ResponseMessage/g, "sr:Result"), "DUIS_BODY", /sr:Result is not a Response body/);
    const alert = writeResponse(FORMS[12]?.[1] as DuisResponse);
    expectRefused(alert.replace(">8F35<", ">8G35<"), "DUIS_VALUE", /AlertCode "8G35" is not hexadecimal/);
    expectRefused(alert.replace(">4294967295<", ">4294967296<"), "DUIS_VALUE", /ThrottledAlertCount 4294967296 is larger/);
    const dcc = writeResponse(FORMS[14]?.[1] as DuisResponse);
    expectRefused(dcc.replace(">N12<", ">Z12<"), "DUIS_VALUE", /DCCAlertCode "Z12"/);
  });
});
