// The GBZ reader (gas, ZigBee SE) against the DCC Reference Test Data Set: every GBZ-family
// command, pre-command, response and alert parses without keys (encrypted components reported as
// ciphertext) and with them (decrypted and named); exact values on chosen vectors; bad input is a
// specific GbcsParseError, never a crash or a partial parse.
import { beforeAll, describe, expect, it } from "vitest";
import { fromHex, toHex } from "@opendcc/kernel";
import { KeyRing, decryptBlock, findEncryptedBlocks, headerOf } from "../src/index.js";
import { parseGbzPayload } from "../src/parse/gbz.js";
import { familyOf } from "../src/parse/families.js";
import { GbcsParseError, type ParsedPayload, type PayloadContext } from "../src/parse/types.js";
import { describeWithFixtures, keystoreFiles, rtdsVectors } from "../../../test/support/fixtures.js";
import { seededRandom } from "../../../test/support/random.js";
import { errorOf, loadVector as load, meaningOf, type LoadedVector as Loaded } from "./support/payloads.js";

// The blocks, opened first with the keys gbcs.md section 7 names (ECDH is async; the opener is not).
async function openerFor(ring: KeyRing, { message, frame, content }: Loaded): Promise<PayloadContext["openBlock"]> {
  const header = headerOf(message, frame);
  const opened = new Map<string, Uint8Array | null>();
  for (const block of findEncryptedBlocks(content, frame.cra, frame.messageCode)) {
    const bytes = content.subarray(block.offset, block.offset + block.length);
    opened.set(toHex(bytes), await decryptBlock(message, frame, header, ring, bytes).catch(() => null));
  }
  return (block) => opened.get(toHex(block)) ?? null;
}

function contextOf({ frame }: Loaded, openBlock?: PayloadContext["openBlock"]): PayloadContext {
  return { cra: frame.cra, messageCode: frame.messageCode, useCase: null, ...(openBlock ? { openBlock } : {}) };
}

