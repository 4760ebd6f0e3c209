// Device services through the HTTP gateway: transform, ACB MAC, Command Variants (WAN, local,
// both), the device transport, and the device's response delivered to its user. Keys are the
// test's own (a generated ACB and device); the far side is a transport that checks each command's
// MAC as a device would and answers with a MAC'd GBCS response.
import { beforeEach, describe, expect, it } from "vitest";
import { parseResponse, writeRequest, type CommandVariant } from "@opendcc/duis";
import { ACCESS_CONTROL_BROKER, KeyRing, headerOf, signPreCommand } from "@opendcc/gbcs";
import {
  concatBytes, encode, fromHex, generateKeyPair, parseFrame, sharedSecret, toHex, verifyMac, wrapApdu, type EcKeyPair,
} from "@opendcc/kernel";
import { keyRingCommandKeys, type DeviceTransport } from "@opendcc/core";
import { requestXml, signAs, startTestGateway, type TestGateway } from "./support.js";

const GSME = "00DB1234567890A1";
const CHF = "00DB1234567890A2";
const MPRN = "1234567890";
/** The test estate's gas supplier (role GS). */
const SUPPLIER = "90B3D51F30030000";

let gateway: TestGateway;
let acb: EcKeyPair;
let meter: EcKeyPair;
let supplierKa: EcKeyPair;
let counter = 5000n;

/** The far side of the WAN for one gas meter: checks the MAC, answers with a MAC'd response. */
class MeterOnTheWan implements DeviceTransport {
  readonly received: Uint8Array[] = [];
  /** When set, responses wait here until released (a slow WAN). */
  held: (() => void)[] | null = null;
  /** Answers before send() returns (a WAN faster than the gateway). */
  immediate = false;
  /** The GBZ payload the meter answers with (default: a read-attributes response). */
  answerHex = "010901010702000D08000100000025010000000000";
  private receiver: ((message: { deviceId: string; gbcs: Uint8Array }) => void) | null = null;

  async send(command: { requestId: string; deviceId: string; gbcs: Uint8Array }): Promise<void> {
    if (!verifyMac(await sharedSecret(meter.privateKey, acb.publicKey), command.gbcs)) throw new Error("command MAC does not verify");
    this.received.push(command.gbcs);
    const header = headerOf(command.gbcs, parseFrame(command.gbcs));
    const response = encode((w) => w.generalSigning({
      cra: 2, counter: header.counter, originator: fromHex(GSME), recipient: fromHex(header.originator), dateTime: null,
      otherInfo: Uint8Array.of(header.messageCode >> 8, header.messageCode & 0xff),
    }, (content) => content.hex(this.answerHex)).byte(0));
    const secret = await sharedSecret(meter.privateKey, supplierKa.publicKey);
    const answer = () => this.receiver?.({ deviceId: GSME, gbcs: wrapApdu(secret, response) });
    if (this.held) this.held.push(answer);
    else if (this.immediate) answer();
    else queueMicrotask(answer);
  }

  onMessage(receiver: (message: { deviceId: string; gbcs: Uint8Array }) => void): void {
    this.receiver = receiver;
  }
}

const readGas = (cv: 1 | 2 | 3) => requestXml({ counter: ++counter, cv, srv: "4.1.1", sr: "4.1", element: "ReadInstantaneousImportRegisters", target: GSME, originator: SUPPLIER });
const endpointOf = { 1: "serviceS", 2: "serviceD", 3: "serviceS" } as const;

beforeEach(async () => {
  [acb, meter, supplierKa] = await Promise.all([generateKeyPair("ka"), generateKeyPair("ka"), generateKeyPair("ka")]);
  const ring = new KeyRing();
  ring.add({ eui: ACCESS_CONTROL_BROKER, role: "ka", certificate: null, publicKey: acb.publicKey, privateKey: acb.privateKey });
  ring.add({ eui: GSME, role: "ka", certificate: null, publicKey: meter.publicKey, privateKey: null });
  gateway = await startTestGateway({ commandKeys: keyRingCommandKeys(ring) });
  await gateway.admin("POST", "/inventory/devices", [
    { deviceId: CHF, type: "CHF", status: "commissioned" },
    { deviceId: GSME, type: "GSME", status: "commissioned", mpxn: MPRN, chfId: CHF },
  ]);
  await gateway.admin("PUT", "/registration", `mpxn,fuel,role,partyId,effectiveFrom,effectiveTo\n${MPRN},gas,GS,SUPPLIER-A,2020-01-01,\n`, "text/csv");
});

