// The User Gateway's request pipeline: the checks of seed 003 paragraphs 134-139 in their order,
// each failing with its own DUIS response code, then execution (non-device services here, device
// services through the transform and transport ports).
import { DCC_EUI } from "@opendcc/duis";
import type { CatalogueEntry, CommandVariant, RoleCode, ServiceCatalogue } from "./catalogue.js";
import { InventoryError, type SmartMeteringInventory, type DeviceRecord } from "./inventory.js";
import type { RegistrationData } from "./registration.js";
import type { User, UserDirectory } from "./parties.js";
import type { AnomalyDetector } from "./anomaly.js";
import { ArrivalOrder, RequestCounters, formatRequestId, type RequestIdentity } from "./request-ids.js";
import { ResponseCodes, ServiceError, type ResponseCode } from "./response-codes.js";
import type { Quarantine, QuarantinedRequest } from "./quarantine.js";
import type { EventBus } from "./events.js";
import type { Schedule, Schedules } from "./schedules.js";
import type { Journal } from "./journal.js";
import { isCancellation, type DeviceAnswer, type DeviceServices } from "./device-services.js";
import type { FirmwareDistribution } from "./firmware-distribution.js";

/** DCC Boxed endpoints (duis.md section 5). */
export type Endpoint = "serviceS" | "serviceT" | "serviceD";

const ENDPOINT_OF_VARIANT: Record<CommandVariant, Endpoint> = {
  1: "serviceS", 3: "serviceS", 5: "serviceS", 7: "serviceS", 4: "serviceT", 2: "serviceD", 6: "serviceD", 8: "serviceD",
};

/** A request as the DUIS layer hands it over: parsed, structurally valid. */
export interface ParsedRequest {
  readonly requestId: RequestIdentity;
  readonly commandVariant: CommandVariant;
  readonly serviceReference: string;
  readonly srv: string;
  readonly executionDateTime: Date | null;
  readonly bodyElement: string;
  /** Text of a body field by element path below the service element, e.g. field("DeviceID"). */
  field(...path: string[]): string | undefined;
  /** The service element as the DUIS layer represents it (kept and written back, e.g. schedules). */
  readonly content: unknown;
  /** A Signed Pre-Command's GBCS payload (Command Variants 5-7), else null. */
  readonly gbcsPayload: Uint8Array | null;
  /** Sequencing (seed 003 paragraphs 126-127): execute only after this request succeeded. */
  readonly precedingRequestId: RequestIdentity | null;
}

/** What the DUIS layer says about the request document itself. */
export type Decoded =
  | { readonly ok: true; readonly request: ParsedRequest }
  | { readonly ok: false; readonly code: ResponseCode; readonly reason: string; readonly requestId: RequestIdentity | null };

export interface SignatureCheck {
  readonly ok: boolean;
  readonly code?: ResponseCode;
  readonly reason?: string;
}

/** The DUIS layer: parsing, XML-signature verification, responses (implemented with @opendcc/duis). */
export interface RequestCodec {
  decode(xml: string): Decoded;
  /** Verifies the XML signature of a request it decoded with the sender's certificate, valid at `now`. */
  verifySignature(request: ParsedRequest, sender: User, now: Date): Promise<SignatureCheck>;
  /** The gateway's answer as DUIS XML, signed by the DCC when it has a key. */
  writeResponse(response: GatewayResponse): Promise<string>;
  /** A DCC Alert (Annex 5 service A2) as DUIS XML, signed by the DCC. */
  writeDccAlert(alert: DccAlert): Promise<string>;
}

/**
 * DCC Alerts the gateway raises. AD1 with a QuarantinedRequest event tells a user one of its
 * requests breached an anomaly threshold (DUIS pairs AD1 with anomaly detection by name only).
 */
export type DccAlert =
  | { readonly kind: "quarantined"; readonly requestId: RequestIdentity; readonly quarantineEventRef: number }
  /** Seed 003 paragraph 146: the device took the gaining supplier's credentials (to both suppliers). */
  | { readonly kind: "changeOfSupplier"; readonly requestId: RequestIdentity; readonly deviceId: string; readonly mpxn: string };

