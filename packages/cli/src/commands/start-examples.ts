// The requests `opendcc start` writes to <data>/examples and the copy-paste session it prints:
// read the inventory (non-device), read the electricity meter (ECS17b, SRV 4.1.1, Command Variant
// 1) and change its tariff, a critical service (ECS01a, SRV 1.1.1): Command Variant 4 for the
// Pre-Command, `gbcs sign` with the supplier's digital-signing key, Command Variant 5 to send it.
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";

export interface Examples {
  readonly dir: string;
  readonly readInventory: string;
  readonly readMeter: string;
  readonly updateTariff: string;
}

const SUPPLIER = "90-B3-D5-1F-30-01-00-00";
const ESME = "00-DB-12-34-56-78-90-A0";

const request = (target: string, cv: number, sr: string, srv: string, body: string) => `<?xml version="1.0" encoding="UTF-8"?>
<sr:Request xmlns:ds="http://www.w3.org/2000/09/xmldsig#" xmlns:sr="http://www.dccinterface.co.uk/ServiceUserGateway" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" schemaVersion="5.2">
  <sr:Header>
    <sr:RequestID>${SUPPLIER}:${target}:1000</sr:RequestID>
    <sr:CommandVariant>${cv}</sr:CommandVariant>
    <sr:ServiceReference>${sr}</sr:ServiceReference>
    <sr:ServiceReferenceVariant>${srv}</sr:ServiceReferenceVariant>
  </sr:Header>
  <sr:Body>
${body}
  </sr:Body>
</sr:Request>
`;

const READ_INVENTORY = request("90-B3-D5-1F-30-00-00-02", 8, "8.2", "8.2", `    <sr:ReadInventory>
      <sr:DeviceID>${ESME}</sr:DeviceID>
    </sr:ReadInventory>`);

const READ_METER = request(ESME, 1, "4.1", "4.1.1", "    <sr:ReadInstantaneousImportRegisters/>");

// A flat-rate tariff, every day the same, effective at once: one block price of 24.50p/kWh
// (price scale -5: units of 0.00001 GBP) and a standing charge of 52.30p a day (scale -4; the
// standing charge is a 16-bit integer).
const weekDays = [1, 2, 3, 4, 5, 6, 7].map((day) => `              <sr:ReferencedDayName index="${day}">1</sr:ReferencedDayName>`).join("\n");
const unusedThresholds = [2, 3, 4, 5, 6, 7, 8].map((n) => `          <sr:Thresholds index="${n}"><sr:BlockThreshold index="1">4294967295</sr:BlockThreshold></sr:Thresholds>`).join("\n");
const UPDATE_TARIFF = request(ESME, 4, "1.1", "1.1.1", `    <sr:UpdateImportTariffPrimaryElement>
      <sr:ElecTariffElements>
        <sr:CurrencyUnits>GBP</sr:CurrencyUnits>
        <sr:SwitchingTable>
          <sr:DayProfiles>
            <sr:DayProfile>
              <sr:DayName>1</sr:DayName>
              <sr:ProfileSchedule>
                <sr:StartTime>00:00:00.00Z</sr:StartTime>
                <sr:BlockTariffAction>1</sr:BlockTariffAction>
              </sr:ProfileSchedule>
            </sr:DayProfile>
          </sr:DayProfiles>
          <sr:WeekProfiles>
            <sr:WeekProfile>
              <sr:WeekName>1</sr:WeekName>
${weekDays}
            </sr:WeekProfile>
          </sr:WeekProfiles>
          <sr:Seasons>
            <sr:Season>
              <sr:SeasonName>year</sr:SeasonName>
              <sr:SeasonStartDate>
                <sr:Year><sr:SpecifiedYear>2026</sr:SpecifiedYear></sr:Year>
                <sr:Month><sr:SpecifiedMonth>01</sr:SpecifiedMonth></sr:Month>
                <sr:DayOfMonth><sr:SpecifiedDayOfMonth>01</sr:SpecifiedDayOfMonth></sr:DayOfMonth>
                <sr:DayOfWeek><sr:NonSpecifiedDayOfWeek/></sr:DayOfWeek>
              </sr:SeasonStartDate>
              <sr:ReferencedWeekName>1</sr:ReferencedWeekName>
            </sr:Season>
          </sr:Seasons>
        </sr:SwitchingTable>
        <sr:SpecialDays/>
        <sr:ThresholdMatrix>
          <sr:Thresholds index="1"><sr:BlockThreshold index="1">4294967295</sr:BlockThreshold></sr:Thresholds>
${unusedThresholds}
        </sr:ThresholdMatrix>
      </sr:ElecTariffElements>
      <sr:PriceElements>
        <sr:ElectricityPriceElements>
          <sr:StandingCharge>5230</sr:StandingCharge>
          <sr:StandingChargeScale>-4</sr:StandingChargeScale>
          <sr:PriceScale>-5</sr:PriceScale>
          <sr:BlockTariff>
            <sr:BlockPrices index="1">
              <sr:BlockPrice index="1">24500</sr:BlockPrice>
            </sr:BlockPrices>
          </sr:BlockTariff>
        </sr:ElectricityPriceElements>
      </sr:PriceElements>
    </sr:UpdateImportTariffPrimaryElement>`);

