// Identifiers, the DuisNode helpers and validateRequest's offline findings.
import { describe, expect, it } from "vitest";
import {
  DuisError, bodyDeviceId, child, children, find, formatEui, formatRequestId, node, parseEui, parseRequest, parseRequestId,
  requireText, text, validateRequest, writeRequest, type DuisRequest,
} from "../src/index.js";
import { PLACEHOLDER_SIGNATURE, requestXml } from "./support.js";

describe("RequestID and EUI", () => {
  it("parses to 16 uppercase hex digits and a bigint counter, and formats back", () => {
    const id = parseRequestId("90-b3-d5-1f-30-01-00-00:00-DB-12-34-56-78-90-a2:18446744073709551615");
    expect(id).toEqual({ originator: "90B3D51F30010000", target: "00DB1234567890A2", counter: 18446744073709551615n });
    expect(formatRequestId(id)).toBe("90-B3-D5-1F-30-01-00-00:00-DB-12-34-56-78-90-A2:18446744073709551615");
    expect(() => formatRequestId({ ...id, counter: 1n << 64n })).toThrow(RangeError);
    expect(() => formatRequestId({ ...id, counter: -1n })).toThrow(RangeError);
  });

  it("refuses leading zeros, overflow and bad EUIs with DUIS_REQUEST_ID", () => {
    for (const bad of ["90-B3-D5-1F-30-01-00-00:00-DB-12-34-56-78-90-A2:00", "90-B3-D5-1F-30-01-00-00:00-DB-12-34-56-78-90-A2:18446744073709551616",
      "90-B3-D5-1F-30-01-00:00-DB-12-34-56-78-90-A2:1", "90-B3-D5-1F-30-01-00-00:00-DB-12-34-56-78-90-A2:1:2", "90-B3-D5-1F-30-01-00-00:00-DB-12-34-56-78-90-A2: 1"]) {
      expect(() => parseRequestId(bad), bad).toThrow(DuisError);
      try {
        parseRequestId(bad);
      } catch (error) {
        expect((error as DuisError).code, bad).toBe("DUIS_REQUEST_ID");
      }
    }
  });

  it("converts EUIs both ways", () => {
    expect(parseEui("00-db-12-34-56-78-90-a2")).toBe("00DB1234567890A2");
    expect(formatEui("00db1234567890a2")).toBe("00-DB-12-34-56-78-90-A2");
    expect(() => parseEui("00DB1234567890A2")).toThrow(/eight hex pairs/);
    expect(() => formatEui("00DB")).toThrow(RangeError);
  });
});

describe("DuisNode helpers", () => {
  const schedule = node("CreateSchedule", [
    node("ScheduleFrequency", "Daily"),
    node("DSPScheduleDetails", [node("DeviceID", "00-DB-12-34-56-78-90-A0")]),
    node("Entry", "1", { index: "1" }),
    node("Entry", "2", { index: "2" }),
    node("Empty"),
  ]);

  it("finds children, paths, text and attributes", () => {
    expect(child(schedule, "ScheduleFrequency")?.text).toBe("Daily");
    expect(children(schedule, "Entry").map((e) => e.attributes?.["index"])).toEqual(["1", "2"]);
    expect(children(schedule).length).toBe(5);
    expect(find(schedule, "DSPScheduleDetails/DeviceID")?.text).toBe("00-DB-12-34-56-78-90-A0");
    expect(text(schedule, "DSPScheduleDetails/DeviceID")).toBe("00-DB-12-34-56-78-90-A0");
    expect(text(schedule, "Empty")).toBe("");
    expect(text(schedule, "Missing/DeviceID")).toBeUndefined();
    expect(requireText(schedule, "ScheduleFrequency")).toBe("Daily");
    expect(() => requireText(schedule, "Empty")).toThrow(/has no Empty/);
    expect(node("X", "")).toEqual({ name: "X" });
    expect(node("X", [], {})).toEqual({ name: "X" });
  });

  it("reads the DeviceID a non-device body names", () => {
    expect(bodyDeviceId(parseRequest(requestXml()).body)).toBe("00DB1234567890A2");
  });
});