async function send(cv: 1 | 2 | 3) {
  return gateway.send(endpointOf[cv], await signAs(gateway, SUPPLIER, readGas(cv)));
}

describe("a non-critical device service", () => {
  it("goes over the WAN MAC'd by the ACB (CV 1: I99), and the device's response reaches the user as I0 with its GBCS payload", async () => {
    const transport = new MeterOnTheWan();
    gateway.dcc.useTransport(transport);
    const answer = await send(1);
    expect(answer).toMatchObject({ status: 200, code: "I99" });
    expect(transport.received).toHaveLength(1);
    const sent = transport.received[0] as Uint8Array;
    expect(headerOf(sent, parseFrame(sent))).toMatchObject({ cra: 1, counter, originator: SUPPLIER, recipient: GSME, messageCode: 0x0074 });

    await new Promise((resolve) => setTimeout(resolve, 20));
    const outbox = await (await gateway.admin("GET", `/users/${SUPPLIER}/outbox`)).json() as { xml: string }[];
    const delivered = outbox.map((m) => parseResponse(m.xml)).find((r) => r.body.kind === "ResponseMessage" && r.body.content?.kind === "GBCSPayload");
    expect(delivered?.header).toMatchObject({ responseCode: "I0", requestId: { originator: SUPPLIER, target: GSME, counter } });
    expect(delivered?.body).toMatchObject({ serviceReferenceVariant: "4.1.1" });
  });

  it("released from quarantine, its outcome (I99) reaches the user before the device's answer, however fast the device", async () => {
    const transport = new MeterOnTheWan();
    transport.immediate = true;
    gateway.dcc.useTransport(transport);
    await gateway.admin("PUT", "/anomaly/thresholds", [{ userId: SUPPLIER, srv: "4.1.1", windowMs: 60_000, limit: 0 }]);
    expect((await send(1)).code).toBe("E44");
    const [held] = await (await gateway.admin("GET", "/quarantine")).json() as { id: number }[];
    const released = await (await gateway.admin("POST", `/quarantine/${held?.id}/release`)).json() as { responseCode: string };
    expect(released.responseCode).toBe("I99");
    expect(transport.received).toHaveLength(1);
    await new Promise((resolve) => setTimeout(resolve, 20));
    const outbox = await (await gateway.admin("GET", `/users/${SUPPLIER}/outbox`)).json() as { xml: string }[];
    const answers = outbox.map((m) => parseResponse(m.xml)).filter((r) => r.body.kind === "ResponseMessage" && r.header.requestId?.counter === counter);
    expect(answers.map((r) => r.header.responseCode)).toEqual(["I99", "I0"]);
  });

  it("is returned for local delivery (CV 2: I0 LocalCommand) without touching the WAN", async () => {
    const transport = new MeterOnTheWan();
    gateway.dcc.useTransport(transport);
    const answer = await send(2);
    expect(answer.code).toBe("I0");
    const body = parseResponse(answer.xml).body;
    const local = body.kind === "ResponseMessage" && body.content?.kind === "LocalCommand" ? body.content.gbcsPayload : null;
    expect(local && verifyMac(await sharedSecret(meter.privateKey, acb.publicKey), local)).toBe(true);
    expect(transport.received).toHaveLength(0);
  });

  it("goes both ways with CV 3: the local copy is the command the device received", async () => {
    const transport = new MeterOnTheWan();
    gateway.dcc.useTransport(transport);
    const answer = await send(3);
    const body = parseResponse(answer.xml).body;
    const local = body.kind === "ResponseMessage" && body.content?.kind === "LocalCommand" ? body.content.gbcsPayload : null;
    expect(transport.received).toHaveLength(1);
    expect(local).toEqual(transport.received[0]);
  });

  it("is refused with E45 when no device transport runs, but local delivery still works", async () => {
    const wan = await send(1);
    expect(wan.code).toBe("E45");
    expect(wan.reason).toMatch(/no device transport/);
    expect((await send(2)).code).toBe("I0");
  });

  it("is refused with E45 when the DCC holds no key-agreement certificate for the device", async () => {
    gateway = await startTestGateway();
    await gateway.admin("POST", "/inventory/devices", [{ deviceId: CHF, type: "CHF", status: "commissioned" }, { deviceId: GSME, type: "GSME", status: "commissioned", mpxn: MPRN, chfId: CHF }]);
    await gateway.admin("PUT", "/registration", `mpxn,fuel,role,partyId,effectiveFrom,effectiveTo\n${MPRN},gas,GS,SUPPLIER-A,2020-01-01,\n`, "text/csv");
    const answer = await send(2);
    expect(answer.code).toBe("E45");
    expect(answer.reason).toMatch(/no key-agreement certificate for 00DB1234567890A1/);
  });
});

