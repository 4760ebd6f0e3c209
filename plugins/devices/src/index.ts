// @opendcc/plugin-devices: the emulated estate behind the WAN (README.md).
export { createDevicesPlugin } from "./plugin.js";
export type { DevicesPluginOptions } from "./plugin.js";
export { createDemoEstate, REFERENCE_PREMISES } from "./demo-estate.js";
export type { DemoEstate, DemoEstateOptions } from "./demo-estate.js";
export { DeviceEmulator } from "./emulator.js";
export type { DeviceView, EmulatorOptions, FleetProvision } from "./emulator.js";
export type { CertificateInput, DeviceCertificates, TrustAnchorInput, TrustedParty } from "./keys.js";
export type { DeviceSpec } from "./estate.js";
export { ALERT } from "./alerts.js";
export { USE_CASES } from "./use-cases/index.js";
export { fleetEui, SLOTS } from "./eui.js";
export type { DeviceKind, PaymentMode, SupplyState, WanState } from "./model.js";
