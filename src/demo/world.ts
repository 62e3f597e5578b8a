import { civilFromDays, daysFromCivil, weekday } from './calendar.js';
import { type Campaign, createCampaigns } from './campaigns.js';
import { AFFINITIES, type Affinity, createCatalog, type Product, TOP_CATEGORIES } from './catalog.js';
import { type Area, type Country, createAreaPool } from './geography.js';
import { createPriceSchedule, type PriceSchedule } from './pricing.js';
import { type DemoRng, type WeightedTable, weightedTable } from './rng.js';

/**
 * Everything shared by all simulated customers: the catalog and its sampling tables, the postcode
 * areas, the campaign calendar, the promotions and the seasonal demand curve.
 */

/** Demand multiplier per month (January first): December peak, November Black Friday, summer dip. */
export const MONTH_DEMAND = [0.8, 0.8, 0.9, 0.95, 1.0, 0.95, 0.9, 0.9, 1.0, 1.05, 1.35, 1.8] as const;
/** Demand multiplier per weekday (Monday first): weekends are busy. */
export const WEEKDAY_DEMAND = [0.9, 0.85, 0.9, 0.95, 1.05, 1.45, 1.35] as const;
/** Extra multiplier from Black Friday to Cyber Monday. */
export const BLACK_FRIDAY_DEMAND = 2.2;

export interface Promotion {
  code: string;
  discountPct: number;
  /** Half-open [from, to) day range; the code is used in `usage` of the orders in it. */
  from: number;
  to: number;
  usage: number;
}

export interface World {
  startDay: number;
  asOfDay: number;
  products: Product[];
  bySku: Map<string, Product>;
  globalTable: WeightedTable;
  topProducts: Map<string, { products: Product[]; table: WeightedTable }>;
  /** Products per leaf category code. */
  leafProducts: Map<string, Product[]>;
  areas: Area[];
  areaTables: Record<Country, { areas: Area[]; table: WeightedTable }>;
  campaigns: Campaign[];
  promotions: Promotion[];
  sameBasket: Map<string, Affinity[]>;
  followUp: Map<string, Affinity[]>;
  /** Demand multiplier per day, indexed by day − startDay. */
  demand: Float64Array;
  maxDemand: number;
  /** Weekly shelf-price multipliers per leaf category (planted elasticities, `pricing.ts`). */
  prices: PriceSchedule;
}

/** The Friday after the fourth Thursday of November. */
export function blackFriday(year: number): number {
  const nov1 = daysFromCivil(year, 11, 1);
  const firstThursday = nov1 + ((3 - weekday(nov1) + 7) % 7);
  return firstThursday + 21 + 1;
}

function createPromotions(startDay: number, asOfDay: number): Promotion[] {
  const promotions: Promotion[] = [];
  const first = civilFromDays(startDay).year;
  const last = civilFromDays(asOfDay).year;
  for (let y = first; y <= last; y++) {
    const bf = blackFriday(y);
    promotions.push(
      {
        code: `SPRING10-${y}`,
        discountPct: 0.1,
        from: daysFromCivil(y, 3, 15),
        to: daysFromCivil(y, 4, 15),
        usage: 0.3,
      },
      {
        code: `SUMMER15-${y}`,
        discountPct: 0.15,
        from: daysFromCivil(y, 7, 1),
        to: daysFromCivil(y, 8, 1),
        usage: 0.3,
      },
      { code: `BLACKFRIDAY25-${y}`, discountPct: 0.25, from: bf, to: bf + 4, usage: 0.55 },
      {
        code: `XMAS10-${y}`,
        discountPct: 0.1,
        from: daysFromCivil(y, 12, 1),
        to: daysFromCivil(y, 12, 21),
        usage: 0.3,
      },
    );
  }
  return promotions.filter((p) => p.to > startDay && p.from < asOfDay);
}

export function createWorld(rng: DemoRng, startDay: number, asOfDay: number, customers: number): World {
  const products = createCatalog();
  const bySku = new Map(products.map((p) => [p.sku, p]));
  const topProducts = new Map<string, { products: Product[]; table: WeightedTable }>();
  for (const top of TOP_CATEGORIES) {
    const list = products.filter((p) => p.top === top);
    topProducts.set(top, { products: list, table: weightedTable(list.map((p) => p.popularity)) });
  }
  // About one postcode area per 12 customers, at least 40 and at most 2,500 per country.
  const per = (share: number) => Math.max(40, Math.min(2500, Math.round((customers * share) / 12)));
  const areas = createAreaPool(rng.fork(), { NL: per(0.45), BE: per(0.2), DE: per(0.25), FR: per(0.1) });
  const areaTables = {} as World['areaTables'];
  for (const country of ['NL', 'BE', 'DE', 'FR'] as const) {
    const list = areas.filter((a) => a.country === country);
    areaTables[country] = { areas: list, table: weightedTable(list.map((a) => a.weight)) };
  }
  const leafProducts = new Map<string, Product[]>();
  for (const p of products) leafProducts.set(p.leaf, [...(leafProducts.get(p.leaf) ?? []), p]);
  const sameBasket = new Map<string, Affinity[]>();
  const followUp = new Map<string, Affinity[]>();
  for (const a of AFFINITIES) {
    const map = a.kind === 'same-basket' ? sameBasket : followUp;
    map.set(a.from, [...(map.get(a.from) ?? []), a]);
  }
  const demand = new Float64Array(asOfDay - startDay);
  const bfDays = new Set<number>();
  for (let y = civilFromDays(startDay).year; y <= civilFromDays(asOfDay).year; y++) {
    const bf = blackFriday(y);
    for (let d = bf; d < bf + 4; d++) bfDays.add(d);
  }
  let maxDemand = 0;
  for (let i = 0; i < demand.length; i++) {
    const day = startDay + i;
    const m = MONTH_DEMAND[civilFromDays(day).month - 1]! * WEEKDAY_DEMAND[weekday(day)]!;
    demand[i] = bfDays.has(day) ? m * BLACK_FRIDAY_DEMAND : m;
    maxDemand = Math.max(maxDemand, demand[i]!);
  }
  return {
    startDay,
    asOfDay,
    products,
    bySku,
    globalTable: weightedTable(products.map((p) => p.popularity)),
    topProducts,
    leafProducts,
    areas,
    areaTables,
    campaigns: createCampaigns(rng.fork(), startDay, asOfDay),
    promotions: createPromotions(startDay, asOfDay),
    sameBasket,
    followUp,
    demand,
    maxDemand,
    prices: createPriceSchedule([...new Set(products.map((p) => p.leaf))], startDay, asOfDay),
  };
}
