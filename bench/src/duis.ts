// The DUIS suite: parse, and parse plus XML-signature verification, of a small (8.2 Read
// Inventory) and a large (a tariff-sized body) request, by @opendcc/duis and by the baseline
// @smartdcc/duis-parser (parse; dev-only, GPL, never shipped) with xml-crypto verifying; and the
// in-process gateway pipeline for a non-device SRV (parse, checks, signature, execution, a signed
// DUIS response).
import { createPublicKey, generateKeyPairSync, verify as nodeVerify, type KeyObject } from "node:crypto";
import { DOMParser } from "@xmldom/xmldom";
import { parseDuis } from "@smartdcc/duis-parser";
import { Bench } from "tinybench";
import { SignedXml } from "xml-crypto";
import { createDuisCodec, openDcc, userCertificateFromPem, type Dcc } from "@opendcc/core";
import {
  ECDSA_SHA256, certificateIssuerSerial, node, parseRequest, signDocument, verifyDocument, writeRequest, type DuisNode,
} from "@opendcc/duis";
import { TestSmki } from "@opendcc/gbcs";
import { importPrivateKey, importPublicKey } from "@opendcc/kernel";
import { collectRows, type Row, type TaskMeta } from "./report.js";

const SUPPLIER = "90B3D51F30010000";
const DCC = "90B3D51F30000002";
const BASELINE = "@smartdcc/duis-parser";

function request(counter: bigint, large: boolean): string {
  const body: DuisNode = large
    ? node("UpdateImportTariffPrimaryElement", [node("ElecTariffElements", Array.from({ length: 48 }, (_, i) =>
      node("DayProfile", [node("DayName", String(i % 7 + 1)), node("ProfileSchedule", [node("StartTime", "00:00:00.00Z"), node("BlockTariffAction", "1")])], { index: String(i + 1) })))])
    : node("ReadInventory", [node("DeviceID", "00-DB-12-34-56-78-90-A0")]);
  return writeRequest({
    schemaVersion: "5.2",
    header: { requestId: { originator: SUPPLIER, target: large ? "00DB1234567890A0" : DCC, counter }, commandVariant: large ? 4 : 8, serviceReference: large ? "1.1" : "8.2", serviceReferenceVariant: large ? "1.1.1" : "8.2" },
    body: { element: body.name, content: body },
    signature: null,
  });
}

class EcdsaSha256 {
  verifySignature(material: string, key: KeyObject, signatureValue: string): boolean {
    return nodeVerify("sha256", Buffer.from(material), { key, dsaEncoding: "ieee-p1363" }, Buffer.from(signatureValue, "base64"));
  }
  getAlgorithmName(): string {
    return ECDSA_SHA256;
  }
}

function baselineVerify(xml: string, publicKeyPem: string): boolean {
  const verifier = new SignedXml({ publicCert: publicKeyPem });
  verifier.SignatureAlgorithms[ECDSA_SHA256] = EcdsaSha256 as never;
  const signature = new DOMParser().parseFromString(xml, "text/xml").getElementsByTagNameNS("http://www.w3.org/2000/09/xmldsig#", "Signature")[0];
  verifier.loadSignature(signature as never);
  return verifier.checkSignature(xml);
}

async function pipelineRequestsPerSecond(): Promise<{ perSecond: number; medianMicroseconds: number; samples: number }> {
  const smki = await TestSmki.create();
  const dccCert = await smki.issue({ eui: DCC, usage: "ds", roleCode: "04" });
  const user = await smki.issue({ eui: SUPPLIER, usage: "ds", roleCode: "02" });
  const codec = createDuisCodec({ dccKey: { privateKey: dccCert.keys.privateKey, certificate: dccCert.der } });
  const dcc: Dcc = await openDcc({ codec });
  dcc.services.users.addParty({ partyId: "SUPPLIER-A", name: "Supplier A" });
  dcc.services.users.addUser({ userId: SUPPLIER, partyId: "SUPPLIER-A", roles: ["IS"], suspended: false, certificates: [userCertificateFromPem(user.pem, "xml")] });
  dcc.services.inventory.preNotify({ deviceId: "00DB1234567890A0", type: "ESME" }, true);
  const { issuerName, serialDecimal } = certificateIssuerSerial(user.der);
  const batches = 5;
  const perBatch = 200;
  const signed: string[] = [];
  for (let i = 0; i < batches * perBatch; i++) {
    signed.push(await signDocument(request(BigInt(i + 1), false), { privateKey: user.keys.privateKey, issuerName, serialNumber: serialDecimal }));
  }
  const rates: number[] = [];
  for (let b = 0; b < batches; b++) {
    const started = performance.now();
    for (let i = b * perBatch; i < (b + 1) * perBatch; i++) {
      const response = await dcc.gateway.handle(signed[i]!, "serviceD");
      if (response.responseCode !== "I0") throw new Error(`pipeline answered ${response.responseCode}: ${response.reason}`);
      await codec.writeResponse(response);
    }
    rates.push(perBatch / ((performance.now() - started) / 1000));
  }
  rates.sort((a, b) => a - b);
  const median = rates[Math.floor(rates.length / 2)]!;
  return { perSecond: median, medianMicroseconds: 1e6 / median, samples: batches };
}

export async function duisSuite(options: { time: number }): Promise<Row[]> {
  const bench = new Bench({ time: options.time, warmupTime: Math.min(200, options.time / 2) });
  const meta = new Map<string, TaskMeta>();
  const add = (info: TaskMeta, fn: () => unknown) => {
    const name = `${info.group} ${info.size} ${info.option}`;
    meta.set(name, info);
    bench.add(name, fn as () => void);
  };
  const pair = generateKeyPairSync("ec", { namedCurve: "P-256" });
  const privateKey = await importPrivateKey(new Uint8Array(pair.privateKey.export({ type: "pkcs8", format: "der" })), "ds");
  const publicKey = await importPublicKey(new Uint8Array(createPublicKey(pair.privateKey).export({ type: "spki", format: "der" })), "ds");
  const publicPem = pair.publicKey.export({ type: "spki", format: "pem" }) as string;
  for (const large of [false, true]) {
    const signed = await signDocument(request(1000n, large), { privateKey, issuerName: "CN=Z1,OU=07", serialNumber: 42n });
    const size = signed.length;
    // Both sides must accept the document before anything is timed.
    if (!(await verifyDocument(signed, () => publicKey)).ok || !baselineVerify(signed, publicPem)) throw new Error("a verifier refuses the benchmark document");
    add({ group: "DUIS parse", size, option: "@opendcc/duis", perCall: 1 }, () => parseRequest(signed));
    add({ group: "DUIS parse", size, option: BASELINE, perCall: 1 }, () => parseDuis("simplified", signed));
    add({ group: "DUIS parse + signature verify", size, option: "@opendcc/duis", perCall: 1 }, async () => {
      parseRequest(signed);
      if (!(await verifyDocument(signed, () => publicKey)).ok) throw new Error("verify failed");
    });
    add({ group: "DUIS parse + signature verify", size, option: BASELINE, perCall: 1 }, () => {
      parseDuis("simplified", signed);
      if (!baselineVerify(signed, publicPem)) throw new Error("verify failed");
    });
  }
  await bench.run();
  const rows = collectRows(bench, meta, BASELINE);
  const pipeline = await pipelineRequestsPerSecond();
  rows.push({ group: "gateway pipeline (8.2, in process)", size: null, option: "Gateway.handle + signed response", ...pipeline, ratioToBaseline: null, baseline: null });
  return rows;
}
