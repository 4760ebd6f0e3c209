// DCC Scheduled Services at their due time (seed 003 paragraphs 122-125): the DCC builds the
// schedule's request, checks it again, transforms and MACs it, sends it to the device, and the
// device's response reaches the schedule's user as ResponseMessage/DSPScheduledMessage with its
// DSPScheduleID (duis.md 3.3). The clock is the test's; the far side is a gas meter on a test WAN.
import { beforeEach, describe, expect, it } from "vitest";
import { node, parseResponse, type DuisResponse } from "@opendcc/duis";
import { ACCESS_CONTROL_BROKER, KeyRing, headerOf, transformRequest } from "@opendcc/gbcs";
import { concatBytes, encode, fromHex, generateKeyPair, parseFrame, sharedSecret, verifyMac, wrapApdu, type EcKeyPair } from "@opendcc/kernel";
import { keyRingCommandKeys, type DeviceTransport } from "@opendcc/core";
import { requestXml, signAs, startTestGateway, type TestGateway } from "./support.js";

const GSME = "00DB1234567890A1";
const CHF = "00DB1234567890A2";
const MPRN = "1234567890";
/** The test estate's gas supplier (role GS). */
const GAS_SUPPLIER = "90B3D51F30030000";

let gateway: TestGateway;
let acb: EcKeyPair;
let meter: EcKeyPair;
let counter = 7000n;

/** A gas meter on the WAN: checks each command's ACB MAC, keeps it, answers with a response (CRA 2). */
class GasMeter implements DeviceTransport {
  readonly received: Uint8Array[] = [];
  readonly answers: Uint8Array[] = [];
  private receiver: ((message: { deviceId: string; gbcs: Uint8Array }) => void) | null = null;

  async send(command: { requestId: string; deviceId: string; gbcs: Uint8Array }): Promise<void> {
    if (!verifyMac(await sharedSecret(meter.privateKey, acb.publicKey), command.gbcs)) throw new Error("command MAC does not verify");
    this.received.push(command.gbcs);
    const header = headerOf(command.gbcs, parseFrame(command.gbcs));
    const answer = encode((w) => w.generalSigning({
      cra: 2, counter: header.counter, originator: fromHex(GSME), recipient: fromHex(header.originator), dateTime: null,
      otherInfo: Uint8Array.of(header.messageCode >> 8, header.messageCode & 0xff),
    }, (content) => content.hex("01090101070200090100010000002500")).byte(0));
    this.answers.push(answer);
    queueMicrotask(() => this.receiver?.({ deviceId: GSME, gbcs: answer }));
  }

  onMessage(receiver: (message: { deviceId: string; gbcs: Uint8Array }) => void): void {
    this.receiver = receiver;
  }
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 30));

async function outbox(userId = GAS_SUPPLIER): Promise<DuisResponse[]> {
  const messages = (await (await gateway.admin("GET", `/users/${userId}/outbox`)).json()) as { xml: string }[];
  return messages.map((m) => parseResponse(m.xml));
}

/** 5.1: a daily read of yesterday's half-hourly profile (4.8.1, GCS17 on a gas meter) at 01:30 from 2026-11-24. */
async function createSchedule(): Promise<number> {
  const answer = await gateway.send("serviceD", await signAs(gateway, GAS_SUPPLIER, requestXml({
    originator: GAS_SUPPLIER, counter: ++counter, cv: 8, srv: "5.1", element: "CreateSchedule",
    children: [
      node("ScheduleFrequency", "Daily"), node("ScheduleStartDate", "2026-11-24"), node("ScheduleExecutionStartTime", "01:30:00"),
      node("DSPScheduledServiceReference", "4.8"), node("DSPScheduledServiceReferenceVariant", "4.8.1"), node("DeviceID", "00-DB-12-34-56-78-90-A1"),
      node("DSPReadActiveImportProfileData", [node("StartDateOffset", "-1"), node("StartTime", "00:00:00"), node("EndDateOffset", "0"), node("EndTime", "00:00:00")]),
    ],
  })));
  expect(answer.code).toBe("I0");
  const body = parseResponse(answer.xml).body;
  if (body.kind !== "ResponseMessage" || body.content?.kind !== "DSPScheduleID") throw new Error("no DSPScheduleID in the answer");
  return body.content.dspScheduleId;
}

/** The command the user would have had MAC'd for an on-demand 4.8.1 of that period with that counter. */
async function expectedCommand(requestCounter: bigint, from: string, to: string): Promise<Uint8Array> {
  const transformed = transformRequest({
    srv: "4.8.1", deviceType: "GSME", commandVariant: 1, requestId: { originator: GAS_SUPPLIER, target: GSME, counter: requestCounter },
    body: node("ReadActiveImportProfileData", [node("ReadLogPeriod", [node("StartDateTime", from), node("EndDateTime", to)])]),
  });
  return wrapApdu(await sharedSecret(acb.privateKey, meter.publicKey), concatBytes(transformed.apdu, Uint8Array.of(0)));
}

