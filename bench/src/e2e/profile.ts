// Where the gateway's time goes: a V8 CPU profile (the format --cpu-prof writes) summarised by self
// time, per area (idle, garbage collection, each @opendcc package, each dependency, Node's own
// internals) and per function. Native and WebAssembly functions (WebCrypto, sockets, PGlite, the
// kernel) are shown as such and
// also charged to the JavaScript that called them (`byCaller`), which says whose work they are.
export interface CpuProfile {
  readonly nodes: readonly { readonly id: number; readonly callFrame: { readonly functionName: string; readonly url: string }; readonly children?: readonly number[] }[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

export interface ProfileSummary {
  readonly sampledMs: number;
  /** Percent of sampled time by area, largest first. */
  readonly byArea: Record<string, number>;
  /** Percent by area with native and Node-internal time charged to the nearest calling package. */
  readonly byCaller: Record<string, number>;
  readonly topFunctions: { readonly fn: string; readonly percent: number }[];
}

function areaOf(functionName: string, url: string): string {
  if (functionName === "(idle)") return "idle";
  if (functionName === "(garbage collector)") return "garbage collection";
  if (functionName === "(program)") return "program (V8 and native, outside JS)";
  if (!url) return "native";
  const dependency = /node_modules\/(?:\.pnpm\/[^/]+\/node_modules\/)?((?:@[^/]+\/)?[^/]+)/.exec(url)?.[1];
  if (dependency) return dependency;
  const workspace = /\/(packages|plugins)\/([^/]+)\//.exec(url);
  if (workspace) return workspace[1] === "plugins" ? `@opendcc/plugin-${workspace[2]}` : `@opendcc/${workspace[2]}`;
  if (url.includes("/bench/")) return "@opendcc/bench";
  if (url.startsWith("node:")) return `node:${url.slice(5).split("/")[0]}`;
  if (url.startsWith("wasm://")) return "wasm";
  return "other";
}

export function summariseProfile(profile: CpuProfile, top = 20): ProfileSummary {
  const byId = new Map(profile.nodes.map((n) => [n.id, n.callFrame]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const child of n.children ?? []) parent.set(child, n.id);
  /** The nearest frame (this one or a caller) in a package rather than native code or Node's internals. */
  const callerOf = (id: number): { functionName: string; area: string } | null => {
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const frame = byId.get(at);
      if (!frame) break;
      const area = areaOf(frame.functionName, frame.url);
      if (area !== "native" && area !== "wasm" && !area.startsWith("node:")) return { functionName: frame.functionName || "(anonymous)", area };
    }
    return null;
  };
  const self = new Map<number, number>();
  profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const total = [...self.values()].reduce((a, b) => a + b, 0) || 1;
  const areas = new Map<string, number>();
  const callers = new Map<string, number>();
  const functions = new Map<string, number>();
  for (const [id, micros] of self) {
    const frame = byId.get(id);
    if (!frame) continue;
    const area = areaOf(frame.functionName, frame.url);
    areas.set(area, (areas.get(area) ?? 0) + micros);
    const caller = callerOf(id);
    callers.set(caller?.area ?? "native", (callers.get(caller?.area ?? "native") ?? 0) + micros);
    const native = area === "native" || area === "wasm" || area.startsWith("node:");
    const fn = `${frame.functionName || "(anonymous)"} [${area}]${native && caller ? ` for ${caller.functionName} [${caller.area}]` : ""}`;
    functions.set(fn, (functions.get(fn) ?? 0) + micros);
  }
  const percent = (micros: number) => Math.round((1000 * micros) / total) / 10;
  const sorted = (map: Map<string, number>) => [...map].sort(([, a], [, b]) => b - a);
  return {
    sampledMs: Math.round(total / 1000),
    byArea: Object.fromEntries(sorted(areas).filter(([, micros]) => percent(micros) >= 0.5).map(([area, micros]) => [area, percent(micros)])),
    byCaller: Object.fromEntries(sorted(callers).filter(([, micros]) => percent(micros) >= 0.5).map(([area, micros]) => [area, percent(micros)])),
    topFunctions: sorted(functions).slice(0, top).map(([fn, micros]) => ({ fn, percent: percent(micros) })),
  };
}
