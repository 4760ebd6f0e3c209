// The DLMS reader and parseGbcs on messages made here (no fixtures needed): every Data tag, compact
// arrays, and each kind of bad input of the GBCS issue (point 8) as its own specific error.
import { describe, expect, it } from "vitest";
import { FrameError, fromHex, toHex } from "@opendcc/kernel";
import { KeyRing } from "../src/keyring.js";
import { parseGbcs, type ParsedMessage } from "../src/parse/index.js";
import { GbcsParseError, GbcsProtectionError } from "../src/parse/types.js";
import { describeWithFixtures, keystoreFiles, rtdsVectors } from "../../../test/support/fixtures.js";

const ESME = "00DB1234567890A0";
const SUPPLIER = "90B3D51F30010000";

/** A General-Signing APDU (gbcs.md section 2b), unsigned, with the content given as hex. */
function message(cra: number, code: number, content: string): Uint8Array {
  const length = content.length / 2;
  const lengthHex = length < 0x80 ? toHex(new Uint8Array([length])) : `81${toHex(new Uint8Array([length]))}`;
  return fromHex(`DF090${cra}0000000000000001 08${cra === 1 ? SUPPLIER : ESME} 08${cra === 1 ? ESME : SUPPLIER} 00 02${code.toString(16).padStart(4, "0")} ${lengthHex}${content} 00`);
}

const fields = (parsed: ParsedMessage) => parsed.payload.fields as Record<string, unknown>;
const response = (data: string, results: string) => `DA20000001 00 00 ${data} ${results}`.replace(/ /g, "");

async function parseError(bytes: Uint8Array): Promise<Error> {
  try {
    await parseGbcs(bytes);
  } catch (error) {
    return error as Error;
  }
  throw new Error("expected an error");
}

describe("DLMS payloads", () => {
  it("reads every Data tag into typed JSON", async () => {
    // ECS26c (0x003D) is not used here: an unknown layout for this many items keeps them unnamed.
    const data = [
      "00", "0301", "04 0C A5F0", "05 FFFFFFFE", "06 FFFFFFFF", "09 03 0102FF", "0A 03 414243", "0C 02 C3A9", "0D 12", "0F 80",
      "10 FF38", "11 FF", "12 FFFF", "14 FFFFFFFFFFFFFFFF", "15 FFFFFFFFFFFFFFFF", "15 001FFFFFFFFFFFFF", "16 07", "17 3FC00000",
      "18 3FF8000000000000", "19 07DF0101FF0000000080 00FF", "1A 07DF0C19FF", "1B 17 3B 00 FF", "09 0C 07DF0101FF000000FF FF88 00",
    ].join("").replace(/ /g, "");
    const count = 23;
    const results = `${count.toString(16)}${"0100".repeat(count)}`;
    const parsed = await parseGbcs(message(2, 0x0004, response(`${count.toString(16)}${data}`, results)));
    const values = (fields(parsed).results as { value: unknown }[]).map((r) => r.value);
    expect(values).toEqual([
      null, true, "101001011111", -2, 4294967295, "0102FF", "ABC", "é", 0x12, -128, -200, 255, 65535, -1, "18446744073709551615",
      9007199254740991, 7, 1.5, 1.5, "2015-01-01T00:00:00Z", "2015-12-25", "23:59:00", "2015-01-01T00:00:00+02:00",
    ]);
  });

  it("reads compact arrays by their type description, and log entries with their times and events", async () => {
    // ECS35a (0x0048): the event log buffer, entries of {UTC seconds since 2000, event code, octet-string}.
    const entries = "1C35F900 8F01 00" + "1C3602FD 8154 02 009B";
    const data = `01 13 0203 06 12 09 ${(entries.replace(/ /g, "").length / 2).toString(16)} ${entries}`;
    const parsed = await parseGbcs(message(2, 0x0048, response(data, "01 0100")));
    const [result] = fields(parsed).results as Record<string, unknown>[];
    expect(result).toMatchObject({ object: "eventLog", attribute: "buffer" });
    expect(result!.value).toEqual([
      { timestamp: "2014-12-31T00:00:00Z", eventCode: "0x8F01", event: "Active power import above the load limit threshold", data: [""] },
      { timestamp: "2014-12-31T00:42:37Z", eventCode: "0x8154", event: "A HAN interface command was received and carried out", data: ["009B"] },
    ]);
  });

  it("names a firmware version response and a failed read", async () => {
    const ok = await parseGbcs(message(2, 0x0059, response("01 0906 312E322E3334", "01 0100")));
    expect(fields(ok).results).toEqual([{
      service: "get", result: "success", resultCode: 0, classId: 1, className: "Data", obis: "0-0:0.2.1.255", object: "firmwareVersion",
      attributeId: 2, attribute: "value", value: "1.2.34",
    }]);
    const failed = await parseGbcs(message(2, 0x0059, response("01 00", "01 01FA")));
    expect(fields(failed).results).toMatchObject([{ result: "otherReason", resultCode: 250, value: null }]);
  });

  it("names the requests of a command and the values it sets", async () => {
    // ECS38 (0x004B): set the randomised offset limit to 900 seconds.
    const parsed = await parseGbcs(message(1, 0x004b, "D920000001 00 01 02 0001 00005E2C0001 02 01 12 0384".replace(/ /g, "")));
    expect(fields(parsed).requests).toEqual([{
      service: "set", classId: 1, className: "Data", obis: "0-0:94.44.0.1", object: "randomisedOffsetLimit", attributeId: 2, attribute: "value", value: 900,
    }]);
  });
});

