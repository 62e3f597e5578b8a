import { type Engine, tableExists } from '../../store/index.js';
import { periodStartSql } from '../forecast/index.js';
import { defaultAsOf } from '../overview/index.js';
import {
  assembleCube,
  type CubeRow,
  defaultFrom,
  type MeasureRow,
  type SalesMeasures,
  type SalesWindows,
  salesWindows,
  toMeasures,
} from './core.js';
import { parseParams, type SalesDimension, type SalesGrain, type SalesParams } from './params.js';
import { cubeSql, trendSql } from './sql.js';

export { type CubeRow, type SalesMeasures, type SalesWindows, salesWindows } from './core.js';
export {
  defaults as salesDefaults,
  parseParams as parseSalesParams,
  SALES_DIMENSIONS,
  SALES_GRAINS,
  type SalesDimension,
  type SalesGrain,
  type SalesParams,
} from './params.js';
export { salesFactSql } from './sql.js';

export interface SalesCube {
  by: SalesDimension | null;
  grain: SalesGrain;
  windows: SalesWindows;
  totals: { current: SalesMeasures; previous: SalesMeasures; lastYear: SalesMeasures };
  rows: CubeRow[];
  /** Keys beyond `top`, not in `rows` (their revenue is in the totals). */
  omitted: number;
  movers: { up: CubeRow[]; down: CubeRow[] };
  /** Per period of the current window (and per key of the top rows when `by` is set). */
  trend: ({ period: string; key: string } & SalesMeasures)[];
  warnings: string[];
}

/**
 * The sales cube: net revenue, orders, customers, units, margin and average order value in a window, in total
 * or by product, category, channel, promotion code, weekday, hour, region, country or RFM segment, against the
 * previous period and the same period last year, with shares, top movers and a trend by day, week or month.
 *
 * @example
 * ```ts
 * const c = await salesCube(engine, { by: 'channel', from: '2026-06-01', to: '2026-07-01', grain: 'week' });
 * for (const r of c.rows) console.log(r.key, r.current.revenue, r.share, r.changeLastYearPct);
 * ```
 */
export async function salesCube(engine: Engine, input: Partial<SalesParams> = {}): Promise<SalesCube> {
  const params = parseParams(input);
  const d = engine.dialect;
  const asOf = await defaultAsOf(engine);
  const to = params.to ?? asOf;
  const from = params.from ?? defaultFrom(to);
  const windows = salesWindows(from, to);
  const warnings: string[] = [];
  const withSegment = await tableExists(engine, 'customer_rfm');
  if (params.by === 'segment' && !withSegment)
    warnings.push('no RFM scores yet (run `clientele rfm`): every customer is "(not scored)"');
  if (to > asOf) warnings.push(`the window runs past the last order (data ends before ${asOf})`);
  // Facts up to the window's end (asOf is exclusive in orderValuesSql).
  const factEnd = to;
  const list = [
    { name: 'current', ...windows.current },
    { name: 'previous', ...windows.previous },
    { name: 'last_year', ...windows.lastYear },
  ];
  type Row = MeasureRow & { win: string; key: string };
  const totalsRows = await engine.query<Row>(cubeSql(d, factEnd, withSegment, null, list));
  const pick = (w: string) => toMeasures(totalsRows.find((r) => r.win === w));
  const totals = { current: pick('current'), previous: pick('previous'), lastYear: pick('last_year') };
  let rows: CubeRow[] = [];
  let omitted = 0;
  let movers: SalesCube['movers'] = { up: [], down: [] };
  if (params.by) {
    const keyed = await engine.query<Row>(cubeSql(d, factEnd, withSegment, params.by, list));
    ({ rows, omitted, movers } = assembleCube(keyed, totals.current.revenue, params.top));
  }
  const trendRows = await engine.query<MeasureRow & { period: string; key: string }>(
    trendSql(d, factEnd, withSegment, params.by, (x) => periodStartSql(d, x, params.grain), from, to),
  );
  const keep = new Set(rows.slice(0, 10).map((r) => r.key));
  const trend = trendRows
    .filter((r) => !params.by || keep.has(String(r.key)))
    .map((r) => ({ period: String(r.period).slice(0, 10), key: String(r.key), ...toMeasures(r) }))
    .sort((a, b) =>
      a.period < b.period ? -1 : a.period > b.period ? 1 : a.key < b.key ? -1 : a.key > b.key ? 1 : 0,
    );
  return { by: params.by, grain: params.grain, windows, totals, rows, omitted, movers, trend, warnings };
}