beforeEach(async () => {
  [acb, meter] = await Promise.all([generateKeyPair("ka"), generateKeyPair("ka")]);
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

describe("a scheduled service at its due time", () => {
  it("sends the schedule's command to the device at its time each day, and delivers the response as a DSPScheduledMessage with its DSPScheduleID", async () => {
    const wan = new GasMeter();
    gateway.dcc.useTransport(wan);
    const id = await createSchedule();

    gateway.clock = new Date("2026-11-24T01:29:59Z");
    await gateway.dcc.runSchedules();
    expect(wan.received).toHaveLength(0);

    gateway.clock = new Date("2026-11-24T01:30:00Z");
    await gateway.dcc.runSchedules();
    expect(wan.received).toHaveLength(1);
    // The user originates it, with the due time in ms as its counter; the period is yesterday.
    const firstCounter = BigInt(Date.parse("2026-11-24T01:30:00Z"));
    const first = wan.received[0] as Uint8Array;
    expect(headerOf(first, parseFrame(first))).toMatchObject({ cra: 1, originator: GAS_SUPPLIER, recipient: GSME, counter: firstCounter, messageCode: 0x0078 });
    expect(first).toEqual(await expectedCommand(firstCounter, "2026-11-23T00:00:00Z", "2026-11-24T00:00:00Z"));

    await settle();
    const delivered = await outbox();
    expect(delivered).toHaveLength(1);
    expect(delivered[0]?.header).toMatchObject({ responseCode: "I0", requestId: { originator: GAS_SUPPLIER, target: GSME, counter: firstCounter } });
    expect(delivered[0]?.body).toEqual({
      kind: "ResponseMessage", serviceReference: "4.8", serviceReferenceVariant: "4.8.1",
      content: { kind: "DSPScheduledMessage", gbcsPayload: wan.answers[0], dspScheduleId: id },
    });

    // Once per occurrence: not again the same day, then the next day with the next day's period.
    gateway.clock = new Date("2026-11-24T18:00:00Z");
    await gateway.dcc.runSchedules();
    expect(wan.received).toHaveLength(1);
    gateway.clock = new Date("2026-11-25T01:30:00Z");
    await gateway.dcc.runSchedules();
    expect(wan.received).toHaveLength(2);
    const secondCounter = BigInt(Date.parse("2026-11-25T01:30:00Z"));
    expect(wan.received[1]).toEqual(await expectedCommand(secondCounter, "2026-11-24T00:00:00Z", "2026-11-25T00:00:00Z"));
    await settle();
    expect((await outbox()).map((r) => r.body.kind === "ResponseMessage" && r.body.content?.kind === "DSPScheduledMessage" && r.body.content.dspScheduleId)).toEqual([id, id]);
  });

  it("is not executed once its user is suspended: the schedule is gone (paragraph 125), and one that is still there is refused and removed at its time", async () => {
    const wan = new GasMeter();
    gateway.dcc.useTransport(wan);
    const id = await createSchedule();
    const schedule = gateway.dcc.services.schedules.get(id)!;
    await gateway.admin("POST", `/users/${GAS_SUPPLIER}/suspension`, { suspended: true });
    expect(gateway.dcc.services.schedules.all()).toEqual([]);
    gateway.clock = new Date("2026-11-24T01:30:00Z");
    await gateway.dcc.runSchedules();
    await settle();
    expect(wan.received).toHaveLength(0);
    expect(await outbox()).toEqual([]);

    // A schedule the suspension did not reach (as another instance may still hold it), in this
    // instance's view and in the store: checked again at its time.
    gateway.dcc.services.schedules.restore(schedule);
    gateway.dcc.services.journal.append({ kind: "schedule", schedule });
    await gateway.dcc.commit();
    await gateway.dcc.runSchedules();
    await settle();
    expect(wan.received).toHaveLength(0);
    expect(gateway.dcc.services.schedules.all()).toEqual([]);
    const refused = await outbox();
    expect(refused.map((r) => [r.header.responseCode, r.header.requestId?.target, r.body.kind === "ResponseMessage" && r.body.serviceReferenceVariant])).toEqual([["E3", GSME, "4.8.1"]]);
  });

  it("answers a run that fails its checks or cannot be sent with the error, and keeps the schedule", async () => {
    const id = await createSchedule();
    // No device transport yet: E45.
    gateway.clock = new Date("2026-11-24T01:30:00Z");
    await gateway.dcc.runSchedules();
    // The supplier's registration ends before the next run: E4.
    await gateway.admin("PUT", "/registration", `mpxn,fuel,role,partyId,effectiveFrom,effectiveTo\n${MPRN},gas,GS,SUPPLIER-A,2020-01-01,2026-11-24\n`, "text/csv");
    const wan = new GasMeter();
    gateway.dcc.useTransport(wan);
    gateway.clock = new Date("2026-11-25T01:30:00Z");
    await gateway.dcc.runSchedules();
    await settle();
    expect(wan.received).toHaveLength(0);
    expect((await outbox()).map((r) => r.header.responseCode)).toEqual(["E45", "E4"]);
    expect(gateway.dcc.services.schedules.get(id)?.nextRunAt).toBe("2026-11-26T01:30:00.000Z");
  });
});
