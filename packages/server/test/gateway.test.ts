// The User Gateway through its HTTP routes with real DUIS, real XML signatures and a test SMKI:
// the happy path, every check of paragraphs 134-139 failing with its own code, hostile input, the
// role x SRV matrix, and quarantine.
import { beforeEach, describe, expect, it } from "vitest";
import { CATALOGUE_DATA, ROLE_CODES, type RoleCode } from "@opendcc/core";
import { certificatePublicKey, children, node, parseResponse, text, verifyDocument, type DuisNode } from "@opendcc/duis";
import {
  DCC_EUI, NETWORK_OPERATOR, OTHER_USER, SUPPLIER, requestXml, signAs, startTestGateway, type TestGateway,
} from "./support.js";

const ESME = "00DB1234567890A0";
const CHF = "00DB1234567890A2";
const MPAN = "1234567890123";

let gateway: TestGateway;
let counter = 1000n;
const next = () => ++counter;

async function signed(spec: Parameters<typeof requestXml>[0], as = spec.originator ?? SUPPLIER): Promise<string> {
  return signAs(gateway, as, requestXml(spec));
}

// 4.1.1 Read Instantaneous Import Registers: a non-critical device service.
const readRegisters = (extra: Partial<Parameters<typeof requestXml>[0]> = {}) => ({
  counter: next(), cv: 1 as const, srv: "4.1.1", sr: "4.1", element: "ReadInstantaneousImportRegisters", target: ESME, ...extra,
});

async function commissionedMeter(): Promise<void> {
  const load = await gateway.admin("POST", "/inventory/devices", [
    { deviceId: CHF, type: "CHF", status: "commissioned" },
    { deviceId: ESME, type: "ESME", status: "commissioned", mpxn: MPAN, chfId: CHF },
  ]);
  expect(load.status).toBe(201);
  const registration = await gateway.admin("PUT", "/registration", `mpxn,fuel,role,partyId,effectiveFrom,effectiveTo\n${MPAN},electricity,IS,SUPPLIER-A,2020-01-01,2027-01-01\n${MPAN},electricity,ED,DNO-1,2020-01-01,\n`, "text/csv");
  expect(registration.status).toBe(200);
}

beforeEach(async () => {
  gateway = await startTestGateway();
});

describe("non-device services answered by core", () => {
  it("pre-notifies a device (I99) and reads it back from the inventory (I0, signed by the DCC)", async () => {
    const preNotify = await gateway.send("serviceD", await signed({
      counter: next(), cv: 8, srv: "12.2", element: "DevicePrenotification",
      children: [node("DeviceID", "00-DB-12-34-56-78-90-A0"), node("DeviceManufacturer", "AB01"), node("DeviceModel", "010A030B"), node("DeviceType", "ESME"), node("FirmwareVersion", "0002012F")],
    }));
    expect(preNotify).toMatchObject({ status: 200, code: "I99", reason: null });

    const read = await gateway.send("serviceD", await signed({ counter: next(), cv: 8, srv: "8.2", element: "ReadInventory", children: [node("DeviceID", "00-DB-12-34-56-78-90-A0")] }));
    expect(read.code).toBe("I0");
    const response = parseResponse(read.xml);
    const content = response.body.kind === "ResponseMessage" ? response.body.content : undefined;
    expect(content?.kind).toBe("DSPInventory");
    const devices = content?.kind === "DSPInventory" ? children(content.node, "Device") : [];
    expect(devices.map((d) => [text(d, "DeviceID"), text(d, "DeviceType"), text(d, "DeviceStatus")])).toEqual([["00-DB-12-34-56-78-90-A0", "ESME", "Pending"]]);
    // signed by the DCC: verifies with its certificate, not with another key of the same CA
    const dccKey = await certificatePublicKey(gateway.dccCertificate.der);
    expect(await verifyDocument(read.xml, () => dccKey)).toMatchObject({ ok: true });
    const otherKey = await certificatePublicKey((await gateway.smki.issue({ eui: DCC_EUI, usage: "ds", roleCode: "04" })).der);
    expect(await verifyDocument(read.xml, () => otherKey)).toMatchObject({ ok: false, reason: "bad-signature" });
    const audit = await (await gateway.admin("GET", "/audit?limit=10")).json() as { outcome: string; srv: string }[];
    expect(audit.map((a) => [a.srv, a.outcome])).toEqual([["12.2", "accepted"], ["8.2", "accepted"]]);
  });

  it("answers an inventory rule breach with its code and reason, and changes nothing", async () => {
    const twice = async () => gateway.send("serviceD", await signed({
      counter: next(), cv: 8, srv: "12.2", element: "DevicePrenotification", children: [node("DeviceID", "00-DB-12-34-56-78-90-A0"), node("DeviceType", "ESME")],
    }));
    expect((await twice()).code).toBe("I99");
    const again = await twice();
    expect(again.code).toBe("E120201");
    expect(again.reason).toMatch(/already in the inventory/);
    // a network operator may not pre-notify a meter (paragraph 183)
    const byOperator = await gateway.send("serviceD", await signed({
      originator: NETWORK_OPERATOR, counter: next(), cv: 8, srv: "12.2", element: "DevicePrenotification",
      children: [node("DeviceID", "00-DB-12-34-56-78-90-B0"), node("DeviceType", "ESME")],
    }));
    expect(byOperator.code).toBe("E120202");
    expect(gateway.dcc.services.inventory.get("00DB1234567890B0")).toBeUndefined();
  });
});

