// The far side of the WAN: a DeviceTransport whose devices check each command, carry it out,
// answer with a protected GBCS response and raise alerts (design: "the devices plugin ... answers
// GBCS commands, raises alerts"). Commands and answers cross the hub's WAN (wan.ts).
import { ACCESS_CONTROL_BROKER, ASN1_MESSAGE_CODES, FirmwareImageError, KeyRing, TestSmki, checkUtrn, firmwareImageHash, parseGbcs, readFirmwareImage, type Header, type ParsedMessage } from "@opendcc/gbcs";
import { FrameError, concatBytes, counterBytes, fromHex, parseFrame, sealBlock, toHex, type Frame } from "@opendcc/kernel";
import type { DeviceRecord, DeviceTransport } from "@opendcc/plugin-sdk";
import { ALERT, FIRMWARE_RECEIPT_DLMS, FIRMWARE_RECEIPT_GBZ, FUTURE_DATED_CREDENTIALS, FUTURE_DATED_DLMS, FUTURE_DATED_FIRMWARE, FUTURE_DATED_GBZ, GENERIC_CRITICAL, GENERIC_NON_CRITICAL, SUPPLY_OUTAGE_RESTORE, alertSpec } from "./alerts.js";
import { checkCommand } from "./command-checks.js";
import { halfHourProfile, meanRate } from "./consumption.js";
import { Estate, FLAG, type DeviceSpec, type PendingCommand } from "./estate.js";
import { SLOTS, fleetEui, normaliseEui } from "./eui.js";
import { DeviceKeys, TrustStore, lazyCommandKeys, type CertificateInput, type DeviceCertificates, type TrustAnchorInput, type TrustedParty } from "./keys.js";
import type { DeviceKind, WanState } from "./model.js";
import { networkOperatorOf, powerCutsOf, restorationAlert, type PowerChange, type PowerEvent } from "./power.js";
import { derGeneralizedTime, derInteger, derSequence } from "./protocol/asn1.js";
import { notification } from "./protocol/dlms.js";
import { deviceMessage, messageCodeBytes, zigbeeSeconds, type Protection } from "./protocol/frames.js";
import { gbzAlert } from "./protocol/gbz.js";
import { restoreEstate, saveEstate, type HeldFirmware, type HeldMessage } from "./snapshot.js";
import { replaceSupplier, type SupplierAnchors } from "./use-cases/credentials.js";
import { ACTIVATION, activateFirmware, activationOutcome } from "./use-cases/firmware.js";
import { refusal, useCaseFor, ZCL_STATUS, type CommandContext } from "./use-cases/index.js";
import { Wan, seededRandom } from "./wan.js";

export interface EmulatorOptions {
  /** The Access Control Broker's key-agreement certificate: every command's MAC is keyed with it. */
  readonly accessControlBrokerKa: CertificateInput;
  /** Remote parties the devices trust (suppliers, network operators, ...). */
  readonly parties?: readonly TrustAnchorInput[];
  readonly now?: () => Date;
  /** First premises number of fleet EUIs (eui.ts). */
  readonly fleetBase?: number;
  /** Seed of the WAN's loss and latency draws. */
  readonly seed?: number;
  /** Issues device certificates; a new test CA when absent. */
  readonly smki?: TestSmki;
  readonly log?: (line: string) => void;
}

export interface DeviceView {
  readonly deviceId: string;
  readonly kind: DeviceKind;
  readonly hubId: string | null;
  readonly supply: string;
  readonly paymentMode: string;
  /** Meters: meter balance (pence), import register (Wh or litres). */
  readonly credit: number | null;
  readonly register: { readonly value: number; readonly unit: "Wh" | "l" } | null;
  readonly prepayment: Readonly<Record<string, number>> | null;
  readonly firmwareVersion: string;
  readonly tariff: { readonly source: string; readonly values: Readonly<Record<string, unknown>> };
  readonly restrictData: boolean;
  readonly joined: boolean;
  /** The supplier whose trust anchors the device holds since a change of supplier (CS02b); null: every supplier the estate trusts. */
  readonly supplier: string | null;
  readonly wan: { readonly state: WanState; readonly latencyMs: number } | null;
  readonly deviceLog: readonly { readonly deviceId: string; readonly kind: DeviceKind }[];
  readonly pending: readonly { readonly at: string; readonly messageCode: string; readonly originator: string; readonly action: string }[];
  readonly events: readonly { readonly at: string; readonly code: string }[];
  readonly security: readonly { readonly at: string; readonly code: string }[];
}

