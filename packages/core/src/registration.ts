// Registration Data (seed 003 section 4): who is appointed to each MPxN and from when: the
// registered import/export/gas supplier, the network operator and the supplier-nominated agent.
// Loaded from a file feed (JSON or CSV) and refreshable as a whole.
import type { RoleCode } from "./catalogue.js";

export type Fuel = "electricity" | "gas";

export interface Appointment {
  readonly mpxn: string;
  readonly fuel: Fuel;
  /** IS/ES/GS suppliers, ED/GT network operators, RSA supplier-nominated agent. */
  readonly role: Exclude<RoleCode, "OU">;
  readonly partyId: string;
  /** Inclusive start, ISO date or date-time. */
  readonly effectiveFrom: string;
  /** Exclusive end, or null while current. */
  readonly effectiveTo: string | null;
}

export class RegistrationError extends Error {}

const ROLES_BY_FUEL: Record<Fuel, readonly RoleCode[]> = { electricity: ["IS", "ES", "ED", "RSA"], gas: ["GS", "GT", "RSA"] };

export class RegistrationData {
  private byMpxn = new Map<string, Appointment[]>();
  private readonly listeners: ((all: readonly Appointment[]) => void)[] = [];

  /** Called with the whole data set after each change (feeds replace it as a whole). */
  onChange(listener: (all: readonly Appointment[]) => void): void {
    this.listeners.push(listener);
  }

  /** Replaces all appointments (a refresh of the feed). */
  replaceAll(appointments: readonly Appointment[]): void {
    const next = new Map<string, Appointment[]>();
    for (const appointment of appointments) {
      validate(appointment);
      next.set(appointment.mpxn, [...(next.get(appointment.mpxn) ?? []), appointment]);
    }
    this.byMpxn = next;
    this.changed();
  }

  add(appointment: Appointment): void {
    validate(appointment);
    this.byMpxn.set(appointment.mpxn, [...(this.byMpxn.get(appointment.mpxn) ?? []), appointment]);
    this.changed();
  }

  private changed(): void {
    if (this.listeners.length === 0) return;
    const all = this.all();
    this.listeners.forEach((l) => l(all));
  }

  all(): Appointment[] {
    return [...this.byMpxn.values()].flat();
  }

  /** The appointments in force for an MPxN at a moment. */
  at(mpxn: string, when: Date): Appointment[] {
    return (this.byMpxn.get(mpxn) ?? []).filter((a) => Date.parse(a.effectiveFrom) <= when.getTime() && (a.effectiveTo === null || when.getTime() < Date.parse(a.effectiveTo)));
  }

  /** Is this party appointed in this role for the MPxN at that moment? */
  isAppointed(mpxn: string, role: RoleCode, partyId: string, when: Date): boolean {
    return this.at(mpxn, when).some((a) => a.role === role && a.partyId === partyId);
  }

  /** The party appointed in a role at a moment, if any. */
  appointed(mpxn: string, role: RoleCode, when: Date): string | null {
    return this.at(mpxn, when).find((a) => a.role === role)?.partyId ?? null;
  }
}

function validate(a: Appointment): void {
  if (!/^\d{6,13}$/.test(a.mpxn)) throw new RegistrationError(`MPxN "${a.mpxn}" must be 6-13 digits`);
  if (!ROLES_BY_FUEL[a.fuel]?.includes(a.role)) throw new RegistrationError(`role ${a.role} cannot be appointed to ${a.fuel} MPxN ${a.mpxn}`);
  if (Number.isNaN(Date.parse(a.effectiveFrom))) throw new RegistrationError(`effectiveFrom "${a.effectiveFrom}" of ${a.mpxn} is not a date`);
  if (a.effectiveTo !== null && !(Date.parse(a.effectiveTo) > Date.parse(a.effectiveFrom))) {
    throw new RegistrationError(`effectiveTo of ${a.mpxn} ${a.role} must be a date after effectiveFrom`);
  }
  if (!a.partyId) throw new RegistrationError(`appointment of ${a.mpxn} ${a.role} names no party`);
}

const CSV_COLUMNS = ["mpxn", "fuel", "role", "partyId", "effectiveFrom", "effectiveTo"] as const;

/**
 * Reads a registration feed: a JSON array of appointments, or CSV with the header
 * mpxn,fuel,role,partyId,effectiveFrom,effectiveTo (empty effectiveTo = current).
 */
export function parseRegistrationFeed(text: string): Appointment[] {
  const trimmed = text.trim();
  if (trimmed.startsWith("[")) {
    const rows = JSON.parse(trimmed) as Record<string, unknown>[];
    return rows.map((row, i) => toAppointment(row, `item ${i + 1}`));
  }
  const [header, ...lines] = trimmed.split(/\r?\n/);
  const columns = (header ?? "").split(",").map((c) => c.trim());
  const missing = CSV_COLUMNS.filter((c) => !columns.includes(c));
  if (missing.length > 0) throw new RegistrationError(`registration CSV lacks column(s) ${missing.join(", ")}`);
  return lines.filter((line) => line.trim() !== "").map((line, i) => {
    const cells = line.split(",").map((c) => c.trim());
    return toAppointment(Object.fromEntries(columns.map((c, j) => [c, cells[j] ?? ""])), `line ${i + 2}`);
  });
}

function toAppointment(row: Record<string, unknown>, where: string): Appointment {
  const text = (key: string) => (row[key] === undefined || row[key] === null ? "" : String(row[key]));
  const fuel = text("fuel");
  if (fuel !== "electricity" && fuel !== "gas") throw new RegistrationError(`${where}: fuel must be electricity or gas`);
  const appointment: Appointment = {
    mpxn: text("mpxn"),
    fuel,
    role: text("role") as Appointment["role"],
    partyId: text("partyId"),
    effectiveFrom: text("effectiveFrom"),
    effectiveTo: text("effectiveTo") === "" ? null : text("effectiveTo"),
  };
  try {
    validate(appointment);
  } catch (error) {
    throw new RegistrationError(`${where}: ${(error as Error).message}`);
  }
  return appointment;
}