describe("the checks of paragraph 134, in order, each with its own response code", () => {
  beforeEach(commissionedMeter);

  it("passes every check for an eligible, registered, signed request, transforms it, and cannot MAC it without the meter's key-agreement certificate (E45)", async () => {
    const response = await gateway.send("serviceS", await signed(readRegisters()));
    expect(response.code).toBe("E45");
    expect(response.reason).toMatch(/no key-agreement certificate for 00DB1234567890A0/);
  });

  it("E43: malformed, hostile and wrong-shaped documents", async () => {
    for (const xml of [
      "not xml at all",
      '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaa">]><r>&a;</r>',
      requestXml(readRegisters()).replace("ReadInstantaneousImportRegisters", "ReadInventory"),
      requestXml(readRegisters()).replace("<sr:ServiceReferenceVariant>4.1.1<", "<sr:ServiceReferenceVariant>4.1.99<"),
    ]) {
      const response = await gateway.send("serviceS", xml);
      expect(response.code, xml.slice(0, 80)).toBe("E43");
      expect(response.reason).toBeTruthy();
    }
  });

  it("E43 when a non-device request does not target the DCC", async () => {
    const response = await gateway.send("serviceD", await signed({ counter: next(), cv: 8, srv: "8.2", element: "ReadInventory", target: ESME, children: [node("DeviceID", "00-DB-12-34-56-78-90-A0")] }));
    expect(response.code).toBe("E43");
    expect(response.reason).toMatch(/target must be the DCC/);
  });

  it("E12 wrong Command Variant, E13 wrong endpoint", async () => {
    expect((await gateway.send("serviceS", await signed(readRegisters({ cv: 4 })))).code).toBe("E12");
    const wrongPath = await gateway.send("serviceT", await signed(readRegisters()));
    expect(wrongPath.code).toBe("E13");
    expect(wrongPath.reason).toMatch(/serviceS/);
  });

  it("E1 unknown user, E2 role not eligible, E3 suspended user", async () => {
    expect((await gateway.send("serviceS", requestXml(readRegisters({ originator: "90B3D51F3001FFFF" })))).code).toBe("E1");
    // 1.1.1 Update Import Tariff is for suppliers only
    const tariff = requestXml({ counter: next(), cv: 4, srv: "1.1.1", sr: "1.1", element: "UpdateImportTariffPrimaryElement", target: ESME, originator: NETWORK_OPERATOR });
    expect((await gateway.send("serviceT", tariff)).code).toBe("E2");
    expect((await gateway.admin("POST", `/users/${SUPPLIER}/suspension`, { suspended: true })).status).toBe(200);
    expect((await gateway.send("serviceS", await signed(readRegisters()))).code).toBe("E3");
    await gateway.admin("POST", `/users/${SUPPLIER}/suspension`, { suspended: false });
    expect((await gateway.send("serviceS", await signed(readRegisters()))).code).toBe("E45");
  });

  it("E19 unknown device, E5 inventory status", async () => {
    expect((await gateway.send("serviceS", await signed(readRegisters({ target: "00DB1234567890FF" })))).code).toBe("E19");
    gateway.dcc.services.inventory.withdraw(ESME);
    const response = await gateway.send("serviceS", await signed(readRegisters()));
    expect(response.code).toBe("E5");
    expect(response.reason).toMatch(/withdrawn/);
  });

  it("E4: registration data at the execution date decides, for non-critical requests", async () => {
    // The network operator is appointed; another supplier's user is not.
    expect((await gateway.send("serviceS", await signed(readRegisters({ originator: NETWORK_OPERATOR })))).code).toBe("E45");
    const registration = await gateway.admin("PUT", "/registration", `mpxn,fuel,role,partyId,effectiveFrom,effectiveTo\n${MPAN},electricity,IS,SUPPLIER-B,2020-01-01,\n`, "text/csv");
    expect(registration.status).toBe(200);
    const response = await gateway.send("serviceS", await signed(readRegisters()));
    expect(response.code).toBe("E4");
    expect(response.reason).toMatch(/SUPPLIER-A is not registered as IS for MPxN 1234567890123/);
  });

  it("6.23 Change of Supplier: the incoming supplier is checked against registration data at the execution date", async () => {
    // SUPPLIER-B gains the MPAN on 1 December; its user (90B3D51F30030000) asks for the credential update.
    await gateway.admin("POST", "/parties", [{ partyId: "SUPPLIER-B", name: "Supplier B" }]);
    const incoming = "90B3D51F30030000";
    await gateway.admin("POST", "/users", [{ userId: incoming, partyId: "SUPPLIER-B", roles: ["IS"], certificates: [{ usage: "xml", pem: gateway.certificates.get(incoming)!.pem }] }]);
    await gateway.admin("PUT", "/registration", `mpxn,fuel,role,partyId,effectiveFrom,effectiveTo\n${MPAN},electricity,IS,SUPPLIER-A,2020-01-01,2026-12-01\n${MPAN},electricity,IS,SUPPLIER-B,2026-12-01,\n`, "text/csv");
    const cos = (executionDateTime: string) => signed({
      originator: incoming, counter: next(), cv: 1, srv: "6.23", element: "UpdateSecurityCredentialsCoS", target: ESME, executionDateTime,
      children: [node("SupplierFloorSeqNumber", "0")],
    }, incoming);
    const early = await gateway.send("serviceS", await cos("2026-11-30T12:00:00Z"));
    expect(early.code).toBe("E4");
    expect(early.reason).toMatch(/SUPPLIER-B is not registered as IS .* on 2026-11-30/);
    // On the change date the incoming supplier is the registered one: every check passes, and the
    // request goes to the CoS party, which this gateway has not been given (device-services-held.test.ts has one).
    const onTheDay = await gateway.send("serviceS", await cos("2026-12-01T00:00:00Z"));
    expect(onTheDay.code).toBe("E45");
    expect(onTheDay.reason).toMatch(/^6\.23 needs the CoS party/);
  });

  it("E40: unsigned, placeholder and tampered signatures; E41: someone else's or an expired certificate", async () => {
    expect((await gateway.send("serviceS", requestXml(readRegisters()))).code).toBe("E40");
    const placeholder = requestXml(readRegisters()).replace("</sr:Request>", '<ds:Signature><ds:SignedInfo/><ds:SignatureValue>ZGVmYXVsdA==</ds:SignatureValue></ds:Signature></sr:Request>');
    expect((await gateway.send("serviceS", placeholder)).code).toBe("E40");
    const good = await signed(readRegisters());
    const tampered = good.replace(/(<sr:RequestID>[^<]*:)(\d+)</, (_m, head: string, n: string) => `${head}${BigInt(n) + 1n}<`);
    const tamperedResponse = await gateway.send("serviceS", tampered);
    expect(tamperedResponse.code).toBe("E40");
    expect(tamperedResponse.reason).toMatch(/digest|signature/i);
    // signed by the network operator's key, claiming to be the supplier
    const impostor = await signAs(gateway, NETWORK_OPERATOR, requestXml(readRegisters()));
    const impostorResponse = await gateway.send("serviceS", impostor);
    expect(impostorResponse.code).toBe("E41");
    // the supplier's certificate has expired by the time it is used
    gateway.clock = new Date("2100-01-01T00:00:00Z");
    await gateway.admin("PUT", "/registration", `mpxn,fuel,role,partyId,effectiveFrom,effectiveTo\n${MPAN},electricity,IS,SUPPLIER-A,2020-01-01,\n`, "text/csv");
    const expired = await gateway.send("serviceS", await signed(readRegisters()));
    expect(expired.code).toBe("E41");
    expect(expired.reason).toMatch(/valid .* not at 2100/);
  });

  it("E42: a replayed or lower counter is refused, from the same originator only", async () => {
    const request = await signed(readRegisters());
    expect((await gateway.send("serviceS", request)).code).toBe("E45");
    const replay = await gateway.send("serviceS", request);
    expect(replay.code).toBe("E42");
    expect(replay.reason).toMatch(/replay/);
    expect((await gateway.send("serviceS", await signed(readRegisters({ counter: 5 })))).code).toBe("E42");
    // a Signed Pre-Command with no Pre-Command issued for its RequestID
    const body = requestXml({ counter: next(), cv: 5, srv: "1.1.1", sr: "1.1", element: "UpdateImportTariffPrimaryElement", target: ESME })
      .replace(/<sr:UpdateImportTariffPrimaryElement\/>/, "<sr:SignedPreCommand><sr:GBCSPayload>3wkB</sr:GBCSPayload></sr:SignedPreCommand>");
    const orphan = await gateway.send("serviceS", await signAs(gateway, SUPPLIER, body));
    expect(orphan.code).toBe("E42");
    expect(orphan.reason).toMatch(/no Pre-Command awaits/);
  });

  it("keeps an originator's concurrent requests in arrival order at the counter check", async () => {
    const requests = await Promise.all(Array.from({ length: 300 }, () => signed({ counter: next(), cv: 8, srv: "8.2", element: "ReadInventory", children: [node("DeviceID", "00-DB-12-34-56-78-90-A0")] })));
    // All in flight at once: signatures verify concurrently, counters are claimed in arrival order.
    const answers = await Promise.all(requests.map((xml) => gateway.dcc.gateway.handle(xml, "serviceD")));
    expect(answers.map((a) => a.responseCode)).toEqual(requests.map(() => "I0"));
  });

  it("E44: over an anomaly threshold the request is quarantined, listed, releasable and deletable", async () => {
    const thresholds = await gateway.admin("PUT", "/anomaly/thresholds", [{ userId: SUPPLIER, srv: "8.2", windowMs: 60_000, limit: 2 }, { windowMs: 60_000, limit: 1000 }]);
    expect(thresholds.status).toBe(200);
    const read = async () => gateway.send("serviceD", await signed({ counter: next(), cv: 8, srv: "8.2", element: "ReadInventory", children: [node("DeviceID", "00-DB-12-34-56-78-90-A0")] }));
    expect((await read()).code).toBe("I0");
    expect((await read()).code).toBe("I0");
    const third = await read();
    expect(third.code).toBe("E44");
    expect(third.reason).toMatch(/more than 2 8.2 requests in 60 s/);
    const fourth = await read();
    expect(fourth.code).toBe("E44");
    const held = await (await gateway.admin("GET", "/quarantine")).json() as { id: number; srv: string }[];
    expect(held.map((h) => h.srv)).toEqual(["8.2", "8.2"]);
    // The user is also told by DCC Alert AD1 (QuarantinedRequest), waiting in its outbox.
    await gateway.dcc.commit();
    await new Promise((r) => setTimeout(r, 50));
    const alerts = (await (await gateway.admin("GET", `/users/${SUPPLIER}/outbox`)).json() as { xml: string }[]).map((m) => parseResponse(m.xml).body);
    expect(alerts).toHaveLength(2);
    expect(alerts[0]).toMatchObject({ kind: "DCCAlertMessage", dccAlertCode: "AD1", event: { name: "QuarantinedRequest" } });
    expect(alerts[0]!.kind === "DCCAlertMessage" ? text(alerts[0]!.event, "ADUserThresholdBreach/QuarantineEventRef") : null).toBe(String(held[0]!.id));
    const released = await (await gateway.admin("POST", `/quarantine/${held[0]!.id}/release`)).json() as { responseCode: string };
    expect(released.responseCode).toBe("I0");
    expect((await gateway.admin("DELETE", `/quarantine/${held[1]!.id}`)).status).toBe(200);
    expect(await (await gateway.admin("GET", "/quarantine")).json()).toEqual([]);
    expect((await gateway.admin("DELETE", `/quarantine/${held[1]!.id}`)).status).toBe(404);
    // other users keep their own allowance
    expect((await gateway.send("serviceD", await signed({ originator: NETWORK_OPERATOR, counter: next(), cv: 8, srv: "8.2", element: "ReadInventory", children: [node("DeviceID", "00-DB-12-34-56-78-90-A0")] }))).code).toBe("I0");
  });
});