describe("sequenced requests (seed 003 paragraphs 126-127)", () => {
  const sequenced = (id: bigint, after: bigint | null) => writeRequest({
    schemaVersion: "5.2",
    header: {
      requestId: { originator: SUPPLIER, target: GSME, counter: id }, commandVariant: 1, serviceReference: "4.1", serviceReferenceVariant: "4.1.1",
      ...(after === null ? { firstInSequence: true } : { precedingRequestId: { originator: SUPPLIER, target: GSME, counter: after } }),
    },
    body: { element: "ReadInstantaneousImportRegisters", content: { name: "ReadInstantaneousImportRegisters" } },
    signature: null,
  });
  const send = async (id: bigint, after: bigint | null) => gateway.send("serviceS", await signAs(gateway, SUPPLIER, sequenced(id, after)));

  it("holds a request until the one it names has succeeded, then sends it", async () => {
    const transport = new MeterOnTheWan();
    transport.held = [];
    gateway.dcc.useTransport(transport);
    const first = ++counter;
    expect((await send(first, null)).code).toBe("I99");
    const second = ++counter;
    expect((await send(second, first)).code).toBe("I99");
    expect(transport.received).toHaveLength(1);
    transport.held.shift()?.();
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(transport.received).toHaveLength(2);
    const sent = transport.received[1] as Uint8Array;
    expect(headerOf(sent, parseFrame(sent)).counter).toBe(second);
  });

  it("fails the held request when the device's answer to its predecessor reports a failure", async () => {
    const transport = new MeterOnTheWan();
    transport.held = [];
    // a ZCL default response to read attributes with status 0x81 (unsupported cluster command)
    transport.answerHex = "0109010107020005" + "08000B" + "0081";
    gateway.dcc.useTransport(transport);
    const first = ++counter;
    expect((await send(first, null)).code).toBe("I99");
    const second = ++counter;
    expect((await send(second, first)).code).toBe("I99");
    transport.held.shift()?.();
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(transport.received).toHaveLength(1);
    const outbox = await (await gateway.admin("GET", `/users/${SUPPLIER}/outbox`)).json() as { xml: string }[];
    const failed = outbox.map((m) => parseResponse(m.xml)).find((r) => r.header.responseCode === "E48");
    expect(failed?.header.requestId).toMatchObject({ counter: second });
  });

  it("refuses a request whose predecessor is unknown or failed (E48)", async () => {
    gateway.dcc.useTransport(new MeterOnTheWan());
    const unknown = await send(++counter, 1n);
    expect(unknown.code).toBe("E48");
    expect(unknown.reason).toMatch(/not one this DCC sent/);
    const failing = new MeterOnTheWan();
    failing.send = async () => {
      throw new Error("WAN down");
    };
    gateway.dcc.useTransport(failing);
    const first = ++counter;
    expect((await send(first, null)).code).toBe("E20");
    expect((await send(++counter, first)).code).toBe("E48");
  });
});

