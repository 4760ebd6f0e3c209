// Device services after the checks (design: the way of one Service Request, steps 5-7; seed 003
// paragraphs 149-157; duis.md sections 2 and 6): transform into GBCS; a critical service stops at
// its Pre-Command, which the user signs and sends back (Command Variants 5-7) to be checked
// against what was issued; the Access Control Broker MACs the command; it goes over the WAN
// (device transport), back to the user for local delivery, or both, by Command Variant.
// Device responses and alerts come back through the transport and are delivered to their user.
import { ACCESS_CONTROL_BROKER, TransformError, headerOf, transformRequest, type DeviceType as GbcsDeviceType, type KeyRing, type ServiceNode } from "@opendcc/gbcs";
import { FrameError, concatBytes, importPublicKey, parseFrame, toHex, verify, wrapApdu } from "@opendcc/kernel";
import { certificateIssuerSerial } from "@opendcc/duis";
import type { CatalogueEntry } from "./catalogue.js";
import type { EventBus } from "./events.js";
import type { GatewayResponse, ParsedRequest, ResponseBody } from "./gateway.js";
import type { DeviceRecord } from "./inventory.js";
import type { User } from "./parties.js";
import type { DeviceTransport } from "./plugins.js";
import { formatRequestId, type RequestIdentity } from "./request-ids.js";
import { ResponseCodes, ServiceError, type ResponseCode } from "./response-codes.js";

/** The GBCS version OpenDCC's Pre-Commands follow (the RTDS 4.5.0 vectors are the yardstick). */
export const GBCS_VERSION = "4.0";

/** Key agreement for command MACs: Z between the Access Control Broker and a device (gbcs.md 6). */
export interface CommandKeys {
  /** Resolves to null when the DCC holds no key-agreement certificate for the device. */
  brokerSecret(deviceId: string): Promise<Uint8Array | null>;
}

/** Command keys from a key ring holding the ACB's key-agreement private key and devices' KA certificates. */
export function keyRingCommandKeys(ring: KeyRing): CommandKeys {
  return { brokerSecret: (deviceId) => ring.sharedSecret(ACCESS_CONTROL_BROKER, deviceId) ?? Promise.resolve(null) };
}

export interface DeviceServicesOptions {
  readonly keys: CommandKeys;
  /** The device transport in use (a plugin's, or none). */
  readonly transport: () => DeviceTransport | undefined;
  readonly events: EventBus;
  /** Queues an asynchronous response for a user (pushed and kept for pull). */
  readonly deliver: (userId: string, response: GatewayResponse) => Promise<void>;
}

/** What the gateway answers synchronously for a device service request. */
export interface DeviceAnswer {
  readonly code: ResponseCode;
  readonly body: ResponseBody | null;
}

interface IssuedPreCommand {
  readonly preCommand: Uint8Array;
  readonly srv: string;
  readonly deviceId: string;
}

interface InFlight {
  readonly requestId: RequestIdentity;
  readonly srv: string;
  readonly serviceReference: string;
}

/** A command held until the request it names as its predecessor succeeds (paragraph 127). */
interface HeldCommand {
  readonly flight: InFlight;
  readonly deviceId: string;
  readonly command: Uint8Array;
}

/** How a request sent over the WAN ended, for the requests sequenced after it. */
type Outcome = "pending" | "succeeded" | "failed";

const DEVICE_TYPES: Readonly<Record<DeviceRecord["type"], GbcsDeviceType | null>> = {
  ESME: "ESME", GSME: "GSME", CHF: "CHF", GPF: "GPF", PPMID: "PPMID", HCALCS: "HCALCS", IHD: "IHD", CAD: "IHD",
};

const SIGNED_VARIANTS = new Set([5, 6, 7]);
const LOCAL_VARIANTS = new Set([2, 3, 6, 7]);
const WAN_VARIANTS = new Set([1, 3, 5, 7]);

export class DeviceServices {
  private readonly issued = new Map<string, IssuedPreCommand>();
  private readonly inFlight = new Map<string, InFlight>();
  private readonly outcomes = new Map<string, Outcome>();
  private readonly heldFor = new Map<string, HeldCommand[]>();
  private readonly signingKeys = new WeakMap<Uint8Array, Promise<CryptoKey>>();