describeWithFixtures("GBZ payloads of the RTDS", () => {
  let vectors: Loaded[];
  let ring: KeyRing;
  const byName = (part: string): Loaded => {
    const found = vectors.find((loaded) => loaded.vector.file.includes(part));
    if (!found) throw new Error(`no GBZ vector ${part}`);
    return found;
  };
  const parseWithKeys = async (part: string): Promise<ParsedPayload> => {
    const loaded = byName(part);
    return parseGbzPayload(loaded.content, contextOf(loaded, await openerFor(ring, loaded)));
  };

  beforeAll(async () => {
    vectors = rtdsVectors().map(load).filter((loaded) => familyOf(loaded.frame.messageCode, loaded.content) === "GBZ"); // gbcs.md section 4 decision order
    ring = await KeyRing.fromFiles(keystoreFiles());
  });

  it("parses every GBZ command, pre-command, response and alert without keys", () => {
    const kinds = new Map<string, number>();
    for (const loaded of vectors) {
      const parsed = parseGbzPayload(loaded.content, contextOf(loaded));
      expect(parsed.family, loaded.vector.file).toBe("GBZ");
      kinds.set(loaded.vector.kind, (kinds.get(loaded.vector.kind) ?? 0) + 1);
    }
    expect(Object.fromEntries(kinds)).toEqual({ COMMAND: 114, PRECOMMAND: 38, RESPONSE: 114, ALERT: 16 });
  });

  it("answers every truncation and many byte flips of every vector with a result or a GbcsParseError", () => {
    const random = seededRandom(7);
    for (const loaded of vectors) {
      const ctx = contextOf(loaded);
      const attempts = [loaded.content.subarray(0, Math.floor(random() * loaded.content.length))];
      for (let i = 0; i < 10; i++) {
        const flipped = loaded.content.slice();
        const at = Math.floor(random() * flipped.length);
        flipped[at] = (flipped[at] as number) ^ (1 << Math.floor(random() * 8));
        attempts.push(flipped);
      }
      for (const bytes of attempts) {
        try {
          parseGbzPayload(bytes, ctx);
        } catch (error) {
          expect(error, loaded.vector.file).toBeInstanceOf(GbcsParseError);
        }
      }
    }
  });

  it("decrypts every encrypted component with the keystore, and reports each one as ciphertext without it", async () => {
    let encrypted = 0;
    for (const loaded of vectors) {
      const plain = parseGbzPayload(loaded.content, contextOf(loaded));
      const opened = parseGbzPayload(loaded.content, contextOf(loaded, await openerFor(ring, loaded)));
      const components = (parsed: ParsedPayload) => (parsed.fields["components"] ?? []) as Record<string, unknown>[];
      components(plain).forEach((component, i) => {
        if (!component["encrypted"]) return;
        encrypted++;
        expect(component["decrypted"], loaded.vector.file).toBe(false);
        expect(String(component["encryptedBlock"]).startsWith("3100000000"), loaded.vector.file).toBe(true);
        expect(component["payload"], loaded.vector.file).toBeUndefined();
        const decrypted = components(opened)[i]!;
        expect(decrypted["decrypted"], loaded.vector.file).toBe(true);
        expect(decrypted["payload"], loaded.vector.file).toBeDefined();
      });
    }
    expect(encrypted).toBe(38);
  });

  it("names every command of every component in the RTDS", () => {
    for (const loaded of vectors) {
      const components = (parseGbzPayload(loaded.content, contextOf(loaded)).fields["components"] ?? []) as Record<string, unknown>[];
      for (const component of components) {
        expect(component["cluster"], loaded.vector.file).not.toBeNull();
        expect(component["command"], loaded.vector.file).not.toBeNull();
        expect(component["payloadHex"], loaded.vector.file).toBeUndefined();
      }
    }
  });

  it("reads a gas register (GCS13a) once decrypted, scaled into cubic metres", async () => {
    const [component] = (await parseWithKeys("GCS13a_4.1.1_SUCCESS_UNRELIABLE_RESPONSE")).fields["components"] as Record<string, unknown>[];
    expect(component).toMatchObject({ clusterId: "0x0702", cluster: "metering", encrypted: true, decrypted: true, command: "readAttributesResponse" });
    expect(component!["payload"]).toEqual({
      attributes: [
        { id: "0x0302", name: "divisor", status: { code: 0, name: "success" }, type: "uint24", value: 1000 },
        { id: "0x0301", name: "multiplier", status: { code: 0, name: "success" }, type: "uint24", value: 1 },
        { id: "0x0300", name: "unitOfMeasure", status: { code: 0, name: "success" }, type: "enum8", value: { code: 1, name: "m3" } },
        { id: "0x0000", name: "currentSummationDelivered", status: { code: 0, name: "success" }, type: "uint48", value: 12345, scaledValue: 12.345, unit: "m3" },
      ],
    });
  });

  it("reads daily snapshots (GCS16a) and the daily consumption log (GCS61) once decrypted", async () => {
    const [first] = (await parseWithKeys("GCS16a_4.6.1_SUCCESS_RESPONSE")).fields["components"] as Record<string, unknown>[];
    expect(first!["payload"]).toEqual({
      snapshotId: 0, snapshotTime: "2014-12-30T09:00:00Z", totalSnapshotsFound: 31, commandIndex: 0, totalCommands: 1, snapshotCause: 1,
      snapshotPayloadType: { code: 6, name: "blockTierDeliveredRegistersNoBilling" },
      currentSummationDelivered: 32, numberOfTiersInUse: 4, tierSummationsDelivered: [227, 189, 205, 3],
      numberOfTiersAndBlockThresholdsInUse: 20, tierBlockSummationsDelivered: [47, 238, 10, 68],
    });
    const [log] = (await parseWithKeys("GCS61_4.17_SUCCESS_RESPONSE")).fields["components"] as Record<string, unknown>[];
    expect(log).toMatchObject({ command: "getSampledDataResponse", decrypted: true });
    expect(log!["payload"]).toMatchObject({ sampleStartTime: "2014-12-22T00:00:00Z", numberOfSamples: 11, sampleRequestIntervalSeconds: 0xffff });
    expect((log!["payload"] as { samples: unknown[] }).samples.slice(0, 3)).toEqual([48714, 17550, 49289]);
  });

  it("reads a tariff: calendar, tariff information, block thresholds and price matrix (GCS01a)", () => {
    const components = parseGbzPayload(byName("GCS01a_1.1.1_FUTURE_DATED_BLOCK_SUCCESS_COMMAND").content, contextOf(byName("GCS01a_1.1.1_FUTURE_DATED_BLOCK_SUCCESS_COMMAND"))).fields["components"] as Record<string, unknown>[];
    expect(components.map((component) => component["command"])).toEqual([
      "publishCalendar", "publishDayProfile", "publishWeekProfile", "publishSeasons", "publishSpecialDays",
      "publishTariffInformation", "publishBlockThresholds", "publishPriceMatrix",
    ]);
    expect(components[5]!["payload"]).toEqual({
      providerId: 0, issuerEventId: 473385600, issuerTariffId: 1, startTime: "2030-01-15T09:00:00Z", tariffType: { code: 0x10, name: "block" },
      tariffLabel: "", numberOfPriceTiersInUse: 0, numberOfBlockThresholdsInUse: 3, unitOfMeasure: { code: 0, name: "kWh" },
      currency: { code: 826, name: "GBP" }, priceTrailingDigits: 5, standingCharge: 54794, tierBlockMode: 255,
      blockThresholdMultiplier: 1, blockThresholdDivisor: 1000,
    });
    expect(components[6]!["payload"]).toMatchObject({ thresholdSets: [{ numberOfBlockThresholds: 3, thresholds: [1000000, 2000000, 3000000] }] });
    expect(components[7]!["payload"]).toMatchObject({
      prices: [{ tierBlockId: 0, price: 9600 }, { tierBlockId: 1, price: 10200 }, { tierBlockId: 2, price: 10750 }, { tierBlockId: 3, price: 11000 }],
    });
    expect(components[3]!["payload"]).toMatchObject({ seasons: [{ startDate: "*-03-20", weekId: 1 }] });
    expect(components[1]!["payload"]).toMatchObject({ scheduleEntries: [{ startTime: "00:00", priceTier: 0 }] });
  });

  it("reads a top-up (CS01b) and the meter's answer", () => {
    const [command] = parseGbzPayload(byName("CS01b_2.2_SUCCESS_COMMAND").content, contextOf(byName("CS01b_2.2_SUCCESS_COMMAND"))).fields["components"] as Record<string, unknown>[];
    expect(command).toMatchObject({ cluster: "prepayment", direction: "clientToServer", command: "consumerTopUp" });
    expect(command!["payload"]).toEqual({ originatingDevice: { code: 0, name: "energyServiceInterface" }, topUpCode: "73950067887105178605" });
    const [response] = parseGbzPayload(byName("CS01b_2.2_SUCCESS_RESPONSE").content, contextOf(byName("CS01b_2.2_SUCCESS_RESPONSE"))).fields["components"] as Record<string, unknown>[];
    expect(response!["payload"]).toEqual({
      resultType: { code: 0, name: "accepted" }, topUpValue: 1250000, sourceOfTopUp: { code: 0, name: "energyServiceInterface" }, creditRemaining: 25144000,
    });
    const [rejected] = parseGbzPayload(byName("CS01b_2.2_ERROR_RESPONSE").content, contextOf(byName("CS01b_2.2_ERROR_RESPONSE"))).fields["components"] as Record<string, unknown>[];
    expect(rejected!["payload"]).toMatchObject({ resultType: { code: 1, name: "rejectedInvalid" }, topUpValue: -1, creditRemaining: -1 });
  });

  it("names a default response's status and the command it answers", () => {
    const [component] = parseGbzPayload(byName("GCS18_4.10_NOT_FOUND_RESPONSE").content, contextOf(byName("GCS18_4.10_NOT_FOUND_RESPONSE"))).fields["components"] as Record<string, unknown>[];
    expect(component!["payload"]).toEqual({ respondsToCommandId: 8, respondsTo: "getSampledData", status: { code: 0x8b, name: "notFound" } });
  });

  it("reads the special alert layouts: future-dated outcome, firmware hash, integrity code, and GCS53", async () => {
    const outcome = parseGbzPayload(byName("GCS01a_1.1.1_8F66_FUTURE_DATED_BLOCK_SUCCESS_ALERT_PUBLISH_TARIFF").content, contextOf(byName("GCS01a_1.1.1_8F66_FUTURE_DATED_BLOCK_SUCCESS_ALERT_PUBLISH_TARIFF")));
    expect(outcome.fields).toEqual({
      alertCode: "0x8F66", alert: meaningOf(0x8f66), timestamp: "2030-01-15T09:00:00Z",
      deferredCommand: {
        messageCode: "0x006B", useCase: "GCS01a", originatorCounter: 1005, clusterId: "0x0700", cluster: "price", commandId: 4,
        command: "publishTariffInformation",
      },
    });
    const hash = parseGbzPayload(byName("FDRA-ZigBee").content, contextOf(byName("FDRA-ZigBee")));
    expect(hash.fields).toEqual({
      alertCode: "0x8F72", alert: meaningOf(0x8f72), timestamp: "2015-01-01T00:00:00Z", firmwareHash: "A1".repeat(32),
    });
    expect(parseGbzPayload(byName("MIIWA-ZigBee").content, contextOf(byName("MIIWA-ZigBee"))).fields).toEqual({
      alertCode: "0x81A0", alert: meaningOf(0x81a0), timestamp: "2015-01-01T00:00:00Z", integrityIssueCode: 5,
    });
    const billing = await parseWithKeys("GCS53_NA_8F0A_ALERT");
    expect(billing.fields).toMatchObject({ alertCode: "0x8F0A", alert: meaningOf(0x8f0a), timestamp: "2015-01-01T00:00:00Z" });
    expect((billing.fields["components"] as Record<string, unknown>[])[0]).toMatchObject({ command: "publishSnapshot", decrypted: true });
    expect(parseGbzPayload(byName("GCA-ZigBee").content, contextOf(byName("GCA-ZigBee"))).fields).toEqual({
      alertCode: "0x8F30", alert: meaningOf(0x8f30), timestamp: "2015-01-01T00:00:00Z", components: [],
    });
  });
});

