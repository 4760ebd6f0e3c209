// 5.1 Create, 5.2 Read and 5.3 Delete Schedule: the non-device services of DCC Scheduled Services
// (Annex 5 note 404). Element names follow the DUIS 5.4 schema (DSPSchedule and its
// DSPScheduledServiceReferenceVariant / ScheduleStartDate / ScheduleExecutionStartTime).
import type { NonDeviceService } from "./gateway.js";
import { normaliseEui } from "./inventory.js";
import { SCHEDULE_FREQUENCIES, type ScheduleFrequency } from "./schedules.js";
import { ServiceError } from "./response-codes.js";

const required = (request: Parameters<NonDeviceService>[0], name: string): string => {
  const value = request.field(name)?.trim();
  if (!value) throw new ServiceError("E43", `${request.bodyElement} needs ${name}`);
  return value;
};

/**
 * 5.1: the scheduled SRV must be one the catalogue allows as a DCC Scheduled Service, and the user
 * must be entitled to send it for the device (role, device status, registration) as if on demand.
 */
export const createSchedule: NonDeviceService = (request, user, { catalogue, schedules, now }, gateway) => {
  const frequency = required(request, "ScheduleFrequency") as ScheduleFrequency;
  if (!SCHEDULE_FREQUENCIES.includes(frequency)) throw new ServiceError("E43", `ScheduleFrequency ${frequency} is not one of ${SCHEDULE_FREQUENCIES.join(", ")}`);
  const srv = required(request, "DSPScheduledServiceReferenceVariant");
  const entry = catalogue.get(srv);
  if (!entry?.scheduledAllowed) throw new ServiceError("E43", `${srv} cannot be requested as a DCC Scheduled Service (Annex 5 note 404)`);
  const deviceId = normaliseEui(required(request, "DeviceID"));
  const startDate = required(request, "ScheduleStartDate");
  const time = request.field("ScheduleExecutionStartTime")?.trim() ?? "00:00:00";
  const startAt = new Date(`${startDate}T${time.replace(/Z$/, "")}Z`);
  if (Number.isNaN(startAt.getTime())) throw new ServiceError("E43", `ScheduleStartDate ${startDate} / ScheduleExecutionStartTime ${time} is not a date and time`);
  const at = now();
  gateway.checkDeviceAccess(user, srv, deviceId, startAt > at ? startAt : at);
  const schedule = schedules.create({ userId: user.userId, deviceId, srv, frequency, startAt: startAt.toISOString(), parameters: request.content }, at);
  return { kind: "scheduleId", id: schedule.id };
};

// 5.2 and 5.3 name a schedule by DSPScheduleID or all of the user's schedules for a DeviceID.
function selected(request: Parameters<NonDeviceService>[0], userId: string, { schedules }: Parameters<NonDeviceService>[2]) {
  const id = request.field("DSPScheduleID");
  if (id !== undefined) {
    const schedule = schedules.get(Number(id));
    return schedule && schedule.userId === userId ? [schedule] : [];
  }
  return schedules.of(userId, normaliseEui(required(request, "DeviceID")));
}

/** 5.2: the user's schedules; W050201 when there are none (DUIS returns at least one record). */
export const readSchedule: NonDeviceService = (request, user, services) => {
  const found = selected(request, user.userId, services);
  if (found.length === 0) throw new ServiceError("W050201", "no schedule of this user matches the request");
  return { kind: "schedules", schedules: found.slice(0, 99) };
};

/** 5.3: removes the user's matching schedules (paragraph 125: at the user's request). */
export const deleteSchedule: NonDeviceService = (request, user, services) => {
  const found = selected(request, user.userId, services);
  if (found.length === 0) throw new ServiceError("W050301", "no schedule of this user matches the request");
  found.forEach((schedule) => services.schedules.remove(schedule.id, "deleted"));
  return null;
};