/** The answer to one request; the server writes it as DUIS XML. */
export interface GatewayResponse {
  readonly requestId: RequestIdentity | null;
  readonly responseCode: ResponseCode;
  /** Why, in words (errors), for logs and the X-OpenDCC-Reason header. */
  readonly reason: string | null;
  readonly serviceReference: string | null;
  readonly srv: string | null;
  readonly body: ResponseBody | null;
}

export type ResponseBody =
  /** Success (I0) with nothing to return (e.g. 8.13, a cancelled future-dated request). */
  | { readonly kind: "completed" }
  | { readonly kind: "inventory"; readonly devices: readonly DeviceRecord[] }
  | { readonly kind: "scheduleId"; readonly id: number }
  | { readonly kind: "schedules"; readonly schedules: readonly Schedule[] }
  /** A critical service's Pre-Command, with its empty signature field, for the user to sign (CV 4). */
  | { readonly kind: "preCommand"; readonly gbcsVersion: string; readonly gbcs: Uint8Array }
  /** The MAC'd command returned for local delivery (CV 2, 3, 6, 7). */
  | { readonly kind: "localCommand"; readonly gbcs: Uint8Array }
  /** A device's response to a command (delivered asynchronously). */
  | { readonly kind: "deviceResponse"; readonly gbcs: Uint8Array }
  /** A device's response to a DCC Scheduled Service's run, for the schedule's user (duis.md 3.3 DSPScheduledMessage). */
  | { readonly kind: "scheduledResponse"; readonly scheduleId: number; readonly gbcs: Uint8Array }
  /** A device alert (Annex 5 service A1). */
  | { readonly kind: "deviceAlert"; readonly alertCode: string; readonly gbcs: Uint8Array };

/** A non-device service (Table 5.2) executed by core. */
export type NonDeviceService = (request: ParsedRequest, user: User, services: GatewayServices, gateway: Gateway) => ResponseBody | null;

export interface GatewayServices {
  readonly catalogue: ServiceCatalogue;
  readonly users: UserDirectory;
  readonly registration: RegistrationData;
  readonly inventory: SmartMeteringInventory;
  readonly anomaly: AnomalyDetector;
  readonly counters: RequestCounters;
  readonly codec: RequestCodec;
  readonly nonDeviceServices: ReadonlyMap<string, NonDeviceService>;
  readonly quarantine: Quarantine;
  readonly schedules: Schedules;
  readonly events: EventBus;
  /** A request's answer waits until its changes are durable. */
  readonly journal: Journal;
  /** Transform, signing round trip, MAC and transport for device services. */
  readonly deviceServices: DeviceServices;
  /** 11.1: firmware images handed to the CSP for the devices named. */
  readonly firmware: FirmwareDistribution;
  readonly now: () => Date;
  /** Called for every request once decided, for the audit trail and events. */
  readonly record?: (entry: AuditEntry) => void;
}

export interface AuditEntry {
  readonly at: string;
  readonly requestId: string | null;
  readonly srv: string | null;
  readonly outcome: "accepted" | "rejected" | "quarantined";
  readonly responseCode: ResponseCode;
  readonly reason: string | null;
  readonly xml: string;
}

// Install and commissioning services a device may receive before it is commissioned (seed 003
// paragraphs 184-187: 'installed not commissioned' exists for install-and-leave).
const BEFORE_COMMISSIONING = new Set(["8.1.1", "8.9", "8.11", "8.12.1", "8.12.2", "6.15.1", "6.15.2", "6.21", "6.23", "11.2", "6.2.4", "6.13"]);

class Rejection extends Error {
  constructor(readonly code: ResponseCode, reason: string, readonly quarantine = false) {
    super(reason);
  }
}

export class Gateway {
  private readonly arrivals = new ArrivalOrder();

  constructor(private readonly services: GatewayServices) {}

