// opendcc duis parse / validate / sign / send and opendcc start, as users run them.
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseResponse } from "@opendcc/duis";
import { describeWithFixtures, fixturesDir, keystoreDir } from "../../../test/support/fixtures.js";

const main = resolve(dirname(fileURLToPath(import.meta.url)), "../dist/main.js");

function opendcc(args: string[], options: { cwd?: string; input?: string } = {}) {
  const run = spawnSync(process.execPath, [main, ...args], { encoding: "utf8", cwd: options.cwd, input: options.input, maxBuffer: 64 * 1024 * 1024 });
  const lines = run.stdout.split("\n").filter((l) => l.startsWith("{")).map((l) => JSON.parse(l) as Record<string, unknown>);
  return { status: run.status, stdout: run.stdout, stderr: run.stderr, lines };
}

const READ_INVENTORY = `<?xml version="1.0" encoding="UTF-8"?>
<sr:Request xmlns:ds="http://www.w3.org/2000/09/xmldsig#" xmlns:sr="http://www.dccinterface.co.uk/ServiceUserGateway" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" schemaVersion="5.2">
  <sr:Header>
    <sr:RequestID>90-B3-D5-1F-30-01-00-00:90-B3-D5-1F-30-00-00-02:1000</sr:RequestID>
    <sr:CommandVariant>8</sr:CommandVariant>
    <sr:ServiceReference>8.2</sr:ServiceReference>
    <sr:ServiceReferenceVariant>8.2</sr:ServiceReferenceVariant>
  </sr:Header>
  <sr:Body><sr:ReadInventory><sr:DeviceID>00-DB-12-34-56-78-90-A0</sr:DeviceID></sr:ReadInventory></sr:Body>
</sr:Request>`;

describe("opendcc duis", () => {
  it("parses and validates a request; refuses hostile XML per file with the reason", () => {
    const dir = mkdtempSync(join(tmpdir(), "opendcc-duis-"));
    writeFileSync(join(dir, "good.xml"), READ_INVENTORY);
    writeFileSync(join(dir, "dtd.xml"), '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>');
    writeFileSync(join(dir, "cv.xml"), READ_INVENTORY.replace("<sr:CommandVariant>8<", "<sr:CommandVariant>1<"));
    const parsed = opendcc(["duis", "parse", join(dir, "good.xml"), join(dir, "dtd.xml")]);
    expect(parsed.status).toBe(1);
    expect(parsed.lines[0]).toMatchObject({
      ok: true, requestId: { originator: "90-B3-D5-1F-30-01-00-00", target: "90-B3-D5-1F-30-00-00-02", counter: "1000" },
      commandVariant: 8, serviceReference: "8.2", serviceReferenceVariant: "8.2", body: { element: "ReadInventory" },
    });
    expect(parsed.lines[1]).toMatchObject({ ok: false, error: expect.stringMatching(/^XML_DTD: /) });
    const validated = opendcc(["duis", "validate", join(dir, "good.xml"), join(dir, "cv.xml")]);
    expect(validated.lines[0]).toMatchObject({ ok: true, checks: [{ code: "SIGNATURE_MISSING" }] });
    expect(validated.lines[1]).toMatchObject({ ok: false, error: expect.stringMatching(/E12: CommandVariant 1 does not apply to 8.2/) });
    expect(opendcc(["duis", "sign", join(dir, "good.xml")]).status).toBe(2);
  });
});

describeWithFixtures("opendcc duis on the fixtures", () => {
  it("parses and validates every DUIS sample at once", () => {
    const files = readdirXml(join(fixturesDir, "duis"));
    const parsed = opendcc(["duis", "parse", ...files]);
    expect(parsed.status).toBe(0);
    expect(parsed.lines).toHaveLength(files.length);
    expect(opendcc(["duis", "validate", ...files]).status).toBe(0);
  });

  it("signs a sample with the fixture supplier key, replacing the placeholder signature", () => {
    const sample = join(fixturesDir, "duis/8.2_READ_INVENTORY_REQUEST_DUIS.XML");
    const run = opendcc(["duis", "sign", sample, "--key", join(keystoreDir, "90b3d51f30010000-ds.key"), "--cert", join(keystoreDir, "90b3d51f30010000-ds.pem")]);
    expect(run.status).toBe(0);
    const xml = run.lines[0]!.xml as string;
    expect(xml).not.toMatch(/ZGVmYXVsdA==/);
    expect(xml).toMatch(/<ds:X509IssuerName>CN=Z1,OU=07<\/ds:X509IssuerName>/);
  });
});