describe("the role x SRV matrix", () => {
  it("refuses with E2 exactly the roles the catalogue does not list, for every DUIS SRV", async () => {
    const roleUsers: Record<RoleCode, string> = { IS: "", ES: "", GS: "", RSA: "", ED: "", GT: "", OU: "" };
    const users = ROLE_CODES.map((role, i) => ({ userId: `90B3D51F4000000${i}`, partyId: "MATRIX", roles: [role] }));
    users.forEach((u) => (roleUsers[u.roles[0]!] = u.userId));
    await gateway.admin("POST", "/parties", [{ partyId: "MATRIX", name: "Matrix" }]);
    expect((await gateway.admin("POST", "/users", users)).status).toBe(201);
    let checked = 0;
    for (const entry of CATALOGUE_DATA.filter((e) => e.inDuis)) {
      for (const role of ROLE_CODES) {
        const xml = requestXml({
          originator: roleUsers[role], target: entry.deviceService ? ESME : DCC_EUI, counter: next(),
          cv: entry.commandVariants[0]!, srv: entry.srv, sr: entry.serviceReference, element: entry.bodyElement!,
        });
        const endpoint = entry.commandVariants[0] === 4 ? "serviceT" : entry.deviceService ? "serviceS" : "serviceD";
        const response = await gateway.send(endpoint, xml);
        const eligible = entry.eligibleRoles.includes(role);
        expect(response.code === "E2", `${entry.srv} ${role}: ${response.code} ${response.reason}`).toBe(!eligible);
        checked++;
      }
    }
    expect(checked).toBe(129 * 7);
  });
});