  constructor(private readonly options: DeviceServicesOptions) {}

  /** Executes a device service request that passed every check. */
  async execute(request: ParsedRequest, entry: CatalogueEntry, user: User, device: DeviceRecord): Promise<DeviceAnswer> {
    if (SIGNED_VARIANTS.has(request.commandVariant)) return this.executeSigned(request, user, device);
    const deviceType = DEVICE_TYPES[device.type];
    if (!deviceType) throw new ServiceError(ResponseCodes.wrongDeviceType, `${device.deviceId} is a ${device.type}, which receives no GBCS commands`);
    let transformed;
    try {
      transformed = transformRequest({
        srv: request.srv, deviceType, commandVariant: request.commandVariant,
        requestId: request.requestId,
        executionDateTime: request.executionDateTime?.toISOString(),
        body: (request.content ?? { name: request.bodyElement }) as ServiceNode,
      });
    } catch (error) {
      if (!(error instanceof TransformError)) throw error;
      const unsupported = error.message.startsWith("no GBCS transform");
      throw new ServiceError(unsupported ? ResponseCodes.notSupported : ResponseCodes.malformed, `${entry.srv} ${entry.name}: ${error.message}`);
    }
    if (transformed.critical) {
      // Paragraph 155: the user correlates and signs; the Signed Pre-Command comes back with the
      // same RequestID. The Pre-Command goes out with its empty signature field (DCC Boxed 1.4.1+).
      this.issued.set(formatRequestId(request.requestId), { preCommand: transformed.apdu, srv: request.srv, deviceId: device.deviceId });
      return { code: ResponseCodes.success, body: { kind: "preCommand", gbcsVersion: GBCS_VERSION, gbcs: concatBytes(transformed.apdu, Uint8Array.of(0)) } };
    }
    return this.dispatch(request, device, concatBytes(transformed.apdu, Uint8Array.of(0)));
  }

  /** True when a Pre-Command was issued for this RequestID and awaits its signature. */
  awaitsSignature(requestId: RequestIdentity): boolean {
    return this.issued.has(formatRequestId(requestId));
  }

