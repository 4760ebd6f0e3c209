// Nothing accepted is lost: a gateway on its embedded store is killed with SIGKILL in the middle of
// a load; after a restart every request it had acknowledged is there, and its RequestID still
// counts as used (a replay is refused).
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { certificateIssuerSerial, node, signDocument, writeRequest } from "@opendcc/duis";
import { importPrivateKey, pemToDer } from "@opendcc/kernel";

const main = resolve(dirname(fileURLToPath(import.meta.url)), "../../packages/cli/dist/main.js");
const SUPPLIER = "90B3D51F30010000";
const running: ChildProcess[] = [];

async function startGateway(data: string): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [main, "start", "--port", "0", "--premises", "1", "--data", data], { stdio: ["ignore", "pipe", "pipe"] });
  running.push(child);
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const deadline = Date.now() + 30_000;
  while (!/Press Ctrl\+C/.test(output)) {
    if (Date.now() > deadline || child.exitCode !== null) throw new Error(`gateway did not start: ${output}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return { child, url: /listening on (http:\/\/[\d.:]+)/.exec(output)![1]! };
}

function preNotification(counter: bigint, deviceId: string): string {
  return writeRequest({
    schemaVersion: "5.2",
    header: { requestId: { originator: SUPPLIER, target: "90B3D51F30000002", counter }, commandVariant: 8, serviceReference: "12.2", serviceReferenceVariant: "12.2" },
    body: { element: "DevicePrenotification", content: node("DevicePrenotification", [node("DeviceID", deviceId.replace(/(..)(?!$)/g, "$1-")), node("DeviceType", "IHD")]) },
    signature: null,
  });
}

afterAll(() => running.forEach((child) => child.exitCode === null && child.kill("SIGKILL")));

describe("durability under kill -9", () => {
  it("keeps every acknowledged request across a SIGKILL and a restart", async () => {
    const data = mkdtempSync(join(tmpdir(), "opendcc-kill-"));
    const first = await startGateway(data);
    const keyPem = readFileSync(join(data, "keys/90b3d51f30010000-xml.key"), "utf8");
    const certPem = readFileSync(join(data, "keys/90b3d51f30010000-xml.pem"), "utf8");
    const privateKey = await importPrivateKey(pemToDer(keyPem), "ds");
    const { issuerName, serialDecimal } = certificateIssuerSerial(certPem);

    // Sign ahead so the load is limited by the gateway, not by the client.
    const requests: { deviceId: string; xml: string }[] = [];
    for (let i = 0; i < 600; i++) {
      const deviceId = `00DB2000${i.toString(16).toUpperCase().padStart(8, "0")}`;
      requests.push({ deviceId, xml: await signDocument(preNotification(BigInt(10_000 + i), deviceId), { privateKey, issuerName, serialNumber: serialDecimal }) });
    }
    const acknowledged: { deviceId: string; xml: string }[] = [];
    let next = 0;
    let killed = false;
    const worker = async () => {
      while (next < requests.length && !killed) {
        const request = requests[next++]!;
        try {
          const response = await fetch(`${first.url}/api/v1/serviceD`, { method: "POST", body: request.xml, headers: { "content-type": "application/xml" } });
          const text = await response.text();
          if (/<sr:ResponseCode>I99</.test(text)) acknowledged.push(request);
        } catch {
          return; // the gateway is gone
        }
      }
    };
    // Requests carry increasing counters; with 4 in flight a later one may overtake an earlier
    // one, which is then a replay. Only acknowledged requests count.
    const load = Promise.all(Array.from({ length: 4 }, worker));
    while (acknowledged.length < 40) await new Promise((r) => setTimeout(r, 5));
    first.child.kill("SIGKILL");
    killed = true;
    await load;
    await new Promise<void>((r) => (first.child.exitCode !== null || first.child.signalCode !== null ? r() : first.child.once("exit", () => r())));
    expect(acknowledged.length).toBeGreaterThanOrEqual(40);

    const second = await startGateway(data);
    for (const request of acknowledged) {
      const response = await fetch(`${second.url}/admin/v1/inventory/devices/${request.deviceId}`);
      expect(response.status, `acknowledged ${request.deviceId} lost`).toBe(200);
      expect(((await response.json()) as { status: string }).status).toBe("pending");
    }
    // The counters survived too: the last acknowledged request is now a replay.
    const replay = await fetch(`${second.url}/api/v1/serviceD`, { method: "POST", body: acknowledged.at(-1)!.xml, headers: { "content-type": "application/xml" } });
    expect(await replay.text()).toMatch(/<sr:ResponseCode>E42</);
    // And the audit trail shows the acknowledged requests.
    const audit = (await (await fetch(`${second.url}/admin/v1/audit?limit=1000`)).json()) as { srv: string; outcome: string }[];
    expect(audit.filter((a) => a.srv === "12.2" && a.outcome === "accepted").length).toBeGreaterThanOrEqual(acknowledged.length);
    second.child.kill("SIGTERM");
  }, 120_000);
});
