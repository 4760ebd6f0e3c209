// The emulated estate: every device's state in typed arrays (one slot per device, a few dozen
// bytes each), and a small "hot" object only for devices that have been talked to (counters,
// keys, logs, future-dated commands). Registers and profiles are derived from the clock
// (consumption.ts), so an idle device stores no readings at all.
import { meanRate, usedBetween } from "./consumption.js";
import { SLOTS, SLOTS_PER_PREMISES, fleetEui, normaliseEui, parseFleetEui } from "./eui.js";
import { PAYMENT, SUPPLY, WAN, kindCode, kindOf, type DeviceKind, type PaymentMode, type SupplyState, type WanState } from "./model.js";

/** Flag bits of a device slot. */
export const FLAG = {
  /** GBCS restrict-data flag (ESME/GSME: no data to Type 2 devices beyond the essentials). */
  restrictData: 1,
  /** On its hub's HAN (in the CHF device log). */
  joined: 2,
  /** The low-credit alert was raised and has not been cleared by a top-up. */
  lowCreditRaised: 4,
  /** Supply was disabled for lack of credit (a top-up arms it again). */
  disabledForCredit: 8,
} as const;

export interface LogEntry {
  /** Unix seconds. */
  readonly at: number;
  /** GBCS event/alert code. */
  readonly code: number;
}

/** A future-dated command a device holds until its time (GBCS "device-pattern" future dating). */
export interface PendingCommand {
  /** Unix milliseconds. */
  readonly at: number;
  readonly originator: string;
  readonly counter: bigint;
  readonly messageCode: number;
  /** What happens at the time. */
  readonly action:
    | { readonly kind: "supply"; readonly state: SupplyState }
    | { readonly kind: "tariff"; readonly tariff: number }
    | { readonly kind: "firmware"; readonly hash: string }
    /** CS02b: the command's parsed fields, replayed at the time. */
    | { readonly kind: "credentials"; readonly update: unknown };
  /**
   * How the outcome alert names the deferred command: DLMS (0x00CC) or GBZ (0x00CD) layout and its
   * bytes; ASN.1 (0x00CA firmware, 0x00CB credentials) carries its outcome instead (deferred is empty).
   */
  readonly alert: { readonly family: "dlms" | "gbz" | "asn1"; readonly deferred: Uint8Array };
}

export interface DeviceLogEntry {
  readonly eui: string;
  readonly kind: DeviceKind;
}

/** A device's keys as stored (and snapshotted): certificates and PKCS#8 private keys. */
export interface StoredKeys {
  readonly kaCertificate: Uint8Array;
  readonly kaPrivate: Uint8Array;
  readonly dsCertificate: Uint8Array;
  readonly dsPrivate: Uint8Array;
}

export interface PrepaymentSettings {
  /** Pence. */
  lowCreditThreshold: number;
  disablementThreshold: number;
  emergencyCreditLimit: number;
  debt: number;
}

/** What only talked-to devices carry. */
export interface HotState {
  /** Highest originator counter accepted, per remote party (GBCS: counter must increase). */
  readonly counters: Map<string, bigint>;
  /** The device's own counter for the alerts it originates. */
  alertCounter: bigint;
  keys: StoredKeys | null;
  readonly events: LogEntry[];
  readonly security: LogEntry[];
  readonly pending: PendingCommand[];
  /** Meters: the HAN devices it works with, when changed from the premises' default. */
  deviceLog: DeviceLogEntry[] | null;
  /** Counter of the last UTRN accepted (a token must be newer). */
  lastTopUp: bigint;
  /** Null: the estate's defaults. */
  prepayment: PrepaymentSettings | null;
  /**
   * Meters and GPFs: the supplier whose trust anchors the device holds since a change of supplier
   * (CS02b); absent, any supplier the estate trusts.
   */
  supplier?: string | null;
  /** A firmware image distributed to the device and verified, waiting for activation (CS06). */
  firmwareImage?: FirmwareImage | null;
}

export interface FirmwareImage {
  readonly version: string;
  /** SHA-256 of the image, hex: what an activation (CS06) must name. */
  readonly hash: string;
}

/** A tariff as the device holds it: what the supplier set, by "class/OBIS/attribute". */
export interface Tariff {
  readonly source: string;
  readonly values: Readonly<Record<string, unknown>>;
}

