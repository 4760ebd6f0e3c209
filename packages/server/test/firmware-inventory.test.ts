// 11.3 Activate Firmware and the Smart Metering Inventory: when the device reports the activation
// succeeded (CS06's response, or the 0x00CA alert of a future-dated one), the inventory records the
// version it now runs (seed 003 paragraph 194); a failed activation, or a future-dated one only
// accepted, leaves the recorded version as it was. The far side is a test meter that answers CS06 as
// the RTDS vectors do (11.3_CS06: SEQUENCE { outcome, running version }, signed by the device).
import { beforeEach, describe, expect, it } from "vitest";
import { parseResponse, writeRequest, type DuisResponse } from "@opendcc/duis";
import { ACCESS_CONTROL_BROKER, KeyRing, headerOf, signPreCommand } from "@opendcc/gbcs";
import { concatBytes, encode, fromHex, generateKeyPair, parseFrame, sharedSecret, sign, verifyMac, type EcKeyPair } from "@opendcc/kernel";
import { keyRingCommandKeys, type DeviceTransport } from "@opendcc/core";
import { SUPPLIER, requestXml, signAs, startTestGateway, type TestGateway } from "./support.js";

const ESME = "00DB1234567890A0";
const CHF = "00DB1234567890A2";
const MPAN = "1300000000001";
const HASH = "AA758690730934FF0685AA758690730934FF0685657788990011223344556677";
const RECORDED = "00010000";

/** CS06's outcome as the device encodes it: SEQUENCE { INTEGER response code, OCTET STRING (4) version }. */
const outcome = (code: number, version: string) => `30090201${code.toString(16).padStart(2, "0")}0404${version}`;
/** The response to a future-dated CS06: NULL, "command accepted" (RTDS CS06 cancellation response). */
const ACCEPTED = "0500";

type Message = { deviceId: string; gbcs: Uint8Array };

/** One electricity meter on the WAN: checks each command's ACB MAC and answers with the content it is given, signed. */
class MeterOnTheWan implements DeviceTransport {
  readonly received: Uint8Array[] = [];
  answerHex = outcome(0, "00020001");
  private receiver: ((message: Message) => void) | null = null;

  constructor(private readonly keys: { acb: EcKeyPair; meterKa: EcKeyPair; meterDs: EcKeyPair }) {}

  async send(command: { requestId: string; deviceId: string; gbcs: Uint8Array }): Promise<void> {
    if (!verifyMac(await sharedSecret(this.keys.meterKa.privateKey, this.keys.acb.publicKey), command.gbcs)) throw new Error("command MAC does not verify");
    this.received.push(command.gbcs);
    const header = headerOf(command.gbcs, parseFrame(command.gbcs));
    const response = await this.signed(2, header.counter, header.originator, header.messageCode, this.answerHex);
    queueMicrotask(() => this.receiver?.({ deviceId: ESME, gbcs: response }));
  }

  /** A message from the meter (CRA 2 response, 3 alert), General-Signing with the meter's signature. */
  async signed(cra: 2 | 3, counter: bigint, recipient: string, messageCode: number, contentHex: string): Promise<Uint8Array> {
    const apdu = encode((w) => w.generalSigning({
      cra, counter, originator: fromHex(ESME), recipient: fromHex(recipient), dateTime: null, otherInfo: Uint8Array.of(messageCode >> 8, messageCode & 0xff),
    }, (content) => content.hex(contentHex)));
    return concatBytes(apdu, Uint8Array.of(0x40), await sign(this.keys.meterDs.privateKey, apdu.subarray(1)));
  }

  async push(message: Uint8Array): Promise<void> {
    this.receiver?.({ deviceId: ESME, gbcs: message });
  }

  onMessage(receiver: (message: Message) => void): void {
    this.receiver = receiver;
  }
}

let gateway: TestGateway;
let meter: MeterOnTheWan;
let supplierDs: EcKeyPair;
let counter = 7000n;

beforeEach(async () => {
  const [acb, meterKa, meterDs] = await Promise.all([generateKeyPair("ka"), generateKeyPair("ka"), generateKeyPair("ds")]);
  const ring = new KeyRing();
  ring.add({ eui: ACCESS_CONTROL_BROKER, role: "ka", certificate: null, publicKey: acb.publicKey, privateKey: acb.privateKey });
  ring.add({ eui: ESME, role: "ka", certificate: null, publicKey: meterKa.publicKey, privateKey: null });
  gateway = await startTestGateway({ commandKeys: keyRingCommandKeys(ring) });
  await gateway.admin("POST", "/inventory/devices", [
    { deviceId: CHF, type: "CHF", status: "commissioned" },
    { deviceId: ESME, type: "ESME", status: "commissioned", mpxn: MPAN, chfId: CHF, firmwareVersion: RECORDED },
  ]);
  await gateway.admin("PUT", "/registration", `mpxn,fuel,role,partyId,effectiveFrom,effectiveTo\n${MPAN},electricity,IS,SUPPLIER-A,2020-01-01,\n`, "text/csv");
  // The supplier's GBCS digital-signing certificate, for the Signed Pre-Command.
  const ds = await gateway.smki.issue({ eui: SUPPLIER, usage: "ds", commonName: "SUPPLIER-A", roleCode: "02" });
  supplierDs = ds.keys;
  const xml = gateway.certificates.get(SUPPLIER)!;
  await gateway.admin("POST", "/users", [{ userId: SUPPLIER, partyId: "SUPPLIER-A", roles: ["IS"], certificates: [{ usage: "xml", pem: xml.pem }, { usage: "ds", pem: ds.pem }] }]);
  meter = new MeterOnTheWan({ acb, meterKa, meterDs });
  gateway.dcc.useTransport(meter);
});

