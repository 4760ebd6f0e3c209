// Firmware images (SRV 11.1's FirmwareImage): the ZigBee OTA header read and written, each
// malformation refused with its reason, and the hash devices report and CS06 names.
import { describe, expect, it } from "vitest";
import { fromHex, toHex } from "@opendcc/kernel";
import { FirmwareImageError, firmwareImageHash, readFirmwareImage, writeFirmwareImage } from "../src/index.js";

// An image written out by hand, little-endian as the OTA Upgrade cluster's file format says:
// identifier 0BEEF11E, header version 0100, header length 60, field control 0004 (hardware
// versions follow), manufacturer 1234, image type 0002, file version 01020304, stack 0002, a
// 32-byte header string, total size 64, hardware versions 0001-0003, then four bytes of image.
const HEADER_STRING = toHex(new TextEncoder().encode("OpenDCC hand-written image")).padEnd(64, "0");

describe("firmware images (ZigBee OTA upgrade files)", () => {
  it("reads a hand-written header field by field", () => {
    const image = fromHex(`1EF1EE0B 0001 3C00 0400 3412 0200 04030201 0200 ${HEADER_STRING} 40000000 0100 0300 A1B2C3D4`.replace(/ /g, ""));
    expect(image.length).toBe(64);
    expect(readFirmwareImage(image)).toEqual({
      headerVersion: 0x0100, headerLength: 60, manufacturerCode: 0x1234, imageType: 2, fileVersion: "01020304", stackVersion: 2,
      headerString: "OpenDCC hand-written image", totalImageSize: 64, securityCredentialVersion: null, destination: null,
      hardwareVersions: { min: 1, max: 3 },
    });
  });

  it("writes what it reads, with a device-specific destination in the header's byte order", () => {
    const image = writeFirmwareImage({ manufacturerCode: 0x4f44, imageType: 1, fileVersion: "0123abcf", headerString: "test", body: Uint8Array.of(9, 8, 7), destination: "00-DB-12-34-56-78-90-A0" });
    expect(toHex(image.subarray(56, 64))).toBe("A09078563412DB00");
    expect(readFirmwareImage(image)).toMatchObject({ headerLength: 64, fileVersion: "0123ABCF", destination: "00DB1234567890A0", totalImageSize: 67, headerString: "test" });
  });

  it("refuses what is not an OTA upgrade file, each with its reason", () => {
    const good = writeFirmwareImage({ manufacturerCode: 1, imageType: 1, fileVersion: "00000001", headerString: "", body: Uint8Array.of(1) });
    const wrongIdentifier = good.slice();
    wrongIdentifier[0] = 0;
    const wrongHeaderLength = good.slice();
    wrongHeaderLength[6] = 60;
    const headerOnly = writeFirmwareImage({ manufacturerCode: 1, imageType: 1, fileVersion: "00000001", headerString: "", body: new Uint8Array(0) });
    const cases: [Uint8Array, RegExp][] = [
      [good.subarray(0, 20), /starts with a 56-byte OTA header; this one has 20 bytes/],
      [wrongIdentifier, /not a ZigBee OTA upgrade file: it starts 0BEEF100/],
      [wrongHeaderLength, /header length is 60, but its field control 0000 makes it 56/],
      [good.subarray(0, good.length - 1), /total image size of 57 bytes, but the image has 56/],
      [headerOnly, /an OTA header and nothing else/],
    ];
    for (const [image, reason] of cases) {
      expect(() => readFirmwareImage(image)).toThrow(FirmwareImageError);
      expect(() => readFirmwareImage(image)).toThrow(reason);
    }
    expect(() => writeFirmwareImage({ manufacturerCode: 1, imageType: 1, fileVersion: "1.0", headerString: "", body: Uint8Array.of(1) })).toThrow(/not eight hex digits/);
    expect(() => writeFirmwareImage({ manufacturerCode: 1, imageType: 1, fileVersion: "00000001", headerString: "x".repeat(33), body: Uint8Array.of(1) })).toThrow(/33 bytes; at most 32/);
  });

  it("hashes the whole image with SHA-256 (FIPS 180-2 'abc')", () => {
    expect(firmwareImageHash(new TextEncoder().encode("abc"))).toBe("BA7816BF8F01CFEA414140DE5DAE2223B00361A396177A9CB410FF61F20015AD");
  });
});
