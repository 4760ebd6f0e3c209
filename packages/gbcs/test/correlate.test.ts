// Correlate (GBCS issue point 5): a Pre-Command against the request it should come from. Every
// RTDS PRECOMMAND the transform reproduces correlates with its DUIS sample without a difference;
// a Pre-Command changed in one field is reported on exactly that field.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { concatBytes, fromHex, parseFrame, readCounter, toHex, wrapApdu } from "@opendcc/kernel";
import { parseRequest, type ServiceBody } from "@opendcc/duis";
import {
  ACCESS_CONTROL_BROKER, CorrelateError, KeyRing, TransformError, correlate, headerOf, transformRequest, type ServiceNode, type TransformInput,
} from "../src/index.js";
import { describeWithFixtures, fixturesDir, keystoreFiles } from "../../../test/support/fixtures.js";
import { checkPair, dccFacts, fixtureDeviceType, sampleText, transformPairs, type TransformPair } from "./support/transform-pairs.js";

/** A DUIS sample as the transform's input, on the fixture estate's device types. */
function inputOf(sample: string, useCase: string): TransformInput {
  const { header, body } = parseRequest(sampleText(sample));
  const service = body as ServiceBody;
  return {
    srv: header.serviceReferenceVariant,
    deviceType: fixtureDeviceType(useCase, header.requestId.target),
    commandVariant: header.commandVariant,
    requestId: header.requestId,
    executionDateTime: service.executionDateTime,
    body: service.content,
  };
}

const vectorBytes = (file: string) => fromHex(readFileSync(join(fixturesDir, "rtds", file), "utf8"));

/**
 * The request as the vector was made from it: the RTDS gives a sample and its vector different
 * counters (an _ERROR vector shares the _SUCCESS sample), so the sample takes the vector's, as in
 * the fidelity harness. For an ACB-originated command that is the supplementary counter.
 */
function withVectorCounter(input: TransformInput, vector: Uint8Array): TransformInput {
  const frame = parseFrame(vector);
  const header = headerOf(vector, frame);
  const other = vector.subarray(frame.otherInfo.offset, frame.otherInfo.offset + frame.otherInfo.length);
  const byBroker = header.originator === ACCESS_CONTROL_BROKER && other.length >= 18;
  return { ...input, requestId: { ...input.requestId, counter: byBroker ? readCounter(other, 10) : header.counter } };
}

/** A copy of a DUIS body with the text of the element at `path` (local names) replaced. */
function withText(node: ServiceNode, path: readonly string[], text: string): ServiceNode {
  if (path.length === 0) return { ...node, text };
  const [name, ...rest] = path;
  let done = false;
  const children = (node.children ?? []).map((child) => {
    if (done || child.name !== name) return child;
    done = true;
    return withText(child, rest, text);
  });
  if (!done) throw new Error(`no ${name} under ${node.name}`);
  return { ...node, children };
}