export interface DeviceSpec {
  readonly deviceId: string;
  readonly kind: DeviceKind;
  /** The CHF whose HAN it is on (a CHF is its own hub). */
  readonly hubId?: string | null;
  readonly supply?: SupplyState;
  readonly payment?: PaymentMode;
  /** Meter balance, pence. */
  readonly credit?: number;
  readonly firmwareVersion?: string;
  /** On its hub's HAN from the start (default); false for a device installed but not yet joined (8.11 joins it). */
  readonly joined?: boolean;
}

interface FleetRange {
  readonly firstPremises: number;
  readonly count: number;
  readonly start: number;
}

const LOG_LIMIT = 100;
export const DEFAULT_PREPAYMENT: Readonly<PrepaymentSettings> = { lowCreditThreshold: 500, disablementThreshold: 0, emergencyCreditLimit: 500, debt: 0 };
/** Pence per kWh (electricity) and per m³ (gas), until tariffs drive the price. */
export const PRICE = { electricity: 25, gas: 70 } as const;
export const DEFAULT_FIRMWARE = "00010000";

type Alerting = (index: number, code: number) => void;

export class Estate {
  size = 0;
  private capacity = 0;
  kind = new Uint8Array(0);
  hub = new Int32Array(0);
  supply = new Uint8Array(0);
  payment = new Uint8Array(0);
  flags = new Uint8Array(0);
  wan = new Uint8Array(0);
  /** Hubs: mean WAN latency, ms. */
  latency = new Uint16Array(0);
  firmware = new Uint16Array(0);
  tariff = new Uint16Array(0);
  /** Meter balance, pence (at `since`). */
  credit = new Int32Array(0);
  /** Import register at `since`: Wh (electricity) or litres (gas). */
  register = new Float64Array(0);
  /** Unix seconds the register and credit were last brought up to date. */
  since = new Float64Array(0);

  readonly explicit = new Map<string, number>();
  readonly explicitEuis = new Map<number, string>();
  readonly ranges: FleetRange[] = [];
  premises = 0;
  readonly firmwareVersions: string[] = [DEFAULT_FIRMWARE];
  readonly tariffs: Tariff[] = [{ source: "default", values: {} }];
  readonly hot = new Map<number, HotState>();
  /** Devices holding future-dated commands, and prepayment meters (checked on each tick). */
  readonly withPending = new Set<number>();
  readonly prepaymentMeters = new Set<number>();
  /** Raised when a state change causes an alert (low credit, supply disabled, ...). */
  onAlert: Alerting = () => {};

  constructor(readonly fleetBase = 0x20000000) {}

  /** Makes room for `more` devices without repeated growth. */
  reserve(more: number): void {
    const needed = this.size + more;
    if (needed <= this.capacity) return;
    const capacity = Math.max(needed, this.capacity * 2, 16);
    const grow = <T extends Uint8Array | Uint16Array | Int32Array | Float64Array>(old: T, make: (n: number) => T): T => {
      const next = make(capacity);
      next.set(old as never);
      return next;
    };
    this.kind = grow(this.kind, (n) => new Uint8Array(n));
    this.hub = grow(this.hub, (n) => new Int32Array(n));
    this.supply = grow(this.supply, (n) => new Uint8Array(n));
    this.payment = grow(this.payment, (n) => new Uint8Array(n));
    this.flags = grow(this.flags, (n) => new Uint8Array(n));
    this.wan = grow(this.wan, (n) => new Uint8Array(n));
    this.latency = grow(this.latency, (n) => new Uint16Array(n));
    this.firmware = grow(this.firmware, (n) => new Uint16Array(n));
    this.tariff = grow(this.tariff, (n) => new Uint16Array(n));
    this.credit = grow(this.credit, (n) => new Int32Array(n));
    this.register = grow(this.register, (n) => new Float64Array(n));
    this.since = grow(this.since, (n) => new Float64Array(n));
    this.capacity = capacity;
  }

