// The GBCS suite (GBCS issue point 9): how many messages one core turns from a request object into
// its MAC'd command (transformRequest, then the kernel MAC under a key pair generated at start),
// and how many it parses back (parseGbcs, no keys), for a DLMS (ECS17b read, ECS01a tariff), a GBZ
// (GCS13a read) and an ASN.1 (GCS28 clock) use case. Requests are built here, not read from the
// fixtures, so the suite runs anywhere. A critical command would carry the user's signature where
// this one has the empty field (00): signing is the user's work and is not timed.
import { Bench } from "tinybench";
import { node, type DuisNode } from "@opendcc/duis";
import { parseGbcs, transformRequest, type TransformInput } from "@opendcc/gbcs";
import { concatBytes, generateKeyPair, sharedSecret, wrapApdu } from "@opendcc/kernel";
import { collectRows, type Row, type TaskMeta } from "./report.js";

const SUPPLIER = "90B3D51F30010000";
const ESME = "00DB1234567890A0";
const GSME = "00DB1234567890A1";

/** Command Variant 4 for the critical services (a Pre-Command goes back to the user), 1 for reads. */
const request = (srv: string, target: string, deviceType: TransformInput["deviceType"], body: DuisNode, commandVariant: 1 | 4): TransformInput => ({
  srv, deviceType, body, commandVariant, requestId: { originator: SUPPLIER, target, counter: 1_000n },
});

/** 1.1.1 Update Import Tariff, a block tariff with one day, week and season and eight threshold sets. */
function blockTariff(): DuisNode {
  const indexed = (name: string, values: readonly string[]) => values.map((value, i) => node(name, value, { index: String(i + 1) }));
  const specified = (part: string, value: string) => node(part, [node(`Specified${part}`, value)]);
  return node("UpdateImportTariffPrimaryElement", [
    node("ElecTariffElements", [
      node("CurrencyUnits", "GBP"),
      node("SwitchingTable", [
        node("DayProfiles", [node("DayProfile", [node("DayName", "1"), node("ProfileSchedule", [node("StartTime", "00:00:00.00Z"), node("BlockTariffAction", "1")])])]),
        node("WeekProfiles", [node("WeekProfile", [node("WeekName", "1"), ...indexed("ReferencedDayName", ["1", "1", "1", "1", "1", "1", "1"])])]),
        node("Seasons", [node("Season", [
          node("SeasonName", "all"),
          node("SeasonStartDate", [specified("Year", "2015"), specified("Month", "01"), specified("DayOfMonth", "01"), node("DayOfWeek", [node("NonSpecifiedDayOfWeek")])]),
          node("ReferencedWeekName", "1"),
        ])]),
      ]),
      node("SpecialDays"),
      node("ThresholdMatrix", Array.from({ length: 8 }, (_, i) =>
        node("Thresholds", indexed("BlockThreshold", i === 0 ? ["10000", "20000", "4294967295"] : ["4294967295"]), { index: String(i + 1) }))),
    ]),
    node("PriceElements", [node("ElectricityPriceElements", [
      node("StandingCharge", "20000"), node("StandingChargeScale", "-5"), node("PriceScale", "-5"),
      node("BlockTariff", [node("BlockPrices", indexed("BlockPrice", ["1361", "2289", "5566"]), { index: "1" })]),
    ])]),
  ]);
}

const USE_CASES: readonly { readonly label: string; readonly input: TransformInput }[] = [
  { label: "ECS17b read (DLMS)", input: request("4.1.1", ESME, "ESME", node("ReadInstantaneousImportRegisters"), 1) },
  { label: "ECS01a tariff (DLMS)", input: request("1.1.1", ESME, "ESME", blockTariff(), 4) },
  { label: "GCS13a read (GBZ)", input: request("4.1.1", GSME, "GSME", node("ReadInstantaneousImportRegisters"), 1) },
  {
    label: "GCS28 clock (ASN.1)",
    input: request("6.11", GSME, "GSME", node("SynchroniseClock", [node("CurrentDateTime", "2014-12-31T23:30:00.00Z"), node("TolerancePeriod", "3600")]), 4),
  },
];

export async function gbcsSuite(options: { time: number }): Promise<Row[]> {
  const bench = new Bench({ time: options.time, warmupTime: Math.min(200, options.time / 2) });
  const meta = new Map<string, TaskMeta>();
  const add = (info: TaskMeta, fn: () => unknown) => {
    const name = `${info.group} ${info.option}`;
    meta.set(name, info);
    bench.add(name, fn as () => void);
  };
  // The ACB's and the device's key-agreement pairs: Z once, as the gateway caches it per device.
  const acb = await generateKeyPair("ka");
  const device = await generateKeyPair("ka");
  const z = await sharedSecret(acb.privateKey, device.publicKey);
  const EMPTY_SIGNATURE = Uint8Array.of(0);
  const command = (input: TransformInput) => wrapApdu(z, concatBytes(transformRequest(input).apdu, EMPTY_SIGNATURE));

  for (const { label, input } of USE_CASES) {
    const message = command(input);
    // The message must parse, as the use case it is, before anything is timed.
    const parsed = await parseGbcs(message);
    if (parsed.useCase !== label.split(" ")[0]) throw new Error(`${label}: parsed as ${parsed.useCase}`);
    add({ group: "transform + MAC (1 core)", size: message.length, option: label, perCall: 1 }, () => command(input));
    add({ group: "parse (1 core)", size: message.length, option: label, perCall: 1 }, () => parseGbcs(message));
  }
  await bench.run();
  return collectRows(bench, meta, "none");
}