export async function writeExamples(dataDir: string): Promise<Examples> {
  const dir = join(dataDir, "examples");
  await mkdir(dir, { recursive: true });
  const examples = { dir, readInventory: join(dir, "read-inventory.xml"), readMeter: join(dir, "read-meter.xml"), updateTariff: join(dir, "update-tariff.xml") };
  await writeFile(examples.readInventory, READ_INVENTORY);
  await writeFile(examples.readMeter, READ_METER);
  await writeFile(examples.updateTariff, UPDATE_TARIFF);
  return examples;
}

/** The launcher the printed commands use: quiet, so that redirected output is the command's own. */
export const OPENDCC = "npx -y pnpm@10 -s opendcc";

/**
 * The session `opendcc start` prints, for a POSIX shell in the folder it was started from: `keys`
 * and `examples` are paths as the user should type them. With `devices` false (workerd) only the
 * inventory read, which needs no device.
 */
export function trySession(url: string, keys: string, examples: string, devices: boolean): string {
  const supplier = "90b3d51f30010000";
  const as = `--key $K/${supplier}-xml.key --cert $K/${supplier}-xml.pem --url $U`;
  const lines = [
    `K=${keys} E=${examples} U=${url}`,
    `# read the inventory of the first premises as Supplier A (a non-device service: I0 at once)`,
    `${OPENDCC} duis send $E/read-inventory.xml ${as}`,
  ];
  if (!devices) return lines.join("\n  ");
  lines.push(
    `# read the electricity meter (SRV 4.1.1): I99 now; the meter's answer (I0, its registers) is delivered to the outbox`,
    `${OPENDCC} duis send $E/read-meter.xml ${as}`,
    `curl -s $U/admin/v1/users/90B3D51F30010000/outbox`,
    `# change its tariff (SRV 1.1.1, critical): CV4 gets the Pre-Command, you sign it, CV5 sends it`,
    `${OPENDCC} duis send $E/update-tariff.xml ${as} > $E/tariff-cv4.jsonl`,
    `${OPENDCC} duis pre-command $E/tariff-cv4.jsonl > $E/precommand.hex`,
    `${OPENDCC} gbcs sign $E/precommand.hex --key $K/${supplier}-ds.key > $E/signed.jsonl`,
    `${OPENDCC} duis signed-pre-command $E/tariff-cv4.jsonl $E/signed.jsonl > $E/tariff-cv5.xml`,
    `${OPENDCC} duis send $E/tariff-cv5.xml --preserve-counter ${as}`,
    `# the meter's state (its tariff now "ECS01a"); its signed answer is in the outbox as above`,
    `curl -s $U/plugins/devices/devices/00DB1234567890A0`,
  );
  return lines.join("\n  ");
}