  // Paragraphs 155-157 and duis.md 6 step 5: the signer is the originator, and the signed content
  // is exactly the Pre-Command issued for this RequestID (with or without its 00 placeholder).
  private async executeSigned(request: ParsedRequest, user: User, device: DeviceRecord): Promise<DeviceAnswer> {
    const key = formatRequestId(request.requestId);
    const issued = this.issued.get(key);
    if (!issued) throw new ServiceError(ResponseCodes.replay, `no Pre-Command awaits a signature for RequestID ${key}`);
    const signed = request.gbcsPayload;
    if (!signed) throw new ServiceError(ResponseCodes.malformed, "a Signed Pre-Command must carry SignedPreCommand/GBCSPayload");
    if (issued.srv !== request.srv || issued.deviceId !== device.deviceId) {
      throw new ServiceError(ResponseCodes.preCommandMismatch, `the Pre-Command for ${key} was issued for SRV ${issued.srv} on ${issued.deviceId}, not ${request.srv} on ${device.deviceId}`);
    }
    const { content, signature } = splitSigned(signed);
    if (toHex(content) !== toHex(issued.preCommand)) {
      throw new ServiceError(ResponseCodes.preCommandMismatch, `the signed GBCS payload is not the Pre-Command issued for ${key} (${content.length} bytes signed, ${issued.preCommand.length} issued)`);
    }
    if (!(await this.signedByUser(user, content, signature))) {
      throw new ServiceError(ResponseCodes.preCommandSignature, `the Pre-Command's signature does not verify with a digital-signing certificate of ${user.userId}`);
    }
    this.issued.delete(key);
    return this.dispatch(request, device, concatBytes(content, Uint8Array.of(0x40), signature));
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

  /** MACs the complete General-Signing APDU and sends it, returns it, or both (Command Variant). */
  private async dispatch(request: ParsedRequest, device: DeviceRecord, apdu: Uint8Array): Promise<DeviceAnswer> {
    const secret = await this.options.keys.brokerSecret(device.deviceId);
    if (!secret) throw new ServiceError(ResponseCodes.notSupported, `the DCC holds no key-agreement certificate for ${device.deviceId}, so it cannot MAC commands to it`);
    const command = wrapApdu(secret, apdu);
    if (WAN_VARIANTS.has(request.commandVariant)) {
      const transport = this.options.transport();
      if (!transport) throw new ServiceError(ResponseCodes.notSupported, "no device transport is running (the devices plugin or a CSP adapter provides one), so commands cannot reach devices over the WAN");
      const flight: InFlight = { requestId: request.requestId, srv: request.srv, serviceReference: request.serviceReference };
      const predecessor = request.precedingRequestId ? formatRequestId(request.precedingRequestId) : null;
      const before = predecessor ? this.outcomes.get(predecessor) : "succeeded";
      if (before === undefined) throw new ServiceError(ResponseCodes.precedingFailed, `the preceding request ${predecessor} is not one this DCC sent to a device`);
      if (before === "failed") throw new ServiceError(ResponseCodes.precedingFailed, `the preceding request ${predecessor} did not succeed, so this one is not executed (seed 003 paragraph 127)`);
      this.outcomes.set(formatRequestId(request.requestId), "pending");
      if (before === "pending" && predecessor) {
        const held = this.heldFor.get(predecessor) ?? [];
        held.push({ flight, deviceId: device.deviceId, command });
        this.heldFor.set(predecessor, held);
      } else {
        await this.send(transport, flight, device.deviceId, command);
      }
    }
    if (LOCAL_VARIANTS.has(request.commandVariant)) return { code: ResponseCodes.success, body: { kind: "localCommand", gbcs: command } };
    return { code: ResponseCodes.acknowledged, body: null };
  }

  private async send(transport: DeviceTransport, flight: InFlight, deviceId: string, command: Uint8Array): Promise<void> {
    const header = headerOf(command, parseFrame(command));
    this.inFlight.set(`${deviceId}:${header.counter}`, flight);
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

  /** Records how a request ended and releases (or fails) the requests sequenced after it. */
  private settle(requestId: string, outcome: "succeeded" | "failed"): void {
    this.outcomes.set(requestId, outcome);
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

  private failHeld(held: HeldCommand, reason: string): void {
    void this.options.deliver(held.flight.requestId.originator, {
      requestId: held.flight.requestId, responseCode: ResponseCodes.precedingFailed, reason,
      serviceReference: held.flight.serviceReference, srv: held.flight.srv, body: null,
    });
  }

  /**
   * A device's response or alert from the transport. A response goes to the user whose command
   * it answers (the recipient; the supplementary remote party when the ACB was the recipient).
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
    const other = message.gbcs.subarray(frame.otherInfo.offset, frame.otherInfo.offset + frame.otherInfo.length);
    const userId = header.recipient === ACCESS_CONTROL_BROKER && other.length >= 10 ? toHex(other.subarray(2, 10)) : header.recipient;
    if (header.cra === 3) {
      this.options.events.emit("alert.raised", { deviceId: header.originator, alertCode: alertCodeOf(message.gbcs, frame.content.offset), userIds: [userId] });
      await this.options.deliver(userId, {
        requestId: null, responseCode: ResponseCodes.success, reason: null, serviceReference: null, srv: null,
        body: { kind: "deviceAlert", alertCode: alertCodeOf(message.gbcs, frame.content.offset), gbcs: message.gbcs },
      });
      return;
    }
    const key = `${header.originator}:${header.counter}`;
    const flight = this.inFlight.get(key);
    this.inFlight.delete(key);
    const requestId = flight?.requestId ?? { originator: userId, target: header.originator, counter: header.counter };
    this.settle(formatRequestId(requestId), "succeeded");
    this.options.events.emit("response.received", { requestId: formatRequestId(requestId), deviceId: header.originator, responseCode: ResponseCodes.success });
    await this.options.deliver(userId, {
      requestId, responseCode: ResponseCodes.success, reason: null,
      serviceReference: flight?.serviceReference ?? null, srv: flight?.srv ?? null,
      body: { kind: "deviceResponse", gbcs: message.gbcs },
    });
  }
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
