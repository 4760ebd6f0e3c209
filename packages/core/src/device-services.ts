// Device services after the checks (design: the way of one Service Request, steps 5-7; seed 003
// paragraphs 149-157; duis.md sections 2 and 6): transform into GBCS; a critical service stops at
// its Pre-Command, which the user signs and sends back (Command Variants 5-7) to be checked
// against what was issued; the Access Control Broker MACs the command; it goes over the WAN
// (device transport), back to the user for local delivery, or both, by Command Variant.
// Device responses and alerts come back through the transport and are delivered to their user.
// What waits between two steps (a Pre-Command for its signature, a command held until its
// execution date-time, a locally delivered command for its response) is kept durably
// (kept-commands.ts); a change of supplier is signed by the CoS party (cos-party.ts).
import { ACCESS_CONTROL_BROKER, TransformError, headerOf, parseGbcs, transformRequest, type DeviceType as GbcsDeviceType, type KeyRing, type RestoredDeviceLog, type ServiceNode } from "@opendcc/gbcs";
import { FrameError, concatBytes, fromHex, importPublicKey, parseFrame, sign, toHex, verify, verifyMac, wrapApdu, type Frame } from "@opendcc/kernel";
import { certificateIssuerSerial } from "@opendcc/duis";
import type { CatalogueEntry } from "./catalogue.js";
import type { EventBus } from "./events.js";
import type { CosCommand, CosParty } from "./cos-party.js";
import type { DccAlert, GatewayResponse, ParsedRequest, ResponseBody } from "./gateway.js";
import { InventoryError, normaliseEui, type DeviceRecord, type SmartMeteringInventory } from "./inventory.js";
import { recordActivatedFirmware } from "./firmware-activation.js";
import { keptKey, type InventoryEffect, type KeptCommand, type KeptCommands, type KeptState } from "./kept-commands.js";
import type { User, UserDirectory } from "./parties.js";
import type { DeviceTransport } from "./plugins.js";
import { formatRequestId, type RequestIdentity } from "./request-ids.js";
import { ResponseCodes, ServiceError, type ResponseCode } from "./response-codes.js";

/** The GBCS version OpenDCC's Pre-Commands follow (the RTDS 4.5.0 vectors are the yardstick). */
export const GBCS_VERSION = "4.0";

/** Key agreement for command MACs: Z between the Access Control Broker and a device (gbcs.md 6). */
export interface CommandKeys {
  /** Resolves to null when the DCC holds no key-agreement certificate for the device. */
  brokerSecret(deviceId: string): Promise<Uint8Array | null>;
  /** A device's SMKI certificate (DER), for commands that carry one (a Method C join); null when unknown. */
  deviceCertificate?(deviceId: string, usage: "ka" | "ds"): Promise<Uint8Array | null>;
}

/**
 * The Access Control Broker's own originator counter for the commands it originates (gbcs.md 2b):
 * strictly increasing, taken from the clock (milliseconds x 1000, plus one per command within the
 * same millisecond) so that it keeps increasing across restarts without being stored.
 */
export function clockAcbCounter(now: () => Date): () => bigint {
  let last = 0n;
  return () => {
    const fromClock = BigInt(now().getTime()) * 1000n;
    last = fromClock > last ? fromClock : last + 1n;
    return last;
  };
}

/** Command keys from a key ring holding the ACB's key-agreement private key and devices' KA certificates. */
export function keyRingCommandKeys(ring: KeyRing): CommandKeys {
  return {
    brokerSecret: (deviceId) => ring.sharedSecret(ACCESS_CONTROL_BROKER, deviceId) ?? Promise.resolve(null),
    deviceCertificate: async (deviceId, usage) => ring.entry(deviceId, usage)?.certificate?.der ?? null,
  };
}

export interface DeviceServicesOptions {
  readonly keys: CommandKeys;
  /** The device transport in use (a plugin's, or none). */
  readonly transport: () => DeviceTransport | undefined;
  readonly events: EventBus;
  readonly now: () => Date;
  /** Pre-Commands awaiting a signature, commands held until their time, commands delivered locally. */
  readonly kept: KeptCommands;
  readonly inventory: SmartMeteringInventory;
  readonly users: UserDirectory;
  /** Queues an asynchronous response for a user (pushed and kept for pull) and commits it. */
  readonly deliver: (userId: string, response: GatewayResponse) => Promise<void>;
  /** Queues a response in the group commit of the request being answered (8.13). */
  readonly queue: (userId: string, response: GatewayResponse) => void;
  /** Queues a DCC Alert for a user and commits it. */
  readonly alert: (userId: string, alert: DccAlert) => Promise<void>;
  /** Several instances: releases a kept command for all of them (true for the one that did). */
  readonly releaseShared?: (key: string) => Promise<boolean>;
  /** The CoS party (paragraph 142); without one, 6.23 is not executed. */
  readonly cosParty?: CosParty;
  /** The ACB's counter for commands it originates on a user's behalf. */
  readonly acbCounter: () => bigint;
  /** The ACB's GBCS digital-signing key, for the commands it signs (ACB-signed joins and unjoins). */
  readonly acbSigningKey?: CryptoKey;
}

