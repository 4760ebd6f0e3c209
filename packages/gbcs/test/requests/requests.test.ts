// The test requests of test/requests/: our own files copy no fixture content, and the derivations
// that stand in for near-copies apply to their samples and give the request their name says.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { parseRequest, type ServiceBody } from "@opendcc/duis";
import { describeWithFixtures, fixturesDir, rtdsVectors } from "../../../../test/support/fixtures.js";
import { ownRequestsDir, sampleText } from "../support/transform-pairs.js";
import { DERIVED_REQUESTS } from "./derived.js";
import { FixtureText, bodyLines, longRuns, sharedRuns } from "./fixture-overlap.js";
import { certificatesIn } from "./vector-values.js";
import { chain, remove, rename, setRequestCounter, setText } from "./xml-edits.js";

const REQUEST = [
  "<sr:Request>",
  "  <sr:Header>",
  "    <sr:RequestID>90-B3-D5-1F-30-01-00-00:00-DB-12-34-56-78-90-A0:1000</sr:RequestID>",
  "  </sr:Header>",
  "  <sr:Body>",
  "    <sr:SetLevels>",
  "      <sr:ExecutionDateTime>2030-01-15T09:00:00.00Z</sr:ExecutionDateTime>",
  '      <sr:Level index="1">10</sr:Level>',
  '      <sr:Level index="2">20</sr:Level>',
  "      <sr:Hold/>",
  "    </sr:SetLevels>",
  "  </sr:Body>",
  "</sr:Request>",
].join("\n");

describe("xml edits", () => {
  it("set a text, the request counter, remove and rename elements, keeping the layout", () => {
    const edited = chain(
      setRequestCounter(1004),
      setText('Level[index="2"]', "25"),
      remove("ExecutionDateTime"),
      remove("Hold"),
      rename("SetLevels", "SetOtherLevels"),
    )(REQUEST);
    expect(edited).toBe([
      "<sr:Request>",
      "  <sr:Header>",
      "    <sr:RequestID>90-B3-D5-1F-30-01-00-00:00-DB-12-34-56-78-90-A0:1004</sr:RequestID>",
      "  </sr:Header>",
      "  <sr:Body>",
      "    <sr:SetOtherLevels>",
      '      <sr:Level index="1">10</sr:Level>',
      '      <sr:Level index="2">25</sr:Level>',
      "    </sr:SetOtherLevels>",
      "  </sr:Body>",
      "</sr:Request>",
    ].join("\n"));
  });

  it("refuse what is not there exactly as many times as named", () => {
    expect(() => setText("Missing", "1")(REQUEST)).toThrow("expected 1 Missing element(s), found 0");
    expect(() => setText("Level", "1")(REQUEST)).toThrow("expected 1 Level element(s), found 2");
    expect(() => setText("Hold", "1")(REQUEST)).toThrow("Hold is an empty element: it has no text");
    expect(() => remove("Level", 3)(REQUEST)).toThrow("expected 3 Level element(s), found 2");
    expect(() => setText("Level[index=2]", "1")(REQUEST)).toThrow("bad element selector Level[index=2]");
    expect(remove("Level", 2)(REQUEST)).not.toContain("<sr:Level ");
  });

  it("compute a value given as a function only when the edit runs", () => {
    let reads = 0;
    const edit = setText("ExecutionDateTime", () => `2031-0${++reads}-01T00:00:00Z`);
    expect(reads).toBe(0);
    expect(edit(REQUEST)).toContain("<sr:ExecutionDateTime>2031-01-01T00:00:00Z</sr:ExecutionDateTime>");
  });
});

