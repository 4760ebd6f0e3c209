// ESME tariffs and prices (ECS01a-d, SRVs 1.1.1, 1.1.2, 1.2.1, 1.2.2; critical). The passive
// activity calendar, special days, block thresholds, currency and charges are written, then
// the activation date-time of each (ExecutionDateTime, or now / cancel) (RTDS 4.5.0 ECS01a-d).
import { DLMS, fromHex } from "@opendcc/kernel";
import { obis } from "../dlms.js";
import type { ServiceFields } from "../fields.js";
import { TransformError, type EncodeContext, type UseCaseEncoder } from "../types.js";
import { activationTime, dateFields, dateOctets, set, type Access, type Write } from "./esme-dlms.js";
import { esmeService } from "./esme-use-case.js";

const SPECIAL_DAYS_TABLE = 11;
const ACTIVITY_CALENDAR = 20;
const REGISTER_MONITOR = 21;
const CHARGE = 113;
const GBCS_OBJECT = 9000;

/** Every day-profile action runs the tariffication script table with a selector. */
const TARIFFICATION_SCRIPT = fromHex("00000a0064ff");
const BLOCK_SELECTOR_BASE = 100;
const SECONDARY_SELECTOR_BASE = 200;

/** Primary (1-0:1.8.0.255) and secondary (1-20:1.8.0.255) import energy registers priced per kWh. */
const PRIMARY_ENERGY = "1-0:1.8.0.255";
const SECONDARY_ENERGY = "1-20:1.8.0.255";
const ENERGY_SCALE = 3;

const PRIMARY = {
  calendar: "0-0:13.0.0.255", specialDays: "0-1:11.0.0.255", priceCharge: "0-0:19.20.0.255", standingCharge: "0-0:19.20.4.255",
  thresholdsActivation: "0-0:94.44.128.29", currency: "0-0:94.44.2.0", blockActivation: "0-0:63.1.1.255",
} as const;
const SECONDARY = { calendar: "0-0:13.0.1.255", specialDays: "0-1:11.0.1.255", priceCharge: "0-0:19.20.5.255", activation: "0-0:94.44.128.30" } as const;

const uint8 = (value: number): Write => (w) => w.dlmsNumber(DLMS.uint8, value);

/** Elements carrying an `index` attribute, in index order. */
function byIndex(fields: readonly ServiceFields[]): ServiceFields[] {
  const index = (f: ServiceFields) => Number(f.attribute("index") ?? 0);
  return [...fields].sort((a, b) => index(a) - index(b));
}

/** xs:time "hh:mm:ss[.ff]Z" as the 4-byte COSEM time (hundredths 0). */
function cosemTime(text: string): Uint8Array {
  const parts = /^(\d{2}):(\d{2}):(\d{2})(\.\d+)?(Z|[+-]00:00)?$/.exec(text);
  if (!parts) throw new TransformError(`StartTime "${text}" is not a UTC time`, "StartTime");
  return Uint8Array.of(Number(parts[1]), Number(parts[2]), Number(parts[3]), 0);
}

/** season_profile_passive, week_profile_table_passive and day_profile_table_passive. */
function calendar(table: ServiceFields, calendarObis: string, selector: (schedule: ServiceFields) => number): Access[] {
  const seasons: Write = (w) => {
    const list = table.get("Seasons").all("Season");
    w.dlmsArray(list.length);
    for (const season of list) {
      const start = dateFields(season.get("SeasonStartDate"));
      w.dlmsStructure(3).dlmsOctets(new TextEncoder().encode(season.text("SeasonName")));
      w.byte(0x09).byte(12).cosemDateTime({ ...start, hour: 0, minute: 0, second: 0, hundredths: 0 });
      w.dlmsOctets(Uint8Array.of(season.intIn(1, 4, "ReferencedWeekName")));
    }
  };
  const weeks: Write = (w) => {
    const list = table.get("WeekProfiles").all("WeekProfile");
    w.dlmsArray(list.length);
    for (const week of list) {
      w.dlmsStructure(8).dlmsOctets(Uint8Array.of(week.intIn(1, 4, "WeekName")));
      const days = byIndex(week.all("ReferencedDayName"));
      if (days.length !== 7) throw new TransformError("WeekProfile needs 7 ReferencedDayName", "ReferencedDayName");
      for (const day of days) uint8(day.intIn(1, 16))(w);
    }
  };
  const days: Write = (w) => {
    const list = table.get("DayProfiles").all("DayProfile");
    w.dlmsArray(list.length);
    for (const day of list) {
      const schedules = day.all("ProfileSchedule");
      w.dlmsStructure(2).dlmsNumber(DLMS.uint8, day.intIn(1, 16, "DayName")).dlmsArray(schedules.length);
      for (const schedule of schedules) {
        w.dlmsStructure(3).dlmsOctets(cosemTime(schedule.text("StartTime"))).dlmsOctets(TARIFFICATION_SCRIPT).dlmsNumber(DLMS.uint16, selector(schedule));
      }
    }
  };
  return [set(ACTIVITY_CALENDAR, calendarObis, 7, seasons), set(ACTIVITY_CALENDAR, calendarObis, 8, weeks), set(ACTIVITY_CALENDAR, calendarObis, 9, days)];
}

