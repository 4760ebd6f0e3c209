// One DCC: the gateway and the state it checks against, wired together, with every change
// journaled to the store (when there is one) and the in-memory indexes rebuilt from it at start.
import { AnomalyDetector, DEFAULT_THRESHOLDS, type AnomalyThreshold } from "./anomaly.js";
import { Delivery, httpPusher, type Pusher } from "./delivery.js";
import { ServiceCatalogue } from "./catalogue.js";
import { CATALOGUE_DATA } from "./catalogue-data.js";
import { EventBus } from "./events.js";
import { Gateway, type AuditEntry, type DccAlert, type GatewayResponse, type GatewayServices, type RequestCodec } from "./gateway.js";
import { SmartMeteringInventory } from "./inventory.js";
import { Journal, type Change, type GatewayStore } from "./journal.js";
import { NON_DEVICE_SERVICES } from "./non-device-services.js";
import { UserDirectory } from "./parties.js";
import { Quarantine, type QuarantinedRequest } from "./quarantine.js";
import { RegistrationData } from "./registration.js";
import { RequestCounters, formatRequestId } from "./request-ids.js";
import { Schedules } from "./schedules.js";
import { ScheduledRuns } from "./scheduled-runs.js";
import { IdBlocks, applyRemoteChange } from "./shared-store.js";
import { DeviceServices, clockAcbCounter, type CommandKeys } from "./device-services.js";
import { CosParty } from "./cos-party.js";
import { FirmwareDistribution } from "./firmware-distribution.js";
import { KeptCommands } from "./kept-commands.js";
import type { DeviceTransport } from "./plugins.js";

export interface DccOptions {
  readonly codec: RequestCodec;
  /** Where state is kept; without one everything lives in memory only. */
  readonly store?: GatewayStore;
  readonly now?: () => Date;
  /** Thresholds for a DCC whose store has none yet. */
  readonly thresholds?: readonly AnomalyThreshold[];
  /** Audit entries kept in memory for the admin API (the store keeps them all). */
  readonly auditMemory?: number;
  /** How responses reach users' endpoints (HTTP POST by default). */
  readonly push?: Pusher;
  /** How often queued deliveries are retried, in ms (0: only when something is queued). */
  readonly deliveryIntervalMs?: number;
  /** Keys for command MACs (the ACB's key agreement with each device); without them no command can be sent. */
  readonly commandKeys?: CommandKeys;
  /**
   * The CoS party's GBCS digital-signing private key (seed 003 paragraphs 142-146: the party that
   * signs 6.23 change-of-supplier commands); without it 6.23 is refused.
   */
  readonly cosSigningKey?: CryptoKey;
  /** The CoS party's EUI-64 (default: the transitional CoS party 90B3D51F30000004). */
  readonly cosPartyId?: string;
  /** The Access Control Broker's GBCS digital-signing key, for the commands the ACB signs itself. */
  readonly acbSigningKey?: CryptoKey;
}

export interface Dcc {
  readonly services: GatewayServices;
  readonly gateway: Gateway;
  readonly delivery: Delivery;
  /** Queues a response for the user's endpoint (DUIS XML signed by the DCC) and pushes it. */
  deliver(userId: string, response: GatewayResponse): Promise<void>;
  /**
   * Executes a quarantined request an operator releases, and delivers its outcome to the user
   * (who was told E44 at the time) ahead of any device response to it.
   */
  releaseQuarantined(held: QuarantinedRequest): Promise<GatewayResponse>;
  /**
   * The device transport commands go out on (a plugin's, or a CSP adapter); its responses and
   * alerts come back to the DCC. Without one, WAN command variants are refused.
   */
  useTransport(transport: DeviceTransport | undefined): void;
  /** Runs the schedules and sends the future-dated commands that are due now (the timer does this every tick). */
  runSchedules(): Promise<void>;
  /**
   * Applies a plugin's migrations once (ids prefixed with its name) before its setup; without a
   * store there is nothing to migrate.
   */
  migratePlugin(plugin: string, migrations: readonly { readonly id: string; readonly sql: string }[]): Promise<void>;
  /** The most recent audit entries, newest last. */
  recentAudit(limit: number): AuditEntry[];
  /** Resolves when every change so far is durable (admin changes call it before answering). */
  commit(): Promise<void>;
  /** Why the DCC stopped acknowledging work (a failed store write), or null when healthy. */
  failure(): Error | null;
  close(): Promise<void>;
}

