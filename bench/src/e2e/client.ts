// A DUIS client as a service user runs one (DCC Boxed's shape): it builds Service Requests, signs
// them with its XML-signing key (DUIS XML signature), posts them to the endpoint of their Command
// Variant, and does the critical round trip: Command Variant 4 returns the Pre-Command, which it
// signs with its GBCS digital-signing key and returns as a Signed Pre-Command (Command Variant 5,
// same RequestID; DUIS 3.2.2, seed 003 paragraph 140). It runs on Node: node:http with kept-alive
// connections and node:crypto ECDSA, so that the load generator takes less of the machine it shares
// with the gateway it measures.
import { Agent, request } from "node:http";
import { endpointFor, signDocument, writeRequest, type CommandVariant } from "@opendcc/duis";
import { signPreCommand } from "@opendcc/gbcs";
import { fromBase64, toBase64 } from "@opendcc/kernel";
import { nodeEcdsa } from "@opendcc/server/node";
import type { BodySpec } from "./bodies.js";
import type { E2eUser } from "./users.js";

export interface Answer {
  readonly status: number;
  /** DUIS ResponseCode (I0, I99, E...), or null when the answer is not a DUIS response. */
  readonly code: string | null;
  readonly reason: string | null;
  readonly xml: string;
}

export interface RequestSpec {
  readonly target: string;
  readonly body: BodySpec;
  readonly cv?: CommandVariant;
  /** Default: the client's next counter. */
  readonly counter?: bigint;
  readonly executionDateTime?: string;
}

export interface Built {
  readonly key: string;
  readonly counter: bigint;
  readonly cv: CommandVariant;
  readonly xml: string;
}

/** "originator:target:counter" without dashes: how delivered responses are matched to requests. */
export const requestKey = (originator: string, target: string, counter: bigint | string): string => `${originator}:${target}:${counter}`.replace(/-/g, "");

const RESPONSE_CODE = /<sr:ResponseCode>([^<]+)</;
const GBCS_PAYLOAD = /<sr:GBCSPayload>([^<]+)</;
/** A UTRN's counter has its low 32 bits zero and 10 bits above them (gbcs.md 9). */
const TOP_UP_STEP = 1n << 32n;
const LAST_TOP_UP_COUNTER = 1023n << 32n;

export class DuisClient {
  private counter: bigint;
  private readonly agent = new Agent({ keepAlive: true });

  constructor(readonly url: string, readonly user: E2eUser, firstCounter = 1000n) {
    this.counter = firstCounter;
  }

  /** The next RequestID counter (each must be above the last; E42 otherwise). */
  nextCounter(): bigint {
    return this.counter++;
  }

  /** Moves the counter on to at least `counter` (e.g. a top-up's, whose low 32 bits are zero). */
  skipTo(counter: bigint): void {
    if (counter > this.counter) this.counter = counter;
  }

  /** The next counter a top-up can carry (the first from the next one with its low 32 bits zero), or null when a UTRN's 10 counter bits are used up. */
  nextTopUpCounter(): bigint | null {
    const counter = ((this.counter + TOP_UP_STEP - 1n) / TOP_UP_STEP) * TOP_UP_STEP;
    return counter === 0n || counter > LAST_TOP_UP_COUNTER ? null : counter;
  }

  build(spec: RequestSpec): Built {
    const counter = spec.counter ?? this.nextCounter();
    this.skipTo(counter + 1n);
    const cv = spec.cv ?? 1;
    const xml = writeRequest({
      schemaVersion: "5.2",
      header: {
        requestId: { originator: this.user.userId, target: spec.target, counter }, commandVariant: cv,
        serviceReference: spec.body.srv.split(".").slice(0, 2).join("."), serviceReferenceVariant: spec.body.srv,
      },
      body: { element: spec.body.element, content: { name: spec.body.element, children: spec.body.children ?? [] }, ...(spec.executionDateTime ? { executionDateTime: spec.executionDateTime } : {}) },
      signature: null,
    });
    return { key: requestKey(this.user.userId, spec.target, counter), counter, cv, xml };
  }

  sign(xml: string): Promise<string> {
    return signDocument(xml, { privateKey: this.user.xmlKey, issuerName: this.user.issuerName, serialNumber: this.user.serialNumber, ecdsa: nodeEcdsa });
  }

  post(cv: CommandVariant, signedXml: string): Promise<Answer> {
    const body = Buffer.from(signedXml, "utf8");
    return new Promise((resolve, reject) => {
      const sent = request(`${this.url}/api/v1/${endpointFor(cv)}`, {
        method: "POST", agent: this.agent, headers: { "content-type": "application/xml", "content-length": body.length },
      }, (response) => {
        const chunks: Buffer[] = [];
        response.on("data", (chunk: Buffer) => chunks.push(chunk));
        response.on("error", reject);
        response.on("end", () => {
          const xml = Buffer.concat(chunks).toString("utf8");
          const reason = response.headers["x-opendcc-reason"];
          resolve({ status: response.statusCode ?? 0, code: RESPONSE_CODE.exec(xml)?.[1] ?? null, reason: typeof reason === "string" ? reason : null, xml });
        });
      });
      sent.on("error", reject);
      sent.end(body);
    });
  }

  /** Builds, signs and posts a request (non-critical, or a critical one's first leg). */
  async send(spec: RequestSpec): Promise<Answer & { readonly built: Built }> {
    const built = this.build(spec);
    return { ...(await this.post(built.cv, await this.sign(built.xml))), built };
  }

  /**
   * The critical round trip from an answered Command Variant 4: signs the Pre-Command it carries
   * (with `signWith`, by default the user's DS key) and returns it with Command Variant 5.
   */
  async returnSigned(request: Built & { readonly target: string; readonly srv: string }, preCommandAnswer: Answer, signWith: CryptoKey = this.user.dsKey): Promise<Answer> {
    const payload = GBCS_PAYLOAD.exec(preCommandAnswer.xml)?.[1];
    if (preCommandAnswer.code !== "I0" || !payload) throw new Error(`no Pre-Command in the answer (${preCommandAnswer.code ?? `HTTP ${preCommandAnswer.status}`}: ${preCommandAnswer.reason ?? ""})`);
    const signed = await signPreCommand(fromBase64(payload), signWith);
    const xml = writeRequest({
      schemaVersion: "5.2",
      header: {
        requestId: { originator: this.user.userId, target: request.target, counter: request.counter }, commandVariant: 5,
        serviceReference: request.srv.split(".").slice(0, 2).join("."), serviceReferenceVariant: request.srv,
      },
      body: { element: "SignedPreCommand", content: { name: "SignedPreCommand", children: [{ name: "GBCSPayload", text: toBase64(signed) }] } },
      signature: null,
    });
    return this.post(5, await this.sign(xml));
  }

  /** A critical request: Command Variant 4, then the Signed Pre-Command (5). */
  async critical(spec: Omit<RequestSpec, "cv">, signWith?: CryptoKey): Promise<{ preCommand: Answer; answer: Answer; built: Built }> {
    const first = await this.send({ ...spec, cv: 4 });
    const answer = await this.returnSigned({ ...first.built, target: spec.target, srv: spec.body.srv }, first, signWith);
    return { preCommand: first, answer, built: first.built };
  }
}
