// The Smart Metering Inventory (seed 003 paragraphs 167-194): every Device enrolled or to be
// enrolled, its status, its place in a Smart Metering System (CHF, meters, GPF, Type 1/2 devices)
// and the CHF device log. Rules are enforced here; persistence listens to `changes`.

/** CHF Communications Hub Function, GPF Gas Proxy Function, ESME/GSME meters, Type 1 PPMID/HCALCS, Type 2 IHD/CAD. */
export type DeviceType = "CHF" | "GPF" | "ESME" | "GSME" | "PPMID" | "HCALCS" | "IHD" | "CAD";

/** Paragraph 167's minimum set of statuses. */
export type DeviceStatus = "pending" | "installed-not-commissioned" | "commissioned" | "withdrawn" | "decommissioned";

const METERS: ReadonlySet<DeviceType> = new Set(["ESME", "GSME"]);
/** Type 1 devices (paragraph 172): HAN devices that can command or read meters. */
const TYPE1: ReadonlySet<DeviceType> = new Set(["PPMID", "HCALCS"]);
const TYPE2: ReadonlySet<DeviceType> = new Set(["IHD", "CAD"]);

export const DEVICE_TYPES: readonly DeviceType[] = ["CHF", "GPF", "ESME", "GSME", "PPMID", "HCALCS", "IHD", "CAD"];

export interface Premises {
  readonly postcode: string | null;
  readonly address: string | null;
  readonly uprn: string | null;
}

export interface DeviceRecord {
  /** EUI-64, 16 uppercase hex digits. */
  readonly deviceId: string;
  readonly type: DeviceType;
  readonly status: DeviceStatus;
  readonly manufacturer: string | null;
  readonly model: string | null;
  readonly firmwareVersion: string | null;
  /** The MPAN or MPRN a meter serves (or a CHF was installed for). */
  readonly mpxn: string | null;
  /** The CHF whose HAN (device log) the device is on. */
  readonly chfId: string | null;
  /** The meter (or, for a GSME, the GPF) the device is associated with. */
  readonly associatedWith: string | null;
  readonly premises: Premises;
  /** When the status last changed (ISO 8601). */
  readonly statusChangedAt: string;
}

export interface DeviceLogEntry {
  readonly deviceId: string;
  readonly type: DeviceType;
  /**
   * The device's link key (32 hex digits) as the CHF's backup of its HAN reported it (CCS07):
   * the credential paragraph 189 has the DCC keep, which a restore (CCS03) sends to the new hub.
   */
  readonly linkKey?: string;
}

/** What the DCC keeps of a CHF's HAN besides its devices (paragraph 189): from the CHF's backup. */
export interface HanSecurityDetails {
  /** The HAN's extended PAN ID, 16 hex digits. */
  readonly extendedPanId: string;
  /** Link keys by device ID (32 hex digits each). */
  readonly linkKeys: Readonly<Record<string, string>>;
}

export type InventoryChange =
  | { readonly kind: "device"; readonly before: DeviceRecord | null; readonly after: DeviceRecord; readonly reason: string }
  | { readonly kind: "deviceLog"; readonly chfId: string; readonly entries: readonly DeviceLogEntry[]; readonly extendedPanId?: string };

/** A rule of the inventory said no; `code` is the DUIS response code to answer with. */
export class InventoryError extends Error {
  constructor(readonly code: string, message: string) {
    super(message);
    this.name = "InventoryError";
  }
}

export interface PreNotification {
  readonly deviceId: string;
  readonly type: DeviceType;
  readonly manufacturer?: string | undefined;
  readonly model?: string | undefined;
  readonly firmwareVersion?: string | undefined;
}

export interface InventoryQuery {
  readonly deviceId?: string;
  readonly mpxn?: string;
  readonly postcode?: string;
  readonly address?: string;
  readonly uprn?: string;
}

const NO_PREMISES: Premises = { postcode: null, address: null, uprn: null };