  /** Adds one device by its own EUI (tests, the RTDS estate, a hand-built premises). */
  add(spec: DeviceSpec, now: Date): number {
    const eui = normaliseEui(spec.deviceId);
    if (this.indexOf(eui) !== null) throw new Error(`device ${eui} is already in the estate`);
    this.reserve(1);
    const index = this.size++;
    this.explicit.set(eui, index);
    this.explicitEuis.set(index, eui);
    const hub = spec.kind === "CHF" ? index : spec.hubId ? this.indexOf(normaliseEui(spec.hubId)) : -1;
    if (hub === null) throw new Error(`hub ${spec.hubId} of ${eui} is not in the estate`);
    this.initialise(index, spec.kind, hub, now.getTime() / 1000);
    if (spec.supply) this.supply[index] = SUPPLY.indexOf(spec.supply);
    if (spec.payment) this.setPayment(index, spec.payment);
    if (spec.credit !== undefined) this.credit[index] = spec.credit;
    if (spec.firmwareVersion) this.firmware[index] = this.firmwareIndex(spec.firmwareVersion);
    if (spec.joined === false && spec.kind !== "CHF") this.flags[index] = (this.flags[index] ?? 0) & ~FLAG.joined;
    return index;
  }

  /**
   * Adds `count` premises, each a CHF, GPF, ESME, GSME and IHD on the CHF's HAN, numbered after
   * the ones already there; `prepaymentEvery` n-th premises has prepayment meters.
   */
  provision(count: number, now: Date, prepaymentEvery = 0): { firstPremises: number; count: number } {
    const firstPremises = this.premises;
    const start = this.size;
    this.reserve(count * SLOTS_PER_PREMISES);
    const seconds = now.getTime() / 1000;
    for (let p = 0; p < count; p++) {
      const at = start + p * SLOTS_PER_PREMISES;
      const hub = at + SLOTS.CHF;
      this.initialise(at + SLOTS.CHF, "CHF", hub, seconds);
      this.initialise(at + SLOTS.GPF, "GPF", hub, seconds);
      this.initialise(at + SLOTS.ESME, "ESME", hub, seconds);
      this.initialise(at + SLOTS.GSME, "GSME", hub, seconds);
      this.initialise(at + SLOTS.IHD, "IHD", hub, seconds);
      if (prepaymentEvery > 0 && (firstPremises + p) % prepaymentEvery === 0) {
        this.setPayment(at + SLOTS.ESME, "prepayment");
        this.setPayment(at + SLOTS.GSME, "prepayment");
      }
    }
    this.size = start + count * SLOTS_PER_PREMISES;
    this.ranges.push({ firstPremises, count, start });
    this.premises += count;
    return { firstPremises, count };
  }

  private initialise(index: number, kind: DeviceKind, hub: number, seconds: number): void {
    this.kind[index] = kindCode(kind);
    this.hub[index] = hub;
    this.flags[index] = FLAG.joined;
    this.since[index] = seconds;
    if (kind === "ESME" || kind === "GSME") {
      this.credit[index] = 1000;
      // A register that has been running a while, different per meter.
      this.register[index] = Math.round(meanRate(index, kind === "GSME") * 24 * 365);
    }
  }

  setPayment(index: number, mode: PaymentMode): void {
    this.payment[index] = PAYMENT.indexOf(mode);
    if (mode === "prepayment") this.prepaymentMeters.add(index);
    else this.prepaymentMeters.delete(index);
  }

  indexOf(eui: string): number | null {
    const explicit = this.explicit.get(eui);
    if (explicit !== undefined) return explicit;
    const fleet = parseFleetEui(this.fleetBase, eui);
    if (!fleet) return null;
    const range = this.ranges.find((r) => fleet.premises >= r.firstPremises && fleet.premises < r.firstPremises + r.count);
    if (!range) return null;
    const index = range.start + (fleet.premises - range.firstPremises) * SLOTS_PER_PREMISES + fleet.slot;
    return this.kind[index] ? index : null;
  }

  euiOf(index: number): string {
    const explicit = this.explicitEuis.get(index);
    if (explicit) return explicit;
    const range = this.ranges.find((r) => index >= r.start && index < r.start + r.count * SLOTS_PER_PREMISES);
    if (!range) throw new Error(`no device at index ${index}`);
    const offset = index - range.start;
    return fleetEui(this.fleetBase, range.firstPremises + Math.floor(offset / SLOTS_PER_PREMISES), offset % SLOTS_PER_PREMISES);
  }

  kindAt(index: number): DeviceKind {
    const kind = kindOf(this.kind[index] ?? 0);
    if (!kind) throw new Error(`no device at index ${index}`);
    return kind;
  }

  supplyAt(index: number): SupplyState {
    return SUPPLY[this.supply[index] ?? 0] ?? "enabled";
  }

