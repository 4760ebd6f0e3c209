// parseGbcs against the DCC Reference Test Data Set: every vector of every kind parses, without
// keys and with them (MACs and signatures checked, encrypted blocks opened and named); exact
// values on chosen vectors; the DLMS use-case table agrees with every RTDS command.
import { beforeAll, expect, it } from "vitest";
import { fromHex } from "@opendcc/kernel";
import { KeyRing } from "../src/keyring.js";
import { parseGbcs, type ParsedMessage } from "../src/parse/index.js";
import { useCaseSpecs } from "../src/parse/dlms-use-cases.js";
import { describeWithFixtures, keystoreFiles, rtdsVectors, type RtdsVector } from "../../../test/support/fixtures.js";

type Json = Record<string, unknown>;
const fieldsOf = (parsed: ParsedMessage): Json => parsed.payload.fields as Json;

describeWithFixtures("parseGbcs on the RTDS", () => {
  let vectors: RtdsVector[];
  let ring: KeyRing;
  const vector = (part: string): Uint8Array => {
    const found = vectors.find((v) => v.file.includes(part));
    if (!found) throw new Error(`no vector ${part}`);
    return fromHex(found.hex);
  };

  beforeAll(async () => {
    vectors = rtdsVectors();
    ring = await KeyRing.fromFiles(keystoreFiles());
  });

  it("parses every vector without keys, naming the use case and the payload family", async () => {
    const families = new Map<string, number>();
    for (const v of vectors) {
      const parsed = await parseGbcs(fromHex(v.hex));
      expect(parsed.protection, v.file).toBeUndefined();
      expect(parsed.messageCode, v.file).toMatch(/^0x[0-9A-F]{4}$/);
      expect(["DLMS", "GBZ", "ASN.1"], v.file).toContain(parsed.payload.family);
      families.set(parsed.payload.family, (families.get(parsed.payload.family) ?? 0) + 1);
    }
    expect(vectors.length).toBeGreaterThan(900);
    // gbcs.md section 4: DLMS, GBZ and ASN.1 all occur; nothing is left opaque.
    expect([...families.keys()].sort()).toEqual(["ASN.1", "DLMS", "GBZ"]);
  });

  it("parses every vector with the keystore: protection checked, every encrypted block decrypted", async () => {
    let decrypted = 0;
    for (const v of vectors) {
      const parsed = await parseGbcs(fromHex(v.hex), { ring });
      const protection = parsed.protection!;
      if (parsed.maced && protection.unchecked === null) expect(protection.checked, v.file).toContain("mac");
      if (parsed.signed) expect(protection.checked, v.file).toContain("signature");
      // Only the device-to-device PPMID commands cannot be checked (gbcs.md section 6).
      if (protection.unchecked !== null) expect(v.file, protection.unchecked).toMatch(/^NA_PCS0[12]\//);
      const text = JSON.stringify(parsed.payload);
      if (parsed.payload.family === "DLMS" && text.includes('"encrypted":true')) {
        expect(text, v.file).not.toContain('"decrypted":false');
        decrypted++;
      }
    }
    // gbcs.md section 7: 17 DLMS responses and 2 DLMS alerts carry encrypted blocks (some RTDS
    // vectors are held back, so at least the ones present here).
    expect(decrypted).toBeGreaterThanOrEqual(12);
  });

  it("reads the ECS17b import registers from the decrypted response, with units", async () => {
    const parsed = await parseGbcs(vector("ECS17b_4.1.1_SINGLE_SUCCESS_RESPONSE"), { ring });
    expect(parsed).toMatchObject({
      form: "GeneralCiphering", cra: 2, counter: "1000", originator: "00DB1234567890A0", recipient: "90B3D51F30010000",
      dateTime: "2015-01-01T00:00:00Z", messageCode: "0x0027", useCase: "ECS17b", useCaseName: "Read ESME Energy Registers (Import Energy)",
      protection: { checked: ["mac", "encryption"], unchecked: null },
    });
    const [result] = fieldsOf(parsed).results as Json[];
    expect(result).toMatchObject({ service: "action", result: "success", className: "DataProtection", method: "getProtectedAttributes" });
    const value = result!.value as Json;
    expect(value.decrypted).toBe(true);
    expect(value.attributes).toEqual([{
      classId: 1, className: "Data", obis: "0-0:94.44.34.10", object: "importEnergyRegisters", attributeId: 2, attribute: "value",
      value: [{ value: 10, scaler: 0, unit: "Wh", scaledValue: 10 }, { value: 10, scaler: 0, unit: "varh", scaledValue: 10 }],
    }]);
    // Without keys the same block is reported as encrypted, never guessed at.
    const locked = ((fieldsOf(await parseGbcs(vector("ECS17b_4.1.1_SINGLE_SUCCESS_RESPONSE"))).results as Json[])[0]!.value) as Json;
    expect(locked).toMatchObject({ encrypted: true, decrypted: false, ciphertextLength: 43 });
  });

  it("merges ECS17a register values with their scaler and unit", async () => {
    const fields = fieldsOf(await parseGbcs(vector("ECS17a_4.2_SUCCESS_RESPONSE")));
    expect(fields.registers).toEqual({
      activeExportEnergy: { value: 10, scaler: 0, unit: "Wh", scaledValue: 10 },
      reactiveExportEnergy: { value: 20, scaler: 0, unit: "varh", scaledValue: 20 },
    });
  });

  it("names the deferred command of an 8F66 future-dated outcome alert", async () => {
    const parsed = await parseGbcs(vector("ECS01a_1.1.1_8F66_FUTURE_DATED_TOU_BLOCK_SUCCESS_ALERT_CURRENCY_UNIT"));
    expect(parsed).toMatchObject({ cra: 3, messageCode: "0x00CC", useCase: null, useCaseName: "Future Dated Execution Of Instruction Alert (DLMS COSEM)" });
    expect(fieldsOf(parsed)).toEqual({
      apdu: "DATA-NOTIFICATION", invokeId: "200007DE", dateTime: null,
      alertCode: "0x8F66", alert: "A future-dated command was carried out successfully", annex5Alert: null,
      timestamp: "2030-01-15T09:00:00Z",
      deferredCommand: {
        messageCode: "0x0019", useCase: "ECS01a", originatorCounter: 1008,
        classId: 9000, className: "GbcsExtendedData", obis: "0-0:94.44.2.0", object: "currencyUnit", attributeId: 6, attribute: "activatePassiveValueTime",
      },
    });
  });

  it("reads the ESME event log with timestamps and event meanings", async () => {
    const [result] = fieldsOf(await parseGbcs(vector("ECS35a_6.13_SUCCESS_RESPONSE"))).results as Json[];
    expect(result).toMatchObject({ className: "ProfileGeneric", object: "eventLog", attribute: "buffer", result: "success" });
    const entries = result!.value as Json[];
    expect(entries).toHaveLength(33);
    expect(entries[0]).toEqual({ timestamp: "2014-12-31T00:00:00Z", eventCode: "0x8F01", event: "Active power import above the load limit threshold", data: [""] });
    expect(entries[2]).toEqual({ timestamp: "2014-12-31T01:39:48Z", eventCode: "0x8154", event: "A HAN interface command was received and carried out", data: ["009B"] });
  });

  it("names every request of a command, with its value and selective access", async () => {
    const ecs17a = fieldsOf(await parseGbcs(vector("ECS17a_4.2_SUCCESS_COMMAND")));
    expect(ecs17a.requests).toEqual([
      { service: "get", classId: 3, className: "Register", obis: "1-0:2.8.0.255", object: "activeExportEnergy", attributeId: 2, attribute: "value" },
      { service: "get", classId: 3, className: "Register", obis: "1-0:2.8.0.255", object: "activeExportEnergy", attributeId: 3, attribute: "scalerUnit" },
      { service: "get", classId: 3, className: "Register", obis: "1-0:4.8.0.255", object: "reactiveExportEnergy", attributeId: 2, attribute: "value" },
      { service: "get", classId: 3, className: "Register", obis: "1-0:4.8.0.255", object: "reactiveExportEnergy", attributeId: 3, attribute: "scalerUnit" },
    ]);
    const [read] = fieldsOf(await parseGbcs(vector("ECS35b_6.13_SUCCESS_COMMAND"))).requests as Json[];
    expect(read).toMatchObject({
      service: "getWithSelection", object: "securityLog", attribute: "buffer",
      selectiveAccess: {
        selector: 1, type: "range", from: "2014-12-31T00:00:00Z", to: "2015-01-01T00:00:00Z", selectedValues: [],
        restrictingObject: { classId: 1, obis: "0-0:94.44.100.255", object: "logEntryTime", attributeId: 2, dataIndex: 0 },
      },
    });
    const [mpan] = fieldsOf(await parseGbcs(vector("ECS39a_6.20.1_SINGLE_SUCCESS_COMMAND"))).requests as Json[];
    expect(mpan).toMatchObject({ service: "set", object: "importMpan", value: "1312345678333" });
  });

  it("agrees with every RTDS DLMS command on what each use case asks for", async () => {
    let compared = 0;
    for (const v of vectors.filter((v) => v.kind === "COMMAND" || v.kind === "PRECOMMAND")) {
      const parsed = await parseGbcs(fromHex(v.hex));
      const known = useCaseSpecs(Number(parsed.messageCode));
      if (parsed.payload.family !== "DLMS" || !known) continue;
      const asked = (fieldsOf(parsed).requests as Json[]).map((r) => [r.service, r.classId, r.obis, r.attributeId ?? r.methodId]);
      expect(asked, v.file).toEqual(known.map((s) => [s.service, s.classId, s.obis, s.id]));
      compared++;
    }
    expect(compared).toBeGreaterThan(250);
  });
});