export class SmartMeteringInventory {
  private readonly devices = new Map<string, DeviceRecord>();
  private readonly deviceLogs = new Map<string, DeviceLogEntry[]>();
  private readonly extendedPanIds = new Map<string, string>();
  private readonly listeners: ((change: InventoryChange) => void)[] = [];

  constructor(private readonly now: () => Date = () => new Date()) {}

  /** Subscribes to every change (persistence, audit, events). */
  onChange(listener: (change: InventoryChange) => void): void {
    this.listeners.push(listener);
  }

  get(deviceId: string): DeviceRecord | undefined {
    return this.devices.get(normaliseEui(deviceId));
  }

  require(deviceId: string): DeviceRecord {
    const device = this.get(deviceId);
    if (!device) throw new InventoryError("E19", `device ${normaliseEui(deviceId)} is not in the Smart Metering Inventory`);
    return device;
  }

  /** Puts back a record as stored (restart, another instance's change); no rules, no change events. */
  restore(record: DeviceRecord): void {
    this.devices.set(record.deviceId, record);
  }

  restoreDeviceLog(chfId: string, entries: readonly DeviceLogEntry[], extendedPanId?: string): void {
    this.deviceLogs.set(normaliseEui(chfId), [...entries]);
    if (extendedPanId) this.extendedPanIds.set(normaliseEui(chfId), extendedPanId);
  }

  /**
   * Loads a record as given (admin API, demo fleet): no rules, but announced like every other
   * change, so that it is journaled, survives a restart and reaches other instances (design:
   * nothing accepted is lost).
   */
  load(record: DeviceRecord): DeviceRecord {
    const loaded = { ...record, deviceId: normaliseEui(record.deviceId) };
    const before = this.devices.get(loaded.deviceId) ?? null;
    this.devices.set(loaded.deviceId, loaded);
    this.emit({ kind: "device", before, after: loaded, reason: "loaded" });
    return loaded;
  }

  /** Loads a CHF's device log as given, announced like `load`. */
  loadDeviceLog(chfId: string, entries: readonly DeviceLogEntry[]): void {
    const id = normaliseEui(chfId);
    this.deviceLogs.set(id, [...entries]);
    this.emit({ kind: "deviceLog", chfId: id, entries: [...entries] });
  }

  all(): DeviceRecord[] {
    return [...this.devices.values()];
  }

  /**
   * 12.2 Device Pre-notification: adds a 'pending' device (paragraphs 182-183). Meters and other
   * Type 1 devices may be added only by suppliers.
   */
  preNotify(notification: PreNotification, bySupplier: boolean): DeviceRecord {
    const deviceId = normaliseEui(notification.deviceId);
    const existing = this.devices.get(deviceId);
    if (existing && existing.status !== "decommissioned") {
      throw new InventoryError("E120201", `device ${deviceId} is already in the inventory (status ${existing.status})`);
    }
    if ((METERS.has(notification.type) || TYPE1.has(notification.type)) && !bySupplier) {
      throw new InventoryError("E120202", `only a supplier may pre-notify a ${notification.type} (paragraph 183)`);
    }
    return this.write(existing ?? null, {
      deviceId,
      type: notification.type,
      status: "pending",
      manufacturer: notification.manufacturer ?? null,
      model: notification.model ?? null,
      firmwareVersion: notification.firmwareVersion ?? null,
      mpxn: null,
      chfId: null,
      associatedWith: null,
      premises: existing?.premises ?? NO_PREMISES,
      statusChangedAt: this.now().toISOString(),
    }, "pre-notified");
  }

