// The ASN.1 DER reader against the DCC Reference Test Data Set: every ASN.1-family command,
// pre-command, response and alert parses and is named by its message code; exact values on chosen
// vectors; DER that is not strict DER (indefinite or over-long lengths, trailing bytes, deep
// nesting) is a specific GbcsParseError.
import { beforeAll, describe, expect, it } from "vitest";
import { fromHex } from "@opendcc/kernel";
import { parseAsn1Payload } from "../src/parse/asn1.js";
import { ASN1_MESSAGE_CODES } from "../src/parse/asn1-names.js";
import { familyOf } from "../src/parse/families.js";
import { MAX_DER_DEPTH } from "../src/parse/asn1-der.js";
import { GbcsParseError, type ParsedPayload, type PayloadContext } from "../src/parse/types.js";
import { describeWithFixtures, rtdsVectors } from "../../../test/support/fixtures.js";
import { seededRandom } from "../../../test/support/random.js";
import { errorOf, loadVector as load, meaningOf, type LoadedVector as Loaded } from "./support/payloads.js";

const context = (messageCode: number, cra: 1 | 2 | 3): PayloadContext => ({ cra, messageCode, useCase: null });

describeWithFixtures("ASN.1 payloads of the RTDS", () => {
  let vectors: Loaded[];
  const parse = (part: string): ParsedPayload => {
    const found = vectors.find((loaded) => loaded.vector.file.includes(part));
    if (!found) throw new Error(`no ASN.1 vector ${part}`);
    return parseAsn1Payload(found.content, context(found.frame.messageCode, found.frame.cra));
  };

  beforeAll(() => {
    vectors = rtdsVectors().map(load).filter((loaded) => familyOf(loaded.frame.messageCode, loaded.content) === "ASN.1");
  });

  it("parses every ASN.1 command, pre-command, response and alert", () => {
    const kinds = new Map<string, number>();
    for (const loaded of vectors) {
      const parsed = parseAsn1Payload(loaded.content, context(loaded.frame.messageCode, loaded.frame.cra));
      expect(parsed.family, loaded.vector.file).toBe("ASN.1");
      kinds.set(loaded.vector.kind, (kinds.get(loaded.vector.kind) ?? 0) + 1);
    }
    expect(Object.fromEntries(kinds)).toEqual({ COMMAND: 47, PRECOMMAND: 26, RESPONSE: 49, ALERT: 9 });
  });

  it("answers every truncation and many byte flips of every vector with a result or a GbcsParseError", () => {
    const random = seededRandom(7);
    for (const loaded of vectors) {
      const ctx = context(loaded.frame.messageCode, loaded.frame.cra);
      const attempts = [loaded.content.subarray(0, Math.floor(random() * loaded.content.length))];
      for (let i = 0; i < 10; i++) {
        const flipped = loaded.content.slice();
        const at = Math.floor(random() * flipped.length);
        flipped[at] = (flipped[at] as number) ^ (1 << Math.floor(random() * 8));
        attempts.push(flipped);
      }
      for (const bytes of attempts) {
        try {
          parseAsn1Payload(bytes, ctx);
        } catch (error) {
          expect(error, loaded.vector.file).toBeInstanceOf(GbcsParseError);
        }
      }
    }
  });

  it("names every status, role, device type and alert the RTDS carries", () => {
    const unnamed: string[] = [];
    const walk = (value: unknown, file: string) => {
      if (Array.isArray(value)) value.forEach((item) => walk(item, file));
      else if (value && typeof value === "object") {
        const record = value as Record<string, unknown>;
        if ("code" in record && "name" in record && record["name"] === null) unnamed.push(`${file}: ${JSON.stringify(record)}`);
        if ("alertCode" in record && record["alert"] === null) unnamed.push(`${file}: alert ${String(record["alertCode"])}`);
        Object.values(record).forEach((item) => walk(item, file));
      }
    };
    for (const loaded of vectors) walk(parseAsn1Payload(loaded.content, context(loaded.frame.messageCode, loaded.frame.cra)).fields, loaded.vector.file);
    expect(unnamed).toEqual([]);
  });

  it("reads a CS02b Update Security Credentials command: control, replacement certificate, certification path", () => {
    const fields = parse("CS02bSupplierBySupplier_6.15.1_IMMEDIATE_SUCCESS_COMMAND").fields;
    expect(fields["authorisingRemotePartyControl"]).toEqual({
      credentialsReplacementMode: { code: 2, name: "supplierBySupplier" },
      applyTimeBasedCpvChecks: { code: 1, name: "disapply" },
      authorisingRemotePartyTaCellIdentifier: { remotePartyRole: { code: 2, name: "supplier" }, keyUsage: ["digitalSignature"] },
      authorisingRemotePartySeqNumber: 1000,
      newRemotePartyFloorSeqNumber: 0,
      newRemotePartySpecialistFloorSeqNumbers: [{ seqNumberUsage: { code: 0, name: "prepaymentTopUp" }, seqNumber: 0 }],
    });
    const [first] = fields["replacements"] as Record<string, unknown>[];
    expect(first).toEqual({
      replacingCertificate: {
        subjectEui: "90B3D51F30010000", subject: expect.stringContaining("CN=GITTESTSUPPLIER"), issuer: "OU=07,CN=Z1",
        serialNumber: "4A07BC01D9253B51FAF01F7EC7DA5B2F", notBefore: "2016-01-10T00:00:00Z", notAfter: "2026-01-09T23:59:59Z",
        keyUsage: ["digitalSignature"],
      },
      targetTrustAnchorCell: { remotePartyRole: { code: 2, name: "supplier" }, keyUsage: ["digitalSignature"] },
    });
    expect(fields["certificationPathCertificates"]).toEqual([{
      subjectEui: null, subject: "OU=07,CN=Z1", issuer: "OU=00,CN=ZA", serialNumber: "71872BDBC82789BC1401CE01BA06ADA3",
      notBefore: "2015-10-29T00:00:00Z", notAfter: "2040-10-28T23:59:59Z", keyUsage: ["keyCertSign", "cRLSign"],
    }]);
  });

  it("reads a CS02b response: accepted, and the outcome of each replacement", () => {
    const fields = parse("CS02bSupplierBySupplier_6.15.1_IMMEDIATE_SUCCESS_RESPONSE").fields;
    expect(fields["commandAccepted"]).toBe(true);
    const outcome = fields["executionOutcome"] as Record<string, unknown>;
    expect(outcome).toMatchObject({ authorisingRemotePartySeqNumber: 1000, credentialsReplacementMode: { code: 2, name: "supplierBySupplier" } });
    expect((outcome["replacementOutcomes"] as unknown[])[0]).toEqual({
      affectedTrustAnchorCell: { remotePartyRole: { code: 2, name: "supplier" }, keyUsage: ["digitalSignature"] },
      statusCode: { code: 0, name: "success" },
      existingSubjectUniqueId: "90B3D51F30010000", existingSubjectKeyId: "44899792D196F4B8",
      replacingSubjectUniqueId: "90B3D51F30010000", replacingSubjectKeyId: "43046B4FB7C4F11B",
    });
    expect(parse("CS02bSupplierBySupplier_6.15.1_CANCELLATION_SUCCESS_RESPONSE").fields).toEqual({ commandAccepted: true });
  });

  it("reads the CS08 pair: a NULL command and the firmware version response", () => {
    expect(parse("CS08_11.2_SUCCESS_COMMAND").fields).toEqual({ request: null });
    expect(parse("CS08_11.2_ERROR_RESPONSE").fields).toEqual({ firmwareVersion: "00000000", responseCode: { code: 1, name: "failure" } });
  });

  it("reads CS07 device log entries, GCS28 clock times, joins, unjoins and bare response codes", () => {
    expect(parse("CS07_8.9_SUCCESS_RESPONSE").fields).toEqual({
      responseCode: { code: 0, name: "success" },
      deviceLogEntries: [
        { deviceId: "0102030405060708", deviceType: { code: 3, name: "gpf" } },
        { deviceId: "00DB123456789099", deviceType: { code: 3, name: "gpf" } },
        { deviceId: "00DB123456789097", deviceType: { code: 5, name: "ppmid" } },
      ],
    });
    expect(parse("GCS28_6.11_SUCCESS_COMMAND").fields).toEqual({ validityIntervalStart: "2014-12-31T23:30:00Z", validityIntervalEnd: "2015-01-01T00:30:00Z" });
    expect(parse("GCS28_6.11_ERROR_RESPONSE").fields).toEqual({ deviceTime: "2015-01-01T00:00:00Z", deviceTimeStatus: { code: 2, name: "unreliable" } });
    expect(parse("CS03A1_8.7.1_SUCCESS_COMMAND").fields).toEqual({
      joinMethodAndRole: { code: 0, name: "methodAInitiator" }, otherDeviceEntityId: "00DB12345678909A", otherDeviceType: { code: 4, name: "hcalcs" },
    });
    expect(parse("CS04ACCritical_8.8.1_ERROR_RESPONSE").fields).toEqual({ responseCode: { code: 1, name: "notInDeviceLog" } });
    expect(parse("CS02d_6.15.2_ERROR_RESPONSE").fields).toEqual({ responseCode: { code: 3, name: "invalidKeyUsage" } });
  });

  it("reads ASN.1 alerts: alert code with its meaning, time and details", () => {
    expect(parse("CS06_11.3_8F67_FUTURE_DATED_ERROR_ALERT").fields).toEqual({
      alertCode: "0x8F67", alert: meaningOf(0x8f67), executionDateTime: "2030-01-01T00:00:00Z",
      originatorCounter: 1004, executionOutcome: { responseCode: { code: 2, name: "hashMismatch" }, firmwareVersion: "0123ABCF" },
    });
    expect(parse("CCS08_NA_NA_ALERT").fields).toEqual({
      alertCode: "0x8F8A", alert: meaningOf(0x8f8a), executionDateTime: "2015-01-01T00:00:00Z", entityId: "00DB1234567890A4",
      firmwareVersion: "0123ABCD", responseCode: { code: 0, name: "success" },
    });
    expect(parse("GCS62_NA_8071_ALERT").fields).toMatchObject({ alertCode: "0x8071", alert: meaningOf(0x8071), backupDateTime: "2015-01-01T00:00:00Z" });
  });
});