/** Special days table entries: position, 5-byte date, day profile. */
function specialDays(list: ServiceFields): Write {
  return (w) => {
    const days = list.all("SpecialDay");
    w.dlmsArray(days.length);
    days.forEach((day, i) => {
      w.dlmsStructure(3).dlmsNumber(DLMS.uint16, i + 1);
      dateOctets(w, day.get("Date"));
      w.dlmsNumber(DLMS.uint8, day.intIn(1, 16, "ReferencedDayName"));
    });
  };
}

/** A charge's unit_charge_passive: scalers, the priced register and its charge table. */
function unitCharge(commodityScale: number, priceScale: number, commodity: { classId: number; obis: string; attribute: number } | null, entries: readonly (readonly [Uint8Array, number])[]): Write {
  return (w) => {
    w.dlmsStructure(3).dlmsStructure(2).dlmsNumber(DLMS.int8, commodityScale).dlmsNumber(DLMS.int8, priceScale);
    w.dlmsStructure(3).dlmsNumber(DLMS.uint16, commodity?.classId ?? 0).dlmsOctets(commodity ? obis(commodity.obis) : new Uint8Array(6)).dlmsNumber(DLMS.int8, commodity?.attribute ?? 0);
    w.dlmsArray(entries.length);
    for (const [index, price] of entries) w.dlmsStructure(2).dlmsOctets(index).dlmsNumber(DLMS.int16, price);
  };
}

const price = (f: ServiceFields) => f.intIn(-32768, 32767);
const scale = (f: ServiceFields, name: string) => f.intIn(-128, 127, name);

/**
 * The primary element's standing charge and price charge. The price table always has 80 entries:
 * TOU prices 1-48 (index 01-30 hex), then block prices indexed A0 + 10 x (block - 1) + tariff (A1..D8).
 */
function primaryCharges(prices: ServiceFields): [Write, Write] {
  const standing = unitCharge(0, scale(prices, "StandingChargeScale"), null, [[new Uint8Array(0), prices.intIn(-32768, 32767, "StandingCharge")]]);
  const tariff = prices.find("TOUTariff") ?? prices.find("BlockTariff") ?? prices.find("HybridTariff");
  if (!tariff) throw new TransformError("ElectricityPriceElements needs TOUTariff, BlockTariff or HybridTariff", "ElectricityPriceElements");
  const tou = new Map(tariff.all("TOUPrice").map((p) => [Number(p.attribute("index")), price(p)]));
  const block = new Map<number, number>();
  for (const blocks of tariff.all("BlockPrices")) {
    const t = Number(blocks.attribute("index"));
    for (const p of blocks.all("BlockPrice")) block.set(0xa0 + 0x10 * (Number(p.attribute("index")) - 1) + t, price(p));
  }
  const entries: [Uint8Array, number][] = [];
  for (let i = 1; i <= 48; i++) entries.push([Uint8Array.of(i), tou.get(i) ?? 0]);
  for (let b = 0; b < 4; b++) for (let t = 1; t <= 8; t++) entries.push([Uint8Array.of(0xa0 + 0x10 * b + t), block.get(0xa0 + 0x10 * b + t) ?? 0]);
  const charge = unitCharge(ENERGY_SCALE, scale(prices, "PriceScale"), { classId: 3, obis: PRIMARY_ENERGY, attribute: 2 }, entries);
  return [standing, charge];
}

/** The secondary element's price charge: four TOU prices. */
function secondaryCharge(prices: ServiceFields): Write {
  const given = new Map(prices.all("ElectricityPriceElement").map((p) => [Number(p.attribute("index")), price(p)]));
  const entries: [Uint8Array, number][] = [1, 2, 3, 4].map((i) => [Uint8Array.of(i), given.get(i) ?? 0]);
  return unitCharge(ENERGY_SCALE, scale(prices, "PriceScale"), { classId: 3, obis: SECONDARY_ENERGY, attribute: 2 }, entries);
}

const CURRENCY: Readonly<Record<string, boolean>> = { GBP: true, ECB: false };

/** Day-profile action: TOU n -> n, block n -> 100 + n. */
const primarySelector = (schedule: ServiceFields): number => {
  if (schedule.has("TOUTariffAction")) return schedule.intIn(1, 48, "TOUTariffAction");
  return BLOCK_SELECTOR_BASE + schedule.intIn(1, 8, "BlockTariffAction");
};

