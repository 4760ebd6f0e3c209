import { describe, expect, it } from "vitest";
import { RegistrationData, RegistrationError, parseRegistrationFeed } from "../src/index.js";

const CSV = `mpxn,fuel,role,partyId,effectiveFrom,effectiveTo
1234567890123,electricity,IS,SUPPLIER-A,2020-01-01,2026-12-01
1234567890123,electricity,IS,SUPPLIER-B,2026-12-01,
1234567890123,electricity,ED,DNO-1,2020-01-01,
7654321,gas,GS,SUPPLIER-A,2020-01-01,
`;

describe("registration data", () => {
  it("loads a CSV feed and answers who is appointed when, with effective dates", () => {
    const data = new RegistrationData();
    data.replaceAll(parseRegistrationFeed(CSV));
    expect(data.appointed("1234567890123", "IS", new Date("2026-11-23"))).toBe("SUPPLIER-A");
    // change of supplier on 1 December: the incoming supplier from that date (effectiveTo exclusive)
    expect(data.appointed("1234567890123", "IS", new Date("2026-12-01T00:00:00Z"))).toBe("SUPPLIER-B");
    expect(data.isAppointed("1234567890123", "ED", "DNO-1", new Date())).toBe(true);
    expect(data.isAppointed("7654321", "IS", "SUPPLIER-A", new Date())).toBe(false);
  });

  it("loads the same from JSON, and a refresh replaces everything", () => {
    const data = new RegistrationData();
    data.replaceAll(parseRegistrationFeed(CSV));
    data.replaceAll(parseRegistrationFeed(JSON.stringify([{ mpxn: "7654321", fuel: "gas", role: "GT", partyId: "GT-1", effectiveFrom: "2020-01-01", effectiveTo: null }])));
    expect(data.all()).toHaveLength(1);
    expect(data.appointed("1234567890123", "IS", new Date())).toBeNull();
  });

  it("rejects bad rows naming the line and the problem", () => {
    expect(() => parseRegistrationFeed("mpxn,fuel\n1,gas")).toThrow(/lacks column\(s\) role, partyId, effectiveFrom, effectiveTo/);
    expect(() => parseRegistrationFeed(CSV.replace("7654321,gas,GS", "7654321,gas,IS"))).toThrow(/line 5: role IS cannot be appointed to gas/);
    expect(() => parseRegistrationFeed(CSV.replace("2020-01-01,2026-12-01", "2020-01-01,2019-01-01"))).toThrow(RegistrationError);
    expect(() => parseRegistrationFeed(CSV.replace("1234567890123,electricity,ED", "12AB,electricity,ED"))).toThrow(/MPxN "12AB"/);
    expect(() => parseRegistrationFeed(CSV.replace("electricity,IS,SUPPLIER-A", "water,IS,SUPPLIER-A"))).toThrow(/fuel must be/);
  });
});