/** What the gateway answers synchronously for a device service request. */
export interface DeviceAnswer {
  readonly code: ResponseCode;
  readonly body: ResponseBody | null;
}

/** A change of supplier in flight: who is alerted when the device reports success (paragraph 146). */
type CosFlight = Pick<CosCommand, "mpxn" | "gainingPartyId" | "losingPartyId" | "role">;

interface InFlight {
  readonly requestId: RequestIdentity;
  readonly srv: string;
  readonly serviceReference: string;
  readonly effect: InventoryEffect | null;
  readonly cos: CosFlight | null;
  /** Set for a DCC Scheduled Service's run: its response is a DSPScheduledMessage (duis.md 3.3). */
  readonly scheduleId?: number;
}

/** A command held until the request it names as its predecessor succeeds (paragraph 127). */
interface SequencedCommand {
  readonly flight: InFlight;
  readonly deviceId: string;
  readonly command: Uint8Array;
}

/** How a request sent over the WAN ended, for the requests sequenced after it. */
type Outcome = "pending" | "succeeded" | "failed";

type FutureDated = Extract<KeptCommand, { state: "future-dated" }>;

const DEVICE_TYPES: Readonly<Record<DeviceRecord["type"], GbcsDeviceType | null>> = {
  ESME: "ESME", GSME: "GSME", CHF: "CHF", GPF: "GPF", PPMID: "PPMID", HCALCS: "HCALCS", IHD: "IHD", CAD: "IHD",
};

const SIGNED_VARIANTS = new Set([5, 6, 7]);
const LOCAL_VARIANTS = new Set([2, 3, 6, 7]);
const WAN_VARIANTS = new Set([1, 3, 5, 7]);
/** Command Variants that may be future dated: WAN only (duis.md 1.2, "OD or FD"). */
const FUTURE_DATED_VARIANTS = new Set([1, 5]);
/** The ExecutionDateTime that cancels a future-dated request (duis.md 1.4, the 20 cancellation templates). */
const CANCELLATION = Date.UTC(3000, 11, 31);

/** True for a cancellation's ExecutionDateTime (3000-12-31T00:00:00Z), which is no date to check registration at. */
export function isCancellation(executionDateTime: Date | null): boolean {
  return executionDateTime?.getTime() === CANCELLATION;
}

/**
 * How many recent requests the device services remember: outcomes for sequencing (an older
 * predecessor is unknown: E48) and commands awaiting their device's answer.
 */
const REMEMBERED_OUTCOMES = 100_000;

export class DeviceServices {
  private readonly inFlight = new Map<string, InFlight>();
  private readonly outcomes = new Map<string, Outcome>();
  private readonly heldFor = new Map<string, SequencedCommand[]>();
  private readonly signingKeys = new WeakMap<Uint8Array, Promise<CryptoKey>>();

  constructor(private readonly options: DeviceServicesOptions) {}

