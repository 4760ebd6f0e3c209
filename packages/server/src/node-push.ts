// Pushing DUIS responses to users' endpoints on node:http(s) with kept-alive connections: what
// core's httpPusher does with fetch (POST application/xml, any 2xx accepted, given up after 10 s), at
// about a quarter of its CPU on Node 20 (undici's fetch, its streams and its abort signal were 8%
// of the gateway's CPU; issue 5 point 7). The Node entry's choice for openDcc({ push }); the
// portable packages keep fetch. Typed as core's Pusher: (url, xml) -> null when taken, else why.
/// <reference types="node" />
import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from "node:http";
import { Agent as HttpsAgent, request as httpsRequest } from "node:https";

const utf8 = new TextEncoder();

export interface NodePusherOptions {
  /** How long the connection may stay silent before the push is given up (default 10 s, httpPusher's time limit). */
  readonly timeoutMs?: number;
}

export function createNodePusher(options: NodePusherOptions = {}): (url: string, xml: string) => Promise<string | null> {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const agents = { http: new HttpAgent({ keepAlive: true }), https: new HttpsAgent({ keepAlive: true }) };
  return (url, xml) => new Promise((resolve) => {
    const secure = url.startsWith("https:");
    const body = utf8.encode(xml);
    const request = (secure ? httpsRequest : httpRequest)(url, {
      method: "POST", agent: secure ? agents.https : agents.http, timeout: timeoutMs,
      headers: { "content-type": "application/xml", "content-length": body.length },
    }, (response: IncomingMessage) => {
      const status = response.statusCode ?? 0;
      // The body is read to its end so that the connection can be used again.
      response.on("end", () => resolve(status >= 200 && status < 300 ? null : `HTTP ${status}`));
      response.on("error", (error: Error) => resolve(error.message));
      response.resume();
    });
    request.on("timeout", () => request.destroy(new Error(`the endpoint was silent for ${timeoutMs} ms`)));
    request.on("error", (error: Error) => resolve(error.message));
    request.end(body);
  });
}
