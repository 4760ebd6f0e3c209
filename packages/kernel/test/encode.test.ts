// The kernel's byte writer: length fields in every form (patched after their contents), DLMS Data
// items, COSEM date-times and the General-Signing header, checked against hand-written bytes and
// against the kernel's own frame walker.
import { describe, expect, it } from "vitest";
import { DLMS, EncodeError, encode, fromHex, parseFrame, toHex } from "../src/index.js";

const filler = (length: number) => new Uint8Array(length).fill(0xab);

describe("length fields", () => {
  it.each([
    [0, "00"], [0x7f, "7F"], [0x80, "8180"], [0xff, "81FF"], [0x100, "820100"], [0x1234, "821234"],
  ])("a GBCS length of %i is written in its shortest form", (length, prefix) => {
    const bytes = encode((w) => w.sized("gbcs", (inner) => inner.bytes(filler(length))));
    expect(toHex(bytes.subarray(0, prefix.length / 2))).toBe(prefix);
    expect(bytes.length).toBe(prefix.length / 2 + length);
    expect(bytes.subarray(prefix.length / 2).every((b) => b === 0xab)).toBe(true);
  });

  it("patches nested lengths, shifting inner contents when an outer length grows", () => {
    const bytes = encode((w) => w.sized("gbcs", (outer) => outer.byte(1).sized("u16", (inner) => inner.bytes(filler(200))).byte(2)));
    // outer: 1 + 2 + 200 + 1 = 204 bytes -> 81 CC; inner u16 200 -> 00 C8
    expect(toHex(bytes.subarray(0, 6))).toBe("81CC0100C8AB");
    expect(bytes[bytes.length - 1]).toBe(2);
    expect(bytes.length).toBe(206);
  });

  it("writes u8 and little-endian u16 lengths", () => {
    expect(toHex(encode((w) => w.sized("u8", (x) => x.hex("0102")).sized("u16le", (x) => x.hex("03"))))).toBe("020102010003");
  });

  it("refuses contents too long for their field and unbalanced lengths", () => {
    expect(() => encode((w) => w.sized("u8", (x) => x.bytes(filler(256))))).toThrow(EncodeError);
    expect(() => encode((w) => w.sized("gbcs", (x) => x.bytes(filler(0x10000))))).toThrow(/too long|exceeds/);
    expect(() => encode((w) => w.bytes(filler(70000)))).toThrow(/exceeds/);
  });
});

describe("DLMS Data", () => {
  it("writes each fixed-width type big-endian after its tag", () => {
    const bytes = encode((w) => w
      .dlmsNumber(DLMS.uint8, 0x11).dlmsNumber(DLMS.uint16, 0x1234).dlmsNumber(DLMS.uint32, 0xdeadbeef)
      .dlmsNumber(DLMS.int16, -2).dlmsNumber(DLMS.int32, -1).dlmsNumber(DLMS.uint64, 0x0102030405060708n)
      .dlmsNumber(DLMS.enum, 3).dlmsNumber(DLMS.boolean, 1));
    expect(toHex(bytes)).toBe("1111" + "121234" + "06DEADBEEF" + "10FFFE" + "05FFFFFFFF" + "150102030405060708" + "1603" + "0301");
  });

  it("writes arrays, structures, strings and bit-strings", () => {
    const bytes = encode((w) => w.dlmsArray(2).dlmsStructure(1).dlmsOctets(fromHex("0102")).dlmsVisible("AB").dlmsBits([true, false, true, true, false, false, false, false, true]));
    expect(toHex(bytes)).toBe("0102" + "0201" + "09020102" + "0A024142" + "0409B080");
  });

  it("writes COSEM date-times with not-given fields", () => {
    expect(toHex(encode((w) => w.cosemDateTime({ year: 2015, month: 1, day: 1, hour: 0, minute: 0, second: 0, hundredths: 0 }))))
      .toBe("07DF0101FF000000008000FF");
    expect(toHex(encode((w) => w.cosemDateTime({ month: 7, day: 29 })))).toBe("FFFF071DFFFFFFFFFF8000FF");
  });
});

describe("General-Signing header", () => {
  it("writes a pre-command the kernel's frame walker reads back field for field", () => {
    const apdu = encode((w) => w.generalSigning({
      cra: 1, counter: 0x3ecn, originator: fromHex("90B3D51F30010000"), recipient: fromHex("00DB1234567890A0"),
      dateTime: null, otherInfo: fromHex("0002"),
    }, (content) => content.bytes(filler(300))));
    expect(toHex(apdu.subarray(0, 36))).toBe("DF0901" + "00000000000003EC" + "0890B3D51F30010000" + "0800DB1234567890A0" + "00" + "020002" + "82012C");
    const frame = parseFrame(apdu);
    expect(frame).toMatchObject({ form: "GeneralSigning", cra: 1, messageCode: 2, signature: "absent", dateTimeOffset: null });
    expect(frame.content.length).toBe(300);
  });
});