function readdirXml(dir: string): string[] {
  return (spawnSync("ls", [dir], { encoding: "utf8" }).stdout.trim().split("\n")).filter((f) => f.endsWith(".XML")).map((f) => join(dir, f));
}

for (const runtime of ["node", "workerd"] as const) describe(`opendcc start --runtime ${runtime}`, () => {
  const data = mkdtempSync(join(tmpdir(), "opendcc-start-"));
  let child: ReturnType<typeof spawn>;
  let output = "";
  beforeAll(async () => {
    child = spawn(process.execPath, [main, "start", "--runtime", runtime, "--port", "0", "--premises", "2", "--data", data], { stdio: ["ignore", "pipe", "pipe"] });
    child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
    const deadline = Date.now() + 20_000;
    while (!/Press Ctrl\+C/.test(output)) {
      if (Date.now() > deadline || child.exitCode !== null) throw new Error(`start did not come up: ${output}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }, 30_000);
  afterAll(() => {
    child?.kill("SIGTERM");
  });

  it("prints where it listens and where the keys are, and its example works with duis send", () => {
    const url = /listening on (http:\/\/[\d.:]+)/.exec(output)?.[1];
    expect(output).toContain(`OpenDCC gateway (${runtime})`);
    expect(url).toBeDefined();
    expect(output).toMatch(new RegExp(`demo users' keys: +${data.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}`));
    const key = join(data, "keys/90b3d51f30010000-xml.key");
    const cert = join(data, "keys/90b3d51f30010000-xml.pem");
    const example = join(data, "examples/read-inventory.xml");
    const first = opendcc(["duis", "send", example, "--key", key, "--cert", cert, "--url", url!]);
    expect(first.lines[0]).toMatchObject({ ok: true, responseCode: "I0", endpoint: "serviceD" });
    const response = parseResponse(first.lines[0]!.response as string);
    expect(response.body.kind).toBe("ResponseMessage");
    // the file's own counter (1000) is below the time-based one just used: a replay
    const replay = opendcc(["duis", "send", example, "--key", key, "--cert", cert, "--url", url!, "--preserve-counter"]);
    expect(replay.status).toBe(1);
    expect(replay.lines[0]).toMatchObject({ ok: false, responseCode: "E42", error: expect.stringMatching(/^E42: counter 1000 is not above/) });
    expect(readFileSync(cert, "utf8")).toMatch(/BEGIN CERTIFICATE/);
  });

  it("reports an unreachable gateway per input, not as a crash", () => {
    const run = opendcc(["duis", "send", join(data, "examples/read-inventory.xml"), "--key", join(data, "keys/90b3d51f30010000-xml.key"), "--cert", join(data, "keys/90b3d51f30010000-xml.pem"), "--url", "http://127.0.0.1:9"]);
    expect(run.status).toBe(1);
    expect(run.lines[0]!.error).toMatch(/cannot reach/);
  });
});

describe("opendcc start configuration", () => {
  it("falls back to OPENDCC_* environment variables, the command line winning", async () => {
    const { fromEnvironment } = await import("../src/commands/start.js");
    const env = { OPENDCC_PORT: "9000", OPENDCC_DATABASE_URL: "postgres://db/opendcc", OPENDCC_DATA: "/var/lib/opendcc", OPENDCC_RUNTIME: "workerd" };
    expect(fromEnvironment({ port: "8081", premises: undefined, runtime: undefined, store: undefined, data: undefined }, env)).toEqual({
      port: "8081", premises: undefined, runtime: "workerd", store: "postgres://db/opendcc", data: "/var/lib/opendcc",
    });
  });
});