  /**
   * A device is added to a CHF's device log (joined to the HAN): 'installed not commissioned'
   * (paragraph 184). The CHF itself must be installed or commissioned.
   */
  addToDeviceLog(chfId: string, deviceId: string): DeviceRecord {
    const chf = this.requireType(chfId, "CHF");
    if (chf.status !== "commissioned" && chf.status !== "installed-not-commissioned") {
      throw new InventoryError("E5", `CHF ${chf.deviceId} is ${chf.status}; devices join only an installed hub`);
    }
    const device = this.require(deviceId);
    if (device.type === "CHF") throw new InventoryError("E11", `${device.deviceId} is a CHF and cannot join another hub's HAN`);
    if (device.status === "withdrawn" || device.status === "decommissioned") {
      throw new InventoryError("E5", `device ${device.deviceId} is ${device.status}`);
    }
    const log = this.deviceLogs.get(chf.deviceId) ?? [];
    if (!log.some((entry) => entry.deviceId === device.deviceId)) log.push({ deviceId: device.deviceId, type: device.type });
    this.deviceLogs.set(chf.deviceId, log);
    this.emit({ kind: "deviceLog", chfId: chf.deviceId, entries: [...log] });
    const status = device.status === "pending" ? "installed-not-commissioned" : device.status;
    return this.write(device, { ...device, status, chfId: chf.deviceId, premises: mergePremises(device.premises, chf.premises) }, `joined HAN of ${chf.deviceId}`);
  }

  removeFromDeviceLog(chfId: string, deviceId: string): void {
    const chf = this.requireType(chfId, "CHF");
    const id = normaliseEui(deviceId);
    const log = (this.deviceLogs.get(chf.deviceId) ?? []).filter((entry) => entry.deviceId !== id);
    this.deviceLogs.set(chf.deviceId, log);
    this.emit({ kind: "deviceLog", chfId: chf.deviceId, entries: [...log] });
    const device = this.get(id);
    if (device && device.chfId === chf.deviceId) this.write(device, { ...device, chfId: null }, `left HAN of ${chf.deviceId}`);
  }

  deviceLog(chfId: string): readonly DeviceLogEntry[] {
    return this.deviceLogs.get(normaliseEui(chfId)) ?? [];
  }

  /**
   * Paragraph 189: keeps what a CHF's backup of its HAN says (CCS07, 8.9 with security details):
   * the extended PAN ID and each logged device's link key.
   */
  recordHanSecurityDetails(chfId: string, details: HanSecurityDetails): void {
    const chf = this.requireType(chfId, "CHF");
    const panId = details.extendedPanId.toUpperCase();
    if (!/^[0-9A-F]{16}$/.test(panId)) throw new InventoryError("E5", `extended PAN ID "${details.extendedPanId}" is not 8 bytes of hex`);
    const keys = new Map(Object.entries(details.linkKeys).map(([id, key]) => [normaliseEui(id), key.toUpperCase()]));
    for (const key of keys.values()) if (!/^[0-9A-F]{32}$/.test(key)) throw new InventoryError("E5", `link key "${key}" is not 16 bytes of hex`);
    const log = (this.deviceLogs.get(chf.deviceId) ?? []).map((entry) => {
      const linkKey = keys.get(entry.deviceId);
      return linkKey ? { ...entry, linkKey } : entry;
    });
    this.deviceLogs.set(chf.deviceId, log);
    this.extendedPanIds.set(chf.deviceId, panId);
    this.emit({ kind: "deviceLog", chfId: chf.deviceId, entries: [...log], extendedPanId: panId });
  }

  /** The extended PAN ID of a CHF's HAN, when the DCC holds its backup. */
  extendedPanId(chfId: string): string | undefined {
    return this.extendedPanIds.get(normaliseEui(chfId));
  }

  /**
   * The CHF connected to the SM WAN: it is commissioned (paragraphs 170, 185). `installedAt`
   * records the premises the installer reported (8.14).
   */
  chfConnected(chfId: string, installedAt: { mpxn?: string | null; premises?: Partial<Premises> } = {}): DeviceRecord {
    const chf = this.requireType(chfId, "CHF");
    if (chf.status === "withdrawn" || chf.status === "decommissioned") throw new InventoryError("E5", `CHF ${chf.deviceId} is ${chf.status}`);
    return this.write(chf, {
      ...chf,
      status: "commissioned",
      mpxn: installedAt.mpxn ?? chf.mpxn,
      premises: mergePremises(chf.premises, installedAt.premises),
    }, "connected to the SM WAN");
  }

