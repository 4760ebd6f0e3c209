// A device checks every command before acting on it, and rejects with the Table 5.4 alerts:
// A3 not intended recipient, A2 trusted source authentication failure (MAC, signature, counter),
// A4 no permission. A rejected command changes nothing and gets no response.
import { beforeEach, describe, expect, it } from "vitest";
import { transformRequest } from "@opendcc/gbcs";
import { concatBytes, generateKeyPair, sharedSecret, wrapApdu } from "@opendcc/kernel";
import { ALERT } from "../src/index.js";
import { CHF, ESME, GSME, NETWORK_OPERATOR, SUPPLIER, testEstate, type TestEstate } from "./support.js";

let t: TestEstate;
beforeEach(async () => {
  t = await testEstate();
});

const readRegisters = (counter: bigint) => t.command({ srv: "4.1.1", deviceType: "ESME", target: ESME, counter });
const disableSupply = (counter: bigint, signWith?: CryptoKey) => t.command({ srv: "7.2", deviceType: "ESME", target: ESME, counter, ...(signWith ? { signWith } : {}) });

async function onlyAlert(code: number, recipient = SUPPLIER) {
  const messages = await t.take();
  expect(messages).toHaveLength(1);
  const [alert] = messages;
  expect(alert).toMatchObject({ cra: 3, originator: ESME, recipient, messageCode: "0x1000", signed: true });
  expect(alert?.payload.fields).toMatchObject({ alertCode: `0x${code.toString(16).toUpperCase()}` });
  expect(t.devices.device(ESME).security.map((e) => e.code)).toContain(`0x${code.toString(16).toUpperCase()}`);
}

describe("command checks", () => {
  it("accepts a good command and answers it", async () => {
    await t.send(ESME, await readRegisters(5000n));
    const [response] = await t.take();
    expect(response).toMatchObject({ cra: 2, counter: "5000", originator: ESME, recipient: SUPPLIER, useCase: "ECS17b" });
    expect(response?.protection?.checked).toEqual(["mac", "encryption"]);
  });

  it("A3: a command for another device (0x8F53)", async () => {
    await t.send(ESME, await readRegistersFor(GSME));
    await onlyAlert(ALERT.notIntendedRecipient);
  });

  it("A2: a MAC that does not verify (0x8F3D)", async () => {
    const command = await readRegisters(5000n);
    command[command.length - 1] = (command[command.length - 1] as number) ^ 1;
    await t.send(ESME, command);
    await onlyAlert(ALERT.authenticationFailure);
    expect(t.log.join("\n")).toMatch(/MAC does not verify/);
  });

  it("A2: a critical command signed by a key that is not the sender's trust anchor, or not signed", async () => {
    const stranger = await generateKeyPair("ds");
    await t.send(ESME, await disableSupply(5000n, stranger.privateKey));
    await onlyAlert(ALERT.authenticationFailure);
    expect(t.devices.device(ESME).supply).toBe("enabled");
    // The same Pre-Command unsigned, MAC'd as if non-critical.
    const preCommand = transformRequest({ srv: "7.2", deviceType: "ESME", commandVariant: 1, requestId: { originator: SUPPLIER, target: ESME, counter: 5001n }, body: { name: "DisableSupply" } }).apdu;
    await t.send(ESME, wrapApdu(await brokerSecret(ESME), concatBytes(preCommand, Uint8Array.of(0))));
    await onlyAlert(ALERT.authenticationFailure);
    expect(t.log.join("\n")).toMatch(/ECS43 is critical and must be signed/);
    expect(t.devices.device(ESME).supply).toBe("enabled");
  });

  it("A2: a counter that is not greater than the last one accepted (a replay)", async () => {
    const command = await readRegisters(5000n);
    await t.send(ESME, command);
    await t.take();
    await t.send(ESME, command);
    await onlyAlert(ALERT.authenticationFailure);
    expect(t.log.join("\n")).toMatch(/counter 5000 is not greater than the last accepted \(5000\)/);
    await t.send(ESME, await readRegisters(4999n));
    await onlyAlert(ALERT.authenticationFailure);
  });

  it("A4: a party whose role may not send the command (0x8F30), and a party the device does not know", async () => {
    await t.send(ESME, await t.command({ srv: "7.2", deviceType: "ESME", target: ESME, counter: 5000n, originator: NETWORK_OPERATOR, signWith: t.keys.operatorDs.privateKey }));
    await onlyAlert(ALERT.noPermission, NETWORK_OPERATOR);
    expect(t.log.join("\n")).toMatch(/role 03 may not send ECS43/);
    await t.send(ESME, await t.command({ srv: "4.1.1", deviceType: "ESME", target: ESME, counter: 5001n, originator: "90B3D51F30040000" }));
    await onlyAlert(ALERT.noPermission);
    expect(t.devices.device(ESME).supply).toBe("enabled");
  });

  it("refuses at the transport what the WAN cannot carry: unknown devices, HAN-only devices, a hub with no WAN", async () => {
    const command = await readRegisters(5000n);
    await expect(t.devices.send({ requestId: "x", deviceId: "00DB000000000001", gbcs: command })).rejects.toThrow(/no emulated device 00DB000000000001/);
    await expect(t.devices.send({ requestId: "x", deviceId: "00DB1234567890A5", gbcs: command })).rejects.toThrow(/IHD, which takes no commands over the WAN/);
    t.devices.setWan(CHF, "none");
    await expect(t.devices.send({ requestId: "x", deviceId: ESME, gbcs: command })).rejects.toThrow(/WAN connection of communications hub 00DB1234567890A2 is down/);
  });
});

async function brokerSecret(device: string): Promise<Uint8Array> {
  return sharedSecret(t.acb.privateKey, t.ring.publicKey(device, "ka") as CryptoKey);
}

/** A command addressed to `target` but MAC'd for the ESME (as if misrouted). */
async function readRegistersFor(target: string): Promise<Uint8Array> {
  const apdu = transformRequest({ srv: "4.1.1", deviceType: "ESME", commandVariant: 1, requestId: { originator: SUPPLIER, target, counter: 5000n }, body: { name: "Read" } }).apdu;
  return wrapApdu(await brokerSecret(ESME), concatBytes(apdu, Uint8Array.of(0)));
}
