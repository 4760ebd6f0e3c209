// Every DUIS request sample of the reference test data: it parses, its only finding is the
// placeholder signature, writing it and parsing it back gives the same object, and the written
// body says what the sample's body says (checked by a plain-text reading independent of the parser).
import { beforeAll, expect, it } from "vitest";
import {
  bodyDeviceId, isSignedPreCommand, parseRequest, srvInfo, text, validateRequest, writeRequest, type DuisRequest,
} from "../src/index.js";
import { describeWithFixtures } from "../../../test/support/fixtures.js";
import { duisSamples, sample, type Sample } from "./support.js";

// The tag/attribute/text sequence of an sr:Body, read with a regular expression rather than the
// parser under test: [name, sorted attributes, text up to the next tag (trimmed)] per start tag.
function bodyTags(xml: string): string[] {
  const body = xml.slice(xml.indexOf("<sr:Body>"), xml.indexOf("</sr:Body>"));
  const tags: string[] = [];
  for (const match of body.matchAll(/<sr:([A-Za-z0-9]+)((?:\s+[A-Za-z:]+="[^"]*")*)\s*(\/?)>([^<]*)/g)) {
    const attributes = [...(match[2] ?? "").matchAll(/([A-Za-z:]+)="([^"]*)"/g)].map((a) => `${a[1]}=${a[2]}`).sort().join(" ");
    tags.push(`${match[1]} [${attributes}] ${match[3] ? "" : (match[4] ?? "").trim()}`);
  }
  return tags;
}

const withoutSignature = (request: DuisRequest): DuisRequest => ({ ...request, signature: null });

describeWithFixtures("DUIS request samples", () => {
  let samples: Sample[];
  beforeAll(() => {
    samples = duisSamples();
  });

  it("finds the 210 samples", () => {
    expect(samples.length).toBe(210);
  });

  it("parses every sample, and each one's only finding is the placeholder signature", () => {
    for (const { name, xml } of samples) {
      const request = parseRequest(xml);
      // The samples are unsigned templates: their ds:Signature is the "default" placeholder, which
      // a gateway must refuse. Nothing else may be wrong with any of them.
      expect(validateRequest(request).map((f) => f.code), name).toEqual(["SIGNATURE_PLACEHOLDER"]);
      expect(request.signature?.placeholder, name).toBe(true);
      expect(request.signature?.serialNumber, name).toBe("1234567890");
      expect(request.schemaVersion, name).toBe("5.2");
      const srv = /(?:^|_)(\d+(?:\.\d+)+)_/.exec(name)?.[1];
      expect(request.header.serviceReferenceVariant, name).toBe(srv);
    }
  });

  it("round-trips every sample: parse -> write -> parse gives the same object, and writing is stable", () => {
    for (const { name, xml } of samples) {
      const first = parseRequest(xml);
      const written = writeRequest(first);
      const second = parseRequest(written);
      // writeRequest writes no signature (signing is separate), so the re-read request has none.
      expect(second.signature, name).toBeNull();
      expect(second, name).toEqual(withoutSignature(first));
      expect(writeRequest(second), name).toBe(written);
    }
  });

  it("writes the same body content as each sample, tag for tag, in order", () => {
    for (const { name, xml } of samples) {
      const written = writeRequest(parseRequest(xml));
      const expected = bodyTags(xml);
      expect(expected.length, name).toBeGreaterThan(0);
      expect(bodyTags(written), name).toEqual(expected);
    }
  });

  it("puts each body under the catalogue's body element, or SignedPreCommand for CV 5-7", () => {
    const seen = new Set<string>();
    for (const { name, xml } of samples) {
      const request = parseRequest(xml);
      const info = srvInfo(request.header.serviceReferenceVariant);
      const cv = request.header.commandVariant;
      expect(request.body.element, name).toBe(cv >= 5 && cv <= 7 ? "SignedPreCommand" : info?.bodyElement);
      seen.add(request.header.serviceReferenceVariant);
    }
    expect(seen.size).toBeGreaterThan(100);
  });

  it("reads known values out of particular samples", () => {
    const inventory = parseRequest(sample("8.2_READ_INVENTORY_REQUEST_DUIS.XML"));
    expect(inventory.header.requestId).toEqual({ originator: "90B3D51F30010000", target: "90B3D51F30000002", counter: 1000n });
    expect(inventory.header.commandVariant).toBe(8);
    expect(bodyDeviceId(inventory.body)).toBe("00DB1234567890A2");

    const futureDated = parseRequest(sample("ECS01a_1.1.1_FUTURE_DATED_TOU_BLOCK_SUCCESS_REQUEST_DUIS.XML"));
    expect(futureDated.body.executionDateTime).toBe("2030-01-15T09:00:00.00Z");
    expect(isSignedPreCommand(futureDated.body)).toBe(false);
    if (!isSignedPreCommand(futureDated.body)) {
      // ExecutionDateTime is lifted out of the content; the rest keeps its order and attributes.
      expect(futureDated.body.content.children?.[0]?.name).toBe("ElecTariffElements");
      expect(text(futureDated.body.content, "ElecTariffElements/CurrencyUnits")).toBe("GBP");
      const xml = sample("ECS01a_1.1.1_FUTURE_DATED_TOU_BLOCK_SUCCESS_REQUEST_DUIS.XML");
      const indexed = (xml.match(/index="/g) ?? []).length;
      let found = 0;
      const walk = (n: { attributes?: Readonly<Record<string, string>>; children?: readonly object[] }): void => {
        if (n.attributes?.["index"] !== undefined) found++;
        for (const c of n.children ?? []) walk(c as typeof n);
      };
      walk(futureDated.body.content);
      expect(found).toBe(indexed);
      expect(indexed).toBeGreaterThan(0);
    }

    const cancellation = parseRequest(sample("ECS01a_1.1.1_CANCELLATION_TOU_BLOCK_SUCCESS_REQUEST_DUIS.XML"));
    expect(cancellation.body.executionDateTime).toBe("3000-12-31T00:00:00.00Z");

    // The one CV 7 template: a Signed Pre-Command of 120 bytes ending 0x40 + 64-byte signature.
    const signed = parseRequest(sample("ECS42_7.1_REQUEST_DUIS.XML"));
    expect(signed.header.commandVariant).toBe(7);
    expect(isSignedPreCommand(signed.body)).toBe(true);
    if (isSignedPreCommand(signed.body)) {
      expect(signed.body.gbcsPayload.length).toBe(120);
      expect(signed.body.gbcsPayload[0]).toBe(0xdf);
      expect(signed.body.gbcsPayload[120 - 65]).toBe(0x40);
    }

    // "&lt;" in a text value decodes to "<" and is written back escaped.
    const hub = parseRequest(sample("8.14.2_COMMUNICATIONS_HUB_STATUS_UPDATE_INSTALL_NO_SM_WAN_REQUEST_DUIS.XML"));
    if (!isSignedPreCommand(hub.body)) {
      const premise = JSON.stringify(hub.body.content);
      expect(premise).toContain("Low Rise Apartment (MDU <= 5 floors)");
    }
    expect(writeRequest(hub)).toContain("Low Rise Apartment (MDU &lt;= 5 floors)");
  });
});