  /** Executes a device service request that passed every check (`scheduleId`: a run of that schedule). */
  async execute(request: ParsedRequest, entry: CatalogueEntry, user: User, device: DeviceRecord, scheduleId?: number): Promise<DeviceAnswer> {
    if (SIGNED_VARIANTS.has(request.commandVariant)) return this.executeSigned(request, entry, user, device);
    const deviceType = DEVICE_TYPES[device.type];
    if (!deviceType) throw new ServiceError(ResponseCodes.wrongDeviceType, `${device.deviceId} is a ${device.type}, which receives no GBCS commands`);
    const heldByDcc = entry.futureDatedPattern === "DSP";
    if (heldByDcc && isCancellation(request.executionDateTime)) return this.cancel(request, device);
    // Paragraph 186: a Gas Proxy Function is commissioned when the DCC sets its status, after the
    // checks of paragraph 187; GBCS has no command for it.
    if (request.srv === "8.1.1" && device.type === "GPF") {
      try {
        this.options.inventory.commission(device.deviceId);
      } catch (error) {
        if (error instanceof InventoryError) throw new ServiceError(error.code, error.message);
        throw error;
      }
      return { code: ResponseCodes.success, body: null };
    }
    const effect = inventoryEffect(request, device);
    // Paragraphs 144-146: a change of supplier goes through the CoS party, which signs it.
    if (request.srv === "6.23") {
      const cos = this.options.cosParty;
      if (!cos) throw new ServiceError(ResponseCodes.notSupported, "6.23 needs the CoS party, and this DCC has none (DccOptions.cosSigningKey)");
      const prepared = await cos.prepare(request, user, device, this.options.now());
      const { signed: _signed, ...flight } = prepared;
      return this.dispatch(request, entry, device, concatBytes(prepared.signed), effect, flight);
    }
    let transformed;
    try {
      transformed = transformRequest({
        srv: request.srv, deviceType, commandVariant: request.commandVariant,
        requestId: request.requestId,
        // Future dating held by the DCC: the command itself executes when it arrives.
        executionDateTime: heldByDcc ? undefined : request.executionDateTime?.toISOString(),
        body: (request.content ?? { name: request.bodyElement }) as ServiceNode,
        acbCounter: this.options.acbCounter(),
        ...(await this.otherDeviceOf(request)),
        ...(request.srv === "9.1" ? { customerIdentificationNumber: customerIdentificationNumber() } : {}),
        ...this.restoredDeviceLogOf(request),
      });
    } catch (error) {
      if (!(error instanceof TransformError)) throw error;
      const unsupported = error.message.startsWith("no GBCS transform");
      throw new ServiceError(unsupported ? ResponseCodes.notSupported : ResponseCodes.malformed, `${entry.srv} ${entry.name}: ${error.message}`);
    }
    if (transformed.critical) {
      // Paragraph 155: the user correlates and signs; the Signed Pre-Command comes back with the
      // same RequestID, perhaps to another instance or after a restart (kept durably). The
      // Pre-Command goes out with its empty signature field (DCC Boxed 1.4.1+).
      this.options.kept.keep({
        state: "awaiting-signature", requestId: formatRequestId(request.requestId), srv: request.srv, deviceId: device.deviceId,
        preCommand: toHex(transformed.apdu), effect,
      });
      return { code: ResponseCodes.success, body: { kind: "preCommand", gbcsVersion: GBCS_VERSION, gbcs: concatBytes(transformed.apdu, Uint8Array.of(0)) } };
    }
    if (transformed.signedByAcb) {
      // The ACB signs commands it authorises itself (joins and unjoins of Type 1 devices).
      const key = this.options.acbSigningKey;
      if (!key) throw new ServiceError(ResponseCodes.notSupported, `${entry.srv} ${entry.name}: the command is signed by the Access Control Broker, and this DCC has no ACB digital-signing key`);
      return this.dispatch(request, entry, device, concatBytes(transformed.apdu, Uint8Array.of(0x40), await sign(key, transformed.apdu.subarray(1))), effect, null, scheduleId);
    }
    return this.dispatch(request, entry, device, concatBytes(transformed.apdu, Uint8Array.of(0)), effect, null, scheduleId);
  }

  /**
   * A join names the other device by ID (OtherDeviceID), an 8.11 Add the device it puts on the
   * hub's device log (DeviceID); GBCS carries its type (inventory: CS03, CCS01) and, for a Method C
   * join, its certificate.
   */
  private async otherDeviceOf(request: ParsedRequest): Promise<{ otherDevice?: { deviceType: GbcsDeviceType; certificate?: Uint8Array } }> {
    const addToHub = request.srv === "8.11" && request.field("RequestType") === "Add";
    const name = addToHub ? "DeviceID" : "OtherDeviceID";
    const otherId = request.field(name);
    if (!otherId) return {};
    const other = this.options.inventory.get(otherId.replace(/-/g, "").toUpperCase());
    const deviceType = other ? DEVICE_TYPES[other.type] : null;
    if (!other || !deviceType) throw new ServiceError(ResponseCodes.unknownDevice, `${name} ${otherId} is not a device in the Smart Metering Inventory`);
    if (addToHub) return { otherDevice: { deviceType } };
    const certificate = await this.options.keys.deviceCertificate?.(other.deviceId, "ka");
    return { otherDevice: { deviceType, ...(certificate ? { certificate } : {}) } };
  }