/** A provisioned block of premises and its inventory records, made on demand. */
export interface FleetProvision {
  readonly firstPremises: number;
  readonly count: number;
  records(): Generator<DeviceRecord>;
  deviceLogs(): Generator<{ chfId: string; deviceIds: string[] }>;
}

type Receiver = (message: { readonly deviceId: string; readonly gbcs: Uint8Array }) => void;

const isoSeconds = (seconds: number) => new Date(seconds * 1000).toISOString();
const hex4 = (code: number) => `0x${code.toString(16).toUpperCase().padStart(4, "0")}`;

export class DeviceEmulator implements DeviceTransport {
  estate: Estate;
  readonly trust = new TrustStore();
  private keys: DeviceKeys;
  private wan: Wan;
  private receiver: Receiver | null = null;
  private hubConnected: ((chfId: string) => void) | null = null;
  private readonly running = new Set<Promise<unknown>>();
  private readonly alertChains = new Map<number, Promise<void>>();
  /** Messages devices sent, waiting for their hub's WAN to come back (kept in snapshots). */
  private readonly outbox = new Map<number, HeldMessage[]>();
  /** Firmware images the CSP holds for a hub whose WAN is down: data, so snapshots keep them. */
  private readonly firmwareHeld = new Map<number, HeldFirmware[]>();
  private readonly now: () => Date;
  private readonly log: (line: string) => void;
  private readonly random: () => number;

  private constructor(private readonly smki: TestSmki, options: EmulatorOptions) {
    this.now = options.now ?? (() => new Date());
    this.log = options.log ?? (() => {});
    this.random = seededRandom(options.seed ?? 1);
    this.estate = new Estate(options.fleetBase);
    this.keys = new DeviceKeys(this.estate, smki);
    this.wan = new Wan(this.estate, () => this.random());
    this.wire();
  }

  static async create(options: EmulatorOptions): Promise<DeviceEmulator> {
    const emulator = new DeviceEmulator(options.smki ?? (await TestSmki.create("OpenDCC Devices Test CA")), options);
    const broker = await emulator.trust.add({ ka: options.accessControlBrokerKa });
    if (broker.eui !== ACCESS_CONTROL_BROKER) throw new Error(`accessControlBrokerKa names ${broker.eui}, not the ACB ${ACCESS_CONTROL_BROKER}`);
    for (const party of options.parties ?? []) await emulator.trust.add(party);
    return emulator;
  }

  private wire(): void {
    this.estate.onAlert = (index, code) => this.raise(index, code, null);
  }

  // --- the estate ---------------------------------------------------------------------------

  add(spec: DeviceSpec): string {
    return this.estate.euiOf(this.estate.add(spec, this.now()));
  }

  /** Adds premises (CHF, GPF, ESME, GSME, IHD each) and describes them as inventory records. */
  provisionFleet(premises: number, options: { prepaymentEvery?: number } = {}): FleetProvision {
    if (!Number.isInteger(premises) || premises < 1) throw new Error(`premises must be a positive integer, not ${premises}`);
    const at = this.now().toISOString();
    const { firstPremises, count } = this.estate.provision(premises, this.now(), options.prepaymentEvery ?? 0);
    const estate = this.estate;
    const eui = (p: number, slot: number) => estate.euiOf(estate.indexOf(fleetEui(estate.fleetBase, p, slot)) as number);
    return {
      firstPremises, count,
      *records() {
        for (let p = firstPremises; p < firstPremises + count; p++) {
          const chf = eui(p, SLOTS.CHF);
          const premisesOf = { postcode: null, address: `Emulated premises ${p}`, uprn: String(200_000_000_000 + p) };
          const record = (slot: number, type: DeviceRecord["type"], extra: Partial<DeviceRecord> = {}): DeviceRecord => ({
            deviceId: eui(p, slot), type, status: "commissioned", manufacturer: "OD02", model: "EMULATED", firmwareVersion: estate.firmwareVersions[0] ?? null,
            mpxn: null, chfId: chf, associatedWith: null, premises: premisesOf, statusChangedAt: at, ...extra,
          });
          yield record(SLOTS.CHF, "CHF");
          yield record(SLOTS.GPF, "GPF");
          yield record(SLOTS.ESME, "ESME", { mpxn: String(1_300_000_000_000 + p) });
          yield record(SLOTS.GSME, "GSME", { mpxn: String(8_000_000 + p), associatedWith: eui(p, SLOTS.GPF) });
          yield record(SLOTS.IHD, "IHD", { associatedWith: eui(p, SLOTS.ESME) });
        }
      },
      *deviceLogs() {
        for (let p = firstPremises; p < firstPremises + count; p++) {
          yield { chfId: eui(p, SLOTS.CHF), deviceIds: [eui(p, SLOTS.GPF), eui(p, SLOTS.ESME), eui(p, SLOTS.GSME), eui(p, SLOTS.IHD)] };
        }
      },
    };
  }