describe("HTTP limits and the admin API", () => {
  it("refuses oversized bodies (413) and non-XML content types (415) before parsing", async () => {
    const big = await gateway.app.request("/api/v1/serviceS", { method: "POST", body: "<a>" + "x".repeat(1024 * 1024 + 10) + "</a>", headers: { "content-type": "application/xml" } });
    expect(big.status).toBe(413);
    const json = await gateway.app.request("/api/v1/serviceS", { method: "POST", body: "{}", headers: { "content-type": "application/json" } });
    expect(json.status).toBe(415);
    expect((await gateway.app.request("/api/v1/serviceX", { method: "POST", body: "<a/>", headers: { "content-type": "application/xml" } })).status).toBe(404);
  });

  it("names the field for bad admin input", async () => {
    const badUser = await gateway.admin("POST", "/users", [{ userId: "nope", partyId: "SUPPLIER-A", roles: ["XX"] }]);
    expect(badUser.status).toBe(400);
    expect((await badUser.json() as { error: string }).error).toMatch(/0.userId: "nope" is not an EUI-64.*0.roles.0/);
    const badCsv = await gateway.admin("PUT", "/registration", "mpxn,fuel\n1,gas", "text/csv");
    expect(badCsv.status).toBe(400);
    expect((await gateway.admin("POST", "/parties", "{not json")).status).toBe(400);
    expect((await gateway.admin("POST", "/users", [{ userId: OTHER_USER, partyId: "NO-SUCH-PARTY", roles: ["OU"] }])).status).toBe(400);
    const health = await gateway.app.request("/healthz");
    expect(await health.json()).toEqual({ status: "ok", plugins: [] });
    const metrics = await (await gateway.app.request("/metrics")).text();
    expect(metrics).toMatch(/opendcc_requests_total/);
    expect(((await (await gateway.app.request("/openapi.json")).json()) as { openapi: string }).openapi).toBe("3.1.0");
  });
});

