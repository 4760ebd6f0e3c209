// opendcc as users and outside checks run it: JSON Lines per input, exit codes 0/1/2, every fixture
// vector at once, and a specific reason for each kind of bad input.
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { fromHex, toBase64, toHex, wrapApdu } from "@opendcc/kernel";
import { describeWithFixtures, isDeviceToDevice, keystoreDir, rtdsDir, rtdsVectors } from "../../../test/support/fixtures.js";

const main = resolve(dirname(fileURLToPath(import.meta.url)), "../dist/main.js");

function opendcc(args: string[], input?: string) {
  const run = spawnSync(process.execPath, [main, ...args], { encoding: "utf8", input, maxBuffer: 64 * 1024 * 1024 });
  const lines = run.stdout.split("\n").filter((l) => l.startsWith("{")).map((l) => JSON.parse(l) as Record<string, unknown>);
  return { status: run.status, stdout: run.stdout, stderr: run.stderr, lines };
}

const scratch = () => mkdtempSync(join(tmpdir(), "opendcc-cli-"));

// A self-made command, so these checks run without the fixtures too.
const apdu = fromHex("DF09010000000000000001089000000000000001080000000000000002000200590300010200");
const frame = wrapApdu(new Uint8Array(32).fill(9), apdu);

describe("opendcc", () => {
  it("prints its help and passes the kernel self-test with no arguments", () => {
    const run = opendcc([]);
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/gbcs inspect/);
    expect(run.stdout).toMatch(/ok {4}AES-GCM/);
    expect(run.stdout).not.toMatch(/FAIL/);
  });

  it("prints nothing but its JSON Lines when run as `pnpm opendcc` from the repository root", () => {
    const root = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");
    const run = spawnSync(join(root, "node_modules/.bin/pnpm"), ["opendcc", "gbcs", "inspect", "-"], { cwd: root, encoding: "utf8", input: `${toHex(apdu)}\n` });
    expect(run.status).toBe(0);
    const lines = run.stdout.split("\n").filter((line) => line !== "");
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]!)).toMatchObject({ file: "-:1", ok: true, messageCode: "0x0059" });
  });

  it("exits 2 with a one-line message on bad usage", () => {
    for (const args of [["frobnicate"], ["gbcs"], ["gbcs", "explode"], ["gbcs", "verify", "x.hex"], ["gbcs", "inspect"], ["--no-such-flag"]]) {
      const run = opendcc(args);
      expect(run.status, args.join(" ")).toBe(2);
      expect(run.stderr.trim().split("\n")).toHaveLength(1);
      expect(run.stderr).toMatch(/^opendcc: /);
    }
  });

  it("inspects hex and base64 from files and standard input", () => {
    const dir = scratch();
    writeFileSync(join(dir, "command.hex"), `${toHex(frame)}\n`);
    writeFileSync(join(dir, "command.b64"), toBase64(frame));
    const run = opendcc(["gbcs", "inspect", join(dir, "command.hex"), join(dir, "command.b64"), "-"], `${toHex(apdu)}\n\n${toBase64(apdu)}\n`);
    expect(run.status).toBe(0);
    expect(run.lines).toHaveLength(4);
    expect(run.lines[0]).toMatchObject({
      ok: true, form: "GeneralCiphering", cra: 1, counter: "1", originator: "9000000000000001", recipient: "0000000000000002",
      dateTime: null, messageCode: "0x0059", useCase: "ECS52", signed: false, maced: true,
    });
    expect(run.lines[1]).toMatchObject({ ok: true, maced: true });
    expect(run.lines[2]).toMatchObject({ file: "-:1", ok: true, form: "GeneralSigning", maced: false });
    expect(run.lines[3]).toMatchObject({ file: "-:2", ok: true });
  });

  it("reports unreadable, non-hex, truncated and wrongly sized inputs per input, exit 1", () => {
    const dir = scratch();
    const write = (name: string, text: string) => {
      writeFileSync(join(dir, name), text);
      return join(dir, name);
    };
    const run = opendcc(["gbcs", "inspect",
      join(dir, "missing.hex"),
      write("text.hex", "hello, meter"),
      write("truncated.hex", toHex(frame.subarray(0, frame.length - 3))),
      write("length.hex", toHex(Uint8Array.from(frame, (b, i) => (i === 7 ? b + 1 : b)))),
      write("good.hex", toHex(frame)),
    ]);
    expect(run.status).toBe(1);
    expect(run.lines.map((l) => l.ok)).toEqual([false, false, false, false, true]);
    expect(run.lines[0]!.error).toMatch(/cannot read file: ENOENT/);
    expect(run.lines[1]!.error).toMatch(/neither hex nor base64/);
    expect(run.lines[2]!.error).toMatch(/truncated/);
    expect(run.lines[3]!.error).toMatch(/truncated|length/);
    expect(run.stderr).toBe("");
  });
});

