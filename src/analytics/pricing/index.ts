/**
 * Price elasticity and what-if on price: per top-level category (and per product where the data suffices,
 * pooled toward its category), learned from (product, week) aggregates of the order lines; then what a price
 * change does to units, net revenue and margin, with intervals, or a plain "the data cannot support an
 * answer" and why.
 */
import { InputError, NotFoundError } from '../../errors.js';
import type { Engine } from '../../store/index.js';
import { defaultAsOf } from '../overview/index.js';
import type { Language } from '../shared/field-labels.js';
import {
  type CategoryFit,
  type ElasticityEstimate,
  endWeekOf,
  fitElasticities,
  mondayOfWeek,
  type PriceCell,
  type ProductFit,
  simulatePriceChange,
  type WhatIfBaseline,
  type WhatIfFigures,
} from './core.js';
import { describeWhatIf, pricingText } from './explain.js';
import { type PricingParams, parseParams, parsePriceChange } from './params.js';
import { cellsSql, trafficSql } from './sql.js';

export {
  betweenVariance,
  type CategoryFit,
  fitElasticities,
  fitPoissonFixedEffects,
  type PriceCell,
  type ProductFit,
  simulatePriceChange,
  type WhatIfFigures,
} from './core.js';
export { describeElasticity, PRICING_TEXTS, pricingText } from './explain.js';
export {
  defaults as pricingDefaults,
  type PricingParams,
  parseParams as parsePricingParams,
  parsePriceChange,
} from './params.js';

export interface ElasticityResult {
  asOf: string;
  /** Whole weeks learned from: [from, to). */
  from: string;
  to: string;
  level: number;
  categories: CategoryFit[];
  /** Products with enough selling weeks and price moves, pooled toward their category; largest units first. */
  products: ProductFit[];
  warnings: string[];
}

interface Loaded {
  asOf: string;
  from: string;
  to: string;
  endWeek: number;
  cells: PriceCell[];
  traffic: Map<number, number>;
}

async function load(engine: Engine, params: PricingParams): Promise<Loaded> {
  const asOf = params.asOf ?? (await defaultAsOf(engine));
  const endWeek = endWeekOf(asOf);
  const from = mondayOfWeek(endWeek - params.historyWeeks);
  const to = mondayOfWeek(endWeek);
  const rows = await engine.query<{
    sku: string;
    category: string;
    week: number;
    units: number;
    lines: number;
    log_price: number;
    promo_lines: number;
    revenue: number;
    cost: number | null;
  }>(cellsSql(engine.dialect, from, to));
  const cells = rows.map(
    (r): PriceCell => ({
      sku: String(r.sku),
      category: String(r.category),
      week: Number(r.week),
      units: Number(r.units),
      lines: Number(r.lines),
      logPrice: Number(r.log_price),
      promoLines: Number(r.promo_lines),
      revenue: Number(r.revenue),
      cost: r.cost === null ? null : Number(r.cost),
    }),
  );
  const traffic = new Map<number, number>();
  for (const r of await engine.query<{ week: number; orders: number }>(trafficSql(engine.dialect, from, to)))
    traffic.set(Number(r.week), Number(r.orders));
  return { asOf, from, to, endWeek, cells, traffic };
}

function fit(data: Loaded, params: PricingParams) {
  return fitElasticities(data.cells, data.traffic, {
    minWeeks: params.minWeeks,
    minPriceVariation: params.minPriceVariation,
    maxSe: params.maxSe,
    minProductWeeks: params.minProductWeeks,
    level: params.level,
  });
}

/**
 * Price elasticity of units per top-level category, and per product where it has enough selling weeks.
 *
 * @param input PricingParams (asOf, historyWeeks 156, minWeeks 26, level 0.95, …)
 * @returns the estimates with intervals; a category the data cannot support has `supported: false` and a reason
 * @throws InputError INVALID_INPUT for bad parameters
 * @example
 * ```ts
 * const e = await elasticities(engine, { level: 0.95 });
 * console.log(e.categories.map((c) => [c.category, c.elasticity, c.lower, c.upper]));
 * ```
 */
export async function elasticities(
  engine: Engine,
  input: Partial<PricingParams> = {},
): Promise<ElasticityResult> {
  const params = parseParams(input);
  const data = await load(engine, params);
  const state = fit(data, params);
  const warnings: string[] = [];
  if (data.cells.length === 0)
    warnings.push(`no order lines with a price between ${data.from} and ${data.to}`);
  return {
    asOf: data.asOf,
    from: data.from,
    to: data.to,
    level: state.level,
    categories: state.categories,
    products: [...state.products].sort((a, b) => b.units - a.units || (a.sku < b.sku ? -1 : 1)),
    warnings,
  };
}

export interface WhatIfOptions extends Partial<PricingParams> {
  /** A top-level category (as in `categories[].category`). */
  category?: string;
  /** A product SKU; uses its own pooled elasticity when it has one, else its category's. */
  product?: string;
  /** Relative price change: -0.1 or "-10%". */
  priceChange: number | string;
}

export interface WhatIfResult {
  asOf: string;
  /** 'category' or 'product', and its name. */
  level: 'category' | 'product';
  name: string;
  category: string;
  priceChange: number;
  /** false when the data cannot support an answer; `reason` says why. */
  supported: boolean;
  reason: string | null;
  /** Where the elasticity comes from: the product's pooled estimate or its category's. */
  elasticitySource: 'product' | 'category' | null;
  elasticity: ElasticityEstimate | null;
  intervalLevel: number;
  /** Units, net revenue and cost over the last `baseWeeks` whole weeks. */
  baseline: WhatIfBaseline & { from: string; to: string };
  /** The same period with the new price (null when unsupported). */
  simulated: WhatIfFigures | null;
  summary: string;
  warnings: string[];
}