  /** 8.14 install with no SM WAN ('install and leave'): installed, not yet commissioned. */
  chfInstalledWithoutWan(chfId: string, installedAt: { mpxn?: string | null; premises?: Partial<Premises> } = {}): DeviceRecord {
    const chf = this.requireType(chfId, "CHF");
    if (chf.status !== "pending" && chf.status !== "installed-not-commissioned") {
      throw new InventoryError("E5", `CHF ${chf.deviceId} is ${chf.status}; only a pending hub can be installed`);
    }
    return this.write(chf, {
      ...chf,
      status: "installed-not-commissioned",
      mpxn: installedAt.mpxn ?? chf.mpxn,
      premises: mergePremises(chf.premises, installedAt.premises),
    }, "installed with no SM WAN");
  }

  /**
   * Paragraph 187's checks for commissioning a device other than a CHF, changing nothing: listed,
   * pending or installed not commissioned, its CHF commissioned, one commissioned meter per MPxN,
   * and a non-meter's meter commissioned first (paragraph 171). The gateway runs them before an
   * 8.1.1 command goes out; commission() runs them again when the device has answered.
   */
  checkCommissioning(deviceId: string, details: CommissioningDetails = {}): { device: DeviceRecord; mpxn: string | null; associatedWith: string | null } {
    const device = this.require(deviceId);
    if (device.type === "CHF") throw new InventoryError("E11", "a CHF is commissioned by connecting to the SM WAN (paragraph 185), not by request");
    if (device.status !== "pending" && device.status !== "installed-not-commissioned") {
      throw new InventoryError("E5", `device ${device.deviceId} is ${device.status}; only pending or installed-not-commissioned devices can be commissioned (paragraph 187)`);
    }
    const chf = device.chfId ? this.get(device.chfId) : undefined;
    if (!chf || chf.status !== "commissioned") {
      throw new InventoryError("E5", `the CHF of ${device.deviceId} is not commissioned (paragraph 187)`);
    }
    const mpxn = details.mpxn ?? device.mpxn;
    const associatedWith = details.associatedWith ?? device.associatedWith;
    if (METERS.has(device.type)) {
      if (!mpxn) throw new InventoryError("E5", `meter ${device.deviceId} has no MPxN to be commissioned for`);
      const clash = this.all().find((other) => other.deviceId !== device.deviceId && other.mpxn === mpxn && METERS.has(other.type) && other.status === "commissioned");
      if (clash) throw new InventoryError("E5", `MPxN ${mpxn} already has commissioned meter ${clash.deviceId} (paragraph 187)`);
      if (device.type === "GSME") {
        const gpf = this.all().find((other) => other.type === "GPF" && other.chfId === chf.deviceId);
        if (!gpf || gpf.status !== "commissioned") throw new InventoryError("E5", `the gas proxy of CHF ${chf.deviceId} is not commissioned`);
      }
    } else if (device.type !== "GPF") {
      const meter = associatedWith ? this.get(associatedWith) : undefined;
      if (!meter || !METERS.has(meter.type) || meter.status !== "commissioned") {
        throw new InventoryError("E5", `${device.type} ${device.deviceId} must be associated with a commissioned meter first (paragraphs 171, 187)`);
      }
    }
    return { device, mpxn, associatedWith };
  }

  /** Commissions a device other than a CHF once paragraph 187's checks pass. */
  commission(deviceId: string, details: CommissioningDetails = {}): DeviceRecord {
    const { device, mpxn, associatedWith } = this.checkCommissioning(deviceId, details);
    return this.write(device, { ...device, status: "commissioned", mpxn, associatedWith }, "commissioned");
  }

  /** 8.3 Decommission: out of DCC services and the premises (paragraph 177). */
  decommission(deviceId: string): DeviceRecord {
    const device = this.require(deviceId);
    if (device.status === "decommissioned") throw new InventoryError("E5", `device ${device.deviceId} is already decommissioned`);
    return this.write(device, { ...device, status: "decommissioned", chfId: null, associatedWith: null }, "decommissioned");
  }