describe("a critical device service: the Pre-Command round trip (7.3 Arm Supply on a gas meter)", () => {
  let signing: EcKeyPair;
  let transport: MeterOnTheWan;

  beforeEach(async () => {
    // The supplier's GBCS digital-signing certificate, beside its XML-signing one.
    const ds = await gateway.smki.issue({ eui: SUPPLIER, usage: "ds", commonName: "SUPPLIER-A", roleCode: "02" });
    signing = ds.keys;
    const xml = gateway.certificates.get(SUPPLIER)!;
    await gateway.admin("POST", "/users", [{ userId: SUPPLIER, partyId: "SUPPLIER-A", roles: ["GS"], certificates: [{ usage: "xml", pem: xml.pem }, { usage: "ds", pem: ds.pem }] }]);
    transport = new MeterOnTheWan();
    gateway.dcc.useTransport(transport);
  });

  const armSupply = (id: bigint) => requestXml({ counter: id, cv: 4, srv: "7.3", sr: "7.3", element: "ArmSupply", target: GSME, originator: SUPPLIER });
  const signedPreCommand = (id: bigint, cv: CommandVariant, gbcsPayload: Uint8Array) => writeRequest({
    schemaVersion: "5.2",
    header: { requestId: { originator: SUPPLIER, target: GSME, counter: id }, commandVariant: cv, serviceReference: "7.3", serviceReferenceVariant: "7.3" },
    body: { element: "SignedPreCommand", gbcsPayload },
    signature: null,
  });
  const endpoint = (cv: CommandVariant) => (cv === 6 ? "serviceD" : "serviceS");

  async function preCommandFor(id: bigint): Promise<Uint8Array> {
    const answer = await gateway.send("serviceT", await signAs(gateway, SUPPLIER, armSupply(id)));
    expect(answer.code).toBe("I0");
    const body = parseResponse(answer.xml).body;
    if (body.kind !== "ResponseMessage" || body.content?.kind !== "PreCommand") throw new Error("no PreCommand in the answer");
    return body.content.gbcsPayload;
  }

  async function sendSigned(id: bigint, cv: CommandVariant, payload: Uint8Array) {
    return gateway.send(endpoint(cv), await signAs(gateway, SUPPLIER, signedPreCommand(id, cv, payload)));
  }

  it("returns the Pre-Command (I0) with its empty signature field, then sends the signed command MAC'd (CV 5: I99)", async () => {
    const id = ++counter;
    const preCommand = await preCommandFor(id);
    const frame = parseFrame(preCommand);
    expect(frame.signature).toBe("empty");
    expect(headerOf(preCommand, frame)).toMatchObject({ cra: 1, counter: id, originator: SUPPLIER, recipient: GSME });
    expect(transport.received).toHaveLength(0);

    const signed = await signPreCommand(preCommand, signing.privateKey);
    expect((await sendSigned(id, 5, signed)).code).toBe("I99");
    expect(transport.received).toHaveLength(1);
    const command = transport.received[0] as Uint8Array;
    const sent = parseFrame(command);
    expect(toHex(command.subarray(sent.apdu.offset, sent.apdu.offset + sent.apdu.length))).toBe(toHex(signed));
    // once only
    expect((await sendSigned(id, 5, signed)).code).toBe("E42");
  });

  it("returns the signed command for local delivery (CV 6) and both ways (CV 7)", async () => {
    for (const cv of [6, 7] as const) {
      const id = ++counter;
      const signed = await signPreCommand(await preCommandFor(id), signing.privateKey);
      const answer = await sendSigned(id, cv, signed);
      expect(answer.code).toBe("I0");
      const body = parseResponse(answer.xml).body;
      expect(body.kind === "ResponseMessage" && body.content?.kind).toBe("LocalCommand");
    }
    expect(transport.received).toHaveLength(1);
  });

  it("refuses a signature over other content (E46), by another key (E47), unsigned (E47), or with no Pre-Command issued (E42)", async () => {
    const id = ++counter;
    const preCommand = await preCommandFor(id);
    const tampered = preCommand.slice();
    tampered[tampered.length - 2] = (tampered[tampered.length - 2] as number) ^ 0x01;
    expect(await sendSigned(id, 5, await signPreCommand(tampered, signing.privateKey))).toMatchObject({ code: "E46" });
    const stranger = await generateKeyPair("ds");
    expect(await sendSigned(id, 5, await signPreCommand(preCommand, stranger.privateKey))).toMatchObject({ code: "E47" });
    expect((await sendSigned(id, 5, preCommand)).code).toBe("E47");
    expect((await sendSigned(++counter, 5, await signPreCommand(preCommand, signing.privateKey))).code).toBe("E42");
    expect(transport.received).toHaveLength(0);
    // the genuine one still goes through afterwards
    expect((await sendSigned(id, 5, await signPreCommand(preCommand, signing.privateKey))).code).toBe("I99");
  });

  it("accepts a Signed Pre-Command whose signature was made without the 00 placeholder", async () => {
    const id = ++counter;
    const preCommand = await preCommandFor(id);
    const withoutPlaceholder = preCommand.subarray(0, preCommand.length - 1);
    const signed = await signPreCommand(withoutPlaceholder, signing.privateKey);
    expect(toHex(signed.subarray(0, withoutPlaceholder.length))).toBe(toHex(withoutPlaceholder));
    expect((await sendSigned(id, 5, concatBytes(signed))).code).toBe("I99");
  });
});

