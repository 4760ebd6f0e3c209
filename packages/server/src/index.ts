// @opendcc/server: the Hono app. Runtime entries: ./node (Node); the edge entry follows.
export { createApp } from "./app.js";
export type { AppOptions } from "./app.js";
export { startPlugins } from "./plugins.js";
export type { StartPluginsOptions } from "./plugins.js";