  /** Withdrawal: the device stops receiving DCC services (paragraph 175). */
  withdraw(deviceId: string): DeviceRecord {
    const device = this.require(deviceId);
    if (device.status !== "commissioned" && device.status !== "installed-not-commissioned") {
      throw new InventoryError("E5", `device ${device.deviceId} is ${device.status}; only installed or commissioned devices can be withdrawn`);
    }
    return this.write(device, { ...device, status: "withdrawn" }, "withdrawn");
  }

  /**
   * 8.4 status corrections: a device other than a hub moves between 'pending' and 'installed not
   * commissioned' (commissioning has its own service); a hub may also be set commissioned (its WAN
   * connection, paragraph 185) or withdrawn.
   */
  setStatus(deviceId: string, status: "pending" | "installed-not-commissioned" | "commissioned" | "withdrawn"): DeviceRecord {
    const device = this.require(deviceId);
    if (device.status === "decommissioned" || device.status === "withdrawn") {
      throw new InventoryError("E5", `device ${device.deviceId} is ${device.status}; its status can no longer be updated`);
    }
    if (device.type !== "CHF" && status !== "pending" && status !== "installed-not-commissioned") {
      throw new InventoryError("E11", `a ${device.type}'s status can be updated only to pending or installed-not-commissioned`);
    }
    if (device.type !== "CHF" && device.status === "commissioned") {
      throw new InventoryError("E5", `device ${device.deviceId} is commissioned; decommission or withdraw it instead`);
    }
    if (status === "commissioned") return this.chfConnected(device.deviceId);
    if (status === "withdrawn") return this.withdraw(device.deviceId);
    return this.write(device, { ...device, status }, "status updated (8.4)");
  }

  /** 8.4 DeleteDevice: a device notified in error leaves the inventory while still pending. */
  deletePending(deviceId: string): DeviceRecord {
    const device = this.require(deviceId);
    if (device.status !== "pending") throw new InventoryError("E5", `device ${device.deviceId} is ${device.status}; only a pending device can be deleted`);
    return this.write(device, { ...device, status: "decommissioned" }, "deleted while pending (8.4)");
  }

  /** 8.4 Update Inventory: descriptive fields; status changes come from their own services. */
  update(deviceId: string, fields: { readonly [K in "manufacturer" | "model" | "firmwareVersion" | "mpxn"]?: string | null | undefined } & { premises?: Partial<Premises> }): DeviceRecord {
    const device = this.require(deviceId);
    const { premises, ...rest } = fields;
    return this.write(device, { ...device, ...definedOnly(rest), premises: mergePremises(device.premises, premises) }, "inventory updated");
  }

  /**
   * 8.12 Restore: copies a failed CHF's stored device log onto its commissioned replacement
   * (paragraphs 188-190) and moves the devices to the new hub.
   */
  restoreDeviceLogTo(fromChfId: string, toChfId: string): readonly DeviceLogEntry[] {
    const from = this.requireType(fromChfId, "CHF");
    const to = this.requireType(toChfId, "CHF");
    if (to.status !== "commissioned") throw new InventoryError("E5", `replacement CHF ${to.deviceId} must be commissioned first (paragraph 190)`);
    const entries = this.deviceLog(from.deviceId).filter((entry) => entry.type !== "GPF");
    for (const entry of entries) {
      const device = this.get(entry.deviceId);
      if (device) this.write(device, { ...device, chfId: to.deviceId }, `device log restored onto ${to.deviceId}`);
    }
    this.deviceLogs.set(to.deviceId, [...entries]);
    // the new hub runs the old HAN (CCS03 restore_PAN gave it the old extended PAN ID)
    const panId = this.extendedPanIds.get(from.deviceId);
    if (panId) this.extendedPanIds.set(to.deviceId, panId);
    this.emit({ kind: "deviceLog", chfId: to.deviceId, entries: [...entries], ...(panId ? { extendedPanId: panId } : {}) });
    return entries;
  }