describe("certificatesIn", () => {
  /** A certificate-shaped DER SEQUENCE: TBS, ECDSA-SHA256 algorithm identifier, 3-byte BIT STRING. */
  const certificate = (fill: number) => {
    const tbs = [0x30, 0x82, 0x00, 0x03, fill, fill, fill];
    const algorithm = [0x30, 0x0a, 0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x02];
    const signature = [0x03, 0x03, 0x00, fill, fill];
    const content = [...tbs, ...algorithm, ...signature];
    return [0x30, 0x82, 0x00, content.length, ...content];
  };

  it("finds each certificate in order, inside an enclosing SEQUENCE, and nothing else", () => {
    const first = certificate(0x11);
    const second = certificate(0x22);
    const inner = [0x30, 0x82, 0x00, 0x00, ...first, 0x04, 0x01, 0x00, ...second];
    inner[3] = inner.length - 4;
    const apdu = Uint8Array.from([0xd9, 0x00, ...inner, 0x30, 0x82, 0x00, 0x05]);
    expect(certificatesIn(apdu).map((der) => [...der])).toEqual([first, second]);
  });
});

describeWithFixtures("our own test requests", () => {
  let own: string[];
  let samples: string[];

  beforeAll(() => {
    own = readdirSync(ownRequestsDir).filter((name) => name.endsWith("_REQUEST_DUIS.XML")).sort();
    samples = readdirSync(join(fixturesDir, "duis")).map((name) => readFileSync(join(fixturesDir, "duis", name), "utf8"));
  });

  it("hold no base64 or hex value of 24+ characters that a fixture file has (as it is or decoded)", () => {
    const fixtures = new FixtureText([...samples, ...rtdsVectors().map((vector) => vector.hex)]);
    const copied = own.flatMap((name) => longRuns(bodyLines(readFileSync(join(ownRequestsDir, name), "utf8")).join("\n"))
      .filter((run) => fixtures.has(run)).map((run) => `${name}: ${run.slice(0, 24)}...`));
    expect(copied).toEqual([]);
  });

  it("share at most half their body, values included, with any one fixture sample", () => {
    const sampleBodies = samples.map(bodyLines);
    const nearCopies = own.flatMap((name) => {
      const body = bodyLines(readFileSync(join(ownRequestsDir, name), "utf8"));
      const copied = sampleBodies.map((sample) => sharedRuns(body, sample)).find(({ lines, values }) => lines * 2 >= body.length && values >= 3);
      return copied ? [`${name}: ${copied.lines} of ${body.length} lines (${copied.values} with values)`] : [];
    });
    expect(nearCopies).toEqual([]);
  });
});

describeWithFixtures("derived test requests", () => {
  it("have names of their own, from samples that exist", () => {
    const names = DERIVED_REQUESTS.map((request) => request.name);
    expect(new Set(names).size).toBe(names.length);
    expect(names.filter((name) => existsSync(join(ownRequestsDir, name)))).toEqual([]);
    // only a correction of a fixture sample takes its name, and only with the reason
    const named = (request: (typeof DERIVED_REQUESTS)[number]) => existsSync(join(fixturesDir, "duis", request.name));
    expect(DERIVED_REQUESTS.filter((request) => named(request) !== (request.corrects !== undefined)).map((request) => request.name)).toEqual([]);
    expect(DERIVED_REQUESTS.filter((request) => request.corrects !== undefined && request.from !== request.name).map((request) => request.name)).toEqual([]);
    expect(DERIVED_REQUESTS.filter((request) => !existsSync(join(fixturesDir, "duis", request.from))).map((request) => request.from)).toEqual([]);
  });

  it.each(DERIVED_REQUESTS.map((request) => [request.name, request] as const))("%s is the request its name says", (name, request) => {
    const xml = sampleText(name);
    expect(xml).not.toBe(readFileSync(join(fixturesDir, "duis", request.from), "utf8"));
    const { header, body } = parseRequest(xml);
    expect(header.serviceReferenceVariant).toBe(name.split("_")[1]);
    const executionDateTime = (body as ServiceBody).executionDateTime;
    if (name.includes("_IMMEDIATE_")) expect(executionDateTime).toBeUndefined();
    if (name.includes("_FUTURE_DATED_")) expect(executionDateTime).toMatch(/^20\d\d-/);
    if (name.includes("_CANCELLATION_")) expect(executionDateTime).toMatch(/^3000-12-31T00:00:00/);
  });
});