  paymentAt(index: number): PaymentMode {
    return PAYMENT[this.payment[index] ?? 0] ?? "credit";
  }

  wanAt(hub: number): { state: WanState; latencyMs: number } {
    return { state: WAN[this.wan[hub] ?? 0] ?? "connected", latencyMs: this.latency[hub] ?? 0 };
  }

  setWan(hub: number, state: WanState, latencyMs: number): void {
    if (this.kindAt(hub) !== "CHF") throw new Error(`${this.euiOf(hub)} is a ${this.kindAt(hub)}, not a Communications Hub Function`);
    if (!(latencyMs >= 0 && latencyMs <= 65_535)) throw new Error(`latency ${latencyMs} ms is outside 0-65535`);
    this.wan[hub] = WAN.indexOf(state);
    this.latency[hub] = latencyMs;
  }

  firmwareIndex(version: string): number {
    let index = this.firmwareVersions.indexOf(version);
    if (index < 0) index = this.firmwareVersions.push(version) - 1;
    return index;
  }

  /** Stores a tariff once (identical tariffs share an entry) and returns its number. */
  tariffIndex(tariff: Tariff): number {
    const text = JSON.stringify(tariff);
    const found = this.tariffs.findIndex((t) => JSON.stringify(t) === text);
    if (found >= 0) return found;
    if (this.tariffs.length >= 0xffff) throw new Error("the estate holds 65535 distinct tariffs already");
    return this.tariffs.push(tariff) - 1;
  }

  hotState(index: number): HotState {
    let hot = this.hot.get(index);
    if (!hot) {
      hot = { counters: new Map(), alertCounter: 0n, keys: null, events: [], security: [], pending: [], deviceLog: null, lastTopUp: 0n, prepayment: null };
      this.hot.set(index, hot);
    }
    return hot;
  }

  prepaymentOf(index: number): Readonly<PrepaymentSettings> {
    return this.hot.get(index)?.prepayment ?? DEFAULT_PREPAYMENT;
  }

  log(index: number, which: "events" | "security", code: number, at: Date): void {
    const entries = this.hotState(index)[which];
    entries.push({ at: Math.floor(at.getTime() / 1000), code });
    if (entries.length > LOG_LIMIT) entries.shift();
  }

  /** The premises' other devices: what a meter's HAN device log holds until changed (CS03/CS04). */
  deviceLogOf(index: number): DeviceLogEntry[] {
    const stored = this.hot.get(index)?.deviceLog;
    if (stored) return stored;
    const hub = this.hub[index] ?? -1;
    const kind = this.kindAt(index);
    if (hub < 0 || (kind !== "ESME" && kind !== "GSME")) return [];
    const entries: DeviceLogEntry[] = [];
    for (const member of this.hanOf(hub)) {
      const memberKind = this.kindAt(member);
      // The gas meter talks to the GPF and the HAN's Type 2 devices; the ESME to the Type 2 devices.
      if (memberKind === "IHD" || memberKind === "CAD" || memberKind === "PPMID" || (kind === "GSME" && memberKind === "GPF")) {
        entries.push({ eui: this.euiOf(member), kind: memberKind });
      }
    }
    return entries;
  }

  /** Puts a device on a hub's HAN (the CHF registered it: CCS01) or takes it off (CCS02). */
  setJoined(index: number, hub: number, joined: boolean): void {
    this.hub[index] = hub;
    this.flags[index] = joined ? (this.flags[index] ?? 0) | FLAG.joined : (this.flags[index] ?? 0) & ~FLAG.joined;
  }

  /** Devices on a hub's HAN (its CHF device log), excluding the hub. */
  hanOf(hub: number): number[] {
    const members: number[] = [];
    const range = this.ranges.find((r) => hub >= r.start && hub < r.start + r.count * SLOTS_PER_PREMISES);
    if (range) {
      const first = hub - SLOTS.CHF;
      for (let i = first; i < first + SLOTS_PER_PREMISES; i++) if (i !== hub && this.kind[i] && this.hub[i] === hub && (this.flags[i] ?? 0) & FLAG.joined) members.push(i);
    }
    for (const index of this.explicitEuis.keys()) if (index !== hub && this.hub[index] === hub && (this.flags[index] ?? 0) & FLAG.joined) members.push(index);
    return members;
  }

