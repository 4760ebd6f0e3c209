// The Node entry: serves the app on a port with @hono/node-server, and offers the Node
// implementations of the gateway's hot paths for a Node gateway to plug in:
// createDuisCodec({ ecdsa: nodeEcdsa }) and openDcc({ push: createNodePusher() }).
import { serve, type ServerType } from "@hono/node-server";
import { createApp, type AppOptions } from "./app.js";

export { nodeEcdsa } from "./node-ecdsa.js";
export { createNodePusher, type NodePusherOptions } from "./node-push.js";

export interface NodeServer {
  readonly port: number;
  readonly url: string;
  close(): Promise<void>;
}

export function startNodeServer(options: AppOptions & { port?: number; hostname?: string }): Promise<NodeServer> {
  const app = createApp(options);
  return new Promise((resolve) => {
    const server: ServerType = serve({ fetch: app.fetch, port: options.port ?? 8079, hostname: options.hostname ?? "127.0.0.1" }, (info) => {
      resolve({
        port: info.port,
        url: `http://${options.hostname ?? "127.0.0.1"}:${info.port}`,
        close: () => new Promise((done) => server.close(() => done())),
      });
    });
  });
}
