// DCC Scheduled Services at their due time (seed 003 paragraphs 122-125, Annex 5 note 404): the DCC
// constructs the schedule's Service Request itself, runs again the checks that must still hold
// (paragraph 134: the user's role and rights, the device's status, registration data at the due
// time), and sends the command as a Command Variant 1 request goes (transform, ACB MAC, device
// transport). The device's response reaches the schedule's user as ResponseMessage /
// DSPScheduledMessage with the DSPScheduleID (duis.md 3.3; device-services.ts `receive`).
import { node, text, type DuisNode } from "@opendcc/duis";
import type { ServiceCatalogue } from "./catalogue.js";
import type { DeviceServices } from "./device-services.js";
import type { Gateway, GatewayResponse, ParsedRequest } from "./gateway.js";
import type { SmartMeteringInventory } from "./inventory.js";
import type { UserDirectory } from "./parties.js";
import type { RequestCounters, RequestIdentity } from "./request-ids.js";
import { ResponseCodes, ServiceError } from "./response-codes.js";
import type { Schedule, ScheduleRemoval } from "./schedules.js";

export interface ScheduledRunOutcome {
  /** The error answer for the schedule's user when the run did not go; null when the command was sent. */
  readonly failure: GatewayResponse | null;
  /** Paragraph 125: why the schedule goes now (its user suspended, its device withdrawn or decommissioned), else null. */
  readonly removal: ScheduleRemoval | null;
}

export interface ScheduledRunsOptions {
  readonly catalogue: ServiceCatalogue;
  readonly users: UserDirectory;
  readonly inventory: SmartMeteringInventory;
  readonly counters: RequestCounters;
  readonly gateway: Gateway;
  readonly deviceServices: DeviceServices;
}

const DAY_MS = 86_400_000;
const PERIOD_FIELDS = new Set(["StartDateOffset", "StartTime", "EndDateOffset", "EndTime"]);

export class ScheduledRuns {
  /** The last counter a run used per user and device (see `counterFor`). */
  private readonly lastCounters = new Map<string, bigint>();

  constructor(private readonly options: ScheduledRunsOptions) {}

  /** Runs one occurrence of `schedule` (its `nextRunAt` is the due time). */
  async run(schedule: Schedule): Promise<ScheduledRunOutcome> {
    const dueAt = new Date(schedule.nextRunAt);
    const entry = this.options.catalogue.get(schedule.srv);
    const requestId: RequestIdentity = { originator: schedule.userId, target: schedule.deviceId, counter: this.counterFor(schedule, dueAt) };
    const failed = (code: string, why: string, removal: ScheduleRemoval | null = null): ScheduledRunOutcome => ({
      removal,
      failure: {
        requestId, responseCode: code, serviceReference: entry?.serviceReference ?? null, srv: schedule.srv, body: null,
        reason: `scheduled ${schedule.srv} (DSPScheduleID ${schedule.id}) due ${schedule.nextRunAt}: ${why}${removal ? "; the schedule is removed (seed 003 paragraph 125)" : ""}`,
      },
    });
    if (!entry?.bodyElement) return failed(ResponseCodes.malformed, `${schedule.srv} is not a DUIS service of the catalogue`);
    const bodyElement = entry.bodyElement;
    const user = this.options.users.user(schedule.userId);
    if (!user) return failed(ResponseCodes.unknownUser, `${schedule.userId} is not a known User ID`);
    if (user.suspended) return failed(ResponseCodes.userSuspended, `the rights of user ${user.userId} are suspended (SEC M8)`, "user-suspended");
    const device = this.options.inventory.get(schedule.deviceId);
    if (device?.status === "withdrawn" || device?.status === "decommissioned") {
      return failed(ResponseCodes.deviceStatus, `device ${device.deviceId} is ${device.status}`, device.status === "withdrawn" ? "device-withdrawn" : "device-decommissioned");
    }
    try {
      this.options.gateway.checkDeviceAccess(user, schedule.srv, schedule.deviceId, dueAt);
      const request = scheduledRequest(schedule, entry.serviceReference, bodyElement, requestId, dueAt);
      await this.options.deviceServices.execute(request, entry, user, this.options.inventory.require(schedule.deviceId), schedule.id);
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      if (typeof code === "string" && /^E\d+$/.test(code)) return failed(code, (error as Error).message);
      throw error;
    }
    this.lastCounters.set(`${schedule.userId}:${schedule.deviceId}`, requestId.counter);
    return { failure: null, removal: null };
  }

