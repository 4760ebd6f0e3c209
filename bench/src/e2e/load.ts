// The load of `opendcc bench e2e`: each connection is one supplier user sending its Service
// Requests in RequestID counter order (the gateway refuses a counter at or below the last, E42)
// to its own share of the premises, in a fixed mix: mostly non-critical reads, some critical
// supply commands, a few critical tariff updates (Command Variant 4, then the Signed Pre-Command
// with 5) and a few prepayment top-ups (2.2, CS01a), each with a UTRN made for its meter from
// the user's prepayment key (gbcs.md 9). A UTRN carries its command's counter, which must have
// its low 32 bits zero and be above the meter's last, so a top-up moves the user's counter on to
// the next such value (10 counter bits: 1023 top-ups per user and run; a meter's tokens rise
// because a user's counters do). Requests are built and XML-signed before the clock starts, so
// the run measures the gateway, not the client's signing; Signed Pre-Commands can only be signed when
// their Pre-Command arrives, and are. Each request is timed from its first send to its synchronous
// answer (acknowledgement) and to the delivery of the device's response (Receiver).
import { generateUtrn, readCertificate } from "@opendcc/gbcs";
import { importPublicKey, pemToDer, sharedSecret } from "@opendcc/kernel";
import { armSupply, blockTariff, disableSupply, enableSupply, readImportRegisters, topUp, type BodySpec } from "./bodies.js";
import type { Answer, Built, DuisClient } from "./client.js";
import { premisesDevices } from "./gateway.js";
import type { Receiver } from "./receiver.js";

interface Operation {
  readonly name: string;
  readonly critical: boolean;
  readonly target: (p: number) => string;
}

const READ_ESME: Operation = { name: "4.1.1 ESME (ECS17b)", critical: false, target: (p) => premisesDevices(p).esme };
const READ_GSME: Operation = { name: "4.1.1 GSME (GCS13a)", critical: false, target: (p) => premisesDevices(p).gsme };
const SUPPLY: Operation = { name: "7.1/7.2/7.3 supply (ECS42/43/44)", critical: true, target: (p) => premisesDevices(p).esme };
const TARIFF: Operation = { name: "1.1.1 tariff (ECS01a)", critical: true, target: (p) => premisesDevices(p).esme };
const TOP_UP: Operation = { name: "2.2 top-up (CS01a)", critical: false, target: (p) => premisesDevices(p).esme };

/** 20 slots: 80% reads (ESME and GSME), 10% supply commands, 5% tariff updates, 5% top-ups. */
export const MIX: readonly Operation[] = [
  ...Array<Operation>(10).fill(READ_ESME), ...Array<Operation>(6).fill(READ_GSME), TOP_UP, SUPPLY, SUPPLY, TARIFF,
];
/** Spread so that criticals are not bunched: the order the slots are taken in. */
const ORDER = [0, 10, 1, 17, 11, 2, 3, 12, 4, 18, 13, 5, 6, 14, 7, 19, 15, 8, 9, 16];

/** Supply commands cycle disable, arm, enable on each meter, so each one changes the switch. */
const SUPPLY_CYCLE: readonly BodySpec[] = [disableSupply, armSupply, enableSupply];

export interface Planned {
  readonly operation: Operation;
  readonly srv: string;
  readonly target: string;
  readonly built: Built;
  readonly signed: string;
}

export interface Outcome {
  readonly operation: string;
  readonly srv: string;
  readonly startedAt: number;
  readonly ackMs: number;
  readonly code: string;
  readonly key: string;
}

/** One connection: its user's client, its premises, its plan and what came of it. */
export class Connection {
  readonly outcomes: Outcome[] = [];
  signedLive = 0;
  private readonly planned: Planned[] = [];
  private next = 0;
  private readonly supplyStep = new Map<number, number>();
  private tariffs = 0;
  /** Z of the user's prepayment key and each ESME's key-agreement key (prime reads the certificates). */
  private readonly utrnSecrets = new Map<number, Uint8Array>();

  constructor(readonly index: number, readonly client: DuisClient, private readonly premises: readonly number[]) {
    if (premises.length === 0) throw new Error(`connection ${index} has no premises`);
  }

