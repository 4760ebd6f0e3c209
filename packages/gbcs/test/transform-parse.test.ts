// parse(transform(request)) (GBCS issue point 4): every DUIS sample the transform takes (the
// fixtures' and test/requests/) comes back through the Parse side under the same message code
// and use case, and each numeric and date value of the request is found in the parsed payload, in
// the form and unit scaling the encoder gives it. A value that legitimately does not appear is
// listed, with the reason, in EXCEPTIONS; an exception no sample needs any more fails the suite.
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, expect, it } from "vitest";
import { isSignedPreCommand, parseRequest, type ServiceBody } from "@opendcc/duis";
import { TransformError, formatMessageCode, parseGbcs, transformRequest, type ParsedValue, type ServiceNode, type TransformResult } from "../src/index.js";
import { describeWithFixtures, fixturesDir, referenceDir } from "../../../test/support/fixtures.js";
import { fixtureDeviceType, ownRequestNames, sampleText } from "./support/transform-pairs.js";

/** Where an encoder writes a DUIS decimal as an integer of fixed decimal places (the exponent). */
const DECIMAL_PLACES: Readonly<Record<string, number>> = {
  UncontrolledGasFlowRateDecimal: 4, // gas-device.ts GCS24a
  NormalLimitedDutyCycleThreshold: 2, // chf.ts hundredths
  LimitedCriticalDutyCycleThreshold: 2,
  NonGSMEPoorCommsPercentageThreshold: 2,
  LocalCHFailurePercentage: 2,
  LocalCHRetryPercentage: 2,
};

/** Parts of a DUIS date pattern or billing calendar that land in a COSEM date (esme-dlms.ts, esme-more-config.ts). */
const DATE_PARTS: Readonly<Record<string, "year" | "month" | "day">> = {
  SpecifiedYear: "year", SpecifiedMonth: "month", SpecifiedDayOfMonth: "day",
  Monthly: "day", DayOfMonth: "day", BillingPeriodStartMonth: "month",
};

/**
 * Values the encoder turns into something else, checked in that form. `seen` is what the parse
 * holds (see `Seen`), `value` the request's number.
 */
const DERIVED: Readonly<Record<string, { readonly why: string; readonly found: (value: number, seen: Seen) => boolean }>> = {
  // esme-more-config.ts / gas-clock.ts: the clock may be set within [CurrentDateTime, + TolerancePeriod]
  TolerancePeriod: {
    why: "the span of the validity interval the clock may be set in",
    found: (value, seen) => seen.instants.some((a) => seen.instants.includes(a + value * 1000)),
  },
  // esme-config.ts PHASE_C: phase n's voltage objects are 1-0:C.x with C = 32, 52, 72
  Phase: {
    why: "the OBIS value group C of the phase's voltage objects",
    found: (value, seen) => [...seen.texts].some((text) => text.startsWith(`1-0:${12 + 20 * value}.`)),
  },
  // esme-more-load.ts controllerSelector: (switch type + switch) << 8 | scheduled 0x80 | level
  CommandedStateLevel: {
    why: "the low 7 bits of the auxiliary controller script selector",
    found: (value, seen) => seen.numbers.some((n) => n > 0xff && n <= 0xffff && (n & 0x7f) === value),
  },
};

/**
 * Values that cannot appear in the GBCS command, by use case (the file's) and the leaf's path
 * suffix; each must be needed by some sample.
 */
const EXCEPTIONS: readonly { readonly useCases: readonly string[]; readonly leaf: string; readonly why: string }[] = [
  {
    useCases: ["CS02bSupplierByTransCoS"], leaf: "UpdateSecurityCredentialsCoS/ImportMPxN",
    why: "the DCC checks the MPxN against registration data (DUIS 6.23); the device is not told it",
  },
  {
    useCases: ["CS02bSupplierByTransCoS"], leaf: "UpdateSecurityCredentialsCoS/SupplierFloorSeqNumber",
    why: "a cancellation carries no floor changes (cs-credentials.ts, RTDS 6.23 cancellation vector)",
  },
  {
    useCases: ["CS02bSupplierByTransCoS"], leaf: "UpdateSecurityCredentialsCoS/SupplierPrepaymentTopUpFloorSeqNumber",
    why: "as SupplierFloorSeqNumber",
  },
  {
    useCases: ["CCS01"], leaf: "AddDeviceToCHFWhitelist/ImportMPxN",
    why: "an MPxN only tells the CHF the device is a meter (chf.ts): the device log entry carries the type, not the number",
  },
  {
    useCases: ["CCS01"], leaf: "AddDeviceToCHFWhitelist/SecondaryImportMPAN",
    why: "as ImportMPxN",
  },
  {
    useCases: ["GCS17", "GCS18", "GCS61"], leaf: "ReadLogPeriod/EndDateTime",
    why: "Get Sampled Data has no end time: the period's end becomes the number of samples from the earliest sample time",
  },
  {
    useCases: ["GCS15e"], leaf: "ReadLogPeriod/EndDateTime",
    why: "3000-12-31 is past the ZigBee UTC range; the encoder asks for everything up to the latest time (0xFFFFFFFE)",
  },
];

