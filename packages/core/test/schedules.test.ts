import { describe, expect, it } from "vitest";
import { Schedules, nextOccurrence } from "../src/index.js";

describe("schedule calendar", () => {
  const start = new Date("2026-01-31T02:00:00Z");
  it("steps daily and weekly from the start, never returning a time at or before `from`", () => {
    expect(nextOccurrence(start, "Daily", new Date("2026-01-31T02:00:00Z")).toISOString()).toBe("2026-02-01T02:00:00.000Z");
    expect(nextOccurrence(start, "Daily", new Date("2026-03-10T12:00:00Z")).toISOString()).toBe("2026-03-11T02:00:00.000Z");
    expect(nextOccurrence(start, "Weekly", new Date("2026-02-01T00:00:00Z")).toISOString()).toBe("2026-02-07T02:00:00.000Z");
  });

  it("keeps the day of the month for calendar frequencies, clamped to short months", () => {
    expect(nextOccurrence(start, "Monthly", start).toISOString()).toBe("2026-02-28T02:00:00.000Z");
    expect(nextOccurrence(start, "Quarterly", start).toISOString()).toBe("2026-04-30T02:00:00.000Z");
    expect(nextOccurrence(start, "Half-Yearly", start).toISOString()).toBe("2026-07-31T02:00:00.000Z");
    expect(nextOccurrence(start, "Yearly", new Date("2027-06-01T00:00:00Z")).toISOString()).toBe("2028-01-31T02:00:00.000Z");
  });

  it("hands out due schedules once per occurrence and removes on request", () => {
    const removed: string[] = [];
    const schedules = new Schedules((change) => change.kind === "removed" && removed.push(change.why));
    const s = schedules.create({ userId: "U", deviceId: "D", srv: "4.8.1", frequency: "Daily", startAt: "2026-11-24T01:00:00.000Z", parameters: null }, new Date("2026-11-23T10:00:00Z"));
    expect(s.nextRunAt).toBe("2026-11-24T01:00:00.000Z");
    expect(schedules.takeDue(new Date("2026-11-24T00:59:59Z"))).toEqual([]);
    expect(schedules.takeDue(new Date("2026-11-24T01:00:00Z")).map((d) => d.id)).toEqual([s.id]);
    expect(schedules.takeDue(new Date("2026-11-24T01:00:01Z"))).toEqual([]);
    expect(schedules.get(s.id)?.nextRunAt).toBe("2026-11-25T01:00:00.000Z");
    expect(schedules.removeWhere((x) => x.deviceId === "D", "device-decommissioned")).toHaveLength(1);
    expect(removed).toEqual(["device-decommissioned"]);
  });
});