  async handle(xml: string, endpoint: Endpoint): Promise<GatewayResponse> {
    const decoded = this.services.codec.decode(xml);
    if (!decoded.ok) {
      const response = this.finish(xml, { requestId: decoded.requestId, responseCode: decoded.code, reason: decoded.reason, serviceReference: null, srv: null, body: null }, "rejected");
      await this.services.journal.commit();
      return response;
    }
    const at = this.services.now();
    return this.run(xml, decoded.request, async () => this.check(decoded.request, endpoint, at), (reason) => {
      this.services.quarantine.hold({
        at: at.toISOString(), requestId: formatRequestId(decoded.request.requestId), srv: decoded.request.srv,
        userId: decoded.request.requestId.originator, endpoint, reason, xml,
      });
    });
  }

  /**
   * An operator releases a quarantined request: it already passed every other check, so it is
   * executed as it stands. Returns the answer the user would have had.
   */
  async release(held: QuarantinedRequest): Promise<GatewayResponse> {
    const decoded = this.services.codec.decode(held.xml);
    if (!decoded.ok) throw new Error(`quarantined request ${held.id} no longer decodes: ${decoded.reason}`);
    const request = decoded.request;
    const entry = this.services.catalogue.get(request.srv);
    const user = this.services.users.user(request.requestId.originator);
    if (!entry || !user) throw new Error(`quarantined request ${held.id} names an unknown SRV or user`);
    return this.run(held.xml, request, async () => ({ entry, user }), () => undefined);
  }

  // Checks (as given), executes, and answers; a Rejection becomes its DUIS error response.
  private async run(xml: string, request: ParsedRequest, checks: () => Promise<{ entry: CatalogueEntry; user: User }>, onQuarantine: (reason: string) => void): Promise<GatewayResponse> {
    const answer = (responseCode: ResponseCode, reason: string | null, body: ResponseBody | null): GatewayResponse => ({
      requestId: request.requestId, responseCode, reason, serviceReference: request.serviceReference, srv: request.srv, body,
    });
    let response: GatewayResponse;
    try {
      const { entry, user } = await checks();
      if (entry.deviceService) {
        const outcome = await this.deviceService(request, entry, user);
        response = this.finish(xml, answer(outcome.code, null, outcome.body), "accepted");
      } else {
        const body = this.nonDeviceService(request, user, entry);
        response = this.finish(xml, answer(body === null ? ResponseCodes.acknowledged : ResponseCodes.success, null, body), "accepted");
      }
    } catch (error) {
      if (!(error instanceof Rejection)) throw error;
      if (error.quarantine) onQuarantine(error.message);
      response = this.finish(xml, answer(error.code, error.message, null), error.quarantine ? "quarantined" : "rejected");
    }
    // Durable before acknowledged: the answer waits for the group commit carrying its changes.
    await this.services.journal.commit();
    return response;
  }

  /** Paragraph 134's checks in order (139's subset for non-device services). */
  private async check(request: ParsedRequest, endpoint: Endpoint, at: Date): Promise<{ entry: CatalogueEntry; user: User }> {
    // Taken before the first await, so in arrival order; released whatever the outcome.
    const turn = this.arrivals.enter(request.requestId.originator);
    try {
      return await this.checkInOrder(request, endpoint, at, turn.ready);
    } finally {
      turn.leave();
    }
  }