  /** Adds (or replaces) a trusted remote party; cached secrets are dropped. */
  async trustParty(anchor: TrustAnchorInput): Promise<TrustedParty> {
    const party = await this.trust.add(anchor);
    this.keys.forget();
    return party;
  }

  private indexOf(deviceId: string): number {
    const index = this.estate.indexOf(normaliseEui(deviceId));
    if (index === null) throw new Error(`no emulated device ${deviceId}`);
    return index;
  }

  /** The device's key-agreement and digital-signing certificates (made on first request). */
  certificates(deviceId: string): Promise<DeviceCertificates> {
    return this.keys.certificates(this.indexOf(deviceId));
  }

  /** CommandKeys for the gateway, over a ring holding the ACB's KA private key (keys.ts). */
  commandKeys(ring: KeyRing) {
    return lazyCommandKeys(ring, async (deviceId) => {
      if (this.estate.indexOf(deviceId) === null) return null;
      return (await this.certificates(deviceId)).ka.der;
    });
  }

  /** Sets a hub's WAN; a hub coming onto the WAN is reported to the DCC, as the CSP does. */
  setWan(hubId: string, state: WanState, latencyMs = 0): void {
    const hub = this.indexOf(hubId);
    if (powerCutsOf(this.estate).isLost(hub)) {
      // The hub is down (power.ts): the estate checks the setting, which takes effect when the power returns.
      this.estate.setWan(hub, "none", latencyMs);
      return powerCutsOf(this.estate).keepWan(hub, { state, latencyMs });
    }
    const wasDown = this.estate.wanAt(hub).state === "none";
    this.estate.setWan(hub, state, latencyMs);
    if (state === "none") return;
    this.flush(hub);
    if (wasDown) this.hubConnected?.(this.estate.euiOf(hub));
  }

  /**
   * Power lost or restored at a hub's premises (power.ts). Lost: the hub is off the WAN, its WAN
   * setting kept. Restored: the setting comes back and each ESME on the hub logs and sends the
   * signed ECS80 Supply Outage Restore Alert (0x8F35, or 0x8F36 after 3 minutes) to the network operator.
   */
  setPower(hubId: string, state: PowerEvent): PowerChange {
    const hub = this.indexOf(hubId);
    const eui = this.estate.euiOf(hub);
    if (this.estate.kindAt(hub) !== "CHF") throw new Error(`${eui} is a ${this.estate.kindAt(hub)}, not a Communications Hub Function`);
    const cuts = powerCutsOf(this.estate);
    const now = this.now();
    if (state === "lost") {
      const wan = this.estate.wanAt(hub);
      cuts.lose(hub, eui, wan, now);
      this.estate.setWan(hub, "none", wan.latencyMs);
      return { hubId: eui, state, lostAt: now.toISOString(), restoredAt: null, alert: null };
    }
    const outage = cuts.restore(hub, eui);
    this.setWan(eui, outage.wan.state, outage.wan.latencyMs);
    const alert = restorationAlert(outage.since, now);
    const to = networkOperatorOf(this.trust);
    if (!to) this.log(`devices: the devices on hub ${eui} trust no network operator, so no supply outage restore alert (${hex4(alert.code)}) was sent`);
    const esmes = this.estate.hanOf(hub).filter((index) => this.estate.kindAt(index) === "ESME");
    for (const index of esmes) {
      this.estate.log(index, "events", alert.code, now);
      if (to) this.track(this.sendAlert(index, to, SUPPLY_OUTAGE_RESTORE, true, alert.content));
    }
    return {
      hubId: eui, state, lostAt: outage.since.toISOString(), restoredAt: now.toISOString(),
      alert: { code: hex4(alert.code), deviceIds: esmes.map((index) => this.estate.euiOf(index)), to: to?.eui ?? null },
    };
  }

