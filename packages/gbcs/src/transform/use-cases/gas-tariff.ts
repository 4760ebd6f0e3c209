// Gas tariffs: GCS01a Set Tariff and Price (SRV 1.1.1: switching table calendar, special days,
// block thresholds and prices) and GCS01b Set Price (1.2.1: prices only). ZSE Price and Calendar
// publish commands, future-datable and cancellable.
import type { GbcsWriter } from "@opendcc/kernel";
import type { ServiceFields } from "../fields.js";
import { ISSUER_EVENT_ID, serverCommand, startTime, writeGbz, type GbzComponent } from "../gbz.js";
import { TransformError, defineUseCase, type EncodeContext, type UseCaseEncoder } from "../types.js";
import { CALENDAR_TYPE, CLUSTER, PRICE_PUBLISH } from "./gas-clusters.js";
import { NO_PROVIDER, calendarComponents, seasons, specialDays, specialDaysComponent, weekProfiles, type CalendarContent } from "./gas-calendar.js";

/** GBCS gas tariffs are tariff 1 of the supplier. */
const ISSUER_TARIFF_ID = 1;
const TARIFF_TYPE = { timeOfUse: 0x00, block: 0x10 } as const;
const KILOWATT_HOURS = 0x00;
const CURRENCY: Readonly<Record<string, number>> = { GBP: 826, EUR: 978 };
/** Prices in 1/100000 of the currency unit: 5 trailing digits (high nibble). */
const PRICE_TRAILING_DIGITS = 0x50;
const TIER_BLOCK_MODE_UNUSED = 0xff;
/** Block thresholds are in kWh / 1000 (multiplier 1, divisor 1000). */
const THRESHOLD_MULTIPLIER = 1;
const THRESHOLD_DIVISOR = 1000;
const SUB_PAYLOAD = { block: 0x00, timeOfUse: 0x01 } as const;
const MAX_UINT32 = 0xffffffff;
const MAX_UINT48 = 2 ** 48 - 1;

interface Prices {
  readonly type: number;
  readonly standingCharge: number;
  readonly currency: number;
  /** Tier (TOU, 1..) or block (0..) id with its price. */
  readonly prices: readonly { readonly id: number; readonly price: number }[];
  readonly numberOfThresholds: number;
}

/** Indexed children (TOUPrice index="1"...) in index order. */
function indexed(fields: ServiceFields, name: string, max: number): { readonly index: number; readonly value: number }[] {
  return fields.all(name).map((child) => ({ index: Number(child.attribute("index")), value: child.intIn(0, max) }))
    .sort((a, b) => a.index - b.index);
}

function pricesOf(context: EncodeContext, thresholdsInMatrix: number | undefined): Prices {
  const gas = context.fields.get("PriceElements", "GasPriceElements");
  const common = { standingCharge: gas.intIn(0, MAX_UINT32, "StandingCharge"), currency: gas.oneOf(CURRENCY, "CurrencyUnits") };
  const tou = gas.find("TOUTariff");
  if (tou) {
    const prices = indexed(tou, "TOUPrice", MAX_UINT32).map(({ index, value }) => ({ id: index, price: value }));
    return { ...common, type: TARIFF_TYPE.timeOfUse, prices, numberOfThresholds: 0 };
  }
  const block = gas.find("BlockTariff");
  if (!block) throw new TransformError("GasPriceElements needs a TOUTariff or a BlockTariff", "GasPriceElements");
  const prices = indexed(block, "BlockPrice", MAX_UINT32).map(({ index, value }) => ({ id: index - 1, price: value }));
  // With a threshold matrix (1.1.1) its thresholds are the ones in use; otherwise the count given.
  return { ...common, type: TARIFF_TYPE.block, prices, numberOfThresholds: thresholdsInMatrix ?? block.intIn(0, 15, "NumberOfThresholds") };
}

