// The users' "receive response" endpoint (DCC Boxed's Receive Response Service): the gateway pushes
// each asynchronous DUIS response and alert here, and the bench notes when each request's device
// response arrived. Only the header is read (RequestID, ResponseCode), as a user's receiver would
// route a message before handling it.
import { createServer, type Server } from "node:http";
import { requestKey } from "./client.js";

const REQUEST_ID = /<sr:RequestID>([^<]+)</;
const RESPONSE_CODE = /<sr:ResponseCode>([^<]+)</;

/**
 * An HTTP endpoint on loopback that takes what the gateway pushes (every 2xx is an acceptance):
 * each body, as text, goes to `take`. Resolves to the server and its base URL.
 */
export async function listenForPushes(take: (xml: string) => void): Promise<{ server: Server; url: string }> {
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      take(Buffer.concat(chunks).toString("utf8"));
      response.writeHead(200).end();
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  if (!address || typeof address === "string") throw new Error("the receiver has no port");
  return { server, url: `http://127.0.0.1:${address.port}/` };
}

export interface Delivery {
  readonly at: number;
  readonly code: string;
}

export class Receiver {
  /** Delivered responses by request key, with when they came (performance.now()). */
  readonly delivered = new Map<string, Delivery>();
  alerts = 0;
  private waiters = new Map<string, () => void>();
  private server: Server | null = null;

  /** Starts listening; resolves to the base URL (append the user ID). */
  async listen(): Promise<string> {
    const pushes = await listenForPushes((xml) => this.take(xml));
    this.server = pushes.server;
    return `${pushes.url}users/`;
  }

  /** Resolves when the response to `key` has been delivered (at once if it already was), or after `timeoutMs` without it. */
  waitFor(key: string, timeoutMs: number): Promise<void> {
    if (this.delivered.has(key)) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.waiters.delete(key);
        resolve();
      }, timeoutMs);
      this.waiters.set(key, () => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  close(): Promise<void> {
    return new Promise((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private take(xml: string): void {
    const at = performance.now();
    const id = REQUEST_ID.exec(xml)?.[1];
    if (!id) {
      this.alerts++;
      return;
    }
    const [originator = "", target = "", counter = ""] = id.split(":");
    const key = requestKey(originator, target, counter);
    // A request's device response comes once; an earlier I99 of a released request would come first.
    this.delivered.set(key, { at, code: RESPONSE_CODE.exec(xml)?.[1] ?? "none" });
    this.waiters.get(key)?.();
    this.waiters.delete(key);
  }
}