/**
 * What a price change does to units, net revenue and margin of a category or a product over the last
 * `baseWeeks` whole weeks, with the interval of the elasticity carried through.
 *
 * @throws InputError INVALID_ARGUMENT without exactly one of category/product or with a bad price change
 * @throws NotFoundError NOT_FOUND for a category or product with no sales in the history
 * @example
 * ```ts
 * const w = await whatIf(engine, { category: 'Electronics', priceChange: '-10%' });
 * console.log(w.simulated?.revenue); // { value, lower, upper }
 * ```
 */
export async function whatIf(engine: Engine, options: WhatIfOptions): Promise<WhatIfResult> {
  const { category, product, priceChange: rawChange, ...rest } = options;
  if ((category === undefined) === (product === undefined))
    throw new InputError(
      'whatif: expected exactly one of category or product, got ' +
        (category === undefined ? 'neither' : 'both') +
        '. Pass --category NAME or --product SKU.',
      {},
      { code: 'INVALID_ARGUMENT' },
    );
  const priceChange = parsePriceChange(rawChange);
  const params = parseParams(rest);
  if (params.baseWeeks > params.historyWeeks)
    throw new InputError(
      `whatif: baseWeeks (${params.baseWeeks}) must not exceed historyWeeks (${params.historyWeeks}).`,
      {},
      { code: 'INVALID_ARGUMENT' },
    );
  const data = await load(engine, params);
  const state = fit(data, params);
  const cells = data.cells.filter((c) =>
    product !== undefined ? c.sku === product : c.category === category,
  );
  if (cells.length === 0) {
    const known = [...new Set(data.cells.map((c) => c.category))].sort();
    throw new NotFoundError(
      product !== undefined
        ? `whatif: product ${JSON.stringify(product)} has no priced sales between ${data.from} and ${data.to}. Check the SKU (clientele sales --by product).`
        : `whatif: category ${JSON.stringify(category)} has no priced sales between ${data.from} and ${data.to}. Known categories: ${known.join(', ')}.`,
      { known },
    );
  }
  const cat = cells[0]!.category;
  const baseFromWeek = data.endWeek - params.baseWeeks;
  const baseCells = cells.filter((c) => c.week >= baseFromWeek);
  const baseline = {
    from: mondayOfWeek(baseFromWeek),
    to: data.to,
    weeks: params.baseWeeks,
    units: baseCells.reduce((s, c) => s + c.units, 0),
    revenue: baseCells.reduce((s, c) => s + c.revenue, 0),
    cost: baseCells.some((c) => c.cost === null) ? null : baseCells.reduce((s, c) => s + (c.cost ?? 0), 0),
  };
  const catFit = state.categories.find((c) => c.category === cat)!;
  const prodFit = product !== undefined ? state.products.find((p) => p.sku === product) : undefined;
  const warnings: string[] = [];
  const name = product ?? cat;
  const base = {
    asOf: data.asOf,
    level: product !== undefined ? ('product' as const) : ('category' as const),
    name,
    category: cat,
    priceChange,
    intervalLevel: state.level,
    baseline,
    warnings,
  };
  if (!catFit?.supported) {
    const reason = catFit?.reason ?? 'no priced sales';
    return {
      ...base,
      supported: false,
      reason,
      elasticitySource: null,
      elasticity: null,
      simulated: null,
      summary: `${name}: the data cannot support an answer: ${reason}.`,
    };
  }
  if (baseline.units === 0) {
    const reason = `no sales in the last ${params.baseWeeks} weeks to apply the change to`;
    return {
      ...base,
      supported: false,
      reason,
      elasticitySource: null,
      elasticity: null,
      simulated: null,
      summary: `${name}: ${reason}.`,
    };
  }
  const e: ElasticityEstimate = prodFit ?? catFit;
  if (product !== undefined && !prodFit)
    warnings.push(
      `${product} has too few selling weeks or price moves for its own estimate: the category's elasticity (${cat}) is used`,
    );
  const [lo, hi] = catFit.priceRange;
  if (priceChange < lo - 0.02 || priceChange > hi + 0.02)
    warnings.push(
      `a change of ${(priceChange * 100).toFixed(0)} % is outside the price moves seen in ${cat} (${(lo * 100).toFixed(0)} % … +${(hi * 100).toFixed(0)} %): the answer is an extrapolation`,
    );
  if (baseline.cost === null) warnings.push('some products have no unit cost: margin is not shown');
  const simulated = simulatePriceChange(baseline, e, priceChange);
  return {
    ...base,
    supported: true,
    reason: null,
    elasticitySource: prodFit ? 'product' : 'category',
    elasticity: { elasticity: e.elasticity, se: e.se, lower: e.lower, upper: e.upper },
    simulated,
    summary: describeWhatIf(name, priceChange, baseline, simulated),
  };
}

/** The elasticities with their reasons and warnings in `lang` (the library writes English). */
export function localizeElasticities(r: ElasticityResult, lang: Language): ElasticityResult {
  if (lang === 'en') return r;
  return {
    ...r,
    categories: r.categories.map((c) => ({
      ...c,
      reason: c.reason === null ? null : pricingText(c.reason, lang),
    })),
    warnings: r.warnings.map((w) => pricingText(w, lang)),
  };
}

/** A what-if answer with its summary, reason and warnings in `lang`. */
export function localizeWhatIf(r: WhatIfResult, lang: Language): WhatIfResult {
  if (lang === 'en') return r;
  return {
    ...r,
    reason: r.reason === null ? null : pricingText(r.reason, lang),
    summary: pricingText(r.summary, lang),
    warnings: r.warnings.map((w) => pricingText(w, lang)),
  };
}