  device(deviceId: string): DeviceView {
    const estate = this.estate;
    const index = this.indexOf(deviceId);
    const now = this.now();
    const kind = estate.kindAt(index);
    const meter = kind === "ESME" || kind === "GSME";
    const hub = estate.hub[index] ?? -1;
    const hot = estate.hot.get(index);
    const flags = estate.flags[index] ?? 0;
    const log = (entries: readonly { at: number; code: number }[] | undefined) => (entries ?? []).map((e) => ({ at: isoSeconds(e.at), code: hex4(e.code) }));
    return {
      deviceId: estate.euiOf(index), kind, hubId: hub >= 0 ? estate.euiOf(hub) : null,
      supply: estate.supplyAt(index), paymentMode: estate.paymentAt(index),
      credit: meter ? Math.round(estate.creditAt(index, now)) : null,
      register: meter ? { value: Math.round(estate.registerAt(index, now)), unit: kind === "ESME" ? "Wh" : "l" } : null,
      prepayment: meter ? { ...estate.prepaymentOf(index) } : null,
      firmwareVersion: estate.firmwareVersions[estate.firmware[index] ?? 0] ?? "",
      tariff: estate.tariffs[estate.tariff[index] ?? 0] ?? { source: "default", values: {} },
      restrictData: (flags & FLAG.restrictData) !== 0, joined: (flags & FLAG.joined) !== 0, supplier: hot?.supplier ?? null,
      wan: kind === "CHF" ? estate.wanAt(index) : null,
      deviceLog: (kind === "CHF" ? estate.hanOf(index).map((i) => ({ eui: estate.euiOf(i), kind: estate.kindAt(i) })) : estate.deviceLogOf(index)).map((e) => ({ deviceId: e.eui, kind: e.kind })),
      pending: (hot?.pending ?? []).map((p) => ({ at: new Date(p.at).toISOString(), messageCode: hex4(p.messageCode), originator: p.originator, action: describeAction(p.action) })),
      events: log(hot?.events), security: log(hot?.security),
    };
  }

  /** Half-hourly import for a meter, [start ISO, Wh or litres][], from its consumption curve. */
  profile(deviceId: string, from: Date, to: Date): [string, number][] {
    const index = this.indexOf(deviceId);
    const kind = this.estate.kindAt(index);
    if (kind !== "ESME" && kind !== "GSME") throw new Error(`${deviceId} is a ${kind}, which records no profile data`);
    return halfHourProfile(meanRate(index, kind === "GSME"), from.getTime() / 1000, to.getTime() / 1000).map(([start, units]) => [isoSeconds(start), Math.round(units)]);
  }

  // --- the transport ------------------------------------------------------------------------

  onHubConnected(receiver: (chfId: string) => void): void {
    this.hubConnected = receiver;
  }

  onMessage(receiver: Receiver): void {
    this.receiver = receiver;
    this.flushConnected();
  }

  async send(command: { readonly requestId: string; readonly deviceId: string; readonly gbcs: Uint8Array }): Promise<void> {
    const index = this.indexOf(command.deviceId);
    const kind = this.estate.kindAt(index);
    if (kind === "IHD" || kind === "CAD" || kind === "PPMID" || kind === "HCALCS") throw new Error(`${command.deviceId} is a ${kind}, which takes no commands over the WAN`);
    const hub = this.estate.hub[index] ?? -1;
    if (hub < 0) throw new Error(`${command.deviceId} is on no communications hub's HAN, so the WAN cannot reach it`);
    let frame: Frame;
    try {
      frame = parseFrame(command.gbcs);
    } catch (error) {
      if (error instanceof FrameError) throw new Error(`not a GBCS command: ${error.message}`);
      throw error;
    }
    // ASN.1 use cases have no generic failure response (use-cases/refusal.ts): say so here.
    const useCase = useCaseFor(frame.messageCode);
    if ((!useCase || !useCase.kinds.includes(kind)) && ASN1_MESSAGE_CODES.has(frame.messageCode)) {
      throw new Error(`the emulated ${kind} does not carry out message code ${hex4(frame.messageCode)} yet`);
    }
    powerCutsOf(this.estate).check(hub, this.estate.euiOf(hub));
    const delay = this.wan.delay(hub);
    this.track(after(delay).then(() => this.process(index, command.gbcs, frame)));
  }

