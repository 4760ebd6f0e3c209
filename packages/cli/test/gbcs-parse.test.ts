// `opendcc gbcs parse` as users run it: one JSON line per input with the inspect fields and the
// named payload, every fixture vector at once (with and without the keystore), and a specific
// reason per bad input.
import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { describeWithFixtures, keystoreDir, rtdsDir } from "../../../test/support/fixtures.js";

const main = resolve(dirname(fileURLToPath(import.meta.url)), "../dist/main.js");

function opendcc(args: string[], input?: string) {
  const run = spawnSync(process.execPath, [main, ...args], { encoding: "utf8", input, maxBuffer: 256 * 1024 * 1024 });
  const lines = run.stdout.split("\n").filter((l) => l.startsWith("{")).map((l) => JSON.parse(l) as Record<string, unknown>);
  return { status: run.status, stderr: run.stderr, lines };
}

// An ECS52 firmware version response (DF form, unsigned), made here so these checks run without fixtures.
const firmwareResponse =
  "DF0902000000000000000108" + "00DB1234567890A0" + "08" + "90B3D51F30010000" + "00" + "020059" +
  "13" + "DA200000010000" + "01" + "0906" + "312E322E3334" + "01" + "0100" + "00";

describe("opendcc gbcs parse", () => {
  it("prints the inspect fields and the named payload", () => {
    const run = opendcc(["gbcs", "parse", "-"], `${firmwareResponse}\n`);
    expect(run.status).toBe(0);
    expect(run.lines).toEqual([{
      file: "-:1", ok: true, form: "GeneralSigning", cra: 2, counter: "1", originator: "00DB1234567890A0", recipient: "90B3D51F30010000",
      dateTime: null, messageCode: "0x0059", useCase: "ECS52", signed: false, maced: false,
      useCaseName: "Read ESME/Comms Hub Firmware Version", supplementary: null,
      payload: {
        family: "DLMS",
        fields: {
          apdu: "ACCESS.response", invokeId: "20000001", dateTime: null,
          results: [{
            service: "get", result: "success", resultCode: 0, classId: 1, className: "Data", obis: "0-0:0.2.1.255",
            object: "firmwareVersion", attributeId: 2, attribute: "value", value: "1.2.34",
          }],
        },
      },
    }]);
  });

  it("reports each bad input with a specific reason and exits 1", () => {
    const truncated = firmwareResponse.slice(0, -8);
    const unknownCode = firmwareResponse.replace("020059", "027777");
    const run = opendcc(["gbcs", "parse", "-"], [truncated, unknownCode, "DD01"].join("\n"));
    expect(run.status).toBe(1);
    expect(run.lines.map((line) => [line.ok, line.error])).toEqual([
      [false, "content length runs past the end of the message (at byte 34)"],
      [false, "unknown message code 0x7777 in the other-information (at byte 31)"],
      [false, "segmented (General Block Transfer) frames are not supported (at byte 1)"],
    ]);
  });

  it("exits 2 on a keystore folder that does not exist", () => {
    const run = opendcc(["gbcs", "parse", "x.hex", "--keystore", "/no/such/folder"]);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/^opendcc: cannot read keystore/);
  });
});

describeWithFixtures("opendcc gbcs parse on the RTDS", () => {
  const files = readdirSync(rtdsDir).sort().flatMap((folder) => readdirSync(join(rtdsDir, folder)).map((name) => join(rtdsDir, folder, name)));

  it("parses every vector, without and with the keystore", () => {
    for (const args of [[], ["--keystore", keystoreDir]]) {
      const run = opendcc(["gbcs", "parse", ...files, ...args]);
      expect(run.lines).toHaveLength(files.length);
      expect(run.lines.filter((line) => line.ok !== true)).toEqual([]);
      expect(run.status).toBe(0);
      if (args.length > 0) expect(run.lines.every((line) => typeof line.protection === "object")).toBe(true);
    }
  });
});