  /**
   * 8.12 Restore HAN Device Log (paragraphs 188-190): the DCC's stored copy of the old hub's log.
   * 8.12.1 (CCS03): the old CHF's devices but its GPF (the new hub has its own), with the extended
   * PAN ID and link keys of the CHF's backup. 8.12.2 (GCS59): the devices the inventory associates
   * with the old GPF's gas meter (Type 1 and 2 devices); the GSME re-joins the new GPF through
   * its supplier (paragraph 191).
   */
  private restoredDeviceLogOf(request: ParsedRequest): { restoredDeviceLog?: RestoredDeviceLog } {
    const { inventory } = this.options;
    const oldHub = (name: string, type: DeviceRecord["type"]): DeviceRecord => {
      const id = request.field(name);
      const hub = id ? inventory.get(normaliseEui(id)) : undefined;
      if (!hub || hub.type !== type) throw new ServiceError(ResponseCodes.unknownDevice, `${name} ${id ?? "(absent)"} is not a ${type} in the Smart Metering Inventory`);
      return hub;
    };
    if (request.srv === "8.12.1") {
      const old = oldHub("OldCHFID", "CHF");
      const extendedPanId = inventory.extendedPanId(old.deviceId);
      const entries = inventory.deviceLog(old.deviceId).filter((entry) => entry.type !== "GPF");
      const unkeyed = entries.filter((entry) => !entry.linkKey).map((entry) => entry.deviceId);
      if (!extendedPanId || unkeyed.length > 0) {
        throw new ServiceError(ResponseCodes.notSupported, `the DCC holds no backup of CHF ${old.deviceId}'s HAN security details (8.9 with ReadSecurityDetails)${unkeyed.length ? `: no link key for ${unkeyed.join(", ")}` : ""}`);
      }
      return { restoredDeviceLog: { extendedPanId: fromHex(extendedPanId), devices: entries.map((entry) => ({ deviceId: entry.deviceId, linkKey: fromHex(entry.linkKey as string) })) } };
    }
    if (request.srv === "8.12.2") {
      const old = oldHub("OldGPFID", "GPF");
      const meters = new Set(inventory.all().filter((d) => d.type === "GSME" && d.associatedWith === old.deviceId).map((d) => d.deviceId));
      const devices = inventory.all().filter((d) => d.associatedWith !== null && meters.has(d.associatedWith) && d.status !== "decommissioned" && d.status !== "withdrawn");
      return { restoredDeviceLog: { devices: devices.map((d) => ({ deviceId: d.deviceId, deviceType: d.type })) } };
    }
    return {};
  }

  /** True when a Pre-Command was issued for this RequestID and awaits its signature. */
  awaitsSignature(requestId: RequestIdentity): boolean {
    return this.options.kept.get("awaiting-signature", formatRequestId(requestId)) !== undefined;
  }

  // Paragraphs 155-157 and duis.md 6 step 5: the signer is the originator, and the signed content
  // is exactly the Pre-Command issued for this RequestID (with or without its 00 placeholder).
  private async executeSigned(request: ParsedRequest, entry: CatalogueEntry, user: User, device: DeviceRecord): Promise<DeviceAnswer> {
    const key = formatRequestId(request.requestId);
    const issued = this.options.kept.get("awaiting-signature", key);
    if (!issued) throw new ServiceError(ResponseCodes.replay, `no Pre-Command awaits a signature for RequestID ${key}`);
    const signed = request.gbcsPayload;
    if (!signed) throw new ServiceError(ResponseCodes.malformed, "a Signed Pre-Command must carry SignedPreCommand/GBCSPayload");
    if (issued.srv !== request.srv || issued.deviceId !== device.deviceId) {
      throw new ServiceError(ResponseCodes.preCommandMismatch, `the Pre-Command for ${key} was issued for SRV ${issued.srv} on ${issued.deviceId}, not ${request.srv} on ${device.deviceId}`);
    }
    const { content, signature } = splitSigned(signed);
    if (toHex(content) !== issued.preCommand) {
      throw new ServiceError(ResponseCodes.preCommandMismatch, `the signed GBCS payload is not the Pre-Command issued for ${key} (${content.length} bytes signed, ${issued.preCommand.length / 2} issued)`);
    }
    if (!(await this.signedByUser(user, content, signature))) {
      throw new ServiceError(ResponseCodes.preCommandSignature, `the Pre-Command's signature does not verify with a digital-signing certificate of ${user.userId}`);
    }
    // Once only, over all instances.
    if (!(await this.release("awaiting-signature", key))) throw new ServiceError(ResponseCodes.replay, `the Pre-Command for ${key} was already used`);
    return this.dispatch(request, entry, device, concatBytes(content, Uint8Array.of(0x40), signature), issued.effect, null);
  }

  /** Releases a kept command once; with several instances the store decides which one does. */
  private async release(state: KeptState, requestId: string): Promise<boolean> {
    const shared = this.options.releaseShared;
    if (!shared) return this.options.kept.release(state, requestId);
    // The store removed it durably and told the other instances: here it is only forgotten.
    const released = await shared(keptKey(state, requestId));
    this.options.kept.forget(keptKey(state, requestId));
    return released;
  }

  private async signedByUser(user: User, content: Uint8Array, signature: Uint8Array): Promise<boolean> {
    for (const certificate of user.certificates.filter((c) => c.usage === "ds")) {
      let key = this.signingKeys.get(certificate.der);
      if (!key) {
        key = importPublicKey(certificateIssuerSerial(certificate.der).spki, "ds");
        this.signingKeys.set(certificate.der, key);
      }
      if (await verify(await key, content.subarray(1), signature)) return true;
    }
    return false;
  }

