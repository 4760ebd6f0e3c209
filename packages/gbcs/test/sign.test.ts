// Signing Pre-Commands (GBCS issue point 5; gbcs.md 8): every RTDS pre-command, signed with its
// originator's key from the fixture keystore and MAC'd, verifies and has its COMMAND vector's
// length, whether it came with the 00 signature placeholder or without.
import { beforeAll, describe, expect, it } from "vitest";
import { concatBytes, fromHex, generateKeyPair, parseFrame, toHex, verify, wrapApdu } from "@opendcc/kernel";
import { KeyRing, SignError, checkProtection, headerOf, protectApdu, signPreCommand } from "../src/index.js";
import { describeWithFixtures, keystoreFiles, rtdsVectors, type RtdsVector } from "../../../test/support/fixtures.js";

// A self-made pre-command (ECS52-style header, 3-byte content) so the rules run without fixtures.
const PRE_COMMAND = fromHex("DF090100000000000000010890000000000000010800000000000000020002005903000102");

describe("signPreCommand", () => {
  let key: CryptoKeyPair;
  beforeAll(async () => {
    key = await generateKeyPair("ds");
  });

  it("appends 40 and a 64-byte signature to the pre-command, with or without the 00 placeholder", async () => {
    for (const input of [PRE_COMMAND, concatBytes(PRE_COMMAND, Uint8Array.of(0))]) {
      const signed = await signPreCommand(input, key.privateKey);
      expect(signed.length).toBe(PRE_COMMAND.length + 65);
      expect(toHex(signed.subarray(0, PRE_COMMAND.length))).toBe(toHex(PRE_COMMAND));
      expect(signed[PRE_COMMAND.length]).toBe(0x40);
      const frame = parseFrame(signed);
      expect(frame.signature).toBe("present");
      expect(frame.signatureOffset).toBe(PRE_COMMAND.length + 1);
      const signature = signed.subarray(PRE_COMMAND.length + 1);
      const ok = await verify(key.publicKey, PRE_COMMAND.subarray(1), signature);
      expect(ok).toBe(true);
      const withTag = await verify(key.publicKey, PRE_COMMAND, signature);
      expect(withTag).toBe(false);
    }
  });

  it("refuses what is not an unsigned command pre-command", async () => {
    const signed = await signPreCommand(PRE_COMMAND, key.privateKey);
    await expect(signPreCommand(signed, key.privateKey)).rejects.toThrow(new SignError("the Pre-Command is already signed"));
    const command = wrapApdu(new Uint8Array(32).fill(7), concatBytes(PRE_COMMAND, Uint8Array.of(0)));
    await expect(signPreCommand(command, key.privateKey)).rejects.toThrow(/MAC-protected \(DD\) command/);
    const response = PRE_COMMAND.slice();
    response[2] = 0x02;
    await expect(signPreCommand(response, key.privateKey)).rejects.toThrow(/CRA flag 2 is not a command/);
    await expect(signPreCommand(PRE_COMMAND.subarray(0, 20), key.privateKey)).rejects.toThrow(/not a Pre-Command: message is truncated/);
  });
});

describeWithFixtures("signPreCommand on the RTDS pre-commands", () => {
  let ring: KeyRing;
  let preCommands: RtdsVector[];
  let commandLengths: Map<string, number>;

  beforeAll(async () => {
    ring = await KeyRing.fromFiles(keystoreFiles());
    const vectors = rtdsVectors();
    preCommands = vectors.filter((vector) => vector.kind === "PRECOMMAND");
    commandLengths = new Map(vectors.filter((vector) => vector.kind === "COMMAND").map((vector) => [vector.file.replace("_COMMAND_", "_"), vector.hex.length / 2]));
  });

  it("signs every pre-command so that its command verifies and has the COMMAND vector's length", async () => {
    expect(preCommands.length).toBeGreaterThan(100);
    let compared = 0;
    for (const vector of preCommands) {
      const preCommand = fromHex(vector.hex);
      const header = headerOf(preCommand, parseFrame(preCommand));
      const key = ring.privateKey(header.originator, "ds");
      expect(key, `${vector.file}: signing key of ${header.originator}`).not.toBeNull();
      for (const input of [preCommand, concatBytes(preCommand, Uint8Array.of(0))]) {
        const command = await protectApdu(await signPreCommand(input, key as CryptoKey), ring);
        const report = await checkProtection(command, ring);
        expect(report.error, vector.file).toBeNull();
        expect(report.checked, vector.file).toEqual(["mac", "signature"]);
        const expectedLength = commandLengths.get(vector.file.replace("_PRECOMMAND_", "_"));
        if (expectedLength !== undefined) {
          expect(command.length, vector.file).toBe(expectedLength);
          compared++;
        }
      }
    }
    console.info(`signPreCommand: ${preCommands.length} RTDS pre-commands signed and verified; ${compared / 2} compared with their COMMAND vector's length`);
    expect(compared / 2).toBeGreaterThan(100);
  });

  it("gives a command whose signature fails when a signed byte or the key changes", async () => {
    const vector = preCommands[0] as RtdsVector;
    const preCommand = fromHex(vector.hex);
    const header = headerOf(preCommand, parseFrame(preCommand));
    const tampered = preCommand.slice();
    const signed = await signPreCommand(preCommand, ring.privateKey(header.originator, "ds") as CryptoKey);
    tampered[tampered.length - 1] = (tampered[tampered.length - 1] as number) ^ 1;
    const forged = concatBytes(tampered, signed.subarray(preCommand.length));
    expect((await checkProtection(await protectApdu(forged, ring), ring)).error).toBe(`signature by ${header.originator} does not verify`);
    const other = await generateKeyPair("ds");
    const wrongKey = await protectApdu(await signPreCommand(preCommand, other.privateKey), ring);
    expect((await checkProtection(wrongKey, ring)).error).toBe(`signature by ${header.originator} does not verify`);
  });
});
