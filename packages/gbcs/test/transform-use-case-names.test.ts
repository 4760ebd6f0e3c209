// TransformResult.useCase names the use case whose message code the command carries (not the
// family an encoder serves): checked for every DUIS sample and test request there is a transform
// for, against the message code table (message-codes.ts).
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { expect, it } from "vitest";
import { parseRequest, type ServiceBody } from "@opendcc/duis";
import { messageCodeInfo, transformRequest, TransformError, useCaseFor, type TransformInput } from "../src/index.js";
import { describeWithFixtures, fixturesDir } from "../../../test/support/fixtures.js";
import { fixtureDeviceType, ownRequestNames, sampleText } from "./support/transform-pairs.js";

/** What the inventory would say of a joined device: any type will do, the sample's name names the join. */
const JOINED: TransformInput["otherDevice"] = { deviceType: "PPMID", certificate: Uint8Array.of(0x30, 0x00) };

describeWithFixtures("the use case a transform reports", () => {
  it("is the one its message code belongs to, for every transformable sample", () => {
    const names = [...new Set([...readdirSync(join(fixturesDir, "duis")), ...ownRequestNames()])].filter((name) => name.endsWith("_REQUEST_DUIS.XML"));
    const reported: string[] = [];
    const wrong: string[] = [];
    for (const name of names) {
      const label = name.split("_")[0] as string;
      const request = parseRequest(sampleText(name));
      if (!("content" in request.body)) continue;
      const body = request.body as ServiceBody;
      const srv = request.header.serviceReferenceVariant;
      const deviceType = fixtureDeviceType(label, request.header.requestId.target);
      if (!useCaseFor(srv, deviceType, label)) continue;
      let result;
      try {
        result = transformRequest({
          srv, deviceType, commandVariant: request.header.commandVariant, requestId: request.header.requestId,
          acbCounter: 1n, useCase: label, otherDevice: JOINED, customerIdentificationNumber: "1234",
          ...(name.includes("_TWIN_") ? { meterVariant: "twin-element" as const } : {}),
          executionDateTime: body.executionDateTime, body: body.content,
        });
      } catch (error) {
        if (error instanceof TransformError) continue;
        throw error;
      }
      const expected = messageCodeInfo(result.messageCode)?.useCase;
      if (expected === undefined) wrong.push(`${name}: message code ${result.messageCode} is not in the table`);
      else if (expected !== null && result.useCase !== expected) wrong.push(`${name}: reports ${result.useCase}, its message code is ${expected}'s`);
      reported.push(result.useCase);
    }
    expect(wrong).toEqual([]);
    // the families that used to report their own name now report the member chosen
    expect(reported).toEqual(expect.arrayContaining(["CS02f", "CS02g", "CS03A1", "CS03A2", "CS03B", "CS03C", "CS10a", "CS10b", "ECS30a", "ECS35a", "ECS35d", "ECS35g", "CCS02", "CCS07", "GCS36"]));
    expect(reported.length).toBeGreaterThanOrEqual(296);
  });
});