  /** Resolves when every command and message in flight has been handled (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.allSettled([...this.running]);
  }

  private track(work: Promise<unknown>): void {
    const guarded = work.catch((error: unknown) => this.log(`devices: ${(error as Error).message}`));
    this.running.add(guarded);
    void guarded.finally(() => this.running.delete(guarded));
  }

  private async process(index: number, message: Uint8Array, frame: Frame): Promise<void> {
    const me = this.estate.euiOf(index);
    if (frame.cra !== 1) return this.log(`devices: ${me} ignored a message with CRA flag ${frame.cra}`);
    const useCase = useCaseFor(frame.messageCode);
    const checked = await checkCommand({ estate: this.estate, trust: this.trust, keys: this.keys, index, message, frame, useCase });
    const now = this.now();
    if (!checked.ok) {
      this.estate.log(index, "security", checked.alert, now);
      this.log(`devices: ${me} rejected command ${checked.header.counter} from ${checked.header.originator}: ${checked.reason} (alert ${hex4(checked.alert)})`);
      this.raise(index, checked.alert, checked.sender);
      return;
    }
    const { header, sender } = checked;
    let parsed: ParsedMessage;
    try {
      parsed = await parseGbcs(message);
    } catch (error) {
      this.log(`devices: ${me} could not read command ${header.counter}: ${(error as Error).message}`);
      this.estate.log(index, "security", 0x8f1e, now);
      return;
    }
    const kind = this.estate.kindAt(index);
    const alerts: number[] = [];
    let content: Uint8Array | null;
    if (useCase && useCase.kinds.includes(kind)) {
      try {
        content = await useCase.execute(this.contextFor(index, kind, header, parsed, sender, message, frame, now, alerts));
      } catch (error) {
        this.log(`devices: ${me} refused ${useCase.name} ${header.counter}: ${(error as Error).message}`);
        content = refusal(parsed, header.counter, ZCL_STATUS.invalidField);
      }
    } else {
      this.log(`devices: ${me} (${kind}) does not carry out ${parsed.useCase ?? hex4(header.messageCode)} yet; answered with an error`);
      content = refusal(parsed, header.counter);
    }
    if (!content) return;
    const signed = frame.signature === "present";
    const otherInfo = message.subarray(frame.otherInfo.offset, frame.otherInfo.offset + frame.otherInfo.length);
    const protection: Protection = signed ? { signWith: await this.keys.signingKey(index) } : { macWith: await this.keys.secretWith(index, sender, "ka") };
    const response = await deviceMessage({
      cra: 2, counter: header.counter, originator: me, recipient: header.originator, otherInfo,
      dateTime: useCase?.dateTime ? now : null,
    }, content, protection);
    this.emit(index, response);
    for (const code of alerts) this.raise(index, code, sender);
  }

  private contextFor(
    index: number, kind: DeviceKind, header: Header, command: ParsedMessage, sender: TrustedParty, message: Uint8Array, frame: Frame, now: Date, alerts: number[],
  ): CommandContext {
    const other = message.subarray(frame.otherInfo.offset, frame.otherInfo.offset + frame.otherInfo.length);
    // gbcs.md 7: blocks are for the supplementary remote party when there is one, keyed with the
    // supplementary originator counter when there is one.
    const partyEui = other.length >= 10 ? toHex(other.subarray(2, 10)) : sender.eui;
    const counter = other.length >= 26 ? other.slice(18, 26) : counterBytes(header.counter);
    return {
      estate: this.estate, index, kind, now, header, command, sender,
      seal: async (plaintext) => {
        const party = this.trust.get(partyEui);
        if (!party) throw new Error(`no key-agreement trust anchor for ${partyEui} to encrypt the response for`);
        const sharedSecret = await this.keys.secretWith(index, party, "ka");
        return sealBlock({ sharedSecret, originator: fromHex(header.recipient), party: fromHex(partyEui), counter }, plaintext);
      },
      checkUtrn: async (utrn) => checkUtrn(utrn, { key: await this.keys.secretWith(index, sender, "ppKa"), supplier: sender.eui, device: header.recipient }),
      alert: (code) => void alerts.push(code),
      anchors: () => this.anchorsOf(index),
      hold: (pending) => {
        const hot = this.estate.hotState(index);
        hot.pending.push({ ...pending, originator: sender.eui, counter: header.counter, messageCode: header.messageCode });
        this.estate.withPending.add(index);
      },
    };
  }

  // --- alerts and the clock -----------------------------------------------------------------

  /**
   * Raises an alert from a device (alerts.ts): to `to`, or the estate's supplier. Critical ones
   * are the signed 0x1000 alert, others the MAC'd 0x1001; ESME and hub alerts are DLMS, gas GBZ.
   */
  private raise(index: number, code: number, to: TrustedParty | null): void {
    const recipient = to?.ka ? to : this.anchorsOf(index).current;
    if (!recipient) return this.log(`devices: ${this.estate.euiOf(index)} has no remote party to send alert ${hex4(code)} to`);
    const critical = alertSpec(code).critical;
    this.track(this.sendAlert(index, recipient, critical ? GENERIC_CRITICAL : GENERIC_NON_CRITICAL, critical, (counter, at) =>
      (this.isGas(index) ? gbzAlert(code, zigbeeSeconds(at)) : notification(counter, code, at))));
  }

