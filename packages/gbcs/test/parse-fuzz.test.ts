// A bounded fuzz of parseGbcs (GBCS issue point 8): seeded random and mutated vectors, every outcome
// a parse result or one of the specific error classes, never any other exception, never a hang.
import { describe, expect, it } from "vitest";
import { FrameError, fromHex, toHex } from "@opendcc/kernel";
import { parseGbcs } from "../src/parse/index.js";
import { GbcsParseError, GbcsProtectionError } from "../src/parse/types.js";
import { rtdsVectors } from "../../../test/support/fixtures.js";
import { seededRandom as prng } from "../../../test/support/random.js";

// Seeds made here so the fuzz runs without fixtures: a DLMS response, a DLMS alert, a GBZ alert.
const HEADER = "0000000000000001 08 00DB1234567890A0 08 90B3D51F30010000 00";
const made = [
  `DF0902${HEADER} 020059 13 DA200000010000 01 0906312E322E3334 01 0100 00`,
  `DF0903${HEADER} 0200CC 2E 0F200007DE00 0203 128F66 090C07EE010FFF090000008000FF 0913001900000000000003F0232800005E2C020006 00`,
  `DF0903${HEADER} 021001 09 010900810E1C374A80 00`,
].map((hex) => fromHex(hex.replace(/ /g, "")));

function mutate(seed: Uint8Array, random: () => number): Uint8Array {
  const bytes = new Uint8Array(seed);
  switch (Math.floor(random() * 4)) {
    case 0: // flip a few bits
      for (let i = 0, n = 1 + Math.floor(random() * 4); i < n; i++) {
        const at = Math.floor(random() * bytes.length);
        bytes[at] = (bytes[at] ?? 0) ^ (1 << Math.floor(random() * 8));
      }
      return bytes;
    case 1: // truncate
      return bytes.subarray(0, Math.floor(random() * bytes.length));
    case 2: { // overwrite a byte in the content area with a random one
      bytes[Math.floor(bytes.length / 2 + random() * (bytes.length / 2))] = Math.floor(random() * 256);
      return bytes;
    }
    default: { // append random bytes
      const extra = Uint8Array.from({ length: 1 + Math.floor(random() * 8) }, () => Math.floor(random() * 256));
      return new Uint8Array([...bytes, ...extra]);
    }
  }
}

const EXPECTED = [FrameError, GbcsParseError, GbcsProtectionError];

describe("parseGbcs under fuzzing", () => {
  it("answers thousands of random and mutated vectors with a result or a specific error, quickly", async () => {
    for (const seed of made) await expect(parseGbcs(seed)).resolves.toBeDefined();
    const random = prng(20240611);
    const seeds = [...made, ...rtdsVectors().map((v) => fromHex(v.hex))];
    const outcomes = { parsed: 0, FrameError: 0, GbcsParseError: 0, GbcsProtectionError: 0 };
    const started = performance.now();
    for (let i = 0; i < 4000; i++) {
      let input: Uint8Array;
      if (i % 4 === 0) {
        // Random bytes behind a valid General-Signing header, to reach the payload readers.
        const body = Uint8Array.from({ length: Math.floor(random() * 120) }, () => Math.floor(random() * 256));
        input = fromHex(`DF09${random() < 0.5 ? "02" : "03"}${HEADER.replace(/ /g, "")}02${toHex(new Uint8Array([0, 0x59]))}${toHex(new Uint8Array([body.length]))}${toHex(body)}00`);
      } else {
        input = mutate(seeds[Math.floor(random() * seeds.length)] as Uint8Array, random);
      }
      try {
        await parseGbcs(input);
        outcomes.parsed++;
      } catch (error) {
        const kind = EXPECTED.find((type) => error instanceof type);
        if (!kind) throw new Error(`unexpected ${(error as Error).name} on ${toHex(input)}: ${(error as Error).message}`);
        outcomes[kind.name as keyof typeof outcomes]++;
      }
    }
    const seconds = (performance.now() - started) / 1000;
    expect(seconds).toBeLessThan(5);
    // Every class of outcome occurred, so the fuzz reached past the frame into the payloads.
    expect(outcomes.parsed).toBeGreaterThan(0);
    expect(outcomes.FrameError).toBeGreaterThan(0);
    expect(outcomes.GbcsParseError).toBeGreaterThan(0);
  }, 20_000);
});