  /** Register value now (Wh or litres): what was there, plus what was used while supply was on. */
  registerAt(index: number, now: Date): number {
    const kind = this.kindAt(index);
    if (kind !== "ESME" && kind !== "GSME") return 0;
    return (this.register[index] ?? 0) + this.usedSince(index, now);
  }

  private usedSince(index: number, now: Date): number {
    if (this.supplyAt(index) !== "enabled") return 0;
    return usedBetween(meanRate(index, this.kindAt(index) === "GSME"), this.since[index] ?? 0, now.getTime() / 1000);
  }

  /** Meter balance now, pence. */
  creditAt(index: number, now: Date): number {
    return (this.credit[index] ?? 0) - (this.paymentAt(index) === "prepayment" ? this.costOf(index, this.usedSince(index, now)) : 0);
  }

  private costOf(index: number, units: number): number {
    return this.kindAt(index) === "GSME" ? (units / 1000) * PRICE.gas : (units / 1000) * PRICE.electricity;
  }

  /**
   * Brings a meter's register and balance up to `now` and applies what follows from them:
   * credit below the low-credit threshold raises 0x810D (Table 5.4 A10); at the disablement
   * threshold the supply is disabled and 0x8F0F raised (A11).
   */
  settle(index: number, now: Date): void {
    const kind = this.kindOf(index);
    if (kind !== "ESME" && kind !== "GSME") return;
    const used = this.usedSince(index, now);
    this.register[index] = (this.register[index] ?? 0) + used;
    if (this.paymentAt(index) === "prepayment") this.credit[index] = Math.round((this.credit[index] ?? 0) - this.costOf(index, used));
    this.since[index] = now.getTime() / 1000;
    if (this.paymentAt(index) !== "prepayment" || this.supplyAt(index) !== "enabled") return;
    const settings = this.prepaymentOf(index);
    const credit = this.credit[index] ?? 0;
    const flags = this.flags[index] ?? 0;
    if (credit < settings.lowCreditThreshold && !(flags & FLAG.lowCreditRaised)) {
      this.flags[index] = flags | FLAG.lowCreditRaised;
      this.log(index, "events", 0x810d, now);
      this.onAlert(index, 0x810d);
    }
    if (credit <= settings.disablementThreshold) {
      this.supply[index] = SUPPLY.indexOf("disabled");
      this.flags[index] = (this.flags[index] ?? 0) | FLAG.disabledForCredit;
      this.log(index, "events", 0x8f0f, now);
      this.onAlert(index, 0x8f0f);
    }
  }

  private kindOf(index: number): DeviceKind | null {
    return kindOf(this.kind[index] ?? 0);
  }

  /** Changes the load switch or valve, settling the register first so usage stops or starts now. */
  setSupply(index: number, state: SupplyState, now: Date): void {
    this.settle(index, now);
    this.supply[index] = SUPPLY.indexOf(state);
    if (state !== "disabled") this.flags[index] = (this.flags[index] ?? 0) & ~FLAG.disabledForCredit;
  }

  /** Sets the meter balance (pence) outright, e.g. a balance reset; what follows is as for addCredit. */
  setCredit(index: number, pence: number, now: Date): void {
    this.settle(index, now);
    this.addCredit(index, pence - (this.credit[index] ?? 0), now);
  }

  /** Sets the debt a prepayment meter collects (pence). */
  setDebt(index: number, pence: number): void {
    const hot = this.hotState(index);
    hot.prepayment = { ...(hot.prepayment ?? DEFAULT_PREPAYMENT), debt: pence };
  }

  /**
   * Adds credit (pence). A meter that was disabled for lack of credit and now has enough is
   * armed, and says so (0x8F32, Table 5.4 A28).
   */
  addCredit(index: number, pence: number, now: Date): void {
    this.settle(index, now);
    this.credit[index] = (this.credit[index] ?? 0) + pence;
    const settings = this.prepaymentOf(index);
    const credit = this.credit[index] ?? 0;
    if (credit >= settings.lowCreditThreshold) this.flags[index] = (this.flags[index] ?? 0) & ~FLAG.lowCreditRaised;
    if ((this.flags[index] ?? 0) & FLAG.disabledForCredit && credit > settings.disablementThreshold) {
      this.setSupply(index, "armed", now);
      this.log(index, "events", 0x8f32, now);
      this.onAlert(index, 0x8f32);
    }
  }
}