  /** The supplier whose anchors the device holds (after a CS02b), else the estate's first supplier. */
  private anchorsOf(index: number): SupplierAnchors {
    const chosen = this.estate.hot.get(index)?.supplier;
    return { current: (chosen ? this.trust.get(chosen) : undefined) ?? this.trust.supplier(), party: (eui) => this.trust.get(eui) };
  }

  private isGas(index: number): boolean {
    const kind = this.estate.kindAt(index);
    return kind === "GSME" || kind === "GPF";
  }

  /** A device's alerts leave in the order it raised them (each waits for the one before). */
  private sendAlert(index: number, to: TrustedParty, messageCode: number, signed: boolean, content: (counter: bigint, at: Date) => Uint8Array): Promise<void> {
    const previous = this.alertChains.get(index) ?? Promise.resolve();
    const next = previous.then(() => this.buildAlert(index, to, messageCode, signed, content));
    const settled = next.catch(() => {});
    this.alertChains.set(index, settled);
    void settled.then(() => {
      if (this.alertChains.get(index) === settled) this.alertChains.delete(index);
    });
    return next;
  }

  private async buildAlert(index: number, to: TrustedParty, messageCode: number, signed: boolean, content: (counter: bigint, at: Date) => Uint8Array): Promise<void> {
    const hot = this.estate.hotState(index);
    const counter = ++hot.alertCounter;
    const at = this.now();
    const protection: Protection = signed ? { signWith: await this.keys.signingKey(index) } : { macWith: await this.keys.secretWith(index, to, "ka") };
    const alert = await deviceMessage({
      cra: 3, counter, originator: this.estate.euiOf(index), recipient: to.eui, otherInfo: messageCodeBytes(messageCode), dateTime: null,
    }, content(counter, at), protection);
    this.emit(index, alert);
  }

  /**
   * Moves the clock on: carries out future-dated commands whose time has come (each with its
   * 0x8F66 alert to the party that sent it) and settles prepayment meters (low credit,
   * disablement). The plugin runs it every second; tests call it after moving their clock.
   */
  async tick(): Promise<void> {
    const now = this.now();
    for (const index of [...this.estate.withPending]) {
      const hot = this.estate.hotState(index);
      const due = hot.pending.filter((p) => p.at <= now.getTime());
      if (due.length === 0) continue;
      hot.pending.splice(0, hot.pending.length, ...hot.pending.filter((p) => p.at > now.getTime()));
      if (hot.pending.length === 0) this.estate.withPending.delete(index);
      for (const pending of due) this.carryOut(index, pending, now);
    }
    for (const index of this.estate.prepaymentMeters) this.estate.settle(index, now);
    await this.idle();
  }