describe("bad input: each a specific error, never a crash or a partial parse", () => {
  const good = message(2, 0x0059, response("01 0906 312E322E3334", "01 0100"));

  it("truncated", async () => {
    for (const length of [0, 1, 10, 30, good.length - 5, good.length - 1]) {
      const error = await parseError(good.subarray(0, length));
      expect(error.message, `length ${length}`).toMatch(/^(message is truncated|content length runs past the end of the message|truncated: a response or alert must end with its signature field)/);
    }
  });

  it("over-long: bytes after the message, or after the DLMS APDU inside it", async () => {
    const longer = new Uint8Array([...good, 0x00]);
    expect((await parseError(longer)).message).toBe("bytes follow the end of the message (at byte 54)");
    const error = await parseError(message(2, 0x0059, `${response("01 0906 312E322E3334", "01 0100")}00`));
    expect(error).toBeInstanceOf(GbcsParseError);
    expect(error.message).toBe("1 unexpected byte(s) after the DLMS ACCESS.response (at byte 19)");
  });

  it("wrong lengths inside the content", async () => {
    const shortString = await parseError(message(2, 0x0059, response("01 0910 312E322E3334", "01 0100")));
    expect(shortString.message).toBe("truncated: a DLMS octet-string needs 16 bytes, 9 left (at byte 10)");
    const mismatch = await parseError(message(2, 0x0059, response("01 00", "02 0100 0100")));
    expect(mismatch.message).toBe("ACCESS.response has 1 data items but 2 results (at byte 14)");
    const badLength = await parseError(message(2, 0x0059, response("01 0983", "01 0100")));
    expect(badLength.message).toBe("invalid length encoding 0x83 for a DLMS octet-string (at byte 9)");
  });

  it("unknown message code, unknown data tag, unknown APDU", async () => {
    expect((await parseError(message(2, 0x7777, response("01 00", "01 0100")))).message).toBe("unknown message code 0x7777 in the other-information (at byte 31)");
    expect((await parseError(message(2, 0x0059, response("01 07", "01 0100")))).message).toBe("unknown DLMS data tag 0x07 (at byte 8)");
    expect((await parseError(message(2, 0x0059, "C4010000"))).message).toBe("the content is not DLMS, GBZ or ASN.1 (it starts 0xC401) (at byte 0)");
  });

  it("wrong CRA flag", async () => {
    const error = await parseError(message(4, 0x0059, response("01 00", "01 0100")));
    expect(error).toBeInstanceOf(FrameError);
    expect(error.message).toBe("invalid CRA flag (must be 01 command, 02 response or 03 alert) (at byte 2)");
  });

  it("a GBT (segmented) frame", async () => {
    const error = await parseError(fromHex("DD01000000000000"));
    expect(error).toBeInstanceOf(FrameError);
    expect(error.message).toBe("segmented (General Block Transfer) frames are not supported (at byte 1)");
  });

  it("hostile nesting stops at a depth limit", async () => {
    const deep = `01 ${"0201".repeat(40)}00`;
    const error = await parseError(message(2, 0x0059, response(deep, "01 0100")));
    expect(error.message).toMatch(/^DLMS data nested more than 24 levels deep/);
  });
});

describeWithFixtures("bad input against the RTDS keys", () => {
  it("a signature over the wrong content is a GbcsProtectionError", async () => {
    const ring = await KeyRing.fromFiles(keystoreFiles());
    const signed = rtdsVectors().find((v) => v.file.includes("ECS01a_1.1.1_8F66_FUTURE_DATED_TOU_BLOCK_SUCCESS_ALERT_CURRENCY_UNIT"))!;
    const bytes = fromHex(signed.hex);
    await expect(parseGbcs(bytes, { ring })).resolves.toMatchObject({ protection: { checked: ["signature"] } });
    // The last content byte (the deferred attribute id) changed: the signature no longer covers it.
    const changed = fromHex(signed.hex);
    const at = changed.length - 66;
    changed[at] = (changed[at] as number) ^ 0x01;
    const error = await parseGbcs(changed, { ring }).catch((e: Error) => e);
    expect(error).toBeInstanceOf(GbcsProtectionError);
    expect((error as Error).message).toBe("signature by 00DB1234567890A0 does not verify");
    // A MAC-protected message changed anywhere fails its MAC.
    const maced = rtdsVectors().find((v) => v.file.includes("ECS17a_4.2_SUCCESS_RESPONSE"))!;
    const tampered = fromHex(maced.hex);
    tampered[tampered.length - 20] = (tampered[tampered.length - 20] as number) ^ 0x80;
    await expect(parseGbcs(tampered, { ring })).rejects.toThrow(new GbcsProtectionError("MAC does not verify"));
  });
});