describeWithFixtures("correlate against the RTDS", () => {
  let matched: TransformPair[];

  beforeAll(async () => {
    const ring = await KeyRing.fromFiles(keystoreFiles());
    matched = [];
    for (const pair of transformPairs().filter((p) => p.kind === "PRECOMMAND")) {
      if ((await checkPair(pair, ring)).status === "match") matched.push(pair);
    }
  });

  it("finds no difference between each reproduced PRECOMMAND vector and its sample", async () => {
    const disagreeing: string[] = [];
    for (const pair of matched) {
      const vector = vectorBytes(pair.vector);
      // the meter's build is the inventory's to know; the RTDS names it in the file name
      const request = inputOf(pair.sample, pair.useCase);
      const input = {
        ...withVectorCounter(request, vector), ...dccFacts(request.srv, vector),
        ...(/_TWIN_/.test(pair.vector) ? { meterVariant: "twin-element" as const } : {}),
      };
      const differences = await correlate(input, vector);
      if (differences.length > 0) disagreeing.push(`${pair.vector}: ${JSON.stringify(differences)}`);
    }
    console.info(`correlate: ${matched.length - disagreeing.length} of ${matched.length} reproduced PRECOMMAND vectors agree with their samples`);
    expect(disagreeing).toEqual([]);
    expect(matched.length).toBeGreaterThanOrEqual(100);
  });

  it("names the price a Pre-Command changed (DLMS tariff and GBZ gas tariff)", async () => {
    const electricity = inputOf("ECS01a_1.1.1_IMMEDIATE_BLOCK_SUCCESS_REQUEST_DUIS.XML", "ECS01a");
    const pricePath = ["PriceElements", "ElectricityPriceElements", "BlockTariff", "BlockPrices", "BlockPrice"];
    const changed = transformRequest({ ...electricity, body: withText(electricity.body, pricePath, "1362") }).apdu;
    // Block 1's first price: entry 48 of the price matrix's charge table (after the 48 TOU entries)
    expect(await correlate(electricity, changed)).toEqual([{ field: "payload.requests[14].value.charges[48].price", request: 1361, preCommand: 1362 }]);

    const gas = inputOf("GCS01b_1.2.1_FUTURE_DATED_BLOCK_SUCCESS_REQUEST_DUIS.XML", "GCS01b");
    const gasChanged = transformRequest({ ...gas, body: withText(gas.body, ["PriceElements", "GasPriceElements", "BlockTariff", "BlockPrice"], "9601") }).apdu;
    expect(await correlate(gas, gasChanged)).toEqual([{ field: "payload.components[1].payload.prices[0].price", request: 9600, preCommand: 9601 }]);
  });

  it("names a changed recipient or counter, and nothing else", async () => {
    const file = "1.1.1_ECS01a/ECS01a_1.1.1_IMMEDIATE_BLOCK_SUCCESS_PRECOMMAND_GBCS.HEX";
    const vector = vectorBytes(file);
    const input = withVectorCounter(inputOf("ECS01a_1.1.1_IMMEDIATE_BLOCK_SUCCESS_REQUEST_DUIS.XML", "ECS01a"), vector);
    const frame = parseFrame(vector);
    const recipient = vector.slice();
    recipient.set(fromHex("00DB1234567890A6"), frame.recipientOffset);
    expect(await correlate(input, recipient)).toEqual([{ field: "header.recipient", request: "00DB1234567890A0", preCommand: "00DB1234567890A6" }]);
    // The DLMS invoke-id still follows the request's counter: only the header differs.
    const counter = vector.slice();
    counter[frame.counterOffset + 7] = (counter[frame.counterOffset + 7] as number) + 1;
    expect(await correlate(input, counter)).toEqual([{ field: "header.counter", request: "1007", preCommand: "1008" }]);
  });

  it("names a changed execution date-time (ASN.1 CS02b)", async () => {
    const input = inputOf("CS02bSupplierBySupplier_6.15.1_FUTURE_DATED_SUCCESS_REQUEST_DUIS.XML", "CS02b");
    const changed = transformRequest({ ...input, executionDateTime: "2031-02-03T04:05:06Z" }).apdu;
    expect(await correlate(input, changed)).toEqual([{ field: "payload.executionDateTime", request: "2030-01-15T00:00:00Z", preCommand: "2031-02-03T04:05:06Z" }]);
  });

  it("accepts the Pre-Command with the empty signature field (00) as well", async () => {
    const file = "1.1.1_ECS01a/ECS01a_1.1.1_IMMEDIATE_BLOCK_SUCCESS_PRECOMMAND_GBCS.HEX";
    const vector = vectorBytes(file);
    const input = withVectorCounter(inputOf("ECS01a_1.1.1_IMMEDIATE_BLOCK_SUCCESS_REQUEST_DUIS.XML", "ECS01a"), vector);
    expect(await correlate(input, concatBytes(vector, Uint8Array.of(0)))).toEqual([]);
  });

  it("reports bytes that differ where the parses agree, at the first differing offset", async () => {
    // The content length written in the long form (81 LL for LL) frames the same content.
    const input = inputOf("ECS17b_4.1.1_SINGLE_SUCCESS_REQUEST_DUIS.XML", "ECS17b");
    const apdu = transformRequest(input).apdu;
    const at = parseFrame(apdu).content.offset - 1;
    expect(apdu[at]).toBeLessThan(0x80);
    const longForm = concatBytes(apdu.subarray(0, at), Uint8Array.of(0x81), apdu.subarray(at));
    expect(await correlate(input, longForm)).toEqual([{
      field: "bytes",
      request: { offset: at, length: apdu.length, bytes: toHex(apdu.subarray(at, at + 8)) },
      preCommand: { offset: at, length: apdu.length + 1, bytes: toHex(longForm.subarray(at, at + 8)) },
    }]);
  });
});

describe("correlate refuses what is not a Pre-Command", () => {
  // 4.1.1 Read Instantaneous Import Registers on an ESME (ECS17b): a request written in code.
  const read: TransformInput = {
    srv: "4.1.1", deviceType: "ESME", commandVariant: 1, body: { name: "ReadInstantaneousImportRegisters" },
    requestId: { originator: "90B3D51F30010000", target: "00DB1234567890A0", counter: 4200n },
  };
  const apdu = transformRequest(read).apdu;

  it("agrees with its own transform", async () => {
    expect(await correlate(read, apdu)).toEqual([]);
  });

  it("names what is wrong with garbage, responses, signed and MAC'd commands", async () => {
    await expect(correlate(read, Uint8Array.of(0x01, 0x02, 0x03))).rejects.toThrow(new CorrelateError("not a Pre-Command: unknown APDU tag (expected DD or DF) (at byte 0)"));
    await expect(correlate(read, apdu.subarray(0, 20))).rejects.toThrow(/^not a Pre-Command: message is truncated/);
    const response = apdu.slice();
    response[2] = 0x02;
    await expect(correlate(read, concatBytes(response, Uint8Array.of(0)))).rejects.toThrow(new CorrelateError("not a Pre-Command: CRA flag 2 is a response, not a command"));
    await expect(correlate(read, concatBytes(apdu, Uint8Array.of(0x40), new Uint8Array(64)))).rejects.toThrow(new CorrelateError("the Pre-Command is already signed: correlate it before signing"));
    const command = wrapApdu(new Uint8Array(32).fill(7), concatBytes(apdu, Uint8Array.of(0)));
    await expect(correlate(read, command)).rejects.toThrow(/^not a Pre-Command: a MAC-protected \(DD\) command/);
  });

  it("passes on why the request cannot be transformed", async () => {
    await expect(correlate({ ...read, srv: "99.9" }, apdu)).rejects.toThrow(TransformError);
  });
});
