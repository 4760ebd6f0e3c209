// The devices plugin (design: plugins/devices): the emulator as the gateway's device transport,
// its routes, and a job that moves the devices' clock on (future-dated commands, prepayment).
import { definePlugin, type OpenDccPlugin } from "@opendcc/plugin-sdk";
import { DeviceEmulator, type EmulatorOptions } from "./emulator.js";
import { deviceRoutes } from "./routes.js";

export interface DevicesPluginOptions extends EmulatorOptions {
  /** How often the devices' clock job runs (ms); default 1000. */
  readonly tickMs?: number;
}

export async function createDevicesPlugin(options: DevicesPluginOptions): Promise<{ plugin: OpenDccPlugin; devices: DeviceEmulator }> {
  const devices = await DeviceEmulator.create(options);
  const plugin = definePlugin({
    name: "devices",
    version: "0.1.0",
    deviceTransport: devices,
    setup(ctx) {
      ctx.addJob({ name: "device-clock", everyMs: options.tickMs ?? 1000, run: () => devices.tick() });
    },
    routes(router) {
      deviceRoutes(router, () => devices);
    },
    teardown: () => devices.idle(),
  });
  return { plugin, devices };
}
