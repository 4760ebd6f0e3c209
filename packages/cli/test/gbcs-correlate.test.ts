// `opendcc gbcs correlate REQUEST.xml PRECOMMAND ...` (cli-contract.md): one line per pair with
// `differences`, ok only when there are none; pairs that cannot be read or correlated say why.
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { fromHex, parseFrame, toBase64, toHex } from "@opendcc/kernel";
import { node, writeRequest } from "@opendcc/duis";
import { transformRequest } from "@opendcc/gbcs";
import { describeWithFixtures, fixturesDir } from "../../../test/support/fixtures.js";

const main = resolve(dirname(fileURLToPath(import.meta.url)), "../dist/main.js");

function opendcc(args: string[]) {
  const run = spawnSync(process.execPath, [main, ...args], { encoding: "utf8" });
  const lines = run.stdout.split("\n").filter((l) => l.startsWith("{")).map((l) => JSON.parse(l) as Record<string, unknown>);
  return { status: run.status, stderr: run.stderr, lines };
}

const SUPPLIER = "90B3D51F30010000";

/** 4.1.1 Read Instantaneous Import Registers, as DUIS XML and as the request object the transform takes. */
function readRequest(target: string) {
  const xml = writeRequest({
    schemaVersion: "5.2",
    header: { requestId: { originator: SUPPLIER, target, counter: 4200n }, commandVariant: 1, serviceReference: "4.1", serviceReferenceVariant: "4.1.1" },
    body: { element: "ReadInstantaneousImportRegisters", content: node("ReadInstantaneousImportRegisters", []) },
    signature: null,
  });
  const apdu = transformRequest({
    srv: "4.1.1", deviceType: "ESME", commandVariant: 1, body: { name: "ReadInstantaneousImportRegisters" },
    requestId: { originator: SUPPLIER, target, counter: 4200n },
  }).apdu;
  return { xml, apdu };
}

