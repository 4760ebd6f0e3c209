// The Node entry's pusher (node:http, kept-alive connections) against a user's endpoint: it posts the
// DUIS XML as application/xml and takes any 2xx, and says why otherwise (status, refused
// connection, silence), as core's fetch pusher does.
import { createServer, type IncomingMessage, type Server } from "node:http";
import { afterEach, describe, expect, it } from "vitest";
import { createNodePusher } from "../src/node.js";

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
});

interface Received {
  readonly method: string | undefined;
  readonly url: string | undefined;
  readonly contentType: string | undefined;
  readonly body: string;
}

async function endpoint(answer: (request: IncomingMessage) => number | null): Promise<{ url: string; received: Received[]; connections: () => number }> {
  const received: Received[] = [];
  let connections = 0;
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      received.push({ method: request.method, url: request.url, contentType: request.headers["content-type"], body: Buffer.concat(chunks).toString("utf8") });
      const status = answer(request);
      if (status !== null) response.writeHead(status).end("ignored");
    });
  });
  server.on("connection", () => connections++);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  if (!address || typeof address === "string") throw new Error("no port");
  return { url: `http://127.0.0.1:${address.port}/users/90B3D51F30010000`, received, connections: () => connections };
}

describe("createNodePusher", () => {
  it("posts the XML as application/xml, takes any 2xx, and keeps the connection for the next push", async () => {
    const statuses = [200, 204];
    const user = await endpoint(() => statuses.shift() ?? 500);
    const push = createNodePusher();
    const xml = '<?xml version="1.0" encoding="UTF-8"?>\n<sr:Response>£ é</sr:Response>\n';
    expect(await push(user.url, xml)).toBeNull();
    expect(await push(user.url, xml)).toBeNull();
    expect(user.received).toEqual([
      { method: "POST", url: "/users/90B3D51F30010000", contentType: "application/xml", body: xml },
      { method: "POST", url: "/users/90B3D51F30010000", contentType: "application/xml", body: xml },
    ]);
    expect(user.connections()).toBe(1);
  });

  it("says why a push was not taken: the status, a refused connection, a silent endpoint", async () => {
    const failing = await endpoint(() => 503);
    expect(await createNodePusher()(failing.url, "<x/>")).toBe("HTTP 503");

    const closed = await endpoint(() => 200);
    await new Promise((resolve) => servers.pop()?.close(resolve));
    expect(await createNodePusher()(closed.url, "<x/>")).toMatch(/ECONNREFUSED/);

    const silent = await endpoint(() => null);
    const started = performance.now();
    expect(await createNodePusher({ timeoutMs: 150 })(silent.url, "<x/>")).toBe("the endpoint was silent for 150 ms");
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
  });
});
