// The workerd launcher lives with `opendcc start --runtime workerd`; tests use the same one.
export { startWorker } from "../../packages/cli/src/workerd.js";
export type { RunningWorker, WorkerOptions } from "../../packages/cli/src/workerd.js";