  private async checkInOrder(request: ParsedRequest, endpoint: Endpoint, at: Date, myTurn: Promise<void>): Promise<{ entry: CatalogueEntry; user: User }> {
    const { catalogue, users, codec, counters, anomaly } = this.services;
    // 1. structure and content against the catalogue
    const entry = catalogue.get(request.srv);
    if (!entry || !entry.inDuis) throw new Rejection(ResponseCodes.malformed, `unknown Service Reference Variant ${request.srv}`);
    if (!entry.commandVariants.includes(request.commandVariant)) {
      throw new Rejection(ResponseCodes.commandVariant, `Command Variant ${request.commandVariant} does not apply to ${request.srv} (allowed: ${entry.commandVariants.join(", ")})`);
    }
    if (!entry.deviceService && request.requestId.target !== DCC_EUI) {
      throw new Rejection(ResponseCodes.malformed, `${request.srv} is a non-device service: its RequestID target must be the DCC ${DCC_EUI}, not ${request.requestId.target}`);
    }
    if (ENDPOINT_OF_VARIANT[request.commandVariant] !== endpoint) {
      throw new Rejection(ResponseCodes.wrongEndpoint, `Command Variant ${request.commandVariant} is sent to /api/v1/${ENDPOINT_OF_VARIANT[request.commandVariant]}, not /api/v1/${endpoint}`);
    }
    // 2. the user is a party's user, its role may send this SRV, its rights are not suspended
    const user = users.user(request.requestId.originator);
    if (!user) throw new Rejection(ResponseCodes.unknownUser, `${request.requestId.originator} is not a known User ID`);
    const roles = catalogue.eligibleAmong(user.roles, entry);
    if (roles.length === 0) throw new Rejection(ResponseCodes.roleNotEligible, `role ${user.roles.join("/")} may not send ${request.srv} (eligible: ${entry.eligibleRoles.join(", ") || "none"})`);
    if (user.suspended) throw new Rejection(ResponseCodes.userSuspended, `the rights of user ${user.userId} are suspended (SEC M8)`);
    if (entry.deviceService) {
      // 3. the device's inventory status allows the service
      const device = this.deviceFor(request.requestId.target, request.srv);
      // 4. non-critical: registration data says this user may act for the device's MPxN
      // On the execution date (paragraph 144); a cancellation's sentinel date is checked as now.
      const when = request.executionDateTime && !isCancellation(request.executionDateTime) ? request.executionDateTime : at;
      if (!entry.critical) this.checkRegistration(user, roles, device, when);
    }
    // 5. signature, certificate and its validity (the certificate must be the originator's)
    const signature = await codec.verifySignature(request, user, at);
    if (!signature.ok) throw new Rejection(signature.code ?? ResponseCodes.signatureInvalid, signature.reason ?? "XML signature does not verify");
    // 6. RequestID: counters strictly increase; a Signed Pre-Command reuses its transform's ID.
    // Earlier arrivals from the same originator claim their counters first.
    await myTurn;
    const signedPreCommand = request.commandVariant >= 5 && request.commandVariant <= 7;
    const fresh = signedPreCommand ? this.services.deviceServices.awaitsSignature(request.requestId) : await counters.claim(request.requestId);
    if (!fresh) {
      throw new Rejection(ResponseCodes.replay, signedPreCommand
        ? `no Pre-Command awaits a signature for RequestID ${formatRequestId(request.requestId)}`
        : `counter ${request.requestId.counter} is not above ${counters.last(request.requestId.originator)}, the last from ${request.requestId.originator} (replay)`);
    }
    // 7. anomaly detection: over a threshold, the request is quarantined
    const verdict = anomaly.check(user.userId, request.srv, at.getTime());
    if (!verdict.ok) {
      const t = verdict.threshold;
      throw new Rejection(ResponseCodes.quarantined, `quarantined: more than ${t?.limit} ${request.srv} requests in ${(t?.windowMs ?? 0) / 1000} s from ${user.userId}`, true);
    }
    return { entry, user };
  }

  private deviceFor(deviceId: string, srv: string): DeviceRecord {
    const device = this.services.inventory.get(deviceId);
    if (!device) throw new Rejection(ResponseCodes.unknownDevice, `device ${deviceId} is not in the Smart Metering Inventory`);
    // A Gas Proxy Function has no install step of its own: it is commissioned from pending (paragraph 186).
    const gasProxyCommissioning = srv === "8.1.1" && device.type === "GPF" && device.status === "pending";
    const allowed = device.status === "commissioned" || gasProxyCommissioning || (device.status === "installed-not-commissioned" && BEFORE_COMMISSIONING.has(srv));
    if (!allowed) throw new Rejection(ResponseCodes.deviceStatus, `device ${device.deviceId} is ${device.status}, which does not allow ${srv}`);
    return device;
  }