describe("GBZ bad input", () => {
  const command = (hex: string) => () => parseGbzPayload(fromHex(hex), { cra: 1, messageCode: 0x0074, useCase: "GCS13a" });
  const response = (hex: string, openBlock?: PayloadContext["openBlock"]) => () =>
    parseGbzPayload(fromHex(hex), { cra: 2, messageCode: 0x0074, useCase: "GCS13a", ...(openBlock ? { openBlock } : {}) });

  it("refuses a payload that is not GBZ", () => {
    expect(errorOf(command("0108010107020005000000")).message).toBe("GBZ payload must start with profile id 0109, found 0108 (at byte 0)");
  });

  it("refuses a truncated component header", () => {
    expect(errorOf(command("01090101070200")).message).toBe("GBZ component 1 length needs 2 bytes but only 1 remain (at byte 6)");
  });

  it("refuses a component whose length runs past the end", () => {
    expect(errorOf(command("01090101070200080000000000")).message).toBe("GBZ component 1 needs 8 bytes but only 5 remain (at byte 8)");
  });

  it("refuses fewer components than the count announces", () => {
    expect(errorOf(command("01090201070200050000000000")).message).toBe("GBZ component 2 control needs 1 byte but only 0 remain (at byte 13)");
  });

  it("refuses bytes after the last component", () => {
    expect(errorOf(command("01090101070200050000000000FF")).message).toBe("1 unexpected byte after the last GBZ component: FF (at byte 13)");
  });

  it("refuses a ZCL payload longer than its command", () => {
    expect(errorOf(response("010901010702000608000B088BFF")).message).toBe("1 unexpected byte after GBZ component 1 defaultResponse payload: FF (at byte 13)");
  });

  it("refuses a ZCL payload shorter than its command", () => {
    expect(errorOf(response("01090101070200060900070100AA")).message).toBe("GBZ component 1 getSampledDataResponse sampleStartTime needs 4 bytes but only 1 remain (at byte 13)");
  });

  it("refuses undefined control bits, reserved frame types and manufacturer-specific frames", () => {
    expect(errorOf(command("0109010507020005000000000000")).message).toBe("GBZ component 1 control 0x05 sets bits GBCS does not define (at byte 3)");
    expect(errorOf(command("0109010107020005020000000000")).message).toBe("GBZ component 1 ZCL frame type 2 is reserved (at byte 8)");
    expect(errorOf(command("0109010107020005040000000000")).message).toBe("GBZ component 1 is manufacturer specific, which GBCS does not use (at byte 8)");
  });

  it("refuses an encrypted block without the 31 00000000 header", () => {
    const block = "3200000000" + "00".repeat(12);
    expect(errorOf(response(`010901030702${(2 + 3 + 2 + 17).toString(16).padStart(4, "0")}0000180001${"0011"}${block}`)).message)
      .toBe("GBZ component 1 encrypted block must start 31 00000000 and hold a 12-byte tag (at byte 15)");
  });

  it("reports an encrypted block it cannot open as ciphertext, and reads what the opener returns", () => {
    const block = "3100000000" + "AB".repeat(4) + "00".repeat(12);
    const hex = `010901030702${(2 + 3 + 2 + 21).toString(16).padStart(4, "0")}0000180001${(21).toString(16).padStart(4, "0")}${block}`;
    const [closed] = parseGbzPayload(fromHex(hex), { cra: 2, messageCode: 0x0074, useCase: "GCS13a" }).fields["components"] as Record<string, unknown>[];
    expect(closed).toMatchObject({ encrypted: true, decrypted: false, encryptedBlock: block });
    const failing = parseGbzPayload(fromHex(hex), { cra: 2, messageCode: 0x0074, useCase: "GCS13a", openBlock: () => null });
    expect((failing.fields["components"] as Record<string, unknown>[])[0]).toMatchObject({ decrypted: false, encryptedBlock: block });
    // Plaintext: attribute 0x0000, status success, uint8 7.
    const [opened] = parseGbzPayload(fromHex(hex), { cra: 2, messageCode: 0x0074, useCase: "GCS13a", openBlock: () => fromHex("0000002007") }).fields["components"] as Record<string, unknown>[];
    expect(opened!["payload"]).toEqual({ attributes: [{ id: "0x0000", name: "currentSummationDelivered", status: { code: 0, name: "success" }, type: "uint8", value: 7 }] });
    expect(errorOf(response(hex, () => fromHex("000000FF07"))).message).toBe("attribute 0x0000 has unsupported ZCL data type 0xff (at byte 23)");
  });

  it("still parses an unknown cluster structurally, named by its id", () => {
    const [component] = parseGbzPayload(fromHex("0109010109990005090001AABB"), { cra: 1, messageCode: 0x0074, useCase: null }).fields["components"] as Record<string, unknown>[];
    expect(component).toEqual({
      clusterId: "0x0999", cluster: null, encrypted: false, frameType: "clusterSpecific", direction: "serverToClient", sequenceNumber: 0,
      commandId: 1, command: null, payloadHex: "AABB",
    });
  });

  it("refuses a future-dated alert body of the wrong length", () => {
    const alert = () => parseGbzPayload(fromHex("0109018F66388188900D006B00000000000003ED070009"), { cra: 3, messageCode: 0x00cd, useCase: null });
    expect(errorOf(alert).message).toBe("future-dated alert body length must be 14 (0E), found 13 (at byte 9)");
  });
});
