import { readFileSync } from "node:fs";
import { join } from "node:path";
import { expect, it } from "vitest";
import { CATALOGUE_DATA, ServiceCatalogue } from "../src/index.js";
import { describeWithFixtures, referenceDir } from "../../../test/support/fixtures.js";
// @ts-expect-error: plain ESM script shared with the generator, no type declarations
import { deriveEntry } from "../scripts/catalogue-rules.mjs";

const catalogue = new ServiceCatalogue(CATALOGUE_DATA);

describeWithFixtures("service catalogue product data", () => {
  it("agrees with the shared srv-catalogue.json, entry for entry", () => {
    const reference = JSON.parse(readFileSync(join(referenceDir, "srv-catalogue.json"), "utf8")) as { entries: unknown[] };
    expect(CATALOGUE_DATA.map((e) => e.srv)).toEqual(reference.entries.map((e) => (e as { srv: string }).srv));
    reference.entries.forEach((entry, i) => expect(CATALOGUE_DATA[i], (entry as { srv: string }).srv).toEqual(deriveEntry(entry)));
  });
});

it("follows DUIS on behaviour and Annex 5 on policy where DUIS is silent", () => {
  // 8.12.1: Annex 5 says critical, DUIS says not; DUIS wins (reference README).
  expect(catalogue.get("8.12.1")).toMatchObject({ critical: false, commandVariants: [1, 2, 3] });
  // 1.1.1 critical: Pre-Command round trip variants only.
  expect(catalogue.get("1.1.1")).toMatchObject({ critical: true, commandVariants: [4, 5, 6, 7], deviceService: true });
  // 8.2 Read Inventory: non-device, CV 8, every role.
  expect(catalogue.get("8.2")).toMatchObject({ deviceService: false, commandVariants: [8] });
  // 8.6: DUIS lists no roles, so Annex 5's EIS/GIS apply.
  expect(catalogue.get("8.6")?.eligibleRoles).toEqual(["IS", "GS"]);
  expect(catalogue.categories(catalogue.get("4.8.1")!)).toEqual(["onDemand", "futureDated", "scheduled"]);
  expect(catalogue.get("99.9")).toBeUndefined();
  expect(CATALOGUE_DATA.filter((e) => e.inDuis)).toHaveLength(129);
});