/** What a parsed payload holds, in the forms the request's values are compared in. */
interface Seen {
  readonly texts: Set<string>;
  readonly numbers: number[];
  /** Every ISO date-time, as epoch milliseconds. */
  readonly instants: number[];
}

function seenIn(payload: ParsedValue): Seen {
  const seen: Seen = { texts: new Set(), numbers: [], instants: [] };
  const visit = (value: ParsedValue): void => {
    if (Array.isArray(value)) return value.forEach(visit);
    if (value !== null && typeof value === "object") {
      for (const [key, item] of Object.entries(value)) if (item === null) seen.texts.add(`null ${key}`);
      return Object.values(value).forEach(visit);
    }
    if (typeof value === "number") seen.numbers.push(value);
    const text = String(value);
    seen.texts.add(text);
    if (typeof value === "string") addForms(text, seen);
  };
  visit(payload);
  return seen;
}

/** A string's other readings: ISO instants and dates, COSEM date and time octet strings, ASCII octet strings, "HH:MM". */
function addForms(text: string, seen: Seen): void {
  const iso = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})Z$/.exec(text);
  if (iso) {
    seen.instants.push(Date.parse(text));
    addDate(seen, Number(iso[1]), Number(iso[2]), Number(iso[3]));
  }
  const zigbeeDate = /^(\d{4}|\*)-(\d{2}|\*)-(\d{2}|\*)$/.exec(text);
  if (zigbeeDate) addDate(seen, ...(zigbeeDate.slice(1, 4).map((part) => (part === "*" ? 0xffff : Number(part))) as [number, number, number]));
  const hhmm = /^(\d{2}):(\d{2})$/.exec(text);
  if (hhmm) seen.texts.add(`time ${hhmm[1]}:${hhmm[2]}:00`);
  const cosemTime = /^(\d{2}):(\d{2}):(\d{2})$/.exec(text);
  if (cosemTime) seen.texts.add(`time ${text}`);
  if (!/^([0-9A-F]{2})+$/.test(text)) return;
  const bytes = text.match(/../g)!.map((pair) => Number.parseInt(pair, 16));
  if (bytes.length === 4 && bytes[0]! < 24 && bytes[1]! < 60 && bytes[2]! < 60) {
    seen.texts.add(`time ${bytes.slice(0, 3).map((b) => String(b).padStart(2, "0")).join(":")}`);
  }
  if (bytes.length === 5) addDate(seen, (bytes[0]! << 8) | bytes[1]!, bytes[2]!, bytes[3]!);
  if (bytes.every((b) => b >= 0x20 && b < 0x7f)) seen.texts.add(String.fromCharCode(...bytes));
}

/** COSEM's "not specified" (FFFF, FF) is left out. */
function addDate(seen: Seen, year: number, month: number, day: number): void {
  if (year !== 0xffff) seen.texts.add(`year ${year}`);
  if (month !== 0xff && month !== 0xffff) seen.texts.add(`month ${month}`);
  if (day !== 0xff && day !== 0xffff) seen.texts.add(`day ${day}`);
  seen.texts.add(`date ${year}-${month}-${day}`);
}

/** DUIS cancels a future-dated command by resending it for this time (esme-dlms.ts, DUIS 3.2). */
const CANCELLATION = Date.parse("3000-12-31T00:00:00Z");

/**
 * How each family writes "no execution time" for a cancellation: a COSEM activation time of
 * "never" (all FF) or an all-unspecified date-time, the ASN.1 end of time, ZigBee's 0xFFFFFFFF (a null time field, or that instant).
 */
function cancelled(seen: Seen): boolean {
  return ["never", "*-*-*T*:*:*Z", "9999-12-31T23:59:59Z", "2136-02-07T06:28:15Z"].some((text) => seen.texts.has(text))
    || [...seen.texts].some((text) => /^null \w*Time$/.test(text));
}