/** Publish Tariff Information, then Publish Price Matrix. */
function priceComponents(context: EncodeContext, prices: Prices, thresholds: GbzComponent | undefined): GbzComponent[] {
  const ids = (w: GbcsWriter) => w.uintLe(NO_PROVIDER, 4).uintLe(ISSUER_EVENT_ID, 4);
  const tariffInformation = serverCommand(CLUSTER.price, PRICE_PUBLISH.tariffInformation, (w) => {
    ids(w).uintLe(ISSUER_TARIFF_ID, 4).uintLe(startTime(context), 4).byte(prices.type).byte(0); // no label
    w.byte(prices.type === TARIFF_TYPE.timeOfUse ? prices.prices.length : 0).byte(prices.numberOfThresholds).byte(KILOWATT_HOURS);
    w.uintLe(prices.currency, 2).byte(PRICE_TRAILING_DIGITS).uintLe(prices.standingCharge, 4).byte(TIER_BLOCK_MODE_UNUSED);
    w.uintLe(THRESHOLD_MULTIPLIER, 3).uintLe(THRESHOLD_DIVISOR, 3);
  });
  const priceMatrix = serverCommand(CLUSTER.price, PRICE_PUBLISH.priceMatrix, (w) => {
    ids(w).uintLe(startTime(context, 0xfffffffe), 4).uintLe(ISSUER_TARIFF_ID, 4).byte(0).byte(1); // command 0 of 1
    w.byte(prices.type === TARIFF_TYPE.timeOfUse ? SUB_PAYLOAD.timeOfUse : SUB_PAYLOAD.block);
    for (const { id, price } of prices.prices) w.byte(id).uintLe(price, 4);
  });
  return [tariffInformation, ...(thresholds ? [thresholds] : []), priceMatrix];
}

/** DUIS gas day profile: one tier for the whole day (TOUTariffAction), or the block tariff. */
function dayProfiles(table: ServiceFields): CalendarContent["days"] {
  return table.get("DayProfiles").all("DayProfile").map((day) => {
    const tier = day.has("TOUTariffAction") ? day.intIn(1, 4, "TOUTariffAction") : day.has("BlockTariff") ? 0 : undefined;
    if (tier === undefined) throw new TransformError(`DayProfile ${day.text("DayName")} needs a TOUTariffAction or BlockTariff`, "DayProfile");
    return { id: day.intIn(1, 255, "DayName"), entries: [{ minute: 0, value: tier }] };
  });
}

/** Publish Block Thresholds: one command, thresholds apply to all tiers (sub-payload 1). */
function blockThresholds(context: EncodeContext, values: readonly number[]): GbzComponent {
  return serverCommand(CLUSTER.price, PRICE_PUBLISH.blockThresholds, (w) => {
    w.uintLe(NO_PROVIDER, 4).uintLe(ISSUER_EVENT_ID, 4).uintLe(startTime(context, 0xfffffffe), 4).uintLe(ISSUER_TARIFF_ID, 4);
    w.byte(0).byte(1).byte(0x01).byte(values.length);
    for (const value of values) w.uintLe(value, 6);
  });
}

function tariffAndPrice(context: EncodeContext): GbzComponent[] {
  const elements = context.fields.get("GasTariffElements");
  const table = elements.get("SwitchingTable");
  const calendar: CalendarContent = {
    type: CALENDAR_TYPE.delivered, startTime: startTime(context, 0xfffffffe), days: dayProfiles(table),
    weeks: weekProfiles(table.find("WeekProfiles")), seasons: seasons(table.find("Seasons")), specialDays: specialDays(elements.find("SpecialDays")),
  };
  const matrix = elements.find("ThresholdMatrix");
  const isBlock = context.fields.has("PriceElements", "GasPriceElements", "BlockTariff");
  // A TOU request's ThresholdMatrix is a placeholder the schema demands; only block tariffs use it.
  const thresholds = isBlock && matrix ? indexed(matrix, "BlockThreshold", MAX_UINT48).map(({ value }) => value) : undefined;
  const prices = pricesOf(context, thresholds?.length);
  return [...calendarComponents(calendar), specialDaysComponent(calendar), ...priceComponents(context, prices, thresholds && blockThresholds(context, thresholds))];
}

const GCS01a = defineUseCase({
  useCase: "GCS01a", srv: "1.1.1", deviceTypes: ["GSME"], messageCode: 0x006b, critical: true,
  write: (w, context) => writeGbz(w, tariffAndPrice(context)),
});

const GCS01b = defineUseCase({
  useCase: "GCS01b", srv: "1.2.1", deviceTypes: ["GSME"], messageCode: 0x00a3, critical: true,
  write: (w, context) => writeGbz(w, priceComponents(context, pricesOf(context, undefined), undefined)),
});

export const GAS_TARIFF_ENCODERS: readonly UseCaseEncoder[] = [GCS01a, GCS01b];
