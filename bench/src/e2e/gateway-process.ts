// The gateway of `opendcc bench e2e` in its own process (so that it has a core of its own and the
// load generator another): started with an IPC channel, it is told the fleet size, the users'
// certificates and the store, builds the gateway (gateway.ts), makes the active premises' keys
// and answers with its URL. It reports its CPU time and event-loop use over the measured window,
// and, when asked, a V8 CPU profile of that window (the profiler --cpu-prof uses, started and
// stopped through the inspector so that loading and warming are left out). Stops when told to.
import { Session } from "node:inspector/promises";
import { performance } from "node:perf_hooks";
import type { CpuProfile } from "./profile.js";
import { startE2eGateway, type E2eStore } from "./gateway.js";
import type { UserCertificates } from "./users.js";

export interface GatewayStartMessage {
  readonly kind: "start";
  readonly premises: number;
  readonly activePremises: number;
  readonly users: readonly UserCertificates[];
  readonly store: E2eStore;
}

export type GatewayCommand = GatewayStartMessage | { readonly kind: "measure"; readonly profile: boolean } | { readonly kind: "measured" } | { readonly kind: "stop" };

export type GatewayReport =
  | { readonly kind: "started"; readonly url: string; readonly loadSeconds: number; readonly warmSeconds: number }
  | { readonly kind: "measured"; readonly cpuMs: number; readonly eventLoopUtilization: number; readonly rssMB: number; readonly profile: CpuProfile | null }
  | { readonly kind: "failed"; readonly error: string };

const send = (report: GatewayReport) => process.send?.(report);

let gateway: Awaited<ReturnType<typeof startE2eGateway>> | null = null;
let window: { cpu: NodeJS.CpuUsage; elu: ReturnType<typeof performance.eventLoopUtilization>; profiler: Session | null } | null = null;

process.on("message", (command: GatewayCommand) => {
  void handle(command).catch((error: unknown) => send({ kind: "failed", error: (error as Error).stack ?? String(error) }));
});

async function handle(command: GatewayCommand): Promise<void> {
  switch (command.kind) {
    case "start": {
      let started = performance.now();
      gateway = await startE2eGateway({
        premises: command.premises, users: command.users, store: command.store,
        // The bench measures throughput: the default per-user thresholds (60,000 a minute) would quarantine it.
        thresholds: [{ windowMs: 60_000, limit: 100_000_000 }],
        log: (line) => console.error(line),
      });
      const loadSeconds = (performance.now() - started) / 1000;
      started = performance.now();
      await gateway.warm(command.activePremises);
      send({ kind: "started", url: gateway.url, loadSeconds, warmSeconds: (performance.now() - started) / 1000 });
      return;
    }
    case "measure": {
      let profiler: Session | null = null;
      if (command.profile) {
        profiler = new Session();
        profiler.connect();
        await profiler.post("Profiler.enable");
        await profiler.post("Profiler.start");
      }
      window = { cpu: process.cpuUsage(), elu: performance.eventLoopUtilization(), profiler };
      return;
    }
    case "measured": {
      if (!window) throw new Error("measured before measure");
      const cpu = process.cpuUsage(window.cpu);
      const elu = performance.eventLoopUtilization(window.elu);
      const profile = window.profiler ? ((await window.profiler.post("Profiler.stop")).profile as unknown as CpuProfile) : null;
      window.profiler?.disconnect();
      send({ kind: "measured", cpuMs: (cpu.user + cpu.system) / 1000, eventLoopUtilization: elu.utilization, rssMB: process.memoryUsage().rss / 2 ** 20, profile });
      return;
    }
    case "stop":
      await gateway?.close();
      process.disconnect?.();
      process.exit(0);
  }
}