/**
 * SRVs whose future dating the DCC does itself (DUIS futureDatedResponsePattern "DSP"): it holds
 * the request until ExecutionDateTime, so the command carries no date.
 */
function dspFutureDated(): Set<string> {
  const catalogue = JSON.parse(readFileSync(join(referenceDir, "srv-catalogue.json"), "utf8")) as {
    entries: { srv: string; duis?: { futureDatedResponsePattern?: string | null } }[];
  };
  return new Set(catalogue.entries.filter((e) => e.duis?.futureDatedResponsePattern === "DSP").map((e) => e.srv));
}

interface Leaf {
  /** Local names from the service element down, e.g. "UpdatePrepaySettings/DebtRecoveryRateCap". */
  readonly path: string;
  readonly name: string;
  readonly text: string;
}

const NUMBER = /^[+-]?\d+(\.\d+)?$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})Z?$/;
const TIME = /^(\d{2}):(\d{2}):(\d{2})(\.\d+)?Z?$/;

/** The request's numeric and date leaves (enumerations, names, flags and certificates are not). */
function valueLeaves(node: ServiceNode, path = node.name): Leaf[] {
  const children = node.children ?? [];
  const text = node.text?.trim() ?? "";
  const own = children.length === 0 && [NUMBER, DATE_TIME, DATE, TIME].some((form) => form.test(text)) ? [{ path, name: node.name, text }] : [];
  return [...own, ...children.flatMap((child) => valueLeaves(child, `${path}/${child.name}`))];
}

/** Whether the leaf's value is in the parse, in the form its encoder writes it. */
function found(leaf: Leaf, seen: Seen): boolean {
  const { name, text } = leaf;
  if (seen.texts.has(text)) return true;
  if (NUMBER.test(text)) {
    const places = DECIMAL_PLACES[name];
    if (places !== undefined) return seen.texts.has(String(Math.round(Number(text) * 10 ** places)));
    const part = DATE_PARTS[name];
    if (part) return seen.texts.has(`${part} ${Number(text)}`);
    const derived = DERIVED[name];
    if (derived) return derived.found(Number(text), seen);
    return seen.texts.has(text.includes(".") ? String(Number(text)) : BigInt(text).toString());
  }
  if (DATE_TIME.test(text)) return seen.instants.includes(Date.parse(text)) || (name === "ExecutionDateTime" && Date.parse(text) === CANCELLATION && cancelled(seen));
  const date = DATE.exec(text);
  if (date) return seen.texts.has(`date ${Number(date[1])}-${Number(date[2])}-${Number(date[3])}`);
  const time = TIME.exec(text);
  return time !== null && seen.texts.has(`time ${time[1]}:${time[2]}:${time[3]}`);
}

interface Outcome {
  readonly sample: string;
  readonly useCase: string;
  readonly result: TransformResult;
  readonly parsedCode: string;
  readonly parsedUseCase: string | null;
  readonly leaves: number;
  readonly missing: readonly Leaf[];
}

/** Every sample by name: the fixtures' and the project's own (sampleText prefers the latter). */
function samples(): string[] {
  const names = new Set([...readdirSync(join(fixturesDir, "duis")), ...ownRequestNames()]);
  return [...names].filter((name) => name.endsWith("_REQUEST_DUIS.XML")).sort();
}