describe("ASN.1 message codes", () => {
  it("covers exactly the ASN.1 message codes of gbcs.md section 4", () => {
    const listed = [
      0x0008, 0x000a, 0x000b, 0x000c, 0x000d, 0x000e, 0x00ab, 0x00af, 0x000f, 0x0010, 0x0012, 0x0013, 0x007f, 0x008c, 0x00b2,
      0x0100, 0x0101, 0x0102, 0x0103, 0x0104, 0x0105, 0x0106, 0x0107, 0x0108, 0x0109, 0x011b, 0x0124, 0x0125, 0x0126,
      0x0128, 0x0129, 0x012b, 0x00ca, 0x00cb,
    ];
    expect([...ASN1_MESSAGE_CODES].sort((a, b) => a - b)).toEqual(listed.sort((a, b) => a - b));
  });
});

describe("ASN.1 bad input", () => {
  const unjoinResponse = (hex: string) => () => parseAsn1Payload(fromHex(hex), context(0x000f, 2));
  const clockResponse = (hex: string) => () => parseAsn1Payload(fromHex(hex), context(0x007f, 2));
  const time = (text: string) => `180F${Buffer.from(text).toString("hex")}`;

  it("refuses the indefinite length form", () => {
    expect(errorOf(clockResponse(`3080${time("20150101000000Z")}0201000000`)).message).toBe("DER forbids the indefinite length form (80) (at byte 1)");
  });

  it("refuses an over-long length field and a length past the end", () => {
    expect(errorOf(unjoinResponse("02850000000001" + "00")).message).toBe("DER length field of 5 bytes is over-long (at byte 1)");
    expect(errorOf(clockResponse(`3020${time("20150101000000Z")}020100`)).message).toBe("DER element of 32 bytes runs past the end of its container (20 remain) (at byte 0)");
  });

  it("refuses bytes after the element", () => {
    expect(errorOf(unjoinResponse("020100FF")).message).toBe("1 byte after the DER element (at byte 3)");
  });

  it("refuses nesting deeper than the limit", () => {
    let nested = "0500";
    for (let depth = 0; depth < MAX_DER_DEPTH; depth++) nested = `30${(nested.length / 2).toString(16).padStart(2, "0")}${nested}`;
    expect(errorOf(() => parseAsn1Payload(fromHex(nested), context(0x0013, 2))).message).toBe(`DER nesting deeper than ${MAX_DER_DEPTH} levels (at byte ${2 * MAX_DER_DEPTH})`);
  });

  it("refuses the wrong type, a missing field, an extra field and a malformed value", () => {
    expect(errorOf(unjoinResponse("040100")).message).toBe("0x000F response must start with tag 02, found 04 (at byte 0)");
    expect(errorOf(clockResponse(`3011${time("20150101000000Z")}`)).message).toBe("response: missing deviceTimeStatus (tag 02) (at byte 19)");
    expect(errorOf(clockResponse(`3017${time("20150101000000Z")}020100020100`)).message).toBe("response: unexpected element with tag 02 after the last field (at byte 22)");
    expect(errorOf(clockResponse(`3014${time("20150230000000Z")}020100`)).message).toBe('response.deviceTime: GeneralizedTime must be a real YYYYMMDDhhmmssZ time, found "20150230000000Z" (at byte 2)');
    expect(errorOf(unjoinResponse("02020001")).message).toBe("responseCode: INTEGER is not in its shortest form (at byte 0)");
  });

  it("refuses a payload kind the message code does not define, and codes that are not ASN.1", () => {
    expect(errorOf(() => parseAsn1Payload(fromHex("0500"), context(0x000f, 3))).message).toBe("message code 0x000F defines no ASN.1 alert payload (at byte 0)");
    expect(errorOf(() => parseAsn1Payload(fromHex("0500"), context(0x0074, 1))).message).toBe("message code 0x0074 has no ASN.1 payload layout (at byte 0)");
  });
});