  /** The MPxNs a device serves: its own, or those of the meters on its hub. */
  private mpxnsOf(device: DeviceRecord): string[] {
    if (device.mpxn) return [device.mpxn];
    const hub = device.type === "CHF" ? device.deviceId : device.chfId;
    return this.services.inventory.all().filter((d) => d.chfId === hub && d.mpxn).map((d) => d.mpxn as string);
  }

  private checkRegistration(user: User, roles: readonly RoleCode[], device: DeviceRecord, when: Date): void {
    // Other Users act on the consumer's consent, which Registration Data does not hold.
    if (roles.includes("OU")) return;
    const mpxns = this.mpxnsOf(device);
    if (!mpxns.some((mpxn) => roles.some((role) => this.services.registration.isAppointed(mpxn, role, user.partyId, when)))) {
      throw new Rejection(ResponseCodes.notRegistered, `party ${user.partyId} is not registered as ${roles.join("/")} for ${mpxns.length > 0 ? `MPxN ${mpxns.join(", ")}` : `any MPxN of device ${device.deviceId}`} on ${when.toISOString()}`);
    }
  }

  private async deviceService(request: ParsedRequest, entry: CatalogueEntry, user: User): Promise<DeviceAnswer> {
    const device = this.deviceFor(request.requestId.target, request.srv);
    try {
      // Paragraph 187: a commissioning the inventory would refuse does not go out to the device.
      if (request.srv === "8.1.1") this.services.inventory.checkCommissioning(device.deviceId);
      return await this.services.deviceServices.execute(request, entry, user, device);
    } catch (error) {
      if (error instanceof ServiceError || error instanceof InventoryError) throw new Rejection(error.code, error.message);
      throw error;
    }
  }

  /**
   * Runs the checks a device service request would pass (roles, device status, registration): for
   * schedules, and for the devices an 11.1 request names in its body.
   */
  checkDeviceAccess(user: User, srv: string, deviceId: string, when: Date): void {
    const entry = this.services.catalogue.get(srv);
    if (!entry) throw new Rejection(ResponseCodes.malformed, `unknown Service Reference Variant ${srv}`);
    const roles = this.services.catalogue.eligibleAmong(user.roles, entry);
    if (roles.length === 0) throw new Rejection(ResponseCodes.roleNotEligible, `role ${user.roles.join("/")} may not send ${srv}`);
    const device = this.deviceFor(deviceId, srv);
    if (!entry.critical) this.checkRegistration(user, roles, device, when);
  }

  private nonDeviceService(request: ParsedRequest, user: User, entry: CatalogueEntry): ResponseBody | null {
    const execute = this.services.nonDeviceServices.get(request.srv);
    if (!execute) throw new Rejection(ResponseCodes.notSupported, `${entry.srv} ${entry.name} is not executed by this gateway yet`);
    try {
      return execute(request, user, this.services, this);
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      if (typeof code === "string" && /^[EW]\d+$/.test(code)) throw new Rejection(code, (error as Error).message);
      throw error;
    }
  }

  private finish(xml: string, response: GatewayResponse, outcome: AuditEntry["outcome"]): GatewayResponse {
    const requestId = response.requestId ? formatRequestId(response.requestId) : null;
    this.services.record?.({ at: this.services.now().toISOString(), requestId, srv: response.srv, outcome, responseCode: response.responseCode, reason: response.reason, xml });
    const { events } = this.services;
    if (outcome === "accepted" && requestId && response.srv && response.requestId) {
      events.emit("request.accepted", { requestId, srv: response.srv, userId: response.requestId.originator, responseCode: response.responseCode });
    } else if (outcome === "quarantined" && requestId && response.srv && response.requestId) {
      events.emit("request.quarantined", { requestId, srv: response.srv, userId: response.requestId.originator, reason: response.reason ?? "" });
    } else {
      events.emit("request.rejected", { requestId, srv: response.srv, responseCode: response.responseCode, reason: response.reason ?? "" });
    }
    return response;
  }
}