const recorded = () => gateway.dcc.services.inventory.get(ESME)?.firmwareVersion;

/**
 * 11.3 through the critical round trip: CV 4 for the Pre-Command, signed, back with CV 5 (I99); or
 * with CV 6, when the command comes back for local delivery (its answer, I0 with the LocalCommand).
 */
async function activate(executionDateTime?: string, commandVariant: 5 | 6 = 5): Promise<bigint> {
  const id = ++counter;
  const request = requestXml({
    counter: id, cv: 4, srv: "11.3", element: "ActivateFirmware", target: ESME, originator: SUPPLIER,
    children: [{ name: "FirmwareHash", text: HASH }], ...(executionDateTime ? { executionDateTime } : {}),
  });
  const first = await gateway.send("serviceT", await signAs(gateway, SUPPLIER, request));
  const body = parseResponse(first.xml).body;
  if (body.kind !== "ResponseMessage" || body.content?.kind !== "PreCommand") throw new Error(`no Pre-Command: ${first.code} ${first.reason ?? ""}`);
  const signed = writeRequest({
    schemaVersion: "5.2",
    header: { requestId: { originator: SUPPLIER, target: ESME, counter: id }, commandVariant, serviceReference: "11.3", serviceReferenceVariant: "11.3" },
    body: { element: "SignedPreCommand", gbcsPayload: await signPreCommand(body.content.gbcsPayload, supplierDs.privateKey) },
    signature: null,
  });
  const answer = await gateway.send(commandVariant === 5 ? "serviceS" : "serviceD", await signAs(gateway, SUPPLIER, signed));
  expect([answer.code, answer.reason]).toEqual([commandVariant === 5 ? "I99" : "I0", null]);
  return id;
}

/** Waits for what the DCC delivered to the supplier that `matches`. */
async function delivered(matches: (response: DuisResponse) => boolean): Promise<DuisResponse> {
  const deadline = Date.now() + 3000;
  for (;;) {
    const outbox = await (await gateway.admin("GET", `/users/${SUPPLIER}/outbox`)).json() as { xml: string }[];
    const found = outbox.map((message) => parseResponse(message.xml)).find(matches);
    if (found) return found;
    if (Date.now() > deadline) throw new Error(`nothing delivered (outbox: ${outbox.length} messages)`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
const responseTo = (id: bigint) => (response: DuisResponse) => response.header.requestId?.counter === id && response.body.kind === "ResponseMessage";

describe("11.3 Activate Firmware and the inventory's firmware version", () => {
  it("records the version the device reports running after a successful activation", async () => {
    expect(recorded()).toBe(RECORDED);
    const id = await activate();
    expect(meter.received).toHaveLength(1);
    const response = await delivered(responseTo(id));
    expect(response.header.responseCode).toBe("I0");
    expect(response.body).toMatchObject({ serviceReferenceVariant: "11.3" });
    expect(recorded()).toBe("00020001");
    const record = await (await gateway.admin("GET", `/inventory/devices/${ESME}`)).json() as { firmwareVersion: string };
    expect(record.firmwareVersion).toBe("00020001");
  });

  it("keeps the recorded version when the device reports a failure (no image held, hash mismatch)", async () => {
    for (const code of [1, 2]) {
      meter.answerHex = outcome(code, "0123ABCF");
      const id = await activate();
      expect((await delivered(responseTo(id))).header.responseCode).toBe("I0");
      expect(recorded()).toBe(RECORDED);
    }
  });

  it("records the version from a locally delivered activation's response returned with 8.13 (paragraph 194)", async () => {
    const id = await activate(undefined, 6);
    expect(meter.received).toHaveLength(0);
    const response = await meter.signed(2, id, SUPPLIER, 0x0012, outcome(0, "00020001"));
    const returned = await gateway.send("serviceD", await signAs(gateway, SUPPLIER, requestXml({
      counter: ++counter, cv: 8, srv: "8.13", element: "ReturnLocalCommandResponse", originator: SUPPLIER,
      children: [{ name: "OriginalRequestID", text: `90-B3-D5-1F-30-01-00-00:00-DB-12-34-56-78-90-A0:${id}` }, { name: "DeviceGBCSResponse", text: btoa(String.fromCharCode(...response)) }],
    })));
    expect([returned.code, returned.reason]).toEqual(["I0", null]);
    expect(recorded()).toBe("00020001");
  });

  it("records a future-dated activation's version from its 0x00CA alert, not from the command's acceptance", async () => {
    meter.answerHex = ACCEPTED;
    const id = await activate("2030-01-15T09:00:00.00Z");
    await delivered(responseTo(id));
    expect(recorded()).toBe(RECORDED);

    // RTDS CS06_11.3_8F67: the 0x00CA alert with a failure outcome changes nothing.
    const alert = (alertCode: string, outcomeHex: string) => meter.signed(3, 9000n, SUPPLIER, 0x00ca, `3025020300${alertCode}180F${hexText("20300115090000Z")}0202${(Number(id) & 0xffff).toString(16).padStart(4, "0")}${outcomeHex}`);
    await meter.push(await alert("8F67", outcome(2, "0123ABCF")));
    await delivered((response) => response.body.kind === "DeviceAlertMessage" && response.body.alertCode === "8F67");
    expect(recorded()).toBe(RECORDED);
    // RTDS CS06_11.3_8F66: carried out, the device runs the new image.
    await meter.push(await alert("8F66", outcome(0, "00020001")));
    await delivered((response) => response.body.kind === "DeviceAlertMessage" && response.body.alertCode === "8F66");
    expect(recorded()).toBe("00020001");
  });
});

const hexText = (text: string) => Array.from(new TextEncoder().encode(text), (byte) => byte.toString(16).padStart(2, "0")).join("").toUpperCase();