describe("asynchronous delivery to the user's endpoint", () => {
  beforeEach(commissionedMeter);

  it("pushes the outcome of a released quarantined request, signed by the DCC, retrying until the endpoint takes it", async () => {
    const { createServer } = await import("node:http");
    const bodies: string[] = [];
    let refuse = 1;
    const receiver = createServer((request, response) => {
      let body = "";
      request.on("data", (chunk: Buffer) => (body += chunk.toString()));
      request.on("end", () => {
        if (refuse-- > 0) {
          response.writeHead(503).end();
          return;
        }
        bodies.push(body);
        response.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
    const port = (receiver.address() as { port: number }).port;
    try {
      expect((await gateway.admin("PUT", `/users/${SUPPLIER}/endpoint`, { url: `http://127.0.0.1:${port}/smartdcc/duis` })).status).toBe(200);
      expect((await gateway.admin("PUT", `/users/${SUPPLIER}/endpoint`, { url: "not a url" })).status).toBe(400);
      await gateway.admin("PUT", "/anomaly/thresholds", [{ userId: SUPPLIER, srv: "8.2", windowMs: 60_000, limit: 0 }, { windowMs: 60_000, limit: 1000 }]);
      const held = await gateway.send("serviceD", await signed({ counter: next(), cv: 8, srv: "8.2", element: "ReadInventory", children: [node("DeviceID", "00-DB-12-34-56-78-90-A0")] }));
      expect(held.code).toBe("E44");
      const [entry] = await (await gateway.admin("GET", "/quarantine")).json() as { id: number }[];
      await gateway.admin("POST", `/quarantine/${entry!.id}/release`);
      // The first push is refused (503); the message stays at the head of the queue for a retry.
      const deadline = Date.now() + 5000;
      while (bodies.length < 2 && Date.now() < deadline) {
        gateway.clock = new Date(gateway.clock.getTime() + 2000);
        await gateway.dcc.delivery.pump();
        await new Promise((r) => setTimeout(r, 20));
      }
      // In order: first the AD1 alert that told the user of the quarantine, then the released outcome.
      expect(bodies).toHaveLength(2);
      expect(parseResponse(bodies[0]!).body).toMatchObject({ kind: "DCCAlertMessage", dccAlertCode: "AD1" });
      const pushed = parseResponse(bodies[1]!);
      expect(pushed.header.responseCode).toBe("I0");
      expect(await verifyDocument(bodies[1]!, async () => certificatePublicKey(gateway.dccCertificate.der))).toMatchObject({ ok: true });
      expect(await (await gateway.admin("GET", `/users/${SUPPLIER}/outbox`)).json()).toEqual([]);
    } finally {
      receiver.close();
    }
  });
});

describe("DCC Scheduled Services (5.1-5.3) and inventory services with DUIS 5.4 element names", () => {
  beforeEach(commissionedMeter);

  const createSchedule = async (extra: DuisNode[] = [], as = SUPPLIER) => gateway.send("serviceD", await signed({
    originator: as, counter: next(), cv: 8, srv: "5.1", element: "CreateSchedule",
    children: [
      node("ScheduleFrequency", "Daily"), node("ScheduleStartDate", "2026-11-24"), node("ScheduleExecutionStartTime", "01:30:00"),
      node("DSPScheduledServiceReference", "4.8"), node("DSPScheduledServiceReferenceVariant", "4.8.1"), node("DeviceID", "00-DB-12-34-56-78-90-A0"),
      node("DSPReadActiveImportProfileData", [node("StartDateOffset", "-1"), node("StartTime", "00:00:00"), node("EndDateOffset", "0"), node("EndTime", "00:00:00")]),
      ...extra,
    ],
  }, as));

  it("creates a schedule (DSPScheduleID), reads it back as created, runs it when due, and deletes it", async () => {
    const created = await createSchedule();
    expect(created.code).toBe("I0");
    const body = parseResponse(created.xml).body;
    const id = body.kind === "ResponseMessage" && body.content?.kind === "DSPScheduleID" ? body.content.dspScheduleId : -1;
    expect(id).toBeGreaterThan(0);

    const read = await gateway.send("serviceD", await signed({ counter: next(), cv: 8, srv: "5.2", element: "ReadSchedule", children: [node("DSPScheduleID", String(id))] }));
    expect(read.code).toBe("I0");
    const records = parseResponse(read.xml).body;
    const details = records.kind === "ResponseMessage" && records.content?.kind === "DSPSchedulesRead" ? children(records.content.node, "DSPSchedules") : [];
    expect(details.map((d) => [text(d, "DSPScheduleID"), text(d, "DSPScheduleDetails/DSPScheduledServiceReferenceVariant"), text(d, "DSPScheduleDetails/ScheduleFrequency")])).toEqual([[String(id), "4.8.1", "Daily"]]);

    // Due at 01:30 the next day: the run is answered to its user through delivery.
    gateway.clock = new Date("2026-11-24T01:30:00Z");
    await gateway.dcc.runSchedules();
    const outbox = (await (await gateway.admin("GET", `/users/${SUPPLIER}/outbox`)).json()) as { xml: string }[];
    expect(outbox).toHaveLength(1);
    expect(parseResponse(outbox[0]!.xml).header.responseCode).toBe("E45");

    const deleted = await gateway.send("serviceD", await signed({ counter: next(), cv: 8, srv: "5.3", element: "DeleteSchedule", children: [node("DSPScheduleID", String(id))] }));
    expect(deleted.code).toBe("I99");
    const again = await gateway.send("serviceD", await signed({ counter: next(), cv: 8, srv: "5.2", element: "ReadSchedule", children: [node("DeviceID", "00-DB-12-34-56-78-90-A0")] }));
    expect(again.code).toBe("W050201");
  });

  it("refuses schedules the user could not request on demand, or for SRVs Annex 5 does not allow", async () => {
    const asOperator = await gateway.send("serviceD", await signed({
      originator: OTHER_USER, counter: next(), cv: 8, srv: "5.1", element: "CreateSchedule",
      children: [node("ScheduleFrequency", "Daily"), node("ScheduleStartDate", "2026-11-24"), node("DSPScheduledServiceReference", "4.8"), node("DSPScheduledServiceReferenceVariant", "4.1.1"), node("DeviceID", "00-DB-12-34-56-78-90-A0"), node("DSPReadActiveImportProfileData")],
    }, OTHER_USER));
    expect(asOperator.code).toBe("E43");
    expect(asOperator.reason).toMatch(/4.1.1 cannot be requested as a DCC Scheduled Service/);
    await gateway.admin("PUT", "/registration", `mpxn,fuel,role,partyId,effectiveFrom,effectiveTo\n${MPAN},electricity,IS,SUPPLIER-B,2020-01-01,\n`, "text/csv");
    expect((await createSchedule()).code).toBe("E4");
  });

  it("removes schedules when the device is decommissioned or the user suspended (paragraph 125)", async () => {
    expect((await createSchedule()).code).toBe("I0");
    expect(gateway.dcc.services.schedules.all()).toHaveLength(1);
    await gateway.admin("POST", `/users/${SUPPLIER}/suspension`, { suspended: true });
    expect(gateway.dcc.services.schedules.all()).toHaveLength(0);
    await gateway.admin("POST", `/users/${SUPPLIER}/suspension`, { suspended: false });
    expect((await createSchedule()).code).toBe("I0");
    gateway.dcc.services.inventory.decommission(ESME);
    expect(gateway.dcc.services.schedules.all()).toHaveLength(0);
  });

  it("8.2 reads by MPxN, UPRN and PropertyFilter; 8.4 updates details, status and deletes a pending device", async () => {
    await gateway.admin("POST", "/inventory/devices", [{ deviceId: ESME, type: "ESME", status: "commissioned", mpxn: MPAN, chfId: CHF, manufacturer: "AB01", model: "M1", premises: { postcode: "SW1A 1AA", address: "1 The Street", uprn: "100023336956" } }]);
    const read = async (children: DuisNode[]) => {
      const response = await gateway.send("serviceD", await signed({ counter: next(), cv: 8, srv: "8.2", element: "ReadInventory", children }));
      const body = parseResponse(response.xml).body;
      return body.kind === "ResponseMessage" && body.content?.kind === "DSPInventory" ? children_(body.content.node) : [];
    };
    const children_ = (inventory: DuisNode) => children(inventory, "Device").map((d) => text(d, "DeviceID"));
    expect(await read([node("MPxN", MPAN)])).toContain("00-DB-12-34-56-78-90-A0");
    expect(await read([node("UPRN", "100023336956")])).toEqual(["00-DB-12-34-56-78-90-A0"]);
    expect(await read([node("PropertyFilter", [node("PostCode", "SW1A 1AA"), node("AddressIdentifier", "The Street")])])).toEqual(["00-DB-12-34-56-78-90-A0"]);

    const update = async (children: DuisNode[]) => gateway.send("serviceD", await signed({ counter: next(), cv: 8, srv: "8.4", element: "UpdateInventory", children: [node("DeviceID", "00-DB-12-34-56-78-90-A0"), ...children] }));
    expect((await update([node("UpdateDeviceDetails", [node("DeviceManufacturer", "CD02"), node("FirmwareVersion", "0002012F")])])).code).toBe("I99");
    expect(gateway.dcc.services.inventory.require(ESME)).toMatchObject({ manufacturer: "CD02", firmwareVersion: "0002012F", model: "M1" });
    const commissioned = await update([node("UpdateDeviceStatusExceptCH", "Pending")]);
    expect(commissioned.code).toBe("E5");
    expect((await update([node("UpdateDeviceStatusCH", "Withdrawn")])).code).toBe("E11");
    expect((await update([node("DeleteDevice")])).code).toBe("E5");
  });
});

describe("plugins in the gateway", () => {
  it("serves a plugin's routes under /plugins/<name>, contains its failures, and feeds it core events", async () => {
    const { PluginHost } = await import("@opendcc/core");
    const { definePlugin } = await import("@opendcc/plugin-sdk");
    const { createApp } = await import("../src/index.js");
    const { Hono } = await import("hono");
    const seen: string[] = [];
    const host = new PluginHost<InstanceType<typeof Hono>>(gateway.dcc.services.events, { now: () => gateway.clock, log: () => undefined });
    await host.start([
      definePlugin({
        name: "tally",
        setup(ctx) {
          ctx.on("request.accepted", (event) => void seen.push(event.srv));
        },
        routes(router) {
          router.get("/seen", (c) => c.json(seen));
          router.get("/broken", () => {
            throw new Error("plugin bug");
          });
        },
      }),
      definePlugin({ name: "fails-at-setup", setup() { throw new Error("cannot start"); } }),
    ]);
    const app = createApp({ dcc: gateway.dcc, plugins: host });
    const response = await app.request("/api/v1/serviceD", { method: "POST", body: await signed({ counter: next(), cv: 8, srv: "12.2", element: "DevicePrenotification", children: [node("DeviceID", "00-DB-12-34-56-78-90-C0"), node("DeviceType", "IHD")] }), headers: { "content-type": "application/xml" } });
    expect(await response.text()).toMatch(/<sr:ResponseCode>I99</);
    expect(await (await app.request("/plugins/tally/seen")).json()).toEqual(["12.2"]);
    expect((await app.request("/plugins/tally/broken")).status).toBe(500);
    expect((await app.request("/plugins/fails-at-setup/anything")).status).toBe(404);
    const health = (await (await app.request("/healthz")).json()) as { plugins: { name: string; state: string }[] };
    expect(health.plugins.map((p) => [p.name, p.state])).toEqual([["tally", "running"], ["fails-at-setup", "failed"]]);
    await host.stop();
  });
});