describeWithFixtures("opendcc gbcs on every RTDS vector", () => {
  const vectors = rtdsVectors();
  const paths = vectors.map((v) => join(rtdsDir, v.file));

  it("inspects them all at once", () => {
    const run = opendcc(["gbcs", "inspect", ...paths]);
    expect(run.status).toBe(0);
    expect(run.lines).toHaveLength(vectors.length);
    for (const line of run.lines) {
      expect(line).toMatchObject({ ok: true });
      expect(line.messageCode).toMatch(/^0x[0-9A-F]{4}$/);
      expect(line.originator).toMatch(/^[0-9A-F]{16}$/);
    }
  });

  it("verifies them all; only the device-to-device PCS01/PCS02 MACs fail, for want of a key", () => {
    const run = opendcc(["gbcs", "verify", ...paths, "--keystore", keystoreDir]);
    expect(run.status).toBe(1);
    for (const [i, line] of run.lines.entries()) {
      const vector = vectors[i]!;
      if (isDeviceToDevice(vector.file)) expect(line.ok, vector.file).toBe(false);
      else expect(line, vector.file).toMatchObject({ ok: true });
    }
  });

  it("names the reason for a one-bit change, an unknown key, a truncated message and a wrong length field", () => {
    const dir = scratch();
    const signedResponse = vectors.find((v) => v.kind === "RESPONSE" && v.hex.startsWith("DF") && v.hex.length > 400)!;
    const macedCommand = vectors.find((v) => v.kind === "COMMAND" && v.hex.startsWith("DD") && !isDeviceToDevice(v.file))!;
    const flip = (hex: string, byte: number) => toHex(Uint8Array.from(fromHex(hex), (b, i) => (i === byte ? b ^ 0x10 : b)));
    const files = {
      macBit: flip(macedCommand.hex, 60),
      signatureBit: flip(signedResponse.hex, 70),
      truncated: macedCommand.hex.slice(0, -8),
      wrongLength: flip(macedCommand.hex, 7),
    };
    for (const [name, hex] of Object.entries(files)) writeFileSync(join(dir, `${name}.hex`), hex);
    const run = opendcc(["gbcs", "verify", ...Object.keys(files).map((n) => join(dir, `${n}.hex`)), "--keystore", keystoreDir]);
    expect(run.status).toBe(1);
    expect(run.lines.map((l) => l.error)).toEqual([
      expect.stringMatching(/MAC does not verify/),
      expect.stringMatching(/signature by 00DB[0-9A-F]{12} does not verify/),
      expect.stringMatching(/truncated/),
      expect.stringMatching(/truncated|length/),
    ]);

    // A keystore without the ACB's key-agreement key cannot check a command's MAC.
    const partial = scratch();
    for (const name of readdirSync(keystoreDir).filter((n) => !n.startsWith("90b3d51f30000002"))) copyFileSync(join(keystoreDir, name), join(partial, name));
    const unknown = opendcc(["gbcs", "verify", join(rtdsDir, macedCommand.file), "--keystore", partial]);
    expect(unknown.status).toBe(1);
    expect(unknown.lines[0]!.error).toMatch(/unknown key/);
  });

  it("rebuilds each DD command from its inner APDU byte for byte", () => {
    const commands = vectors.filter((v) => v.kind === "COMMAND" && v.hex.startsWith("DD") && !isDeviceToDevice(v.file));
    const run = opendcc(["gbcs", "mac", ...commands.map((v) => join(rtdsDir, v.file)), "--keystore", keystoreDir]);
    expect(run.status).toBe(0);
    run.lines.forEach((line, i) => expect(line.command, commands[i]!.file).toBe(commands[i]!.hex.toUpperCase()));
  });
});
