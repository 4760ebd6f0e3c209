// One DCC: the gateway and the state it checks against, wired together.
import { AnomalyDetector, DEFAULT_THRESHOLDS, type AnomalyThreshold } from "./anomaly.js";
import { ServiceCatalogue } from "./catalogue.js";
import { CATALOGUE_DATA } from "./catalogue-data.js";
import { EventBus } from "./events.js";
import { Gateway, type AuditEntry, type GatewayServices, type RequestCodec } from "./gateway.js";
import { SmartMeteringInventory } from "./inventory.js";
import { NON_DEVICE_SERVICES } from "./non-device-services.js";
import { UserDirectory } from "./parties.js";
import { Quarantine } from "./quarantine.js";
import { RegistrationData } from "./registration.js";
import { RequestCounters } from "./request-ids.js";

export interface DccOptions {
  readonly codec: RequestCodec;
  readonly now?: () => Date;
  readonly thresholds?: readonly AnomalyThreshold[];
  /** Audit entries kept in memory for the admin API (the store keeps them all). */
  readonly auditMemory?: number;
  readonly onAudit?: (entry: AuditEntry) => void;
}

export interface Dcc {
  readonly services: GatewayServices;
  readonly gateway: Gateway;
  /** The most recent audit entries, newest last. */
  recentAudit(limit: number): AuditEntry[];
}

export function createDcc(options: DccOptions): Dcc {
  const now = options.now ?? (() => new Date());
  const recent: AuditEntry[] = [];
  const keep = options.auditMemory ?? 1000;
  const events = new EventBus((event, error) => console.error(`event ${event}: a subscriber failed: ${(error as Error)?.message ?? String(error)}`));
  const inventory = new SmartMeteringInventory(now);
  inventory.onChange((change) => {
    if (change.kind === "device") events.emit("inventory.changed", { before: change.before, after: change.after, reason: change.reason });
  });
  const services: GatewayServices = {
    catalogue: new ServiceCatalogue(CATALOGUE_DATA),
    users: new UserDirectory(),
    registration: new RegistrationData(),
    inventory,
    anomaly: new AnomalyDetector(options.thresholds ?? DEFAULT_THRESHOLDS),
    counters: new RequestCounters(),
    codec: options.codec,
    nonDeviceServices: NON_DEVICE_SERVICES,
    quarantine: new Quarantine(),
    events,
    now,
    record: (entry) => {
      recent.push(entry);
      if (recent.length > keep) recent.splice(0, recent.length - keep);
      options.onAudit?.(entry);
    },
  };
  return {
    services,
    gateway: new Gateway(services),
    recentAudit: (limit) => recent.slice(-limit),
  };
}