  private carryOut(index: number, pending: PendingCommand, now: Date): void {
    let succeeded = true;
    let asn1: { messageCode: number; content: (code: number) => Uint8Array } | null = null;
    const at = new Date(pending.at);
    const action = pending.action;
    if (action.kind === "supply") {
      this.estate.setSupply(index, action.state, now);
    } else if (action.kind === "tariff") {
      this.estate.tariff[index] = action.tariff;
    } else if (action.kind === "firmware") {
      const outcome = activateFirmware(this.estate, index, action.hash);
      succeeded = outcome === ACTIVATION.success;
      if (succeeded) this.estate.log(index, "events", ALERT.firmwareChanged, now);
      // RTDS CS06 8F66/8F67 alerts: { alert code, execution time, originator counter, outcome }.
      const result = activationOutcome(this.estate, index, outcome);
      asn1 = { messageCode: FUTURE_DATED_FIRMWARE, content: (code) => derSequence(derInteger(code), derGeneralizedTime(at), derInteger(pending.counter), result) };
    } else {
      const { outcome, replaced } = replaceSupplier(this.estate, index, this.anchorsOf(index), action.update);
      succeeded = replaced;
      // RTDS CS02b 8F66 alert: { alert code, execution time, execution outcome }.
      asn1 = { messageCode: FUTURE_DATED_CREDENTIALS, content: (code) => derSequence(derInteger(code), derGeneralizedTime(at), outcome) };
    }
    const code = succeeded ? ALERT.futureDatedSuccess : ALERT.futureDatedFailure;
    this.estate.log(index, "events", code, now);
    const to = this.trust.get(pending.originator) ?? null;
    if (!to) return this.log(`devices: the sender ${pending.originator} of a future-dated command is no longer trusted; no alert`);
    const deferred = pending.alert.deferred;
    if (asn1) {
      const content = asn1.content(code);
      return this.track(this.sendAlert(index, to, asn1.messageCode, true, () => content));
    }
    this.track(pending.alert.family === "dlms"
      ? this.sendAlert(index, to, FUTURE_DATED_DLMS, true, (counter) => notification(counter, ALERT.futureDatedSuccess, at, [(w) => w.dlmsOctets(deferred)]))
      : this.sendAlert(index, to, FUTURE_DATED_GBZ, true, () => gbzAlert(ALERT.futureDatedSuccess, zigbeeSeconds(at), 1, concatBytes(Uint8Array.of(deferred.length), deferred))));
  }

  // --- firmware distribution ----------------------------------------------------------------

  /**
   * The CSP's part of SRV 11.1: takes a firmware image to a meter through its hub, holding it
   * while the hub's WAN is down and retrying lost transfers on an intermittent one. The meter
   * checks the image (its OTA header, and that a device-specific file is for it): a good one is
   * kept for activation (CS06) with 0x8F72 logged and a signed Firmware Distribution Receipt Alert
   * (0x00CE DLMS or 0x00CF GBZ, RTDS FDRA) carrying its hash; a bad one is dropped with 0x8F1C.
   */
  async distributeFirmware(distribution: { readonly requestId: string; readonly deviceId: string; readonly image: Uint8Array }): Promise<void> {
    const index = this.indexOf(distribution.deviceId);
    const kind = this.estate.kindAt(index);
    if (kind !== "ESME" && kind !== "GSME") throw new Error(`${distribution.deviceId} is a ${kind}; emulated firmware goes to meters, which activate it with CS06`);
    const hub = this.estate.hub[index] ?? -1;
    if (hub < 0) throw new Error(`${distribution.deviceId} is on no communications hub's HAN, so the WAN cannot reach it`);
    const image = distribution.image.slice();
    if (this.estate.wanAt(hub).state === "none") {
      const held = this.firmwareHeld.get(hub) ?? [];
      held.push({ deviceId: this.estate.euiOf(index), image });
      this.firmwareHeld.set(hub, held);
    } else {
      this.transferFirmware(index, hub, image);
    }
  }

  private transferFirmware(index: number, hub: number, image: Uint8Array): void {
    this.track(after(this.transferDelay(hub)).then(() => this.receiveFirmware(index, image)));
  }

  /**
   * How long a transfer the CSP carries (a firmware image, a device's message to the DCC) takes
   * over the hub's WAN: lost attempts on an intermittent WAN are retried, each after the latency.
   */
  private transferDelay(hub: number): number {
    let waited = 0;
    for (let attempt = 0; attempt < MAX_TRANSFER_ATTEMPTS; attempt++) {
      try {
        return waited + this.wan.delay(hub);
      } catch {
        waited += this.estate.wanAt(hub).latencyMs;
      }
    }
    throw new Error(`nothing got through to or from communications hub ${this.estate.euiOf(hub)} in ${MAX_TRANSFER_ATTEMPTS} attempts`);
  }

