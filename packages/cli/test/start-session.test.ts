// opendcc start with its emulated fleet: the session it prints is run as printed (the launcher
// aside), a meter read and a critical tariff change reach the device and its answers are
// delivered; after a restart with the same --data the keys, the device state and the history
// are still there and the session works again.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { formatRequestId, parseResponse } from "@opendcc/duis";
import { writeFirmwareImage } from "@opendcc/gbcs";
import { toBase64 } from "@opendcc/kernel";

const main = resolve(dirname(fileURLToPath(import.meta.url)), "../dist/main.js");
const LAUNCHER = "npx -y pnpm@10 -s opendcc";
const ESME = "00DB1234567890A0";
const SUPPLIER = "90B3D51F30010000";

const cwd = mkdtempSync(join(tmpdir(), "opendcc-session-"));
let child: ChildProcess | null = null;

async function startGateway(): Promise<string> {
  let output = "";
  child = spawn(process.execPath, [main, "start", "--port", "0", "--premises", "2", "--data", "data"], { cwd, stdio: ["ignore", "pipe", "pipe"] });
  child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const deadline = Date.now() + 30_000;
  while (!/Press Ctrl\+C/.test(output)) {
    if (Date.now() > deadline || child.exitCode !== null) throw new Error(`start did not come up: ${output}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return output;
}

async function stopGateway(): Promise<number | null> {
  const running = child;
  if (!running || running.exitCode !== null) return running?.exitCode ?? null;
  const exited = new Promise<number | null>((done) => running.once("exit", (code) => done(code)));
  running.kill("SIGTERM");
  return exited;
}

afterAll(async () => {
  await stopGateway();
});

/** The printed session: its variables line and its commands, comments dropped. */
function sessionOf(output: string): { variables: string; url: string; commands: string[] } {
  const block = output.slice(output.indexOf("Try it"), output.indexOf("Press Ctrl+C")).split("\n").slice(1).map((l) => l.trim()).filter((l) => l !== "" && !l.startsWith("#"));
  const [variables, ...commands] = block;
  const url = /U=(\S+)/.exec(variables ?? "")?.[1];
  if (!variables || !url) throw new Error(`no session in: ${output}`);
  return { variables, url, commands };
}

interface Step {
  readonly command: string;
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs one printed command in a POSIX shell, as printed but for the launcher (the built CLI).
 * Asynchronously: a blocked event loop would keep fetch's idle connections past the server's
 * keep-alive and reuse a closed one.
 */
function runPrinted(variables: string, command: string): Promise<Step> {
  expect(command.startsWith(LAUNCHER)).toBe(true);
  return run("sh", ["-c", `${variables}; ${command.replace(LAUNCHER, `"${process.execPath}" "${main}"`)}`], command);
}

function run(file: string, args: readonly string[], command: string): Promise<Step> {
  return new Promise((done) => {
    const spawned = spawn(file, args, { cwd, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    spawned.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    spawned.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    spawned.on("close", (status) => done({ command, status, stdout, stderr }));
  });
}

/** A printed `curl -s $U/...` as a fetch. */
async function getPrinted(url: string, command: string): Promise<unknown> {
  const path = /^curl -s \$U(\/\S+)$/.exec(command)?.[1];
  if (!path) throw new Error(`not a curl line: ${command}`);
  const response = await fetch(`${url}${path}`);
  expect(response.status).toBe(200);
  return response.json();
}

const firstLine = (step: Step) => JSON.parse(step.stdout.split("\n")[0]!) as Record<string, unknown>;

type Delivered = { xml: string };

/** Waits until the outbox holds the answer to a RequestID, and returns it parsed. */
async function delivered(url: string, outboxCommand: string, requestId: string) {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const entries = (await getPrinted(url, outboxCommand)) as Delivered[];
    const found = entries.map((e) => parseResponse(e.xml)).find((r) => r.body.kind === "ResponseMessage" && r.header.requestId !== undefined && formatRequestId(r.header.requestId) === requestId);
    if (found) return found;
    if (Date.now() > deadline) throw new Error(`no answer to ${requestId} in the outbox (${entries.length} entries)`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Runs the whole printed session and checks every step; returns the meter's state at the end. */
async function runSession(output: string) {
  const { variables, url, commands } = sessionOf(output);
  const [inventory, readMeter, outbox, cv4, preCommand, sign, wrap, cv5, deviceState, ...rest] = commands;
  expect(rest).toEqual([]);

  const inventoryStep = await runPrinted(variables, inventory!);
  expect(inventoryStep.status).toBe(0);
  expect(firstLine(inventoryStep)).toMatchObject({ ok: true, responseCode: "I0", endpoint: "serviceD" });

  // The meter read: I99 now, then the meter's MAC'd, encrypted answer in the outbox, which the
  // keys folder (the supplier's KA key, the meter's certificates) checks and decrypts.
  const read = await runPrinted(variables, readMeter!);
  expect(read.status).toBe(0);
  expect(firstLine(read)).toMatchObject({ ok: true, responseCode: "I99", endpoint: "serviceS" });
  const answer = await delivered(url, outbox!, firstLine(read).requestId as string);
  expect(answer.header.responseCode).toBe("I0");
  if (answer.body.kind !== "ResponseMessage" || answer.body.content?.kind !== "GBCSPayload") throw new Error("the meter's answer carries no GBCS payload");
  expect(answer.body.serviceReferenceVariant).toBe("4.1.1");
  writeFileSync(join(cwd, "meter-answer.b64"), toBase64(answer.body.content.gbcsPayload));
  const parsed = await run(process.execPath, [main, "gbcs", "parse", "meter-answer.b64", "--keystore", "data/keys"], "gbcs parse");
  expect(JSON.parse(parsed.stdout)).toMatchObject({ ok: true, useCase: "ECS17b", originator: ESME, recipient: SUPPLIER, protection: { checked: ["mac", "encryption"] } });

  // The tariff change: CV4 -> Pre-Command -> gbcs sign -> CV5, each step as printed.
  const steps: Step[] = [];
  for (const command of [cv4, preCommand, sign, wrap, cv5]) steps.push(await runPrinted(variables, command!));
  for (const step of steps) expect({ command: step.command, status: step.status, stderr: step.stderr }).toEqual({ command: step.command, status: 0, stderr: "" });
  const cv4Answer = JSON.parse(readFileSync(join(cwd, "data/examples/tariff-cv4.jsonl"), "utf8")) as Record<string, unknown>;
  expect(cv4Answer).toMatchObject({ ok: true, responseCode: "I0", endpoint: "serviceT" });
  expect(readFileSync(join(cwd, "data/examples/precommand.hex"), "utf8")).toMatch(/^DF09[0-9A-F]+\n$/);
  const cv5Request = readFileSync(join(cwd, "data/examples/tariff-cv5.xml"), "utf8");
  expect(cv5Request).toContain(`<sr:RequestID>${cv4Answer.requestId as string}</sr:RequestID>`);
  expect(cv5Request).toContain("<sr:CommandVariant>5</sr:CommandVariant>");
  expect(firstLine(steps[4]!)).toMatchObject({ ok: true, requestId: cv4Answer.requestId, responseCode: "I99", endpoint: "serviceS" });
  const tariffAnswer = await delivered(url, outbox!, cv4Answer.requestId as string);
  expect(tariffAnswer.header.responseCode).toBe("I0");
  expect(tariffAnswer.body).toMatchObject({ serviceReferenceVariant: "1.1.1", content: { kind: "GBCSPayload" } });
  return (await getPrinted(url, deviceState!)) as { deviceId: string; tariff: { source: string; values: Record<string, unknown> } };
}

/**
 * 11.1 Update Firmware through the transport `opendcc start` gives the gateway: I99, then the
 * meter's Firmware Distribution Receipt alert (8F72) in the supplier's outbox.
 */
async function distributeFirmware(url: string): Promise<void> {
  const image = writeFirmwareImage({ manufacturerCode: 0x4f44, imageType: 1, fileVersion: "00020001", headerString: "session", body: new TextEncoder().encode("an image") });
  writeFileSync(join(cwd, "update-firmware.xml"), `<?xml version="1.0" encoding="UTF-8"?>
<sr:Request xmlns:sr="http://www.dccinterface.co.uk/ServiceUserGateway" schemaVersion="5.2">
  <sr:Header>
    <sr:RequestID>90-B3-D5-1F-30-01-00-00:90-B3-D5-1F-30-00-00-02:1</sr:RequestID>
    <sr:CommandVariant>8</sr:CommandVariant>
    <sr:ServiceReference>11.1</sr:ServiceReference>
    <sr:ServiceReferenceVariant>11.1</sr:ServiceReferenceVariant>
  </sr:Header>
  <sr:Body>
    <sr:UpdateFirmware>
      <sr:FirmwareImage>${toBase64(image)}</sr:FirmwareImage>
      <sr:FirmwareVersion>00020001</sr:FirmwareVersion>
      <sr:DeviceIDList>00-DB-12-34-56-78-90-A0</sr:DeviceIDList>
    </sr:UpdateFirmware>
  </sr:Body>
</sr:Request>
`);
  const sent = await run(process.execPath, [main, "duis", "send", "update-firmware.xml", "--key", "data/keys/90b3d51f30010000-xml.key", "--cert", "data/keys/90b3d51f30010000-xml.pem", "--url", url], "duis send 11.1");
  expect(firstLine(sent)).toMatchObject({ ok: true, responseCode: "I99" });
  const deadline = Date.now() + 10_000;
  for (;;) {
    const outbox = (await (await fetch(`${url}/admin/v1/users/${SUPPLIER}/outbox`)).json()) as Delivered[];
    const receipt = outbox.map((e) => parseResponse(e.xml)).find((r) => r.body.kind === "DeviceAlertMessage" && r.body.alertCode === "8F72");
    if (receipt) return;
    if (Date.now() > deadline) throw new Error(`no firmware receipt alert in the outbox (${outbox.length} entries)`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe("opendcc start: the printed session against the emulated fleet", () => {
  it("reads the meter and changes its tariff as printed; a restart keeps keys, device state and history", async () => {
    const output = await startGateway();
    expect(output).toContain("demo fleet:             2 premises, 12 devices");
    expect(output).toMatch(/devices: +emulated \(devices plugin\)/);
    const { url } = sessionOf(output);
    const before = (await (await fetch(`${url}/plugins/devices/devices/${ESME}`)).json()) as { tariff: { source: string } };
    expect(before.tariff.source).toBe("default");
    const after = await runSession(output);
    expect(after).toMatchObject({ deviceId: ESME, tariff: { source: "ECS01a" } });
    expect(after.tariff.values["20/0-0:13.0.0.255/7"]).toBeDefined();
    await distributeFirmware(url);
    const supplierKey = readFileSync(join(cwd, "data/keys/90b3d51f30010000-ds.key"), "utf8");
    expect(await stopGateway()).toBe(0);

    const again = await startGateway();
    expect(again).toContain("demo fleet:             as kept in devices.msgpack");
    expect(readFileSync(join(cwd, "data/keys/90b3d51f30010000-ds.key"), "utf8")).toBe(supplierKey);
    const restarted = sessionOf(again);
    const kept = (await (await fetch(`${restarted.url}/plugins/devices/devices/${ESME}`)).json()) as { tariff: unknown };
    expect(kept.tariff).toEqual(after.tariff);
    const outboxBefore = (await (await fetch(`${restarted.url}/admin/v1/users/${SUPPLIER}/outbox`)).json()) as unknown[];
    expect(outboxBefore).toHaveLength(3);
    await runSession(again);
    const outboxAfter = (await (await fetch(`${restarted.url}/admin/v1/users/${SUPPLIER}/outbox`)).json()) as unknown[];
    expect(outboxAfter).toHaveLength(5);
  }, 120_000);

  it("duis pre-command refuses an answer that carries no Pre-Command, saying why", () => {
    writeFileSync(join(cwd, "not-cv4.jsonl"), `${JSON.stringify({ file: "x", ok: false, error: "E43: bad" })}\n`);
    const run = spawnSync(process.execPath, [main, "duis", "pre-command", "not-cv4.jsonl"], { cwd, encoding: "utf8" });
    expect(run.status).toBe(1);
    expect(run.stderr).toBe("opendcc: not-cv4.jsonl line 1 holds no response (E43: bad)\n");
    expect(spawnSync(process.execPath, [main, "duis", "signed-pre-command", "not-cv4.jsonl"], { cwd, encoding: "utf8" }).status).toBe(2);
  });
});
