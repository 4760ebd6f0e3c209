// An estate for tests: a test SMKI, the ACB and two remote parties (a supplier with DS, KA and
// prepayment KA keys; a network operator), one premises with the RTDS device IDs, a clock the
// test moves, and a command builder that does what the gateway does (transform, sign, MAC).
import { ACCESS_CONTROL_BROKER, KeyRing, TestSmki, parseGbcs, readCertificate, signPreCommand, transformRequest, type DeviceType, type ParsedMessage, type ServiceNode } from "@opendcc/gbcs";
import { concatBytes, importPublicKey, parseFrame, sharedSecret, toHex, wrapApdu, type EcKeyPair } from "@opendcc/kernel";
import { DeviceEmulator } from "../src/index.js";

export const SUPPLIER = "90B3D51F30010000";
export const NETWORK_OPERATOR = "90B3D51F30020000";
export const ESME = "00DB1234567890A0";
export const GSME = "00DB1234567890A1";
export const CHF = "00DB1234567890A2";
export const GPF = "00DB1234567890A3";
export const IHD = "00DB1234567890A5";

export interface TestEstate {
  readonly devices: DeviceEmulator;
  readonly smki: TestSmki;
  /** ACB KA private, the parties' private keys and the devices' certificates: parses and checks everything. */
  readonly ring: KeyRing;
  readonly acb: EcKeyPair;
  readonly keys: Record<"supplierDs" | "supplierKa" | "supplierPpKa" | "operatorDs" | "operatorKa", EcKeyPair>;
  clock: Date;
  readonly received: { deviceId: string; gbcs: Uint8Array }[];
  readonly log: string[];
  /** Builds the MAC'd (and, for critical use cases, signed) command the gateway would send. */
  command(spec: CommandSpec): Promise<Uint8Array>;
  /** Sends and waits until the device has answered. */
  send(deviceId: string, gbcs: Uint8Array): Promise<void>;
  /** The messages received since the last call, parsed with the ring (MACs, signatures, decryption). */
  take(): Promise<Received[]>;
}

export type Received = ParsedMessage & { readonly bytes: Uint8Array };

export interface CommandSpec {
  readonly srv: string;
  readonly deviceType: DeviceType;
  readonly target: string;
  readonly counter: bigint;
  readonly body?: ServiceNode;
  readonly originator?: string;
  readonly executionDateTime?: string;
  /** The ACB's own counter, for commands it originates on the user's behalf (CHF device log). */
  readonly acbCounter?: bigint;
  /** Changes the transformed APDU before it is signed and MAC'd (fields the transform does not set). */
  readonly patch?: (apdu: Uint8Array) => Uint8Array;
  /** Signing key for critical commands (default: the supplier's). */
  readonly signWith?: CryptoKey;
}

export async function testEstate(): Promise<TestEstate> {
  const smki = await TestSmki.create("Devices test CA");
  const acb = await smki.issue({ eui: ACCESS_CONTROL_BROKER, usage: "ka", commonName: "ACB", roleCode: "04" });
  const party = (eui: string, usage: "ds" | "ka", roleCode: string) => smki.issue({ eui, usage, commonName: eui, roleCode });
  const [supplierDs, supplierKa, supplierPpKa, operatorDs, operatorKa] = await Promise.all([
    party(SUPPLIER, "ds", "02"), party(SUPPLIER, "ka", "02"), party(SUPPLIER, "ka", "02"), party(NETWORK_OPERATOR, "ds", "03"), party(NETWORK_OPERATOR, "ka", "03"),
  ]);
  const log: string[] = [];
  const estate = {
    clock: new Date("2026-11-23T10:00:00Z"),
    received: [] as { deviceId: string; gbcs: Uint8Array }[],
    log,
  } as TestEstate;
  const devices = await DeviceEmulator.create({
    accessControlBrokerKa: acb.der,
    parties: [{ ds: supplierDs.der, ka: supplierKa.pem, ppKa: supplierPpKa.der }, { ds: operatorDs.der, ka: operatorKa.der }],
    now: () => estate.clock, smki, log: (line) => log.push(line),
  });
  devices.add({ deviceId: CHF, kind: "CHF" });
  devices.add({ deviceId: GPF, kind: "GPF", hubId: CHF });
  devices.add({ deviceId: ESME, kind: "ESME", hubId: CHF, payment: "prepayment", credit: 2000 });
  devices.add({ deviceId: GSME, kind: "GSME", hubId: CHF });
  devices.add({ deviceId: IHD, kind: "IHD", hubId: CHF });
  devices.onMessage((message) => estate.received.push(message));

  const ring = new KeyRing();
  ring.add({ eui: ACCESS_CONTROL_BROKER, role: "ka", certificate: null, publicKey: acb.keys.publicKey, privateKey: acb.keys.privateKey });
  ring.add({ eui: SUPPLIER, role: "ka", certificate: null, publicKey: supplierKa.keys.publicKey, privateKey: supplierKa.keys.privateKey });
  ring.add({ eui: SUPPLIER, role: "ds", certificate: null, publicKey: supplierDs.keys.publicKey, privateKey: supplierDs.keys.privateKey });
  ring.add({ eui: NETWORK_OPERATOR, role: "ka", certificate: null, publicKey: operatorKa.keys.publicKey, privateKey: operatorKa.keys.privateKey });
  for (const eui of [ESME, GSME, CHF, GPF]) {
    const certificates = await devices.certificates(eui);
    for (const usage of ["ka", "ds"] as const) {
      const certificate = readCertificate(certificates[usage].der);
      ring.add({ eui, role: usage, certificate, publicKey: await importPublicKey(certificate.spki, usage), privateKey: null });
    }
  }
  let taken = 0;
  Object.assign(estate, {
    devices, smki, ring, acb: acb.keys,
    keys: { supplierDs: supplierDs.keys, supplierKa: supplierKa.keys, supplierPpKa: supplierPpKa.keys, operatorDs: operatorDs.keys, operatorKa: operatorKa.keys },
    async command(spec: CommandSpec) {
      const result = transformRequest({
        srv: spec.srv, deviceType: spec.deviceType, commandVariant: 1,
        requestId: { originator: spec.originator ?? SUPPLIER, target: spec.target, counter: spec.counter },
        executionDateTime: spec.executionDateTime, body: spec.body ?? { name: "Request" }, ...(spec.acbCounter === undefined ? {} : { acbCounter: spec.acbCounter }),
      });
      const preCommand = spec.patch ? spec.patch(result.apdu.slice()) : result.apdu;
      const apdu = result.critical ? await signPreCommand(preCommand, spec.signWith ?? supplierDs.keys.privateKey) : concatBytes(preCommand, Uint8Array.of(0));
      const device = ring.publicKey(spec.target, "ka");
      if (!device) throw new Error(`no KA certificate for ${spec.target}`);
      return wrapApdu(await sharedSecret(acb.keys.privateKey, device), apdu);
    },
    async send(deviceId: string, gbcs: Uint8Array) {
      await devices.send({ requestId: "test", deviceId, gbcs });
      await devices.idle();
    },
    async take() {
      const fresh = estate.received.slice(taken);
      taken = estate.received.length;
      return Promise.all(fresh.map(async (m) => ({ ...(await parseGbcs(m.gbcs, { ring })), bytes: m.gbcs })));
    },
  });
  return estate;
}

/** A message's payload (its content field), as hex. */
export function contentOf(message: Uint8Array): string {
  const frame = parseFrame(message);
  return toHex(message.subarray(frame.content.offset, frame.content.offset + frame.content.length));
}