  /**
   * The GBCS originator counter of a run. The schedule's user is the originator, as of its own
   * requests (the device's response is for that user to verify and decrypt), so the counter must
   * strictly increase among everything that user sends the device. It is the due time in
   * milliseconds (the scale of RequestID counters `opendcc duis send` takes from the clock),
   * raised above the user's last accepted RequestID counter and above this DCC's last run for the
   * same user and device (two schedules due at once). The RequestID of the run's answer carries
   * it, so the user sees where its sequence for the device now stands; it is not claimed in the
   * user's RequestID sequence, which spans all devices. Not shared between instances: two
   * instances running two schedules of one user for one device due at the same instant may
   * choose the same counter, and the device then refuses the second.
   */
  private counterFor(schedule: Schedule, dueAt: Date): bigint {
    const floors = [this.options.counters.last(schedule.userId), this.lastCounters.get(`${schedule.userId}:${schedule.deviceId}`)];
    return floors.reduce<bigint>((counter, floor) => (floor !== undefined && floor >= counter ? floor + 1n : counter), BigInt(dueAt.getTime()));
  }
}

/** The schedule's request as the user would have sent it on demand, over the WAN (Command Variant 1). */
function scheduledRequest(schedule: Schedule, serviceReference: string, bodyElement: string, requestId: RequestIdentity, dueAt: Date): ParsedRequest {
  const body = scheduledBody(schedule.parameters as DuisNode | null, bodyElement, dueAt);
  return {
    requestId, commandVariant: 1, serviceReference, srv: schedule.srv, executionDateTime: null,
    bodyElement, field: (...path) => text(body, path.join("/")), content: body, gbcsPayload: null, precedingRequestId: null,
  };
}

/**
 * 5.1 keeps the scheduled request's parameters in the `DSP` + body element (duis.md 1.x: "a DSP...
 * parameter element", e.g. DSPReadActiveImportProfileData). A log period in it is relative to each
 * run: StartDateOffset / EndDateOffset days from the run's date (UTC) at StartTime / EndTime; it
 * becomes the on-demand body's ReadLogPeriod. Any other parameters are passed on as they are.
 */
function scheduledBody(parameters: DuisNode | null, bodyElement: string, dueAt: Date): DuisNode {
  const dsp = parameters?.children?.find((child) => child.name === `DSP${bodyElement}`);
  if (!dsp) return { name: bodyElement };
  const others = (dsp.children ?? []).filter((child) => !PERIOD_FIELDS.has(child.name));
  if (text(dsp, "StartDateOffset") === undefined && text(dsp, "EndDateOffset") === undefined) return node(bodyElement, others);
  const period = node("ReadLogPeriod", [node("StartDateTime", relativeTime(dsp, "Start", dueAt)), node("EndDateTime", relativeTime(dsp, "End", dueAt))]);
  return node(bodyElement, [period, ...others]);
}

function relativeTime(dsp: DuisNode, which: "Start" | "End", dueAt: Date): string {
  const offset = text(dsp, `${which}DateOffset`)?.trim() ?? "0";
  const time = (text(dsp, `${which}Time`)?.trim() ?? "00:00:00").replace(/Z$/, "");
  if (!/^-?\d{1,4}$/.test(offset)) throw new ServiceError(ResponseCodes.malformed, `${dsp.name}/${which}DateOffset "${offset}" is not a whole number of days`);
  if (!/^\d{2}:\d{2}:\d{2}(\.\d+)?$/.test(time)) throw new ServiceError(ResponseCodes.malformed, `${dsp.name}/${which}Time "${time}" is not a time of day`);
  const day = Date.UTC(dueAt.getUTCFullYear(), dueAt.getUTCMonth(), dueAt.getUTCDate()) + Number(offset) * DAY_MS;
  return `${new Date(day).toISOString().slice(0, 10)}T${time}Z`;
}
