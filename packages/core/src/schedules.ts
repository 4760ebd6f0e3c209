// DCC Scheduled Services (5.1 Create, 5.2 Read, 5.3 Delete; seed 003 paragraphs 124-125 and Annex 5
// note 404): a user asks the DCC to run a service request for a device on a calendar, and the DCC
// runs it at each due time and returns the result to that user. Paragraph 125 lists when a
// schedule is removed: on request, on a change of tenancy (Other Users' schedules), when the device
// is withdrawn or decommissioned, and when the user's rights are suspended.

export type ScheduleFrequency = "Daily" | "Weekly" | "Monthly" | "Quarterly" | "Half-Yearly" | "Yearly";
export const SCHEDULE_FREQUENCIES: readonly ScheduleFrequency[] = ["Daily", "Weekly", "Monthly", "Quarterly", "Half-Yearly", "Yearly"];

const MONTHS: Partial<Record<ScheduleFrequency, number>> = { Monthly: 1, Quarterly: 3, "Half-Yearly": 6, Yearly: 12 };

export interface Schedule {
  /** DSPScheduleID. */
  readonly id: number;
  readonly userId: string;
  readonly deviceId: string;
  /** The service request run at each due time. */
  readonly srv: string;
  readonly frequency: ScheduleFrequency;
  /** First run (ISO 8601). */
  readonly startAt: string;
  /** Next run (ISO 8601). */
  readonly nextRunAt: string;
  /** The scheduled request's own parameters, as the user gave them (the DUIS body). */
  readonly parameters: unknown;
}

export type ScheduleRemoval = "deleted" | "change-of-tenancy" | "device-withdrawn" | "device-decommissioned" | "user-suspended";

export type ScheduleChange =
  | { readonly kind: "saved"; readonly schedule: Schedule }
  | { readonly kind: "removed"; readonly id: number; readonly why: ScheduleRemoval };

/** The next due time after `from` for a schedule that started at `start`. */
export function nextOccurrence(start: Date, frequency: ScheduleFrequency, from: Date): Date {
  if (frequency === "Daily" || frequency === "Weekly") {
    const step = (frequency === "Daily" ? 1 : 7) * 86_400_000;
    const steps = Math.max(0, Math.floor((from.getTime() - start.getTime()) / step) + 1);
    return new Date(start.getTime() + steps * step);
  }
  // Calendar months: the same day of the month, clamped to the month's length.
  const months = MONTHS[frequency] as number;
  for (let n = 0; ; n += months) {
    const candidate = addMonths(start, n);
    if (candidate > from) return candidate;
  }
}

function addMonths(date: Date, months: number): Date {
  const year = date.getUTCFullYear();
  const month = date.getUTCMonth() + months;
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  return new Date(Date.UTC(year, month, Math.min(date.getUTCDate(), lastDay), date.getUTCHours(), date.getUTCMinutes(), date.getUTCSeconds()));
}

export class Schedules {
  private readonly byId = new Map<number, Schedule>();
  private nextId = 1;

  /** `ids`: where DSPScheduleIDs come from when several instances share the store (else a counter here). */
  constructor(
    private readonly onChange: (change: ScheduleChange) => void = () => undefined,
    private readonly ids: (() => number) | null = null,
  ) {}

  restore(schedule: Schedule): void {
    this.byId.set(schedule.id, schedule);
    this.nextId = Math.max(this.nextId, schedule.id + 1);
  }

  create(fields: Omit<Schedule, "id" | "nextRunAt">, now: Date): Schedule {
    const start = new Date(fields.startAt);
    const first = start > now ? start : nextOccurrence(start, fields.frequency, now);
    const schedule: Schedule = { ...fields, id: this.ids ? this.ids() : this.nextId++, nextRunAt: first.toISOString() };
    this.byId.set(schedule.id, schedule);
    this.onChange({ kind: "saved", schedule });
    return schedule;
  }

  get(id: number): Schedule | undefined {
    return this.byId.get(id);
  }

  /** A user's schedules, optionally only those for one device. */
  of(userId: string, deviceId?: string): Schedule[] {
    return [...this.byId.values()].filter((s) => s.userId === userId && (!deviceId || s.deviceId === deviceId));
  }

  all(): Schedule[] {
    return [...this.byId.values()];
  }

  remove(id: number, why: ScheduleRemoval): boolean {
    if (!this.byId.delete(id)) return false;
    this.onChange({ kind: "removed", id, why });
    return true;
  }

  /** Paragraph 125: removes every schedule matching `which`, returning them. */
  removeWhere(which: (schedule: Schedule) => boolean, why: ScheduleRemoval): Schedule[] {
    const removed = this.all().filter(which);
    removed.forEach((s) => this.remove(s.id, why));
    return removed;
  }

  /** The schedule moved on from `now` to its next occurrence (not saved). */
  static movedOn(schedule: Schedule, now: Date): Schedule {
    return { ...schedule, nextRunAt: nextOccurrence(new Date(schedule.startAt), schedule.frequency, now).toISOString() };
  }

  /** Another instance removed it: forgotten here without a change. */
  forget(id: number): void {
    this.byId.delete(id);
  }

  /** Schedules due at `now`, each moved on to its next occurrence. */
  takeDue(now: Date): Schedule[] {
    const due = this.all().filter((s) => Date.parse(s.nextRunAt) <= now.getTime());
    for (const schedule of due) {
      const moved = Schedules.movedOn(schedule, now);
      this.byId.set(moved.id, moved);
      this.onChange({ kind: "saved", schedule: moved });
    }
    return due;
  }
}
