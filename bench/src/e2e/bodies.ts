// DUIS Service Request bodies the end-to-end runs send (DUIS 5.2 schema element names and order).
import { node, type DuisNode } from "@opendcc/duis";

export interface BodySpec {
  readonly srv: string;
  readonly element: string;
  readonly children?: readonly DuisNode[];
}

export const readImportRegisters: BodySpec = { srv: "4.1.1", element: "ReadInstantaneousImportRegisters" };
export const enableSupply: BodySpec = { srv: "7.1", element: "EnableSupply" };
export const disableSupply: BodySpec = { srv: "7.2", element: "DisableSupply" };
export const armSupply: BodySpec = { srv: "7.3", element: "ArmSupply" };

/** SRV 2.2 Top Up Device with a 20-digit UTRN. */
export const topUp = (utrn: string): BodySpec => ({ srv: "2.2", element: "TopUpDevice", children: [node("UTRN", utrn)] });

const indexed = (name: string, values: readonly (string | number)[]) => values.map((value, i) => node(name, String(value), { index: String(i + 1) }));

/**
 * SRV 1.1.1 Update Import Tariff (Primary Element), electricity: one block-tariff day all week
 * from 1 January 2024, block thresholds in Wh and block prices in 10^-5 GBP per kWh.
 */
export function blockTariff(prices: readonly [number, number, number], standingCharge = 25_000): BodySpec {
  const specified = (name: string, value: string) => node(name, [node(`Specified${name}`, value)]);
  return {
    srv: "1.1.1", element: "UpdateImportTariffPrimaryElement",
    children: [
      node("ElecTariffElements", [
        node("CurrencyUnits", "GBP"),
        node("SwitchingTable", [
          node("DayProfiles", [node("DayProfile", [node("DayName", "1"), node("ProfileSchedule", [node("StartTime", "00:00:00.00Z"), node("BlockTariffAction", "1")])])]),
          node("WeekProfiles", [node("WeekProfile", [node("WeekName", "1"), ...indexed("ReferencedDayName", [1, 1, 1, 1, 1, 1, 1])])]),
          node("Seasons", [node("Season", [
            node("SeasonName", "year"),
            node("SeasonStartDate", [specified("Year", "2024"), specified("Month", "01"), specified("DayOfMonth", "01"), node("DayOfWeek", [node("NonSpecifiedDayOfWeek")])]),
            node("ReferencedWeekName", "1"),
          ])]),
        ]),
        node("SpecialDays"),
        // GBCS ECS01a: one row of three block thresholds for each of the 8 tariff registers.
        node("ThresholdMatrix", Array.from({ length: 8 }, (_, t) => node("Thresholds", indexed("BlockThreshold", [5_000, 15_000, 4_294_967_295]), { index: String(t + 1) }))),
      ]),
      node("PriceElements", [node("ElectricityPriceElements", [
        node("StandingCharge", String(standingCharge)),
        node("StandingChargeScale", "-5"),
        node("PriceScale", "-5"),
        node("BlockTariff", [node("BlockPrices", indexed("BlockPrice", prices), { index: "1" })]),
      ])]),
    ],
  };
}
