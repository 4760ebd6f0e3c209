// Bytes per idle premises: heap and array buffers before and after provisioning a fleet, with
// collections forced; then the cost of a talked-to device (its keys and certificates made).
// Run after building: node --expose-gc plugins/devices/scripts/measure-memory.mjs [premises] [touched]
import { ACCESS_CONTROL_BROKER, TestSmki } from "@opendcc/gbcs";
import { DeviceEmulator } from "../dist/index.js";

if (typeof globalThis.gc !== "function") throw new Error("run with node --expose-gc");
const premises = Number(process.argv[2] ?? 100_000);
const touched = Number(process.argv[3] ?? 1000);
const smki = await TestSmki.create();
const acb = await smki.issue({ eui: ACCESS_CONTROL_BROKER, usage: "ka", commonName: "ACB", roleCode: "04" });
const devices = await DeviceEmulator.create({ accessControlBrokerKa: acb.der, smki });
const used = () => {
  globalThis.gc();
  const { heapUsed, arrayBuffers } = process.memoryUsage();
  return heapUsed + arrayBuffers;
};
const before = used();
let started = performance.now();
devices.provisionFleet(premises, { prepaymentEvery: 10 });
const provisionMs = performance.now() - started;
const after = used();
started = performance.now();
await devices.tick();
const tickMs = performance.now() - started;
const idle = used();
started = performance.now();
for (let p = 0; p < touched; p++) await devices.certificates(`00DB${(0x20000000 + p).toString(16).toUpperCase()}0000`);
const keysMs = performance.now() - started;
const bytesPerKeyedDevice = Math.round((used() - idle) / touched);
started = performance.now();
const snapshot = devices.snapshot();
const saveMs = performance.now() - started;
started = performance.now();
devices.restore(snapshot);
const loadMs = performance.now() - started;
console.log(JSON.stringify({
  premises, devices: premises * 5, bytesPerPremises: Math.round((after - before) / premises), totalMB: +((after - before) / 2 ** 20).toFixed(1),
  provisionMs: Math.round(provisionMs), touched, bytesPerKeyedDevice, msPerKeyedDevice: +(keysMs / touched).toFixed(2), tickMs: Math.round(tickMs), snapshotBytes: snapshot.length, snapshotSaveMs: Math.round(saveMs), snapshotLoadMs: Math.round(loadMs),
  rssMB: Math.round(process.memoryUsage().rss / 2 ** 20),
}));
