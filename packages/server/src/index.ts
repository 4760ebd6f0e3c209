// @opendcc/server: the Hono app. Runtime entries: ./node (Node); the edge entry follows.
export { createApp } from "./app.js";
export type { AppOptions } from "./app.js";