  /** MACs the complete General-Signing APDU and sends it, holds it, returns it, or both (Command Variant). */
  private async dispatch(
    request: ParsedRequest, entry: CatalogueEntry, device: DeviceRecord, apdu: Uint8Array, effect: InventoryEffect | null, cos: CosFlight | null, scheduleId?: number,
  ): Promise<DeviceAnswer> {
    const secret = await this.options.keys.brokerSecret(device.deviceId);
    if (!secret) throw new ServiceError(ResponseCodes.notSupported, `the DCC holds no key-agreement certificate for ${device.deviceId}, so it cannot MAC commands to it`);
    const command = wrapApdu(secret, apdu);
    const requestId = formatRequestId(request.requestId);
    const flight: InFlight = { requestId: request.requestId, srv: request.srv, serviceReference: request.serviceReference, effect, cos, ...(scheduleId === undefined ? {} : { scheduleId }) };
    if (entry.futureDatedPattern === "DSP" && request.executionDateTime && request.executionDateTime > this.options.now()) {
      // duis.md 1.4 "DSP": the DCC holds the command and sends it at its execution date-time.
      if (!FUTURE_DATED_VARIANTS.has(request.commandVariant)) {
        throw new ServiceError(ResponseCodes.commandVariant, `a future-dated ${request.srv} is sent over the WAN only (Command Variant 1 or 5), not ${request.commandVariant}`);
      }
      this.options.kept.keep({
        state: "future-dated", requestId, srv: request.srv, deviceId: device.deviceId, effect, userId: request.requestId.originator,
        serviceReference: request.serviceReference, dueAt: request.executionDateTime.toISOString(), command: toHex(command),
      });
      return { code: ResponseCodes.acknowledged, body: null };
    }
    if (WAN_VARIANTS.has(request.commandVariant)) {
      const transport = this.options.transport();
      if (!transport) throw new ServiceError(ResponseCodes.notSupported, "no device transport is running (the devices plugin or a CSP adapter provides one), so commands cannot reach devices over the WAN");
      const predecessor = request.precedingRequestId ? formatRequestId(request.precedingRequestId) : null;
      const before = predecessor ? this.outcomes.get(predecessor) : "succeeded";
      if (before === undefined) throw new ServiceError(ResponseCodes.precedingFailed, `the preceding request ${predecessor} is not one this DCC sent to a device`);
      if (before === "failed") throw new ServiceError(ResponseCodes.precedingFailed, `the preceding request ${predecessor} did not succeed, so this one is not executed (seed 003 paragraph 127)`);
      this.remember(requestId, "pending");
      if (before === "pending" && predecessor) {
        const held = this.heldFor.get(predecessor) ?? [];
        held.push({ flight, deviceId: device.deviceId, command });
        this.heldFor.set(predecessor, held);
      } else {
        await this.send(transport, flight, device.deviceId, command);
      }
    }
    if (LOCAL_VARIANTS.has(request.commandVariant)) {
      // Paragraph 194: the user may return the device's response (8.13), e.g. to update the inventory.
      this.options.kept.keep({ state: "local", requestId, srv: request.srv, deviceId: device.deviceId, effect, serviceReference: request.serviceReference });
      return { code: ResponseCodes.success, body: { kind: "localCommand", gbcs: command } };
    }
    return { code: ResponseCodes.acknowledged, body: null };
  }

  /**
   * duis.md 1.4: a future-dated request is cancelled by the same SRV with ExecutionDateTime
   * 3000-12-31T00:00:00Z and a higher counter. The DCC drops what it holds of that user's SRV
   * for the device.
   */
  private async cancel(request: ParsedRequest, device: DeviceRecord): Promise<DeviceAnswer> {
    const held = this.options.kept.all("future-dated").filter((c) => c.userId === request.requestId.originator && c.srv === request.srv && c.deviceId === device.deviceId);
    let cancelled = 0;
    for (const command of held) if (await this.release("future-dated", command.requestId)) cancelled++;
    if (cancelled === 0) {
      throw new ServiceError(ResponseCodes.nothingToCancel, `the DCC holds no future-dated ${request.srv} of ${request.requestId.originator} for ${device.deviceId}`);
    }
    return { code: ResponseCodes.success, body: null };
  }

  /**
   * Sends a future-dated command whose time has come (the caller has released it); returns the
   * error answer for its user when it could not go.
   */
  async sendDue(held: FutureDated): Promise<GatewayResponse | null> {
    const [originator = "", target = "", counter = "0"] = held.requestId.split(":");
    const flight: InFlight = { requestId: { originator, target, counter: BigInt(counter) }, srv: held.srv, serviceReference: held.serviceReference, effect: held.effect, cos: null };
    const failed = (reason: string): GatewayResponse => ({
      requestId: flight.requestId, responseCode: ResponseCodes.communicationsFailure, reason, serviceReference: held.serviceReference, srv: held.srv, body: null,
    });
    const transport = this.options.transport();
    if (!transport) return failed(`future-dated ${held.srv} for ${held.dueAt}: no device transport is running`);
    try {
      await this.send(transport, flight, held.deviceId, fromHex(held.command));
      return null;
    } catch (error) {
      return failed((error as Error).message);
    }
  }

