import { readFileSync } from "node:fs";
import { join } from "node:path";
import { expect, it } from "vitest";
import { formatMessageCode, messageCodeInfo } from "../src/index.js";
import { describeWithFixtures, referenceDir } from "../../../test/support/fixtures.js";

describeWithFixtures("message code table", () => {
  it("agrees with the reference gbcs-message-codes.json entry for entry", () => {
    const reference = JSON.parse(readFileSync(join(referenceDir, "gbcs-message-codes.json"), "utf8")) as { code: string; useCase: string | null; name: string | null }[];
    for (const entry of reference) {
      expect(messageCodeInfo(Number(entry.code)), entry.code).toEqual({ useCase: entry.useCase, name: entry.name });
    }
  });
});

it("formats codes as GBCS writes them and knows no made-up codes", () => {
  expect(formatMessageCode(0x59)).toBe("0x0059");
  expect(messageCodeInfo(0x0059)?.useCase).toBe("ECS52");
  expect(messageCodeInfo(0xbeef)).toBeUndefined();
});
