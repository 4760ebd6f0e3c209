// The ZSE Calendar publish commands a gas tariff or prepayment configuration carries (ZSE D.9.2.4):
// calendar header, day profiles, week profiles, seasons and special days, from the DUIS calendar
// elements shared by GCS01a (TOU switching table) and GCS05 (non-disablement calendar).
import type { GbcsWriter } from "@opendcc/kernel";
import type { ServiceFields } from "../fields.js";
import { ISSUER_EVENT_ID, serverCommand, zclDate, type GbzComponent, type ZclDate } from "../gbz.js";
import { TransformError } from "../types.js";
import { CALENDAR_PUBLISH, CLUSTER } from "./gas-clusters.js";

/** The provider id GBCS commands carry (none: 0). */
export const NO_PROVIDER = 0;

export interface DayProfile {
  readonly id: number;
  /** Minutes after midnight, and the tier (tariff calendar) or friendly-credit flag it starts. */
  readonly entries: readonly { readonly minute: number; readonly value: number }[];
}

export interface CalendarContent {
  readonly type: number;
  /** Start of the calendar and its special days (ZigBee time; FFFFFFFE cancels). */
  readonly startTime: number;
  readonly days: readonly DayProfile[];
  readonly weeks: readonly { readonly id: number; readonly days: readonly number[] }[];
  readonly seasons: readonly { readonly start: ZclDate; readonly week: number }[];
  readonly specialDays: readonly { readonly date: ZclDate; readonly day: number }[];
}

/** Provider, issuer event and issuer calendar ids, which start every calendar publish. */
const calendarIds = (w: GbcsWriter) => w.uintLe(NO_PROVIDER, 4).uintLe(ISSUER_EVENT_ID, 4).uintLe(ISSUER_EVENT_ID, 4);

/** Publish Calendar, one Publish Day Profile per day, Publish Week Profile per week, then seasons. */
export function calendarComponents(calendar: CalendarContent): GbzComponent[] {
  return [
    serverCommand(CLUSTER.calendar, CALENDAR_PUBLISH.calendar, (w) => {
      calendarIds(w).uintLe(calendar.startTime, 4).byte(calendar.type).byte(0).byte(0); // time reference 0, no name
      w.byte(calendar.seasons.length).byte(calendar.weeks.length).byte(calendar.days.length);
    }),
    ...calendar.days.map((day) => serverCommand(CLUSTER.calendar, CALENDAR_PUBLISH.dayProfile, (w) => {
      calendarIds(w).byte(day.id).byte(day.entries.length).byte(0).byte(1).byte(calendar.type); // command 0 of 1
      for (const entry of day.entries) w.uintLe(entry.minute, 2).byte(entry.value);
    })),
    ...calendar.weeks.map((week) => serverCommand(CLUSTER.calendar, CALENDAR_PUBLISH.weekProfile, (w) => {
      calendarIds(w).byte(week.id);
      for (const day of week.days) w.byte(day);
    })),
    serverCommand(CLUSTER.calendar, CALENDAR_PUBLISH.seasons, (w) => {
      calendarIds(w).byte(0).byte(1);
      for (const season of calendar.seasons) {
        zclDate(w, season.start);
        w.byte(season.week);
      }
    }),
  ];
}

/** Publish Special Days: start time, calendar type, the days, each with its day profile. */
export function specialDaysComponent(calendar: CalendarContent): GbzComponent {
  return serverCommand(CLUSTER.calendar, CALENDAR_PUBLISH.specialDays, (w) => {
    calendarIds(w).uintLe(calendar.startTime, 4).byte(calendar.type).byte(calendar.specialDays.length).byte(0).byte(1);
    for (const special of calendar.specialDays) {
      zclDate(w, special.date);
      w.byte(special.day);
    }
  });
}

/** A DUIS Gas date with wildcards (GasYearWithWildcards, ...) as a ZCL Date. */
export function gasDate(fields: ServiceFields): ZclDate {
  const part = (element: string, specified: string, min: number, max: number): number | undefined =>
    fields.has(element, specified) ? fields.intIn(min, max, element, specified) : undefined;
  const date = {
    year: part("GasYearWithWildcards", "SpecifiedYear", 1900, 2154),
    month: part("GasMonthWithWildcards", "SpecifiedMonth", 1, 12),
    day: part("GasDayOfMonthWithWildcards", "SpecifiedDayOfMonth", 1, 31),
    weekday: part("GasDayOfWeekWithWildcards", "SpecifiedDayOfWeek", 1, 7),
  };
  return Object.fromEntries(Object.entries(date).filter(([, value]) => value !== undefined)) as ZclDate;
}

/** Week profiles: WeekName and the seven ReferencedDayName (index 1 = Monday). */
export function weekProfiles(fields: ServiceFields | undefined): CalendarContent["weeks"] {
  return (fields?.all("WeekProfile") ?? []).map((week) => {
    const days = week.all("ReferencedDayName");
    if (days.length !== 7) throw new TransformError(`WeekProfile ${week.text("WeekName")} names ${days.length} days, not 7`, "WeekProfile");
    const byIndex = [...days].sort((a, b) => Number(a.attribute("index") ?? 0) - Number(b.attribute("index") ?? 0));
    return { id: week.intIn(1, 255, "WeekName"), days: byIndex.map((day) => day.intIn(1, 255)) };
  });
}

export function seasons(fields: ServiceFields | undefined): CalendarContent["seasons"] {
  return (fields?.all("Season") ?? []).map((season) => ({ start: gasDate(season.get("SeasonStartDate")), week: season.intIn(1, 255, "ReferencedWeekName") }));
}

export function specialDays(fields: ServiceFields | undefined): CalendarContent["specialDays"] {
  return (fields?.all("SpecialDay") ?? []).map((special) => ({ date: gasDate(special.get("Date")), day: special.intIn(1, 255, "ReferencedDayName") }));
}

/** "08:00:00.00Z" (xs:time, UTC) as minutes after midnight. */
export function minuteOfDay(fields: ServiceFields, ...names: string[]): number {
  const text = fields.text(...names);
  const match = /^(\d{2}):(\d{2}):\d{2}(\.\d+)?Z?$/.exec(text);
  if (!match || Number(match[1]) > 23 || Number(match[2]) > 59) throw new TransformError(`${names.join("/")}: "${text}" is not a time of day`, names.join("/"));
  return Number(match[1]) * 60 + Number(match[2]);
}