  /** Builds and signs the next `count` requests of the plan ahead of the run. */
  async prepare(count: number): Promise<void> {
    for (let i = 0; i < count; i++) this.planned.push(await this.plan(this.planned.length));
  }

  private async plan(i: number): Promise<Planned> {
    const slot = MIX[ORDER[(i + this.index) % ORDER.length] as number] as Operation;
    const topUpCounter = slot === TOP_UP ? this.client.nextTopUpCounter() : null;
    // After 1023 top-ups (some 10 minutes at 1,000 requests/s) a user has no top-up counter left: a read instead.
    const operation = slot === TOP_UP && topUpCounter === null ? READ_ESME : slot;
    const p = this.premises[i % this.premises.length] as number;
    let body: BodySpec = readImportRegisters;
    if (operation === SUPPLY) {
      const step = this.supplyStep.get(p) ?? 0;
      this.supplyStep.set(p, step + 1);
      body = SUPPLY_CYCLE[step % SUPPLY_CYCLE.length] as BodySpec;
    } else if (operation === TARIFF) {
      const n = ++this.tariffs;
      body = blockTariff([1000 + (n % 500), 2000 + (n % 500), 3000 + (n % 500)]);
    }
    const target = operation.target(p);
    if (topUpCounter !== null) {
      const key = this.utrnSecrets.get(p);
      if (!key) throw new Error(`no UTRN key for premises ${p}: prime() first`);
      body = topUp(await generateUtrn({ key, supplier: this.client.user.userId, device: target, counter: topUpCounter, value: 500 + (i % 500), valueClass: "pennies" }));
    }
    const built = this.client.build({ target, body, cv: operation.critical ? 4 : 1, ...(topUpCounter === null ? {} : { counter: topUpCounter }) });
    return { operation, srv: body.srv, target, built, signed: await this.client.sign(built.xml) };
  }

  /**
   * Reads each of its meters once (signed now, not measured), so that the run finds them as a
   * working estate is: keys agreed between each meter and its users, code warm. Agrees the UTRN
   * key with each ESME from its key-agreement certificate (the devices plugin's SMKI route).
   */
  async prime(receiver: Receiver): Promise<void> {
    for (const p of this.premises) {
      const esme = TOP_UP.target(p);
      const pem = await fetch(`${this.client.url}/plugins/devices/smki/${esme}/ka`).then((r) => r.text());
      const deviceKa = await importPublicKey(readCertificate(pemToDer(pem)).spki, "ka");
      this.utrnSecrets.set(p, await sharedSecret(this.client.user.ppKaKey, deviceKa));
      for (const target of [READ_ESME.target(p), READ_GSME.target(p)]) {
        const built = this.client.build({ target, body: readImportRegisters, cv: 1 });
        const answer = await this.client.post(1, await this.client.sign(built.xml));
        if (answer.code === "I99") await receiver.waitFor(built.key, 10_000);
      }
    }
  }

  /**
   * Sends until `until` (performance.now()), keeping at most `window` requests whose device
   * response has not been delivered yet.
   */
  async run(until: number, receiver: Receiver, window: number): Promise<void> {
    const undelivered: Promise<void>[] = [];
    while (performance.now() < until) {
      let item = this.planned[this.next];
      if (!item) {
        item = await this.plan(this.next);
        this.signedLive++;
      }
      this.next++;
      const startedAt = performance.now();
      let answer: Answer;
      try {
        answer = await this.client.post(item.built.cv, item.signed);
        if (item.operation.critical && answer.code === "I0") answer = await this.client.returnSigned({ ...item.built, target: item.target, srv: item.srv }, answer);
      } catch (error) {
        answer = { status: 0, code: `client: ${(error as Error).message}`, reason: null, xml: "" };
      }
      const code = answer.code ?? `HTTP ${answer.status}`;
      this.outcomes.push({ operation: item.operation.name, srv: item.srv, startedAt, ackMs: performance.now() - startedAt, code, key: item.built.key });
      if (code !== "I99") continue;
      undelivered.push(receiver.waitFor(item.built.key, 10_000));
      if (undelivered.length >= window) await undelivered.shift();
    }
  }
}