  private async send(transport: DeviceTransport, flight: InFlight, deviceId: string, command: Uint8Array): Promise<void> {
    const header = headerOf(command, parseFrame(command));
    this.inFlight.set(`${deviceId}:${header.counter}`, flight);
    // Commands a device never answers are forgotten in time (a late answer still reaches its user).
    if (this.inFlight.size > REMEMBERED_OUTCOMES) this.inFlight.delete(this.inFlight.keys().next().value as string);
    const requestId = formatRequestId(flight.requestId);
    try {
      await transport.send({ requestId, deviceId, gbcs: command });
    } catch (error) {
      this.inFlight.delete(`${deviceId}:${header.counter}`);
      this.settle(requestId, "failed");
      throw new ServiceError(ResponseCodes.communicationsFailure, `the device transport could not send to ${deviceId}: ${(error as Error).message}`);
    }
    this.options.events.emit("command.sent", { requestId, deviceId, srv: flight.srv });
  }

  /** Keeps the newest outcomes only, so a long-running gateway does not grow without bound. */
  private remember(requestId: string, outcome: Outcome): void {
    this.outcomes.delete(requestId);
    this.outcomes.set(requestId, outcome);
    if (this.outcomes.size > REMEMBERED_OUTCOMES) this.outcomes.delete(this.outcomes.keys().next().value as string);
  }

  /** Records how a request ended and releases (or fails) the requests sequenced after it. */
  private settle(requestId: string, outcome: "succeeded" | "failed"): void {
    this.remember(requestId, outcome);
    const held = this.heldFor.get(requestId) ?? [];
    this.heldFor.delete(requestId);
    for (const next of held) {
      const nextId = formatRequestId(next.flight.requestId);
      const transport = this.options.transport();
      if (outcome === "succeeded" && transport) {
        void this.send(transport, next.flight, next.deviceId, next.command).catch((error: unknown) => this.failHeld(next, (error as Error).message));
      } else {
        this.settle(nextId, "failed");
        this.failHeld(next, outcome === "succeeded" ? "no device transport is running" : `the preceding request ${requestId} did not succeed (seed 003 paragraph 127)`);
      }
    }
  }

  private failHeld(held: SequencedCommand, reason: string): void {
    void this.options.deliver(held.flight.requestId.originator, {
      requestId: held.flight.requestId, responseCode: ResponseCodes.precedingFailed, reason,
      serviceReference: held.flight.serviceReference, srv: held.flight.srv, body: null,
    });
  }

  /**
   * A device's response or alert from the transport. A response goes to the user whose request it
   * answers (the recipient, the supplementary remote party when the ACB was the recipient, or the
   * requester of a command another party originated, e.g. the CoS party).
   */
  async receive(message: { readonly deviceId: string; readonly gbcs: Uint8Array }): Promise<void> {
    let header;
    let frame;
    try {
      frame = parseFrame(message.gbcs);
      header = headerOf(message.gbcs, frame);
    } catch (error) {
      if (error instanceof FrameError) throw new Error(`device ${message.deviceId} sent a malformed GBCS message: ${error.message}`);
      throw error;
    }
    // The DCC checks the MAC wherever it holds the keys: messages addressed to the ACB. Others are
    // MAC'd (and their blocks encrypted) for the user, who checks them; the DCC cannot.
    if (header.recipient === ACCESS_CONTROL_BROKER && frame.form === "GeneralCiphering") {
      const secret = await this.options.keys.brokerSecret(header.originator);
      if (secret && !verifyMac(secret, message.gbcs)) throw new Error(`device ${header.originator} sent a message to the ACB whose MAC does not verify: dropped`);
    }
    const other = message.gbcs.subarray(frame.otherInfo.offset, frame.otherInfo.offset + frame.otherInfo.length);
    const recipient = header.recipient === ACCESS_CONTROL_BROKER && other.length >= 10 ? toHex(other.subarray(2, 10)) : header.recipient;
    // A firmware activation's outcome (CS06 response, 0x00CA alert): the inventory records the version.
    recordActivatedFirmware(this.options.inventory, header.originator, { cra: header.cra, messageCode: header.messageCode, content: contentOf(message.gbcs, frame) });
    if (header.cra === 3) {
      this.options.events.emit("alert.raised", { deviceId: header.originator, alertCode: alertCodeOf(message.gbcs, frame.content.offset), userIds: [recipient] });
      await this.options.deliver(recipient, {
        requestId: null, responseCode: ResponseCodes.success, reason: null, serviceReference: null, srv: null,
        body: { kind: "deviceAlert", alertCode: alertCodeOf(message.gbcs, frame.content.offset), gbcs: message.gbcs },
      });
      return;
    }
    const key = `${header.originator}:${header.counter}`;
    const flight = this.inFlight.get(key);
    this.inFlight.delete(key);
    const requestId = flight?.requestId ?? { originator: recipient, target: header.originator, counter: header.counter };
    // Sequenced requests (paragraph 127) and inventory effects follow only a response that says success.
    const succeeded = await responseSucceeded(message.gbcs);
    this.settle(formatRequestId(requestId), succeeded ? "succeeded" : "failed");
    this.options.events.emit("response.received", { requestId: formatRequestId(requestId), deviceId: header.originator, responseCode: ResponseCodes.success });
    if (flight?.effect && succeeded) this.applyEffect(flight.effect, formatRequestId(requestId));
    await this.options.deliver(requestId.originator, {
      requestId, responseCode: ResponseCodes.success, reason: null,
      serviceReference: flight?.serviceReference ?? null, srv: flight?.srv ?? null,
      body: flight?.scheduleId === undefined ? { kind: "deviceResponse", gbcs: message.gbcs } : { kind: "scheduledResponse", scheduleId: flight.scheduleId, gbcs: message.gbcs },
    });
    if (flight?.cos && succeeded) await this.alertChangeOfSupplier(flight.requestId, header.originator, flight.cos);
  }

