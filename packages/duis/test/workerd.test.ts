// @opendcc/duis on an edge runtime: bundled and run in the real workerd, it parses, writes,
// refuses a DOCTYPE and signs exactly as in Node, and each runtime verifies the other's signature.
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fromBase64, generateKeyPair, importPublicKey, exportPublicKey, toBase64 } from "@opendcc/kernel";
import { signDocument, verifyDocument } from "../src/index.js";
import { startWorker, type RunningWorker } from "../../../test/edge/workerd.js";
import { probeDuis, REQUEST, type Probe } from "./workerd-probe.js";

describe("duis in workerd", () => {
  let worker: RunningWorker;
  beforeAll(async () => {
    worker = await startWorker(fileURLToPath(new URL("./workerd-worker.ts", import.meta.url)));
  }, 30_000);
  afterAll(() => worker?.stop());

  it("parses, writes and refuses exactly as Node does", async () => {
    const edge = (await (await fetch(worker.url)).json()) as Probe;
    const node = await probeDuis();
    expect(edge.requestId).toBe("90-B3-D5-1F-30-01-00-00:00-DB-12-34-56-78-90-A0:1008");
    expect(edge.written).toBe(node.written);
    expect(edge.response).toBe(node.response);
    expect(edge.hostile).toBe("XML_DTD");
    expect(edge.selfVerified).toBe(true);
    expect(edge.tampered).toBe("digest-mismatch");
  });

  it("Node verifies what workerd signs", async () => {
    const edge = (await (await fetch(worker.url)).json()) as Probe;
    const key = await importPublicKey(fromBase64(edge.spki), "ds");
    expect(await verifyDocument(edge.signed, () => key)).toEqual({ ok: true, issuerName: "CN=Z1,OU=07", serialNumber: "99" });
  });

  it("workerd verifies what Node signs, and refuses it changed", async () => {
    const pair = await generateKeyPair("ds");
    const xml = await signDocument(REQUEST, { privateKey: pair.privateKey, issuerName: "CN=Z1,OU=07", serialNumber: 5n });
    const spki = toBase64(await exportPublicKey(pair.publicKey));
    const post = async (body: string) => (await fetch(worker.url, { method: "POST", body: JSON.stringify({ xml: body, spki }) })).json();
    expect(await post(xml)).toEqual({ ok: true, issuerName: "CN=Z1,OU=07", serialNumber: "5" });
    expect(await post(xml.replace('index="1"', 'index="2"'))).toMatchObject({ ok: false, reason: "digest-mismatch" });
  });
});