/** 1.1.1 Update Import Tariff (Primary Element), ECS01a. */
function importTariffPrimary(context: EncodeContext): Access[] {
  const f = context.fields;
  const elements = f.get("ElecTariffElements");
  const prices = f.get("PriceElements", "ElectricityPriceElements");
  const thresholds = byIndex(elements.get("ThresholdMatrix").all("Thresholds"));
  if (thresholds.length !== 8) throw new TransformError("ThresholdMatrix needs 8 Thresholds", "ThresholdMatrix");
  const [standing, charge] = primaryCharges(prices);
  const now = activationTime(context);
  return [
    ...calendar(elements.get("SwitchingTable"), PRIMARY.calendar, primarySelector),
    set(SPECIAL_DAYS_TABLE, PRIMARY.specialDays, 2, specialDays(elements.get("SpecialDays"))),
    ...thresholds.map((t, i) => set(REGISTER_MONITOR, `0-0:16.1.${11 + i}.255`, 2, (w) => {
      const values = byIndex(t.all("BlockThreshold"));
      w.dlmsArray(values.length);
      for (const v of values) w.dlmsNumber(DLMS.uint32, v.intIn(0, 0xffffffff));
    })),
    set(GBCS_OBJECT, PRIMARY.currency, 4, (w) => w.dlmsNumber(DLMS.boolean, elements.oneOf(CURRENCY, "CurrencyUnits") ? 0xff : 0)),
    set(CHARGE, PRIMARY.standingCharge, 6, standing),
    set(CHARGE, PRIMARY.priceCharge, 6, charge),
    set(ACTIVITY_CALENDAR, PRIMARY.calendar, 10, now),
    set(GBCS_OBJECT, PRIMARY.thresholdsActivation, 6, now),
    set(GBCS_OBJECT, PRIMARY.currency, 6, now),
    set(CHARGE, PRIMARY.standingCharge, 7, now),
    set(CHARGE, PRIMARY.priceCharge, 7, now),
    set(GBCS_OBJECT, PRIMARY.blockActivation, 6, now),
  ];
}

/** 1.1.2 Update Import Tariff (Secondary Element), ECS01c: TOU actions 1-4 -> 201-204. */
function importTariffSecondary(context: EncodeContext): Access[] {
  const f = context.fields;
  const now = activationTime(context);
  return [
    set(CHARGE, SECONDARY.priceCharge, 6, secondaryCharge(f.get("PriceElements"))),
    ...calendar(f.get("SwitchingTable"), SECONDARY.calendar, (s) => SECONDARY_SELECTOR_BASE + s.intIn(1, 4, "TOUTariffAction")),
    set(SPECIAL_DAYS_TABLE, SECONDARY.specialDays, 2, specialDays(f.get("SpecialDays"))),
    set(ACTIVITY_CALENDAR, SECONDARY.calendar, 10, now),
    set(CHARGE, SECONDARY.priceCharge, 7, now),
    set(GBCS_OBJECT, SECONDARY.activation, 6, now),
  ];
}

/** 1.2.1 Update Price (Primary Element), ECS01b. */
function pricePrimary(context: EncodeContext): Access[] {
  const [standing, charge] = primaryCharges(context.fields.get("PriceElements", "ElectricityPriceElements"));
  const now = activationTime(context);
  return [
    set(CHARGE, PRIMARY.standingCharge, 6, standing), set(CHARGE, PRIMARY.priceCharge, 6, charge),
    set(CHARGE, PRIMARY.standingCharge, 7, now), set(CHARGE, PRIMARY.priceCharge, 7, now),
  ];
}

/** 1.2.2 Update Price (Secondary Element), ECS01d. */
function priceSecondary(context: EncodeContext): Access[] {
  return [set(CHARGE, SECONDARY.priceCharge, 6, secondaryCharge(context.fields.get("PriceElements"))), set(CHARGE, SECONDARY.priceCharge, 7, activationTime(context))];
}

export const ESME_TARIFF_ENCODERS: readonly UseCaseEncoder[] = [
  esmeService({ srv: "1.1.1", critical: true, useCases: [{ useCase: "ECS01a", messageCode: 0x0019, accesses: importTariffPrimary }] }),
  esmeService({ srv: "1.1.2", critical: true, useCases: [{ useCase: "ECS01c", messageCode: 0x00b7, accesses: importTariffSecondary }] }),
  esmeService({ srv: "1.2.1", critical: true, useCases: [{ useCase: "ECS01b", messageCode: 0x00a2, accesses: pricePrimary }] }),
  esmeService({ srv: "1.2.2", critical: true, useCases: [{ useCase: "ECS01d", messageCode: 0x00c7, accesses: priceSecondary }] }),
];