  // Paragraph 146: on success both the gaining and the losing supplier are alerted.
  private async alertChangeOfSupplier(requestId: RequestIdentity, deviceId: string, cos: CosFlight): Promise<void> {
    const alert: DccAlert = { kind: "changeOfSupplier", requestId, deviceId, mpxn: cos.mpxn };
    const losing = cos.losingPartyId === null ? [] : this.options.users.allUsers().filter((u) => u.partyId === cos.losingPartyId && u.roles.includes(cos.role)).map((u) => u.userId);
    for (const userId of new Set([requestId.originator, ...losing])) await this.options.alert(userId, alert);
  }

  /**
   * 8.13 Return Local Command Response (paragraphs 193-194, duis.md 4): the device's response to a
   * command returned for local delivery. It must be a GBCS response (CRA 2) from the original
   * request's target to its originator with the original counter. It is delivered to the user as
   * the response over the WAN would have been, and the inventory follows what the command did.
   */
  returnLocalResponse(user: User, original: RequestIdentity, gbcs: Uint8Array): void {
    const key = formatRequestId(original);
    if (original.originator !== user.userId) throw new ServiceError(ResponseCodes.malformed, `OriginalRequestID ${key} is not a request of ${user.userId}`);
    const local = this.options.kept.get("local", key);
    if (!local) throw new ServiceError(ResponseCodes.malformed, `no command for local delivery was returned for OriginalRequestID ${key} (or its response was already returned)`);
    let header;
    let frame;
    try {
      frame = parseFrame(gbcs);
      header = headerOf(gbcs, frame);
    } catch (error) {
      throw new ServiceError(ResponseCodes.malformed, `DeviceGBCSResponse is not a GBCS message: ${(error as Error).message}`);
    }
    const expected = { cra: 2, originator: original.target, recipient: original.originator, counter: original.counter };
    const found = { cra: header.cra, originator: header.originator, recipient: header.recipient, counter: header.counter };
    for (const field of ["cra", "originator", "recipient", "counter"] as const) {
      if (found[field] !== expected[field]) {
        throw new ServiceError(ResponseCodes.malformed, `DeviceGBCSResponse is not the response to ${key}: its ${field === "cra" ? "CRA flag" : field} is ${found[field]}, not ${expected[field]}`);
      }
    }
    if (local.effect) this.applyEffect(local.effect, key, true);
    recordActivatedFirmware(this.options.inventory, original.target, { cra: 2, messageCode: header.messageCode, content: contentOf(gbcs, frame) });
    this.options.kept.release("local", key);
    this.options.events.emit("response.received", { requestId: key, deviceId: original.target, responseCode: ResponseCodes.success });
    this.options.queue(user.userId, {
      requestId: original, responseCode: ResponseCodes.success, reason: null, serviceReference: local.serviceReference, srv: local.srv,
      body: { kind: "deviceResponse", gbcs },
    });
  }

  /** Paragraph 194: what a command the device executed changes in the inventory. */
  private applyEffect(effect: InventoryEffect, requestId: string, strict = false): void {
    const { inventory } = this.options;
    try {
      if (effect.kind === "join") inventory.addToDeviceLog(effect.chfId, effect.deviceId);
      else if (effect.kind === "unjoin") inventory.removeFromDeviceLog(effect.chfId, effect.deviceId);
      else if (effect.kind === "restore") inventory.restoreDeviceLogTo(effect.fromChfId, effect.toChfId);
      else inventory.commission(effect.deviceId);
    } catch (error) {
      if (!(error instanceof InventoryError)) throw error;
      if (strict) throw new ServiceError(error.code, `the device executed ${requestId}, but the inventory refuses its ${effect.kind}: ${error.message}`);
      const of = effect.kind === "restore" ? `${effect.fromChfId}'s log onto ${effect.toChfId}` : effect.deviceId;
      console.error(`inventory: ${requestId} succeeded on the device, but its ${effect.kind} of ${of} was refused: ${error.message}`);
    }
  }
}