  private receiveFirmware(index: number, image: Uint8Array): void {
    const now = this.now();
    const to = this.anchorsOf(index).current;
    let header;
    try {
      header = readFirmwareImage(image);
      if (header.destination !== null && header.destination !== this.estate.euiOf(index)) throw new FirmwareImageError(`the image is for device ${header.destination}`);
    } catch (error) {
      if (!(error instanceof FirmwareImageError)) throw error;
      this.log(`devices: ${this.estate.euiOf(index)} rejected a firmware image: ${error.message}`);
      this.estate.log(index, "events", ALERT.firmwareFailedVerification, now);
      return this.raise(index, ALERT.firmwareFailedVerification, null);
    }
    const hash = fromHex(firmwareImageHash(image));
    this.estate.hotState(index).firmwareImage = { version: header.fileVersion, hash: toHex(hash) };
    this.estate.log(index, "events", ALERT.firmwareVerified, now);
    if (!to) return this.log(`devices: ${this.estate.euiOf(index)} has no remote party to send its firmware receipt to`);
    if (this.isGas(index)) {
      this.track(this.sendAlert(index, to, FIRMWARE_RECEIPT_GBZ, true, (_counter, at) => gbzAlert(ALERT.firmwareVerified, zigbeeSeconds(at), 1, concatBytes(Uint8Array.of(0x09, hash.length), hash))));
    } else {
      this.track(this.sendAlert(index, to, FIRMWARE_RECEIPT_DLMS, true, (counter, at) => notification(counter, ALERT.firmwareVerified, at, [(w) => w.dlmsOctets(hash)])));
    }
  }

  // --- the WAN, inbound ---------------------------------------------------------------------

  private emit(index: number, message: Uint8Array): void {
    const hub = this.estate.hub[index] ?? -1;
    const deviceId = this.estate.euiOf(index);
    if (this.estate.wanAt(hub).state === "none") {
      const held = this.outbox.get(hub) ?? [];
      held.push({ deviceId, gbcs: message });
      this.outbox.set(hub, held);
      return;
    }
    let delay: number;
    try {
      delay = this.transferDelay(hub);
    } catch (error) {
      return this.log(`devices: a message from ${deviceId} was lost: ${(error as Error).message}`);
    }
    this.track(after(delay).then(() => this.receiver?.({ deviceId, gbcs: message })));
  }

  /** Sends what waited for the hub's WAN to come back. */
  private flush(hub: number): void {
    const held = this.outbox.get(hub) ?? [];
    this.outbox.delete(hub);
    for (const message of held) this.track(Promise.resolve().then(() => this.receiver?.(message)));
    const images = this.firmwareHeld.get(hub) ?? [];
    this.firmwareHeld.delete(hub);
    for (const { deviceId, image } of images) this.transferFirmware(this.indexOf(deviceId), hub, image);
  }

  /** Flushes what a snapshot held for hubs it restored on the WAN (held only for hubs without). */
  private flushConnected(): void {
    for (const hub of new Set([...this.outbox.keys(), ...this.firmwareHeld.keys()])) {
      if (this.estate.wanAt(hub).state !== "none") this.flush(hub);
    }
  }

  // --- snapshots ----------------------------------------------------------------------------

  /**
   * The whole estate as msgpack bytes (snapshot.ts); keys included, trust anchors not; with what
   * the CSP holds for hubs whose WAN is down (devices' messages, firmware images).
   */
  snapshot(): Uint8Array {
    return saveEstate(this.estate, { messages: this.outbox, firmware: this.firmwareHeld });
  }

  /**
   * Replaces the estate, and what the CSP holds, with a snapshot's. What is held stays held until
   * the hub's WAN comes back (setWan); for a hub restored on the WAN it goes at once, or as soon
   * as there is a receiver (the gateway registers one after the restore in `opendcc start`).
   */
  restore(bytes: Uint8Array): void {
    const { estate, csp } = restoreEstate(bytes);
    this.estate = estate;
    this.keys = new DeviceKeys(this.estate, this.smki);
    this.wan = new Wan(this.estate, () => this.random());
    this.outbox.clear();
    this.firmwareHeld.clear();
    for (const [hub, messages] of csp.messages) this.outbox.set(hub, [...messages]);
    for (const [hub, images] of csp.firmware) this.firmwareHeld.set(hub, [...images]);
    this.wire();
    if (this.receiver) this.flushConnected();
  }
}

function describeAction(action: PendingCommand["action"]): string {
  if (action.kind === "supply") return `supply ${action.state}`;
  if (action.kind === "tariff") return `tariff ${action.tariff}`;
  if (action.kind === "firmware") return `firmware ${action.hash}`;
  return "credentials";
}

/** How often the CSP tries a transfer over an intermittent WAN before it gives up. */
const MAX_TRANSFER_ATTEMPTS = 100;

const after = (ms: number) => new Promise<void>((resolve) => (ms > 0 ? setTimeout(resolve, ms) : queueMicrotask(resolve)));