describe("commands the Access Control Broker originates for a user (6.30 on the hub)", () => {
  let hub: EcKeyPair;
  let sent: Uint8Array[];
  let answer: ((gbcs: Uint8Array) => void) | null;

  beforeEach(async () => {
    hub = await generateKeyPair("ka");
    const ring = new KeyRing();
    ring.add({ eui: ACCESS_CONTROL_BROKER, role: "ka", certificate: null, publicKey: acb.publicKey, privateKey: acb.privateKey });
    ring.add({ eui: CHF, role: "ka", certificate: null, publicKey: hub.publicKey, privateKey: null });
    gateway = await startTestGateway({ commandKeys: keyRingCommandKeys(ring) });
    await gateway.admin("POST", "/inventory/devices", [
      { deviceId: CHF, type: "CHF", status: "commissioned" },
      { deviceId: GSME, type: "GSME", status: "commissioned", mpxn: MPRN, chfId: CHF },
    ]);
    await gateway.admin("PUT", "/registration", `mpxn,fuel,role,partyId,effectiveFrom,effectiveTo\n${MPRN},gas,GS,SUPPLIER-A,2020-01-01,\n`, "text/csv");
    sent = [];
    answer = null;
    gateway.dcc.useTransport({
      send: async (command) => void sent.push(command.gbcs),
      onMessage: (receiver) => (answer = (gbcs) => receiver({ deviceId: CHF, gbcs })),
    });
  });

  /** The hub's response to the ACB, echoing the command's other-information (the user and its counter). */
  async function hubResponse(command: Uint8Array): Promise<Uint8Array> {
    const frame = parseFrame(command);
    const header = headerOf(command, frame);
    const response = encode((w) => w.generalSigning({
      cra: 2, counter: header.counter, originator: fromHex(CHF), recipient: fromHex(ACCESS_CONTROL_BROKER), dateTime: null,
      otherInfo: command.slice(frame.otherInfo.offset, frame.otherInfo.offset + frame.otherInfo.length),
    }, (content) => content.hex("DA200000010000010100")).byte(0));
    return wrapApdu(await sharedSecret(hub.privateKey, acb.publicKey), response);
  }

  const readHub = async () => gateway.send("serviceS", await signAs(gateway, SUPPLIER, requestXml({
    counter: ++counter, cv: 1, srv: "6.30", sr: "6.30", element: "ReadCHFSubGHzConfiguration", target: CHF, originator: SUPPLIER,
  })));

  it("goes out from the ACB with its own counter and the user as supplementary remote party; the hub's answer reaches the user", async () => {
    expect((await readHub()).code).toBe("I99");
    const command = sent[0] as Uint8Array;
    const frame = parseFrame(command);
    const header = headerOf(command, frame);
    expect(header).toMatchObject({ originator: ACCESS_CONTROL_BROKER, recipient: CHF });
    expect(header.counter).not.toBe(counter);
    const other = command.subarray(frame.otherInfo.offset, frame.otherInfo.offset + frame.otherInfo.length);
    expect(toHex(other.subarray(2, 10))).toBe(SUPPLIER);
    expect(toHex(other.subarray(10, 18))).toBe(counter.toString(16).toUpperCase().padStart(16, "0"));

    answer?.(await hubResponse(command));
    await new Promise((resolve) => setTimeout(resolve, 30));
    const outbox = await (await gateway.admin("GET", `/users/${SUPPLIER}/outbox`)).json() as { xml: string }[];
    const delivered = outbox.map((m) => parseResponse(m.xml)).find((r) => r.body.kind === "ResponseMessage" && r.body.content?.kind === "GBCSPayload");
    expect(delivered?.header).toMatchObject({ responseCode: "I0", requestId: { originator: SUPPLIER, target: CHF, counter } });
  });

  it("drops a response to the ACB whose MAC does not verify", async () => {
    expect((await readHub()).code).toBe("I99");
    const response = await hubResponse(sent[0] as Uint8Array);
    response[response.length - 1] = (response[response.length - 1] as number) ^ 0x01;
    answer?.(response);
    await new Promise((resolve) => setTimeout(resolve, 30));
    const outbox = await (await gateway.admin("GET", `/users/${SUPPLIER}/outbox`)).json() as { xml: string }[];
    expect(outbox.map((m) => parseResponse(m.xml)).filter((r) => r.body.kind === "ResponseMessage" && r.body.content?.kind === "GBCSPayload")).toEqual([]);
  });
});