/**
 * What a request does to the inventory once executed (paragraphs 184, 187, 190, 194): 8.11 adds a
 * device to (or removes it from) its hub's device log; 8.1.1 commissions the device; 8.12.1 moves
 * the old hub's device log to the new one.
 */
function inventoryEffect(request: ParsedRequest, device: DeviceRecord): InventoryEffect | null {
  if (request.srv === "8.1.1") return { kind: "commission", deviceId: device.deviceId };
  // Paragraph 190: once the new CHF reports the restore done, the inventory moves the HAN to it.
  const oldChf = request.srv === "8.12.1" ? request.field("OldCHFID") : null;
  if (oldChf) return { kind: "restore", fromChfId: normaliseEui(oldChf), toChfId: device.deviceId };
  if (request.srv !== "8.11") return null;
  const joining = request.field("DeviceID");
  const chfId = device.type === "CHF" ? device.deviceId : device.chfId;
  if (!joining || !chfId) return null;
  const deviceId = normaliseEui(joining);
  return request.field("RequestType") === "Remove" ? { kind: "unjoin", chfId, deviceId } : { kind: "join", chfId, deviceId };
}

/** A Signed Pre-Command: the Pre-Command, then 40 and the 64-byte signature. */
function splitSigned(signed: Uint8Array): { content: Uint8Array; signature: Uint8Array } {
  let frame;
  try {
    frame = parseFrame(signed);
  } catch (error) {
    throw new ServiceError(ResponseCodes.malformed, `the Signed Pre-Command is not a GBCS General-Signing APDU: ${(error as Error).message}`);
  }
  if (frame.form !== "GeneralSigning" || frame.signature !== "present" || frame.signatureOffset === null) {
    throw new ServiceError(ResponseCodes.preCommandSignature, "the Signed Pre-Command carries no signature (expected the Pre-Command, 40 and 64 bytes of r||s)");
  }
  return { content: signed.subarray(0, frame.signatureOffset - 1), signature: signed.subarray(frame.signatureOffset, frame.signatureOffset + 64) };
}

/** A message's payload (its content field). */
function contentOf(message: Uint8Array, frame: Frame): Uint8Array {
  return message.subarray(frame.content.offset, frame.content.offset + frame.content.length);
}

/** The alert code of a GBCS alert: DLMS notification (12 + code), GBZ (after 01 09 count), or ASN.1. */
function alertCodeOf(message: Uint8Array, contentOffset: number): string {
  const content = message.subarray(contentOffset);
  const hex = toHex(content.subarray(0, 16));
  const dlms = /^0F.{8}0002.{2}12(.{4})/.exec(hex);
  if (dlms?.[1]) return dlms[1];
  if (hex.startsWith("0109")) return hex.slice(6, 10);
  const asn1 = /^30.{2}020300(.{4})/.exec(hex);
  return asn1?.[1] ?? "0000";
}

/** 9.1: the DCC makes up the Customer Identification Number the consumer will be asked for (4 digits). */
function customerIdentificationNumber(): string {
  return String(crypto.getRandomValues(new Uint16Array(1))[0] as number % 10_000).padStart(4, "0");
}

/**
 * Whether a device's response reports success, as far as the DCC can read it without the user's
 * keys: a failure is a DLMS result other than success (0) or a ZCL default response with a failing
 * status. What the DCC cannot read (encrypted blocks, a layout it does not parse) is not taken for
 * a failure: it goes to the user as it is, and the user reads the detail.
 */
async function responseSucceeded(message: Uint8Array): Promise<boolean> {
  let parsed;
  try {
    parsed = await parseGbcs(message);
  } catch {
    return true;
  }
  const fields = parsed.payload.fields as Record<string, unknown>;
  // ASN.1 outcomes (CS06 and others) name their result: anything but success is a failure.
  const outcome = fields["executionOutcome"] as { responseCode?: { name?: unknown } } | undefined;
  if (typeof outcome?.responseCode?.name === "string" && outcome.responseCode.name !== "success") return false;
  const results = Array.isArray(fields["results"]) ? (fields["results"] as { resultCode?: unknown }[]) : [];
  if (results.some((r) => typeof r.resultCode === "number" && r.resultCode !== 0)) return false;
  const components = Array.isArray(fields["components"]) ? (fields["components"] as Record<string, unknown>[]) : [];
  return !components.some((c) => c["command"] === "defaultResponse" && failingStatus(c));
}

function failingStatus(value: unknown): boolean {
  if (!value || typeof value !== "object") return false;
  const status = (value as Record<string, unknown>)["status"] as { code?: unknown } | undefined;
  if (status && typeof status.code === "number") return status.code !== 0;
  return Object.values(value as Record<string, unknown>).some(failingStatus);
}
