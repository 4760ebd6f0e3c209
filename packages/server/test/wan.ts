// The far side of the WAN for tests: devices that check each command's ACB MAC, keep what they
// received, and answer with a GBCS response (CRA 2) to the command's originator, or stay silent.
import { ACCESS_CONTROL_BROKER, KeyRing, headerOf } from "@opendcc/gbcs";
import { encode, fromHex, generateKeyPair, parseFrame, sharedSecret, verifyMac, wrapApdu, type EcKeyPair } from "@opendcc/kernel";
import { keyRingCommandKeys, type CommandKeys, type DeviceTransport } from "@opendcc/core";

export interface Sent {
  readonly deviceId: string;
  readonly gbcs: Uint8Array;
}

/** The ACB's key agreement and each device's: command keys for the DCC, MAC checks for the devices. */
export class TestWanKeys {
  private constructor(readonly acb: EcKeyPair, private readonly devices: Map<string, EcKeyPair>) {}

  static async create(deviceIds: readonly string[]): Promise<TestWanKeys> {
    const devices = new Map<string, EcKeyPair>();
    for (const id of deviceIds) devices.set(id, await generateKeyPair("ka"));
    return new TestWanKeys(await generateKeyPair("ka"), devices);
  }

  commandKeys(): CommandKeys {
    const ring = new KeyRing();
    ring.add({ eui: ACCESS_CONTROL_BROKER, role: "ka", certificate: null, publicKey: this.acb.publicKey, privateKey: this.acb.privateKey });
    for (const [eui, keys] of this.devices) ring.add({ eui, role: "ka", certificate: null, publicKey: keys.publicKey, privateKey: null });
    return keyRingCommandKeys(ring);
  }

  device(deviceId: string): EcKeyPair {
    const keys = this.devices.get(deviceId);
    if (!keys) throw new Error(`no test keys for device ${deviceId}`);
    return keys;
  }

  /** The device's GBCS response to a command: CRA 2, same counter, to the command's originator (MAC'd by the device). */
  async responseTo(command: Uint8Array, options: { cra?: 2 | 3; counter?: bigint } = {}): Promise<Uint8Array> {
    const header = headerOf(command, parseFrame(command));
    const response = encode((w) => w.generalSigning({
      cra: options.cra ?? 2, counter: options.counter ?? header.counter, originator: fromHex(header.recipient), recipient: fromHex(header.originator), dateTime: null,
      otherInfo: Uint8Array.of(header.messageCode >> 8, header.messageCode & 0xff),
    }, (content) => content.hex("010901010702000D08000100000025010000000000")).byte(0));
    return wrapApdu(await sharedSecret(this.device(header.recipient).privateKey, this.acb.publicKey), response);
  }
}

export class DevicesOnTheWan implements DeviceTransport {
  readonly received: Sent[] = [];
  /** When false, devices take commands and do not answer. */
  answer = true;
  private receiver: ((message: Sent) => void) | null = null;

  constructor(private readonly keys: TestWanKeys) {}

  async send(command: { requestId: string; deviceId: string; gbcs: Uint8Array }): Promise<void> {
    if (!verifyMac(await sharedSecret(this.keys.device(command.deviceId).privateKey, this.keys.acb.publicKey), command.gbcs)) throw new Error("command MAC does not verify");
    this.received.push({ deviceId: command.deviceId, gbcs: command.gbcs });
    if (!this.answer) return;
    const response = await this.keys.responseTo(command.gbcs);
    queueMicrotask(() => this.receiver?.({ deviceId: command.deviceId, gbcs: response }));
  }

  onMessage(receiver: (message: Sent) => void): void {
    this.receiver = receiver;
  }
}