  /**
   * Is the Smart Metering System of this meter enrolled? Electricity: ESME and CHF commissioned
   * (paragraph 173); gas: GSME, GPF and CHF commissioned (paragraph 174).
   */
  isEnrolled(meterId: string): boolean {
    const meter = this.get(meterId);
    if (!meter || !METERS.has(meter.type) || meter.status !== "commissioned" || !meter.chfId) return false;
    const chf = this.get(meter.chfId);
    if (!chf || chf.status !== "commissioned") return false;
    if (meter.type === "ESME") return true;
    return this.all().some((d) => d.type === "GPF" && d.chfId === chf.deviceId && d.status === "commissioned");
  }

  /**
   * 8.2 Read Inventory. By device ID the answer is the device and every device associated with it
   * through its hub (the whole Smart Metering System); otherwise by MPxN, postcode (+ address) or UPRN.
   */
  read(query: InventoryQuery): DeviceRecord[] {
    if (query.deviceId) {
      const device = this.require(query.deviceId);
      const hub = device.type === "CHF" ? device.deviceId : device.chfId;
      const related = hub ? this.all().filter((d) => d.deviceId === hub || d.chfId === hub) : [];
      return unique([device, ...related]);
    }
    if (query.mpxn) {
      const meters = this.all().filter((d) => d.mpxn === query.mpxn);
      return unique(meters.flatMap((meter) => this.read({ deviceId: meter.deviceId })));
    }
    if (query.uprn) return this.all().filter((d) => d.premises.uprn === query.uprn);
    if (query.postcode) {
      const postcode = normalisePostcode(query.postcode);
      return this.all().filter((d) => d.premises.postcode !== null && normalisePostcode(d.premises.postcode) === postcode &&
        (!query.address || d.premises.address?.toLowerCase().includes(query.address.toLowerCase())));
    }
    throw new InventoryError("E080201", "read inventory needs a device ID, MPxN, postcode or UPRN");
  }

  private requireType(deviceId: string, type: DeviceType): DeviceRecord {
    const device = this.require(deviceId);
    if (device.type !== type) throw new InventoryError("E11", `device ${device.deviceId} is a ${device.type}, not a ${type}`);
    return device;
  }

  private write(before: DeviceRecord | null, after: DeviceRecord, reason: string): DeviceRecord {
    const record = before && before.status === after.status ? after : { ...after, statusChangedAt: this.now().toISOString() };
    this.devices.set(record.deviceId, record);
    this.emit({ kind: "device", before, after: record, reason });
    return record;
  }

  private emit(change: InventoryChange): void {
    for (const listener of this.listeners) listener(change);
  }
}

/** EUI-64 as 16 uppercase hex digits, whether written with dashes or not. */
/** What a commissioning may set along with the status. */
export interface CommissioningDetails {
  readonly mpxn?: string | null;
  readonly associatedWith?: string | null;
}

export function normaliseEui(eui: string): string {
  const hex = eui.replace(/-/g, "").toUpperCase();
  if (!/^[0-9A-F]{16}$/.test(hex)) throw new InventoryError("E19", `"${eui}" is not an EUI-64 device ID`);
  return hex;
}

export const isType2 = (type: DeviceType): boolean => TYPE2.has(type);

function normalisePostcode(postcode: string): string {
  return postcode.replace(/\s+/g, "").toUpperCase();
}

function mergePremises(base: Premises, update: Partial<Premises> | undefined): Premises {
  return update ? { ...base, ...definedOnly(update) } : base;
}

function definedOnly<T extends object>(fields: T): { [K in keyof T]?: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined)) as { [K in keyof T]?: Exclude<T[K], undefined> };
}

function unique(devices: DeviceRecord[]): DeviceRecord[] {
  return [...new Map(devices.map((d) => [d.deviceId, d])).values()];
}