describeWithFixtures("parse(transform(request)) over every sample", () => {
  const outcomes: Outcome[] = [];
  const untransformed: string[] = [];
  const exceptionsUsed = new Set<number>();
  let heldByDsp = 0;

  beforeAll(async () => {
    const dsp = dspFutureDated();
    for (const sample of samples()) {
      const request = parseRequest(sampleText(sample));
      if (isSignedPreCommand(request.body)) continue;
      const body = request.body as ServiceBody;
      const useCase = sample.split("_")[0] as string;
      let result: TransformResult;
      try {
        result = transformRequest({
          srv: request.header.serviceReferenceVariant,
          deviceType: fixtureDeviceType(useCase, request.header.requestId.target),
          commandVariant: request.header.commandVariant,
          // an ACB-originated command needs the ACB's own counter; any will do here
          requestId: request.header.requestId, acbCounter: 1n,
          executionDateTime: body.executionDateTime, body: body.content,
          // what the inventory would know of the device: the RTDS names its use case and build
          useCase, ...(/_TWIN_/.test(sample) ? { meterVariant: "twin-element" as const } : {}),
        });
      } catch (error) {
        if (!(error instanceof TransformError)) throw error;
        untransformed.push(`${sample}: ${error.message}`);
        continue;
      }
      const parsed = await parseGbcs(result.apdu);
      const seen = seenIn(parsed.payload.fields);
      const held = body.executionDateTime !== undefined && dsp.has(request.header.serviceReferenceVariant);
      if (held) heldByDsp++;
      const execution = body.executionDateTime && !held ? [{ path: "ExecutionDateTime", name: "ExecutionDateTime", text: body.executionDateTime }] : [];
      const leaves = [...valueLeaves(body.content), ...execution];
      const missing = leaves.filter((leaf) => {
        if (found(leaf, seen)) return false;
        const exception = EXCEPTIONS.findIndex((e) => e.useCases.includes(useCase) && leaf.path.endsWith(e.leaf));
        if (exception < 0) return true;
        exceptionsUsed.add(exception);
        return false;
      });
      outcomes.push({ sample, useCase, result, parsedCode: parsed.messageCode, parsedUseCase: parsed.useCase, leaves: leaves.length, missing });
    }
    const leaves = outcomes.reduce((sum, o) => sum + o.leaves, 0);
    const missing = outcomes.reduce((sum, o) => sum + o.missing.length, 0);
    console.info(`parse(transform(request)): ${outcomes.length} samples transformed and parsed (${untransformed.length} not transformed); ${leaves - missing} of ${leaves} numeric and date values found (${exceptionsUsed.size} exception rules used; ${heldByDsp} ExecutionDateTime held by the DCC, not sent)`);
  });

  it("parses every transformed request under its message code and use case", () => {
    const wrong = outcomes.filter((o) => o.parsedCode !== formatMessageCode(o.result.messageCode) || !sameUseCase(o.result.useCase, o.parsedUseCase, o.parsedCode))
      .map((o) => `${o.sample}: transform ${o.result.useCase} ${formatMessageCode(o.result.messageCode)}, parse ${o.parsedUseCase} ${o.parsedCode}`);
    expect(wrong).toEqual([]);
    expect(outcomes.length).toBeGreaterThanOrEqual(200);
  });

  it("finds each numeric and date value of the request in the parse", () => {
    const missing = outcomes.flatMap((o) => o.missing.map((leaf) => `${o.sample}: ${leaf.path} = ${leaf.text}`));
    expect(missing).toEqual([]);
  });

  it("misses a value the command does not carry", async () => {
    // The check must be able to fail: the block price of a request the command was not made from.
    const request = parseRequest(sampleText("ECS01a_1.1.1_IMMEDIATE_BLOCK_SUCCESS_REQUEST_DUIS.XML"));
    const body = (request.body as ServiceBody).content;
    const result = transformRequest({ srv: "1.1.1", deviceType: "ESME", commandVariant: 4, requestId: request.header.requestId, body });
    const seen = seenIn((await parseGbcs(result.apdu)).payload.fields);
    const other = valueLeaves(body).map((leaf) => (leaf.text === "2289" ? { ...leaf, text: "2290" } : leaf));
    expect(other.filter((leaf) => !found(leaf, seen)).map((leaf) => `${leaf.path} = ${leaf.text}`))
      .toEqual(["UpdateImportTariffPrimaryElement/PriceElements/ElectricityPriceElements/BlockTariff/BlockPrices/BlockPrice = 2290"]);
  });

  it("needs every listed exception", () => {
    expect(EXCEPTIONS.filter((_, i) => !exceptionsUsed.has(i)).map((e) => `${e.useCases.join(",")} ${e.leaf}`)).toEqual([]);
  });
});

/**
 * The transform names the use case it chose, or for an encoder that serves several without
 * saying which (e.g. "CS02a" also writing CS02f), its family: the message code is then the judge.
 */
const ENCODER_FAMILIES: Readonly<Record<string, readonly string[]>> = {
  CS02a: ["CS02f"], CS02b: ["CS02g"], CS10: ["CS10a", "CS10b"], ECS30: ["ECS30a"], ECS35: ["ECS35a", "ECS35b", "ECS35e", "ECS35f"],
  ECS35c: ["ECS35d"], CCS01: ["CCS02"], CCS05: ["CCS07"],
};

/** Message codes the reference names no use case for (0x0004: the RTDS's "CCS05CCS04", an RTDS-only code). */
const UNNAMED_CODES: ReadonlySet<string> = new Set(["0x0004"]);

function sameUseCase(transformed: string, parsed: string | null, code: string): boolean {
  if (parsed === null) return UNNAMED_CODES.has(code);
  const named = transformed.split("/");
  return named.includes(parsed) || named.some((name) => ENCODER_FAMILIES[name]?.includes(parsed));
}