describe("opendcc gbcs correlate", () => {
  it("agrees with the request's own Pre-Command (hex or base64, with or without 00) and names a changed field", () => {
    const dir = mkdtempSync(join(tmpdir(), "opendcc-correlate-"));
    const { xml, apdu } = readRequest("00DB1234567890A0");
    writeFileSync(join(dir, "read.xml"), xml);
    writeFileSync(join(dir, "pre.hex"), `${toHex(apdu)}\n`);
    writeFileSync(join(dir, "pre00.b64"), toBase64(fromHex(`${toHex(apdu)}00`)));
    const changed = apdu.slice();
    changed.set(fromHex("00DB1234567890A6"), parseFrame(apdu).recipientOffset);
    writeFileSync(join(dir, "changed.hex"), toHex(changed));
    const request = join(dir, "read.xml");
    const run = opendcc(["gbcs", "correlate", request, join(dir, "pre.hex"), request, join(dir, "pre00.b64"), request, join(dir, "changed.hex")]);
    expect(run.lines).toEqual([
      { file: request, preCommand: join(dir, "pre.hex"), ok: true, deviceType: "ESME", differences: [] },
      { file: request, preCommand: join(dir, "pre00.b64"), ok: true, deviceType: "ESME", differences: [] },
      { file: request, preCommand: join(dir, "changed.hex"), ok: false, deviceType: "ESME", differences: [{ field: "header.recipient", request: "00DB1234567890A0", preCommand: "00DB1234567890A6" }] },
    ]);
    expect(run.status).toBe(1);
  });

  it("takes the device type from the Pre-Command's use case when the target is not a reference device", () => {
    const dir = mkdtempSync(join(tmpdir(), "opendcc-correlate-"));
    const { xml, apdu } = readRequest("00DB12345678FFFF");
    writeFileSync(join(dir, "read.xml"), xml);
    writeFileSync(join(dir, "pre.hex"), toHex(apdu));
    const run = opendcc(["gbcs", "correlate", join(dir, "read.xml"), join(dir, "pre.hex")]);
    expect(run.lines[0]).toMatchObject({ ok: true, deviceType: "ESME", differences: [] });
    expect(run.status).toBe(0);
    // Told it is a gas meter, the request becomes GCS13a, which is not what the Pre-Command holds.
    const gas = opendcc(["gbcs", "correlate", join(dir, "read.xml"), join(dir, "pre.hex"), "--device-type", "GSME"]);
    expect(gas.lines[0]).toMatchObject({ ok: false, deviceType: "GSME" });
    expect((gas.lines[0]?.differences as { field: string }[]).map((d) => d.field)).toContain("header.messageCode");
  });

  it("reports pairs it cannot correlate and exits 1, bad usage with 2", () => {
    const dir = mkdtempSync(join(tmpdir(), "opendcc-correlate-"));
    const { xml, apdu } = readRequest("00DB1234567890A0");
    writeFileSync(join(dir, "read.xml"), xml);
    writeFileSync(join(dir, "garbage.hex"), "010203");
    writeFileSync(join(dir, "text.txt"), "not a message");
    writeFileSync(join(dir, "not.xml"), "<nope/>");
    writeFileSync(join(dir, "pre.hex"), toHex(apdu));
    const request = join(dir, "read.xml");
    const run = opendcc(["gbcs", "correlate", request, join(dir, "garbage.hex"), request, join(dir, "text.txt"), request, join(dir, "missing.hex"), join(dir, "not.xml"), join(dir, "pre.hex")]);
    expect(run.status).toBe(1);
    expect(run.lines.map((l) => [l.ok, l.error])).toEqual([
      [false, "not a Pre-Command: unknown APDU tag (expected DD or DF) (at byte 0)"],
      [false, `${join(dir, "text.txt")}: input is neither hex nor base64`],
      [false, `cannot read ${join(dir, "missing.hex")}: ENOENT`],
      [false, expect.stringMatching(/\S/)],
    ]);
    for (const args of [["gbcs", "correlate"], ["gbcs", "correlate", request], ["gbcs", "correlate", request, join(dir, "pre.hex"), "--device-type", "TOASTER"], ["gbcs", "correlate", "-", "-"]]) {
      const bad = opendcc(args);
      expect(bad.status, args.join(" ")).toBe(2);
      expect(bad.stderr).toMatch(/^opendcc: /);
    }
  });
});

describeWithFixtures("opendcc gbcs correlate on the fixtures", () => {
  const sample = (name: string) => join(fixturesDir, "duis", name);
  const vector = (name: string) => join(fixturesDir, "rtds", name);

  it("finds an RTDS Pre-Command true to its sample, and an _ERROR vector's counter not the sample's", () => {
    const run = opendcc([
      "gbcs", "correlate",
      sample("ECS01a_1.1.1_IMMEDIATE_BLOCK_SUCCESS_REQUEST_DUIS.XML"), vector("1.1.1_ECS01a/ECS01a_1.1.1_IMMEDIATE_BLOCK_SUCCESS_PRECOMMAND_GBCS.HEX"),
      sample("GCS05_2.1_CANCELLATION_SUCCESS_REQUEST_DUIS.XML"), vector("2.1_GCS05/GCS05_2.1_CANCELLATION_SUCCESS_PRECOMMAND_GBCS.HEX"),
      sample("GCS40a_1.5_SUCCESS_REQUEST_DUIS.XML"), vector("1.5_GCS40a/GCS40a_1.5_ERROR_PRECOMMAND_GBCS.HEX"),
    ]);
    expect(run.lines.map((l) => [l.ok, l.deviceType, l.differences])).toEqual([
      [true, "ESME", []],
      [true, "GSME", []],
      [false, "GSME", [{ field: "header.counter", request: "1001", preCommand: "1003" }]],
    ]);
    expect(run.status).toBe(1);
  });
});