describe("validateRequest", () => {
  const base = parseRequest(requestXml({ signature: PLACEHOLDER_SIGNATURE }));
  const withHeader = (header: Partial<DuisRequest["header"]>, signature = base.signature): DuisRequest =>
    ({ ...base, header: { ...base.header, ...header }, signature });
  const codes = (request: DuisRequest, endpoint?: "serviceS" | "serviceT" | "serviceD") =>
    validateRequest(request, endpoint ? { endpoint } : {}).map((f) => f.code);
  const device = { originator: "90B3D51F30010000", target: "00DB1234567890A0", counter: 5n };

  it("finds only the placeholder signature in a correct request", () => {
    expect(codes(base)).toEqual(["SIGNATURE_PLACEHOLDER"]);
    expect(codes(withHeader({}, null))).toEqual(["SIGNATURE_MISSING"]);
  });

  it("reports a CommandVariant the SRV does not allow as E12", () => {
    // 8.2 is non-device: only CV 8.
    expect(codes(withHeader({ commandVariant: 1 }))).toContain("E12");
    // 7.1 is critical: CV 4-7, not 1.
    const critical = { serviceReference: "7.1", serviceReferenceVariant: "7.1", requestId: device };
    expect(codes(withHeader({ ...critical, commandVariant: 1 }))).toContain("E12");
    expect(codes(withHeader({ ...critical, commandVariant: 4 }))).not.toContain("E12");
    expect(codes(withHeader({ ...critical, commandVariant: 7 }))).not.toContain("E12");
    // 4.1.1 is non-critical: CV 1-3, not 4 or 8.
    const nonCritical = { serviceReference: "4.1", serviceReferenceVariant: "4.1.1", requestId: device };
    expect(codes(withHeader({ ...nonCritical, commandVariant: 4 }))).toContain("E12");
    expect(codes(withHeader({ ...nonCritical, commandVariant: 8 }))).toContain("E12");
    expect(codes(withHeader({ ...nonCritical, commandVariant: 3 }))).toEqual(["SIGNATURE_PLACEHOLDER"]);
    const message = validateRequest(withHeader({ ...critical, commandVariant: 1 }))[0]?.message;
    expect(message).toMatch(/CommandVariant 1 does not apply to 7\.1.*critical.*4, 5, 6, 7/);
  });

  it("reports the wrong endpoint as E13", () => {
    expect(codes(base, "serviceD")).not.toContain("E13");
    expect(codes(base, "serviceS")).toContain("E13");
    expect(codes(withHeader({ serviceReference: "7.1", serviceReferenceVariant: "7.1", requestId: device, commandVariant: 4 }), "serviceT")).not.toContain("E13");
  });

  it("checks the target: the DCC for CV 8, a device otherwise", () => {
    expect(codes(withHeader({ requestId: device }))).toContain("DUIS_TARGET");
    const toDcc = { ...device, target: "90B3D51F30000002" };
    expect(codes(withHeader({ serviceReference: "4.1", serviceReferenceVariant: "4.1.1", requestId: toDcc, commandVariant: 1 }))).toContain("DUIS_TARGET");
  });

  it("checks the sequencing fields agree", () => {
    const id = base.header.requestId;
    expect(codes(withHeader({ precedingRequestId: { ...id, counter: 999n } }))).toEqual(["SIGNATURE_PLACEHOLDER"]);
    expect(codes(withHeader({ precedingRequestId: { ...id, counter: 999n }, firstInSequence: true }))).toContain("DUIS_SEQUENCE");
    expect(codes(withHeader({ precedingRequestId: { ...id, counter: 1000n } }))).toContain("DUIS_SEQUENCE");
    expect(codes(withHeader({ precedingRequestId: { ...id, originator: "90B3D51F30030000", counter: 1n } }))).toContain("DUIS_SEQUENCE");
  });

  it("reports an SRV outside the catalogue on hand-built requests", () => {
    expect(codes(withHeader({ serviceReference: "99.1", serviceReferenceVariant: "99.1" }))).toContain("DUIS_UNKNOWN_SRV");
  });
});

describe("writeRequest", () => {
  it("writes the samples' namespaces, the schemaVersion, and the header in order, without a signature", () => {
    const request = parseRequest(requestXml({ signature: PLACEHOLDER_SIGNATURE }));
    const xml = writeRequest({ ...request, schemaVersion: "5.4", header: { ...request.header, firstInSequence: true, precedingRequestId: { ...request.header.requestId, counter: 1n } } });
    expect(xml).toContain('<sr:Request xmlns:ds="http://www.w3.org/2000/09/xmldsig#" xmlns:sr="http://www.dccinterface.co.uk/ServiceUserGateway" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" schemaVersion="5.4">');
    const order = ["RequestID", "FirstInSequence", "PrecedingServiceRequestID", "CommandVariant", "ServiceReference>", "ServiceReferenceVariant"].map((t) => xml.indexOf(`<sr:${t}`));
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(order.every((p) => p > 0)).toBe(true);
    expect(xml).not.toContain("Signature");
    expect(parseRequest(xml).header.firstInSequence).toBe(true);
  });

  it("refuses what cannot be written as DUIS XML", () => {
    const request = parseRequest(requestXml());
    const body = request.body as { element: string; content: ReturnType<typeof node> };
    expect(() => writeRequest({ ...request, body: { ...body, content: node("Bad Name") } })).toThrow(/body.element says|not an element name/);
    expect(() => writeRequest({ ...request, body: { element: "ReadInventory", content: node("ReadInventory", "a\u0001b") } })).toThrow(/character XML does not allow/);
    expect(() => writeRequest({ ...request, schemaVersion: "v5" })).toThrow(/not a decimal/);
    // Text is escaped, so markup in values stays text.
    const tricky = writeRequest({ ...request, body: { element: "ReadInventory", content: node("ReadInventory", [node("DeviceID", "<x>&amp;\r")]) } });
    expect(text((parseRequest(tricky).body as { content: ReturnType<typeof node> }).content, "DeviceID")).toBe("<x>&amp;\r");
  });
});
