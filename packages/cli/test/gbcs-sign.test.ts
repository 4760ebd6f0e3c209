// `opendcc gbcs sign FILE... --key KEYFILE` (cli-contract.md): one `signed` hex per input, the
// Signed Pre-Command; with the supplier's key every RTDS pre-command it signs verifies once MAC'd.
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { exportPrivateKey, fromHex, generateKeyPair, toBase64, verify } from "@opendcc/kernel";
import { KeyRing, checkProtection, protectApdu } from "@opendcc/gbcs";
import { describeWithFixtures, keystoreDir, keystoreFiles, rtdsDir, rtdsVectors } from "../../../test/support/fixtures.js";

const main = resolve(dirname(fileURLToPath(import.meta.url)), "../dist/main.js");

function opendcc(args: string[], input?: string) {
  const run = spawnSync(process.execPath, [main, ...args], { encoding: "utf8", input });
  const lines = run.stdout.split("\n").filter((l) => l.startsWith("{")).map((l) => JSON.parse(l) as Record<string, unknown>);
  return { status: run.status, stderr: run.stderr, lines };
}

const scratch = () => mkdtempSync(join(tmpdir(), "opendcc-sign-"));
const PRE_COMMAND = "DF090100000000000000010890000000000000010800000000000000020002005903000102";

describe("opendcc gbcs sign", () => {
  it("signs hex and base64 pre-commands from files and standard input, with or without the 00 placeholder", async () => {
    const dir = scratch();
    const pair = await generateKeyPair("ds");
    const keyFile = join(dir, "user-ds.key");
    writeFileSync(keyFile, `-----BEGIN PRIVATE KEY-----\n${toBase64(await exportPrivateKey(pair.privateKey))}\n-----END PRIVATE KEY-----\n`);
    writeFileSync(join(dir, "pre.hex"), `${PRE_COMMAND}\n`);
    writeFileSync(join(dir, "pre00.b64"), toBase64(fromHex(`${PRE_COMMAND}00`)));
    const run = opendcc(["gbcs", "sign", join(dir, "pre.hex"), join(dir, "pre00.b64"), "-", "--key", keyFile], `${PRE_COMMAND}\n`);
    expect(run.status).toBe(0);
    expect(run.lines).toHaveLength(3);
    for (const line of run.lines) {
      expect(line.ok).toBe(true);
      const signed = line.signed as string;
      expect(signed).toMatch(new RegExp(`^${PRE_COMMAND}40[0-9A-F]{128}$`));
      const ok = await verify(pair.publicKey, fromHex(PRE_COMMAND).subarray(1), fromHex(signed.slice(-128)));
      expect(ok).toBe(true);
    }
  });

  it("reports inputs it cannot sign and exits 1, and bad usage with 2", async () => {
    const dir = scratch();
    const pair = await generateKeyPair("ds");
    const keyFile = join(dir, "user-ds.key");
    writeFileSync(keyFile, `-----BEGIN PRIVATE KEY-----\n${toBase64(await exportPrivateKey(pair.privateKey))}\n-----END PRIVATE KEY-----\n`);
    const signedOnce = opendcc(["gbcs", "sign", "-", "--key", keyFile], `${PRE_COMMAND}\n`).lines[0]?.signed as string;
    const run = opendcc(["gbcs", "sign", "-", "--key", keyFile], `${signedOnce}\nDF0901\nnot hex\n`);
    expect(run.status).toBe(1);
    expect(run.lines.map((line) => [line.ok, line.error])).toEqual([
      [false, "the Pre-Command is already signed"],
      [false, "not a Pre-Command: message is truncated (at byte 1)"],
      [false, "input is neither hex nor base64"],
    ]);
    for (const args of [["gbcs", "sign", "x.hex"], ["gbcs", "sign", "x.hex", "--key", join(dir, "missing.key")]]) {
      const bad = opendcc(args);
      expect(bad.status, args.join(" ")).toBe(2);
      expect(bad.stderr).toMatch(/^opendcc: .*--key/);
    }
  });
});

describeWithFixtures("opendcc gbcs sign on the RTDS", () => {
  it("signs the supplier's pre-commands with its keystore key so that the MAC'd commands verify", async () => {
    const preCommands = rtdsVectors().filter((v) => v.kind === "PRECOMMAND" && v.hex.slice(24, 40) === "90B3D51F30010000");
    expect(preCommands.length).toBeGreaterThan(100);
    const run = opendcc(["gbcs", "sign", ...preCommands.map((v) => join(rtdsDir, v.file)), "--key", join(keystoreDir, "90b3d51f30010000-ds.key")]);
    expect(run.status).toBe(0);
    expect(run.lines).toHaveLength(preCommands.length);
    const ring = await KeyRing.fromFiles(keystoreFiles());
    for (const [i, line] of run.lines.entries()) {
      const vector = preCommands[i]!;
      expect(line.file).toBe(join(rtdsDir, vector.file));
      expect((line.signed as string).startsWith(vector.hex)).toBe(true);
      const report = await checkProtection(await protectApdu(fromHex(line.signed as string), ring), ring);
      expect(report.error, vector.file).toBeNull();
      expect(report.checked).toEqual(["mac", "signature"]);
    }
    expect((run.lines[0]!.signed as string).length).toBe(preCommands[0]!.hex.length + 130);
  });
});
