// Three gateway processes on one PostgreSQL behave as one DCC (README "Several instances on one
// PostgreSQL"): a replay to another instance is refused, an anomaly threshold holds over all of
// them, a scheduled run happens once, pushed responses and alerts arrive once and in order, and
// after a kill -9 nothing acknowledged is lost and the dead instance's deliveries are taken over.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { node, parseResponse, writeRequest } from "@opendcc/duis";
import { TestSmki, signPreCommand } from "@opendcc/gbcs";
import { postgresAvailability, startPostgresServer, type PostgresServer } from "@opendcc/store/testing";
import {
  admin, alertedRequestId, eventually, preNotification, readInventory, request, send, signerFor, sleep, startInstance, startReceiver, stopInstance,
  DCC_EUI, type Instance, type Signer,
} from "./support.js";

const SUPPLIER_A = "90B3D51F30010000";
const SUPPLIER_B = "90B3D51F30030000";
const NETWORK_OPERATOR = "90B3D51F30020000";
const OTHER_USER = "00DB123456780004";

const postgres = postgresAvailability();
if (!postgres.available) console.warn(`multi-instance suite skipped: ${postgres.reason}`);

describe.skipIf(!postgres.available)("three gateway instances on one PostgreSQL", () => {
  let server: PostgresServer;
  let data: string;
  let gateways: Instance[] = [];
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  const signers = new Map<string, Signer>();
  const counters = new Map<string, bigint>();
  const nextCounter = (userId: string) => {
    const next = (counters.get(userId) ?? 1000n) + 1n;
    counters.set(userId, next);
    return next;
  };
  const signed = (userId: string, xml: string) => (signers.get(userId) as Signer).sign(xml);
  const thresholds = [
    { userId: SUPPLIER_B, srv: "8.2", windowMs: 60_000, limit: 10 },
    { userId: NETWORK_OPERATOR, srv: "8.2", windowMs: 60_000, limit: 0 },
    { userId: OTHER_USER, srv: "8.2", windowMs: 60_000, limit: 0 },
    { windowMs: 60_000, limit: 100_000 },
  ];

  beforeAll(async () => {
    server = await startPostgresServer();
    data = mkdtempSync(join(tmpdir(), "opendcc-multi-"));
    // Short lease and feed interval so that a takeover fits in a test.
    const env = { OPENDCC_LEASE_MS: "1500", OPENDCC_FEED_INTERVAL_MS: "50" };
    gateways.push(await startInstance("gw1", data, server.url, env)); // loads the demo into PostgreSQL
    gateways.push(...await Promise.all(["gw2", "gw3"].map((name) => startInstance(name, data, server.url, env))));
    for (const userId of [SUPPLIER_A, SUPPLIER_B, NETWORK_OPERATOR, OTHER_USER]) signers.set(userId, await signerFor(data, userId));
    receiver = await startReceiver();
    // Set through one instance: the others learn it from the change feed.
    await admin(gateways[0]!, "PUT", "/anomaly/thresholds", thresholds);
    for (const userId of [SUPPLIER_A, NETWORK_OPERATOR]) await admin(gateways[1]!, "PUT", `/users/${userId}/endpoint`, { url: `${receiver.url}/${userId}` });
    await eventually("the thresholds to reach every instance", async () => {
      const seen = await Promise.all(gateways.map((g) => admin(g, "GET", "/anomaly/thresholds")));
      return seen.every((t) => (t as unknown[]).length === thresholds.length);
    });
  }, 90_000);

  afterAll(async () => {
    await Promise.all(gateways.map((g) => stopInstance(g, "SIGKILL")));
    await receiver?.close();
    await server?.stop();
  });

  it("refuses a RequestID replayed to another instance, and lets exactly one of three simultaneous copies through", async () => {
    const first = await signed(SUPPLIER_A, preNotification(SUPPLIER_A, nextCounter(SUPPLIER_A), "00DB300000000001"));
    expect(await send(gateways[0]!, first)).toBe("I99");
    expect(await send(gateways[1]!, first)).toBe("E42");
    expect(await send(gateways[2]!, first)).toBe("E42");

    const copies = await signed(SUPPLIER_A, preNotification(SUPPLIER_A, nextCounter(SUPPLIER_A), "00DB300000000002"));
    const codes = await Promise.all(gateways.map((g) => send(g, copies)));
    expect(codes.filter((c) => c === "I99")).toHaveLength(1);
    expect(codes.filter((c) => c === "E42")).toHaveLength(2);

    // A counter below one accepted elsewhere is a replay too.
    const high = nextCounter(SUPPLIER_A) + 10n;
    counters.set(SUPPLIER_A, high);
    expect(await send(gateways[2]!, await signed(SUPPLIER_A, preNotification(SUPPLIER_A, high, "00DB300000000003")))).toBe("I99");
    expect(await send(gateways[0]!, await signed(SUPPLIER_A, preNotification(SUPPLIER_A, high - 5n, "00DB300000000004")))).toBe("E42");
  });

  it("holds an anomaly threshold over all instances: spreading requests does not multiply the allowance", async () => {
    const codes: string[] = [];
    for (let i = 0; i < 30; i++) codes.push(await send(gateways[i % 3]!, await signed(SUPPLIER_B, readInventory(SUPPLIER_B, nextCounter(SUPPLIER_B)))));
    // Limit 10 per minute for 8.2: the first 10 pass, wherever they arrive; the other 20 are quarantined.
    expect(codes.slice(0, 10).every((c) => c !== "E44")).toBe(true);
    expect(codes.slice(10)).toEqual(Array(20).fill("E44"));
  });

  it("delivers each alert once, in order, to the user's endpoint, whichever instance queued it", async () => {
    const sent: string[] = [];
    for (let i = 0; i < 15; i++) {
      const counter = nextCounter(NETWORK_OPERATOR);
      sent.push(`${NETWORK_OPERATOR}:${DCC_EUI}:${counter}`);
      expect(await send(gateways[i % 3]!, await signed(NETWORK_OPERATOR, readInventory(NETWORK_OPERATOR, counter)))).toBe("E44");
    }
    const mine = () => receiver.received.filter((r) => r.path === `/${NETWORK_OPERATOR}`).map((r) => alertedRequestId(r.xml));
    await eventually("15 alerts at the network operator's endpoint", () => mine().length >= sent.length);
    await sleep(1500); // a second push would show up within a delivery tick
    expect(mine()).toEqual(sent);
  });

  it("runs each due schedule exactly once and delivers its answer once", async () => {
    const start = new Date(Date.now() + 3000);
    const [date, time] = start.toISOString().slice(0, 19).split("T") as [string, string];
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const xml = request(SUPPLIER_A, nextCounter(SUPPLIER_A), "5.1", "CreateSchedule", [
        node("ScheduleFrequency", "Daily"), node("ScheduleStartDate", date), node("ScheduleExecutionStartTime", time),
        node("DSPScheduledServiceReference", "4.8"), node("DSPScheduledServiceReferenceVariant", "4.8.1"), node("DeviceID", "00-DB-12-34-56-78-90-A0"),
        node("DSPReadActiveImportProfileData", [node("StartDateOffset", "-1"), node("StartTime", "00:00:00"), node("EndDateOffset", "0"), node("EndTime", "00:00:00")]),
      ]);
      // Through another instance than the one that loaded the demo: its fleet is journaled and shared.
      const response = await fetch(`${gateways[i % 2 + 1]!.url}/api/v1/serviceD`, { method: "POST", body: await signed(SUPPLIER_A, xml), headers: { "content-type": "application/xml" } });
      const text = await response.text();
      expect(text).toMatch(/<sr:ResponseCode>I0</);
      ids.push(/DSPScheduleID>(\d+)</.exec(text)![1]!);
    }
    expect(new Set(ids).size).toBe(3); // ids from the shared sequence do not collide
    const runs = () => receiver.received.filter((r) => r.path === `/${SUPPLIER_A}` && /4\.8\.1/.test(r.xml));
    await eventually("the three scheduled runs", () => runs().length >= 3, 15_000);
    await sleep(2500); // every instance ticks at least twice more
    expect(runs()).toHaveLength(3);
  });

  it("accepts a Signed Pre-Command on another instance than the one that issued its Pre-Command, once (seed 003 paragraph 155)", async () => {
    // Supplier A's GBCS digital-signing certificate (from a test SMKI of its own; the gateway checks
    // the signature with the certificate's key), set through one instance.
    const smki = await TestSmki.create();
    const ds = await smki.issue({ eui: SUPPLIER_A, usage: "ds", commonName: "SUPPLIER-A", roleCode: "02" });
    const xmlPem = readFileSync(join(data, "keys", `${SUPPLIER_A.toLowerCase()}-xml.pem`), "utf8");
    await admin(gateways[0]!, "POST", "/users", [{ userId: SUPPLIER_A, partyId: "SUPPLIER-A", roles: ["IS", "GS"], certificates: [{ usage: "xml", pem: xmlPem }, { usage: "ds", pem: ds.pem }] }]);
    await sleep(300); // the certificate reaches the others through the feed
    const counter = nextCounter(SUPPLIER_A);
    const requestId = { originator: SUPPLIER_A, target: "00DB1234567890A1", counter };
    const post = async (instance: Instance, endpoint: string, xml: string) => {
      const response = await fetch(`${instance.url}/api/v1/${endpoint}`, { method: "POST", body: await signed(SUPPLIER_A, xml), headers: { "content-type": "application/xml" } });
      const text = await response.text();
      return { text, code: /<sr:ResponseCode>(\w+)</.exec(text)?.[1], reason: response.headers.get("x-opendcc-reason") };
    };
    const transform = await post(gateways[0]!, "serviceT", writeRequest({
      schemaVersion: "5.2", header: { requestId, commandVariant: 4, serviceReference: "7.3", serviceReferenceVariant: "7.3" },
      body: { element: "ArmSupply", content: node("ArmSupply", []) }, signature: null,
    }));
    expect(transform.code).toBe("I0");
    const body = parseResponse(transform.text).body;
    if (body.kind !== "ResponseMessage" || body.content?.kind !== "PreCommand") throw new Error("no PreCommand");
    const signedPreCommand = writeRequest({
      schemaVersion: "5.2", header: { requestId, commandVariant: 5, serviceReference: "7.3", serviceReferenceVariant: "7.3" },
      body: { element: "SignedPreCommand", gbcsPayload: await signPreCommand(body.content.gbcsPayload, ds.keys.privateKey) }, signature: null,
    });
    await sleep(300); // the Pre-Command reaches the others through the feed
    const second = await post(gateways[1]!, "serviceS", signedPreCommand);
    // Found, matched and its signature verified on the second instance, then MAC'd and sent to the
    // (emulated) gas meter: acknowledged.
    expect(second.code).toBe("I99");
    expect((await post(gateways[0]!, "serviceS", signedPreCommand)).code).toBe("E42");
    await sleep(300);
    expect((await post(gateways[2]!, "serviceS", signedPreCommand)).code).toBe("E42");
  });

  it("loses no acknowledged request when an instance is killed mid-load, and another takes over its deliveries", async () => {
    const slow = await startReceiver(40); // so that the outbox is still full at the kill
    try {
      await admin(gateways[0]!, "PUT", `/users/${OTHER_USER}/endpoint`, { url: `${slow.url}/${OTHER_USER}` });
      await sleep(300); // the endpoint reaches the victim through the feed
      const victim = gateways[2]!;
      const requests: { id: string; xml: string }[] = [];
      for (let i = 0; i < 120; i++) {
        const counter = nextCounter(OTHER_USER);
        requests.push({ id: `${OTHER_USER}:${DCC_EUI}:${counter}`, xml: await signed(OTHER_USER, readInventory(OTHER_USER, counter)) });
      }
      const acknowledged: string[] = [];
      let next = 0;
      let killed = false;
      const worker = async () => {
        while (next < requests.length && !killed) {
          const item = requests[next++]!;
          try {
            if ((await send(victim, item.xml)) === "E44") acknowledged.push(item.id);
          } catch {
            return; // the instance is gone
          }
        }
      };
      const load = Promise.all(Array.from({ length: 3 }, worker));
      await eventually("40 acknowledged requests", () => acknowledged.length >= 40);
      await stopInstance(victim, "SIGKILL");
      killed = true;
      await load;
      const killedAt = slow.received.length;
      expect(killedAt).toBeLessThan(acknowledged.length); // deliveries were still queued

      // Every acknowledged request is held in quarantine, as the live instances see it.
      await eventually("the quarantine to show every acknowledged request", async () => {
        const held = new Set(((await admin(gateways[0]!, "GET", "/quarantine")) as { requestId: string }[]).map((q) => q.requestId));
        return acknowledged.every((id) => held.has(id));
      });
      // Its alert reaches the user once the lease of the dead instance has lapsed and a live one pushes.
      const delivered = () => slow.received.map((r) => alertedRequestId(r.xml));
      await eventually("an alert for every acknowledged request", () => acknowledged.every((id) => delivered().includes(id)), 20_000);
      expect(slow.received.length).toBeGreaterThan(killedAt);
      // At most the one message in flight at the kill (2xx received, deletion not committed) comes twice.
      const duplicates = delivered().length - new Set(delivered()).size;
      expect(duplicates).toBeLessThanOrEqual(1);
    } finally {
      await slow.close();
    }
  }, 60_000);
});
