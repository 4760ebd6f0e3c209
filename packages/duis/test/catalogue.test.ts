// The generated SRV module against the shared reference catalogue it was generated from, and the
// DUIS rules the catalogue must satisfy.
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { allowedCommandVariants, endpointFor, SRV_CATALOGUE, srvInfo } from "../src/index.js";
import { describeWithFixtures, referenceDir } from "../../../test/support/fixtures.js";

interface ReferenceEntry {
  srv: string;
  serviceReference: string;
  bodyElement: string | null;
  inDuisSchema: boolean;
  commandVariants: number[];
  duisName?: string;
  name: string;
  duis: { critical: boolean | null; nonDeviceRequest: boolean | null; executionDateTimeAllowed: boolean | null } | null;
}

describe("the SRV catalogue module", () => {
  it("holds the 129 DUIS SRVs, each once, each under its own SR", () => {
    expect(SRV_CATALOGUE.length).toBe(129);
    expect(new Set(SRV_CATALOGUE.map((e) => e.srv)).size).toBe(129);
    for (const entry of SRV_CATALOGUE) {
      expect(entry.srv === entry.serviceReference || entry.srv.startsWith(`${entry.serviceReference}.`), entry.srv).toBe(true);
      expect(entry.bodyElement, entry.srv).toMatch(/^[A-Z][A-Za-z0-9]+$/);
      expect(entry.critical && entry.nonDevice, entry.srv).toBe(false);
    }
    expect(new Set(SRV_CATALOGUE.map((e) => e.bodyElement)).size).toBe(129);
  });

  it("answers the facts duis.md states", () => {
    expect(srvInfo("8.2")).toMatchObject({ serviceReference: "8.2", bodyElement: "ReadInventory", nonDevice: true, critical: false });
    expect(srvInfo("3.5")?.bodyElement).toBe("DisablePrivacyPIN");
    expect(srvInfo("6.20.1")?.serviceReference).toBe("6.20");
    expect(srvInfo("7.1")).toMatchObject({ critical: true, executionDateTimeAllowed: false });
    expect(srvInfo("4.1.1")?.executionDateTimeAllowed).toBe(true);
    expect(srvInfo("6.19")).toBeUndefined();
    expect(srvInfo("A1")).toBeUndefined();
    expect(allowedCommandVariants(srvInfo("7.1")!)).toEqual([4, 5, 6, 7]);
    expect(allowedCommandVariants(srvInfo("4.1.1")!)).toEqual([1, 2, 3]);
    expect(allowedCommandVariants(srvInfo("12.2")!)).toEqual([8]);
    expect([1, 2, 3, 4, 5, 6, 7, 8].map((cv) => endpointFor(cv as 1))).toEqual(
      ["serviceS", "serviceD", "serviceS", "serviceT", "serviceS", "serviceD", "serviceS", "serviceD"]);
  });
});

describeWithFixtures("the SRV catalogue module against the reference srv-catalogue.json", () => {
  const reference = () => JSON.parse(readFileSync(join(referenceDir, "srv-catalogue.json"), "utf8")) as { entries: ReferenceEntry[] };

  it("has exactly the reference's DUIS entries, with the same facts", () => {
    const expected = reference().entries.filter((e) => e.inDuisSchema).map((e) => ({
      srv: e.srv,
      serviceReference: e.serviceReference,
      bodyElement: e.bodyElement,
      critical: e.duis?.critical === true,
      nonDevice: e.duis?.nonDeviceRequest === true,
      executionDateTimeAllowed: e.duis?.executionDateTimeAllowed === true,
      name: e.duisName ?? e.name,
    }));
    expect(SRV_CATALOGUE).toEqual(expected);
  });

  it("allows every CommandVariant the templates use for each SRV", () => {
    for (const entry of reference().entries.filter((e) => e.inDuisSchema)) {
      const info = srvInfo(entry.srv);
      for (const cv of entry.commandVariants) expect(allowedCommandVariants(info!), entry.srv).toContain(cv);
    }
  });

  it("is what the generator script writes today", () => {
    const script = resolve(import.meta.dirname, "../scripts/generate-catalogue.mjs");
    const output = execFileSync(process.execPath, [script, "--check", join(referenceDir, "srv-catalogue.json")], { encoding: "utf8" });
    expect(output).toMatch(/agrees with/);
  });
});
