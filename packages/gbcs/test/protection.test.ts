// The protection recipes against the DCC Reference Test Data Set: every MAC, signature and
// encrypted block the fixture keystore allows verifies, rebuilding each DD command from its APDU
// gives the same bytes, and a one-bit change anywhere makes each check fail.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, expect, it } from "vitest";
import { fromHex, parseFrame, toHex } from "@opendcc/kernel";
import {
  KeyRing, checkProtection, decryptBlock, findEncryptedBlocks, headerOf, protectApdu,
} from "../src/index.js";
import {
  describeWithFixtures, isDeviceToDevice, keystoreFiles, referenceDir, rtdsVectors, type RtdsVector,
} from "../../../test/support/fixtures.js";

interface IndexEntry {
  file: string;
  kind: string;
  messageCode: string;
  form: string;
  cra: number;
  mac: "verified" | "none" | "unverified";
  signature: "verified" | "empty" | "absent";
}

describeWithFixtures("GBCS protection on the RTDS", () => {
  let ring: KeyRing;
  let vectors: RtdsVector[];
  let index: Map<string, IndexEntry>;

  beforeAll(async () => {
    ring = await KeyRing.fromFiles(keystoreFiles());
    vectors = rtdsVectors();
    const entries = JSON.parse(readFileSync(join(referenceDir, "rtds-index.json"), "utf8")) as IndexEntry[];
    index = new Map(entries.map((entry) => [entry.file, entry]));
  });

  it("reads the keystore by certificate subject, not file name", () => {
    // 90b3d51f30000007-ka.* is really the key-agreement pair of 90B3D51F30030000 (gbcs.md section 12).
    expect(ring.entry("90B3D51F30030000", "ka")?.privateKey).not.toBeNull();
    expect(ring.entry("90B3D51F30000007", "ka")).toBeUndefined();
    expect(ring.entry("90B3D51F30010000", "ds")?.certificate?.roleCode).toBe("02");
    expect(ring.entry("00DB1234567890A0", "ka")?.certificate?.roleCode).toBeNull();
    expect(ring.entry("90B3D51F30010000", "pp-ka")?.privateKey).not.toBeNull();
  });

  it("parses every vector and agrees with rtds-index on form, CRA and message code", () => {
    expect(vectors.length).toBeGreaterThan(900);
    for (const vector of vectors) {
      const bytes = fromHex(vector.hex);
      const frame = parseFrame(bytes);
      const entry = index.get(vector.file);
      expect(entry, vector.file).toBeDefined();
      expect(frame.form, vector.file).toBe(entry!.form);
      expect(frame.cra, vector.file).toBe(entry!.cra);
      expect(`0x${frame.messageCode.toString(16).toUpperCase().padStart(4, "0")}`, vector.file).toBe(entry!.messageCode);
      expect(frame.signature, vector.file).toBe(entry!.signature === "verified" ? "present" : entry!.signature);
    }
  });

  it("verifies every MAC and signature the keystore allows, and only PCS01/PCS02 MACs fail", async () => {
    const counts = { mac: 0, signature: 0, encryption: 0 };
    for (const vector of vectors) {
      const report = await checkProtection(fromHex(vector.hex), ring);
      const entry = index.get(vector.file)!;
      if (isDeviceToDevice(vector.file)) {
        expect(report.error, vector.file).not.toBeNull();
        continue;
      }
      expect(report.error, vector.file).toBeNull();
      expect(report.checked.includes("mac"), vector.file).toBe(entry.mac === "verified");
      expect(report.checked.includes("signature"), vector.file).toBe(entry.signature === "verified");
      for (const check of report.checked) counts[check]++;
    }
    const expected = (field: "mac" | "signature") => [...index.values()].filter((e) => e[field] === "verified").length;
    expect(counts.mac).toBe(expected("mac"));
    expect(counts.signature).toBe(expected("signature"));
    expect(counts.encryption).toBeGreaterThan(30);
  });

  it("rebuilds every DD command from its General-Signing APDU byte for byte", async () => {
    let rebuilt = 0;
    for (const vector of vectors.filter((v) => v.kind === "COMMAND" && v.hex.startsWith("DD") && !isDeviceToDevice(v.file))) {
      const bytes = fromHex(vector.hex);
      const frame = parseFrame(bytes);
      const command = await protectApdu(bytes.subarray(frame.apdu.offset, frame.apdu.offset + frame.apdu.length), ring);
      expect(toHex(command), vector.file).toBe(vector.hex.toUpperCase());
      rebuilt++;
    }
    expect(rebuilt).toBeGreaterThan(350);
  });

  it("turns a pre-command into the unsigned command when MAC'd alone", async () => {
    const preCommand = vectors.find((v) => v.kind === "PRECOMMAND")!;
    const command = await protectApdu(fromHex(preCommand.hex), ring);
    const frame = parseFrame(command);
    expect(frame.form).toBe("GeneralCiphering");
    expect(frame.signature).toBe("empty");
  });

  it("fails every check on a one-bit change anywhere in a protected message", async () => {
    let next = 12345;
    const randomBit = (length: number) => {
      next = (Math.imul(next, 1103515245) + 12345) >>> 0;
      return next % (length * 8);
    };
    let changed = 0;
    for (const vector of vectors) {
      const entry = index.get(vector.file)!;
      if (isDeviceToDevice(vector.file) || (entry.mac !== "verified" && entry.signature !== "verified")) continue;
      const bytes = fromHex(vector.hex);
      for (let trial = 0; trial < 2; trial++) {
        const bit = randomBit(bytes.length);
        const flipped = Uint8Array.from(bytes);
        flipped[bit >> 3]! ^= 1 << (bit & 7);
        const report = await checkProtection(flipped, ring).catch((error: Error) => ({ error: error.message }));
        expect(report.error, `${vector.file} bit ${bit}`).not.toBeNull();
        changed++;
      }
    }
    expect(changed).toBeGreaterThan(1500);
  });

  it("decrypts every encrypted block and rejects each with one bit changed", async () => {
    let blocks = 0;
    for (const vector of vectors.filter((v) => v.kind === "RESPONSE" || v.kind === "ALERT")) {
      const bytes = fromHex(vector.hex);
      const frame = parseFrame(bytes);
      const content = bytes.subarray(frame.content.offset, frame.content.offset + frame.content.length);
      for (const location of findEncryptedBlocks(content, frame.cra, frame.messageCode)) {
        const block = content.subarray(location.offset, location.offset + location.length);
        const header = headerOf(bytes, frame);
        const plaintext = await decryptBlock(bytes, frame, header, ring, block);
        expect(plaintext, vector.file).not.toBeNull();
        expect(plaintext!.length).toBe(block.length - 17);
        const flipped = Uint8Array.from(block);
        flipped[5 + (blocks % (block.length - 5))]! ^= 0x01;
        expect(await decryptBlock(bytes, frame, header, ring, flipped), vector.file).toBeNull();
        blocks++;
      }
    }
    expect(blocks).toBeGreaterThan(40);
  });

  it("names an unknown key instead of failing silently", async () => {
    const command = vectors.find((v) => v.kind === "COMMAND" && v.hex.startsWith("DD"))!;
    const emptyRing = await KeyRing.fromFiles([]);
    const report = await checkProtection(fromHex(command.hex), emptyRing);
    expect(report.error).toMatch(/unknown key/);
  });
});
