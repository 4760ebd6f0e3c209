// opendcc duis transform: every fixture sample gives a command, a Pre-Command or a reason; with the
// vector's counter, the command is the RTDS vector byte for byte.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { expect, it } from "vitest";
import { describeWithFixtures, fixturesDir, keystoreDir } from "../../../test/support/fixtures.js";

const main = resolve(dirname(fileURLToPath(import.meta.url)), "../dist/main.js");

function opendcc(args: string[]) {
  const run = spawnSync(process.execPath, [main, ...args], { encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  return { status: run.status, lines: run.stdout.split("\n").filter((l) => l.startsWith("{")).map((l) => JSON.parse(l) as Record<string, unknown>) };
}

describeWithFixtures("opendcc duis transform on the fixtures", () => {
  it("answers every sample with a command, a Pre-Command or a specific reason", () => {
    const samples = readdirSync(join(fixturesDir, "duis")).map((name) => join(fixturesDir, "duis", name));
    const run = opendcc(["duis", "transform", ...samples, "--keystore", keystoreDir]);
    expect(run.lines).toHaveLength(samples.length);
    for (const line of run.lines) {
      if (line.ok) expect(line.command ?? line.preCommand).toMatch(/^(DD|DF)[0-9A-F]+$/);
      else expect(line.error).toMatch(/\S/);
    }
  });

  it("gives the RTDS command when the request carries the vector's counter", () => {
    const dir = mkdtempSync(join(tmpdir(), "opendcc-transform-"));
    const sample = readFileSync(join(fixturesDir, "duis", "GCS13a_4.1.1_SUCCESS_RELIABLE_GSME_REQUEST_DUIS.XML"), "utf8");
    const vector = readFileSync(join(fixturesDir, "rtds", "4.1.1_GCS13a", "GCS13a_4.1.1_SUCCESS_RELIABLE_GSME_COMMAND_GBCS.HEX"), "utf8").trim();
    const counter = Number.parseInt(vector.slice(32, 48), 16);
    writeFileSync(join(dir, "read.xml"), sample.replace(/(<sr:RequestID>[^<]*:)\d+</, `$1${counter}<`));
    const run = opendcc(["duis", "transform", join(dir, "read.xml"), "--keystore", keystoreDir]);
    expect(run.lines[0]).toMatchObject({ ok: true, deviceType: "GPF", useCase: "GCS13a", messageCode: "0x0074", critical: false, command: vector });
    expect(run.status).toBe(0);
  });

  it("says what is missing: no keystore for a MAC, an unknown device type", () => {
    const sample = join(fixturesDir, "duis", "GCS13a_4.1.1_SUCCESS_RELIABLE_GPF_REQUEST_DUIS.XML");
    expect(opendcc(["duis", "transform", sample]).lines[0]).toMatchObject({ ok: false, generalSigning: expect.stringMatching(/^DF09/), error: expect.stringMatching(/--keystore/) });
    expect(opendcc(["duis", "transform", sample, "--device-type", "TOASTER"]).status).toBe(2);
  });
});