export async function openDcc(options: DccOptions): Promise<Dcc> {
  const now = options.now ?? (() => new Date());
  const journal = new Journal(options.store ?? null);
  const recent: AuditEntry[] = [];
  const keep = options.auditMemory ?? 1000;
  const events = new EventBus((event, error) => console.error(`event ${event}: a subscriber failed: ${(error as Error)?.message ?? String(error)}`));
  // Several instances on one store: the feed of the others' changes is read from a point taken
  // before loading (a change in both is applied twice, which leaves the same state).
  const shared = options.store?.shared ?? null;
  let feedCursor = shared ? (await shared.readFeed(null)).cursor : null;
  const ids = shared ? await IdBlocks.open((size) => shared.reserveIds(size)) : null;
  const nextId = ids ? () => ids.take() : null;
  const snapshot = options.store ? await options.store.load() : null;

  const users = new UserDirectory();
  const registration = new RegistrationData();
  const inventory = new SmartMeteringInventory(now);
  const anomaly = new AnomalyDetector(snapshot?.thresholds ?? options.thresholds ?? DEFAULT_THRESHOLDS);
  // Shared: counters are claimed through the store before execution (request-ids.ts), with the
  // claiming users' anomaly totals read in the same round; hits are added in the group commit.
  const counters = new RequestCounters(
    (originator, counter) => journal.append({ kind: "counter", originator, counter }),
    shared && (async (claims) => {
      const { fresh, totals } = await shared.claimCounters(claims, now().getTime(), anomaly.windowsMs());
      for (const originator of new Set(claims.map((c) => c.originator))) anomaly.observe(originator, totals.filter((t) => t.userId === originator));
      return fresh;
    }),
  );
  if (shared) anomaly.share((userId, srv, atMs, windowsMs) => journal.append({ kind: "anomaly", userId, srv, atMs, windowsMs }));
  const delivery = new Delivery({
    now,
    push: options.push ?? httpPusher,
    onChange: (change) => journal.append(
      change.kind === "queued" || change.kind === "attempted" ? { kind: "outbox", message: change.message }
        : change.kind === "delivered" ? { kind: "delivered", id: change.id }
          : { kind: "endpoint", userId: change.userId, url: change.url },
    ),
    ...(shared && nextId ? { shared: { store: shared, ids: nextId, commit: () => journal.commit() } } : {}),
  });
  const schedules = new Schedules((change) => journal.append(change.kind === "saved" ? { kind: "schedule", schedule: change.schedule } : { kind: "unscheduled", id: change.id }), nextId);
  const quarantine = new Quarantine((change) => {
    if (journal.isReplaying) return;
    if (!("held" in change)) {
      journal.append({ kind: "unquarantined", id: change.taken });
      return;
    }
    journal.append({ kind: "quarantined", held: change.held });
    // Paragraph 135: the user is told (synchronously E44, and as a DCC Alert through delivery).
    const requestId = parseIdentity(change.held.requestId);
    if (requestId) void alertUser(change.held.userId, { kind: "quarantined", requestId, quarantineEventRef: change.held.id });
  }, nextId);
  const kept = new KeptCommands((change) => journal.append(change.kind === "kept" ? { kind: "command", command: change.command } : { kind: "commandReleased", key: change.key }));
  const indexes = { users, registration, inventory, anomaly, quarantine, schedules, delivery, commands: kept };

  // Rebuild from the store before listening, so that loading is not journaled again.
  if (snapshot) {
    snapshot.parties.forEach((party) => users.addParty(party));
    snapshot.users.forEach((user) => users.addUser(user));
    registration.replaceAll(snapshot.appointments);
    snapshot.devices.forEach((device) => inventory.restore(device));
    snapshot.deviceLogs.forEach((log) => inventory.restoreDeviceLog(log.chfId, log.entries, log.extendedPanId));
    snapshot.counters.forEach(({ originator, counter }) => counters.restore(originator, counter));
    snapshot.quarantine.forEach((held) => quarantine.restore(held));
    recent.push(...snapshot.recentAudit.slice(-keep));
    delivery.restore(snapshot.outbox, snapshot.endpoints);
    snapshot.schedules.forEach((schedule) => schedules.restore(schedule));
    snapshot.commands.forEach((command) => kept.restore(command));
  }
  // Paragraph 125: schedules go when their device is withdrawn or decommissioned, when their user is
  // suspended, and (Other Users' only) on a change of tenancy at the premises.
  inventory.onChange((change) => {
    if (change.kind === "device" && (change.after.status === "withdrawn" || change.after.status === "decommissioned")) {
      schedules.removeWhere((s) => s.deviceId === change.after.deviceId, change.after.status === "withdrawn" ? "device-withdrawn" : "device-decommissioned");
    }
  });
  users.onChange((change) => {
    if (change.kind === "user" && change.user.suspended) schedules.removeWhere((s) => s.userId === change.user.userId, "user-suspended");
  });
  events.on("request.accepted", (event) => {
    if (event.srv !== "3.2") return;
    const device = inventory.get(event.requestId.split(":")[1] ?? "");
    const hub = device?.type === "CHF" ? device.deviceId : device?.chfId;
    const premises = new Set(inventory.all().filter((d) => d.deviceId === device?.deviceId || (hub && d.chfId === hub)).map((d) => d.deviceId));
    schedules.removeWhere((s) => premises.has(s.deviceId) && (users.user(s.userId)?.roles.includes("OU") ?? false), "change-of-tenancy");
  });
  // Deliveries: pumped when something is queued and on a timer for retries; each round's
  // changes are committed like a request's. A pump asked for during a round gets one more round
  // right after it, so that what was queued meanwhile does not wait for the timer.
  let pumping: Promise<void> | null = null;
  let pumpAgain = false;
  const pump = (): Promise<void> => {
    if (pumping) {
      pumpAgain = true;
      return pumping;
    }
    pumping = (async () => {
      do {
        pumpAgain = false;
        await delivery.pump().then(() => journal.commit()).catch((error: unknown) => console.error(`delivery: ${(error as Error).message}`));
      } while (pumpAgain);
      pumping = null; // in the same turn as the last check, so no request falls in between
    })();
    return pumping;
  };
  // Due schedules run on the same tick (scheduled-runs.ts): the command goes to the device now, and
  // the device's response reaches the user later; a run that cannot go is answered with its error.
  const runDueSchedules = async () => {
    if (shared) {
      // Exactly once over all instances: the store locks each due schedule's row (SKIP LOCKED), and
      // its move (or removal) and its queued error answer commit together.
      const at = now();
      const written = await shared.runDueSchedules(at, async (schedule) => {
        const { failure, removal } = await scheduledRuns.run(schedule);
        const changes: Change[] = [removal ? { kind: "unscheduled", id: schedule.id } : { kind: "schedule", schedule: Schedules.movedOn(schedule, at) }];
        if (failure) changes.push({ kind: "outbox", message: delivery.prepare(schedule.userId, await options.codec.writeResponse(failure)) });
        return changes;
      });
      journal.replay(() => written.forEach((change) => applyRemoteChange(change, indexes)));
      return;
    }
    for (const schedule of schedules.takeDue(now())) {
      const { failure, removal } = await scheduledRuns.run(schedule);
      if (removal) schedules.remove(schedule.id, removal);
      if (failure) await deliver(schedule.userId, failure);
    }
  };
  // Future-dated commands the DCC holds (duis.md 1.4 "DSP") go at their time: exactly once over
  // all instances (the store locks each due row), and after a restart those still due.
  const runDueCommands = async () => {
    const at = now();
    if (shared) {
      const written = await shared.runDueCommands(at, async (command) => {
        const failure = await deviceServices.sendDue(command);
        return failure ? [{ kind: "outbox", message: delivery.prepare(command.userId, await options.codec.writeResponse(failure)) }] : [];
      });
      journal.replay(() => written.forEach((change) => applyRemoteChange(change, indexes)));
      return;
    }
    for (const command of kept.due(at)) {
      kept.release("future-dated", command.requestId);
      const failure = await deviceServices.sendDue(command);
      if (failure) await deliver(command.userId, failure);
    }
    await journal.commit();
  };
  const runSchedules = async () => {
    await runDueSchedules();
    await runDueCommands();
  };
  const tick = () => void runSchedules().then(pump).catch((error: unknown) => console.error(`scheduler: ${(error as Error).message}`));
  const timer = options.deliveryIntervalMs === 0 ? null : setInterval(tick, options.deliveryIntervalMs ?? 1000);
  (timer as { unref?: () => void } | null)?.unref?.();
  // Other instances' changes reach this one's indexes within feedIntervalMs (plus a commit);
  // old shared rows are pruned once a minute.
  let reading: Promise<void> | null = null;
  const readFeed = () => {
    if (!shared || reading) return;
    reading = shared.readFeed(feedCursor).then(({ changes, cursor }) => {
      journal.replay(() => changes.forEach((change) => applyRemoteChange(change, indexes)));
      feedCursor = cursor;
    }).catch((error: unknown) => console.error(`change feed: ${(error as Error).message}`)).finally(() => (reading = null));
  };
  const feedTimer = shared ? setInterval(readFeed, shared.feedIntervalMs) : null;
  (feedTimer as { unref?: () => void } | null)?.unref?.();
  const pruneTimer = shared ? setInterval(() => void shared.prune(now().getTime()).catch((error: unknown) => console.error(`prune: ${(error as Error).message}`)), 60_000) : null;
  (pruneTimer as { unref?: () => void } | null)?.unref?.();
  users.onChange((change) => journal.append(change.kind === "party" ? { kind: "party", party: change.party } : { kind: "user", user: change.user }));
  registration.onChange((appointments) => journal.append({ kind: "registration", appointments }));
  anomaly.onChange((thresholds) => journal.append({ kind: "thresholds", thresholds }));
  inventory.onChange((change) => {
    if (journal.isReplaying) return;
    if (change.kind === "deviceLog") {
      journal.append({ kind: "deviceLog", chfId: change.chfId, entries: change.entries, ...(change.extendedPanId ? { extendedPanId: change.extendedPanId } : {}) });
      return;
    }
    journal.append({ kind: "device", record: change.after });
    events.emit("inventory.changed", { before: change.before, after: change.after, reason: change.reason });
  });

  let transport: DeviceTransport | undefined;
  const deviceServices = new DeviceServices({
    keys: options.commandKeys ?? { brokerSecret: async () => null },
    transport: () => transport,
    events, now, kept, inventory, users,
    deliver: (userId, response) => deliver(userId, response),
    queue: (userId, response) => {
      const queued = options.codec.writeResponse(response).then((xml) => void delivery.enqueue(userId, xml));
      journal.prepare(queued);
      void queued.then(() => journal.commit()).then(pump, () => undefined);
    },
    alert: (userId, alert) => alertUser(userId, alert),
    acbCounter: clockAcbCounter(now),
    ...(options.acbSigningKey ? { acbSigningKey: options.acbSigningKey } : {}),
    ...(shared ? { releaseShared: (key: string) => shared.releaseCommand(key) } : {}),
    ...(options.cosSigningKey ? { cosParty: new CosParty({ signingKey: options.cosSigningKey, registration, inventory, ...(options.cosPartyId ? { partyId: options.cosPartyId } : {}) }) } : {}),
  });
  const firmware = new FirmwareDistribution({ transport: () => transport, deliver: (userId, response) => deliver(userId, response) });
  const services: GatewayServices = {
    catalogue: new ServiceCatalogue(CATALOGUE_DATA),
    users, registration, inventory, anomaly, counters, quarantine, schedules, events, journal, deviceServices, firmware,
    codec: options.codec,
    nonDeviceServices: NON_DEVICE_SERVICES,
    now,
    record: (entry) => {
      recent.push(entry);
      if (recent.length > keep) recent.splice(0, recent.length - keep);
      journal.append({ kind: "audit", entry });
    },
  };
  const gateway = new Gateway(services);
  const scheduledRuns = new ScheduledRuns({ catalogue: services.catalogue, users, inventory, counters, gateway, deviceServices });
  // The alert is queued in the group commit that acknowledges the quarantined request (nothing
  // acknowledged is lost: the user is sure to be told).
  async function alertUser(userId: string, alert: DccAlert): Promise<void> {
    const queued = options.codec.writeDccAlert(alert).then((xml) => void delivery.enqueue(userId, xml));
    journal.prepare(queued);
    await queued;
    await journal.commit();
    void pump();
  }

  // Responses are written (signed) concurrently but join a user's outbox in the order they were
  // handed over, so that a device's alerts reach the user in the order the device sent them. A
  // device's response to a released quarantined request waits until the release's own outcome
  // has joined (releaseQuarantined), so that the user sees the outcome first.
  const outboxTails = new Map<string, Promise<void>>();
  const outcomesAhead = new Map<string, Promise<void>>();
  async function deliver(userId: string, response: GatewayResponse): Promise<void> {
    const ahead = response.requestId ? outcomesAhead.get(formatRequestId(response.requestId)) : undefined;
    if (ahead) await ahead;
    await deliverInOrder(userId, response);
  }

  async function deliverInOrder(userId: string, response: GatewayResponse): Promise<void> {
    const written = options.codec.writeResponse(response);
    const queued = (outboxTails.get(userId) ?? Promise.resolve()).then(async () => void delivery.enqueue(userId, await written));
    const tail = queued.catch(() => undefined);
    outboxTails.set(userId, tail);
    try {
      await queued;
    } finally {
      if (outboxTails.get(userId) === tail) outboxTails.delete(userId);
    }
    await journal.commit();
    void pump();
  }

  // Paragraph 185: a hub is commissioned once it connects to the SM WAN (after an install with no
  // WAN, 8.14.2, the connection comes later).
  function hubConnected(chfId: string): void {
    const chf = inventory.get(chfId);
    if (chf?.type !== "CHF" || (chf.status !== "pending" && chf.status !== "installed-not-commissioned")) return;
    inventory.chfConnected(chfId);
    void journal.commit().catch((error: unknown) => console.error(`inventory: CHF ${chfId} connected: ${(error as Error).message}`));
  }

  async function releaseQuarantined(held: QuarantinedRequest): Promise<GatewayResponse> {
    let queued = () => {};
    outcomesAhead.set(held.requestId, new Promise((resolve) => (queued = resolve)));
    try {
      const response = await gateway.release(held);
      await deliverInOrder(held.userId, response);
      return response;
    } finally {
      outcomesAhead.delete(held.requestId);
      queued();
    }
  }

  return {
    services,
    gateway,
    delivery,
    deliver,
    releaseQuarantined,
    useTransport: (next) => {
      transport = next;
      next?.onMessage((message) => void deviceServices.receive(message).catch((error: unknown) => console.error(`device ${message.deviceId}: ${(error as Error).message}`)));
      next?.onHubConnected?.((chfId) => hubConnected(chfId));
    },
    runSchedules,
    migratePlugin: async (plugin, migrations) => {
      if (migrations.length === 0 || !options.store) return;
      if (!options.store.migratePlugin) throw new Error(`the store cannot apply plugin migrations, so plugin ${plugin} cannot have its tables`);
      await options.store.migratePlugin(plugin, migrations);
    },
    recentAudit: (limit) => recent.slice(-limit),
    commit: () => journal.commit(),
    failure: () => journal.failed,
    close: async () => {
      if (timer) clearInterval(timer);
      if (feedTimer) clearInterval(feedTimer);
      if (pruneTimer) clearInterval(pruneTimer);
      await reading;
      await pumping;
      await journal.commit();
      await options.store?.close();
    },
  };
}

// Quarantine keeps RequestIDs as ORIGINATOR:TARGET:COUNTER text.
function parseIdentity(text: string): { originator: string; target: string; counter: bigint } | null {
  const [originator, target, counter] = text.split(":");
  return originator && target && counter && /^\d+$/.test(counter) ? { originator, target, counter: BigInt(counter) } : null;
}
