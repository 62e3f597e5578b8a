import { type Engine, ident, type SqlFragment, sql, tableExists } from '../../store/index.js';
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
import {
  cubeSql,
  DAILY_DIMENSIONS,
  dailyCubeSql,
  dailyTrendSql,
  rfmFingerprintSql,
  salesDailyTableSql,
  salesFactTableSql,
  salesFingerprintSql,
  segmentCubeSql,
  segmentTrendSql,
  trendSql,
} from './sql.js';

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
  /**
   * Where the figures came from: `pre-aggregate` (`sales_daily` + `sales_fact`, up to date with the data) or
   * `order lines` (computed from the order lines: no pre-aggregate yet, or it is out of date).
   */
  source: 'pre-aggregate' | 'order lines';
  warnings: string[];
}

const STATE_TABLE = 'sales_aggregate_state';
/** `rfm_fingerprint` when there was no `customer_rfm` at refresh time. */
const NO_RFM = '(no customer_rfm)';
/** The pre-aggregate's table layout (2: `cust_no` and `k_segment`); an older one counts as stale. */
const LAYOUT = 2;

/**
 * Rebuilds the sales pre-aggregate (`sales_fact`, `sales_daily`, see `sql.ts`) from the datamart; run after an
 * import (the import command does) and by `clientele sales --refresh`. Returns the rows written.
 */
export async function refreshSalesAggregates(engine: Engine): Promise<{ fact: number; daily: number }> {
  const d = engine.dialect;
  const [state] = await engine.query<{ fingerprint: string }>(salesFingerprintSql(d));
  const asOf = await defaultAsOf(engine);
  const replace = async (tx: Engine, table: string, select: SqlFragment) => {
    if (d.supportsCreateOrReplace) await tx.exec(sql`CREATE OR REPLACE TABLE ${ident(table)} AS ${select}`);
    else {
      await tx.exec(sql`DROP TABLE IF EXISTS ${ident(table)}`);
      await tx.exec(sql`CREATE TABLE ${ident(table)} AS ${select}`);
    }
  };
  const withSegment = await tableExists(engine, 'customer_rfm');
  const rfm = withSegment ? await engine.query<{ fingerprint: string }>(rfmFingerprintSql(d)) : [];
  await engine.transaction(async (tx) => {
    await replace(tx, 'sales_fact', salesFactTableSql(d, withSegment));
    await replace(tx, 'sales_daily', salesDailyTableSql(d));
    await replace(
      tx,
      STATE_TABLE,
      sql`SELECT ${state?.fingerprint ?? ''} AS fingerprint, ${asOf} AS as_of, ${withSegment ? (rfm[0]?.fingerprint ?? '') : NO_RFM} AS rfm_fingerprint, ${LAYOUT} AS layout`,
    );
  });
  const [fact] = await engine.query<{ n: number }>(sql`SELECT count(*) AS n FROM sales_fact`);
  const [daily] = await engine.query<{ n: number }>(sql`SELECT count(*) AS n FROM sales_daily`);
  return { fact: Number(fact?.n ?? 0), daily: Number(daily?.n ?? 0) };
}

/**
 * Rebuilds the pre-aggregate when it is missing or older than the data and there are orders (what an import
 * calls at its end); null when nothing had to be done.
 */
export async function refreshSalesAggregatesIfStale(
  engine: Engine,
): Promise<{ fact: number; daily: number } | null> {
  if ((await salesAggregatesFresh(engine)) === 'fresh') return null;
  if (!(await tableExists(engine, 'orders'))) return null;
  const [row] = await engine.query<{ n: number }>(sql`SELECT count(*) AS n FROM orders`);
  if (!(Number(row?.n ?? 0) > 0)) return null;
  return refreshSalesAggregates(engine);
}

/** Whether the pre-aggregate exists and was built from the data as it is now. */
export async function salesAggregatesFresh(engine: Engine): Promise<'fresh' | 'stale' | 'missing'> {
  return (await aggregateState(engine)).state;
}

/**
 * The pre-aggregate's state in two small queries, with the `asOf` of the data it holds when fresh, and the
 * RFM fingerprint it was built with (null for a state table from before `k_segment`).
 */
async function aggregateState(engine: Engine): Promise<{
  state: 'fresh' | 'stale' | 'missing';
  asOf: string | null;
  rfmFingerprint: string | null;
}> {
  if (!(await tableExists(engine, STATE_TABLE)))
    return { state: 'missing', asOf: null, rfmFingerprint: null };
  const [row] = await engine.query<{ fresh: boolean | null; as_of: string | null } & Record<string, unknown>>(
    sql`SELECT s.*, s.fingerprint = f.fingerprint AS fresh FROM ${ident(STATE_TABLE)} s
      CROSS JOIN (${salesFingerprintSql(engine.dialect)}) f`,
  );
  const rfmFingerprint = typeof row?.rfm_fingerprint === 'string' ? row.rfm_fingerprint : null;
  // sales_fact and sales_daily are written in the same transaction as the state.
  return row?.fresh && Number(row.layout) === LAYOUT
    ? { state: 'fresh', asOf: row.as_of, rfmFingerprint }
    : { state: 'stale', asOf: null, rfmFingerprint: null };
}

/** Whether the pre-aggregate's segment keys are today's RFM labels (one small GROUP BY over `customer_rfm`). */
async function segmentKeysCurrent(
  engine: Engine,
  stored: string | null,
  withSegment: boolean,
): Promise<boolean> {
  if (stored === null) return false;
  if (!withSegment) return stored === NO_RFM;
  const [row] = await engine.query<{ fingerprint: string }>(rfmFingerprintSql(engine.dialect));
  return (row?.fingerprint ?? '') === stored;
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
export async function salesCube(
  engine: Engine,
  input: Partial<SalesParams> & { source?: 'auto' | 'order lines' } = {},
): Promise<SalesCube> {
  const params = parseParams(input);
  const d = engine.dialect;
  // The pre-aggregate when it is current (same figures, thousands of rows instead of every order line).
  const aggregate =
    input.source === 'order lines'
      ? { state: 'missing' as const, asOf: null, rfmFingerprint: null }
      : await aggregateState(engine);
  const asOf = aggregate.asOf ?? (await defaultAsOf(engine));
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
  const state = aggregate.state;
  if (state === 'stale')
    warnings.push(
      'the sales pre-aggregate is older than the data (run `clientele sales --refresh`): figures computed from the order lines',
    );
  const fast = state === 'fresh';
  const source: SalesCube['source'] = fast ? 'pre-aggregate' : 'order lines';
  // The segment keys of the pre-aggregate are the RFM labels at refresh time: used while they still hold.
  const segmentDaily =
    fast && params.by === 'segment'
      ? await segmentKeysCurrent(engine, aggregate.rfmFingerprint, withSegment)
      : false;
  const daily = (by: SalesDimension | null) =>
    by === null ||
    ((DAILY_DIMENSIONS as readonly string[]).includes(by) && (by !== 'segment' || segmentDaily))
      ? (by as (typeof DAILY_DIMENSIONS)[number] | null)
      : undefined;
  const cubeQuery = (by: SalesDimension | null) => {
    if (!fast) return cubeSql(d, factEnd, withSegment, by, list);
    const k = daily(by);
    return k !== undefined ? dailyCubeSql(d, k, list) : segmentCubeSql(d, withSegment, list);
  };
  const totalsRows = await engine.query<Row>(cubeQuery(null));
  const pick = (w: string) => toMeasures(totalsRows.find((r) => r.win === w));
  const totals = { current: pick('current'), previous: pick('previous'), lastYear: pick('last_year') };
  let rows: CubeRow[] = [];
  let omitted = 0;
  let movers: SalesCube['movers'] = { up: [], down: [] };
  if (params.by) {
    const keyed = await engine.query<Row>(cubeQuery(params.by));
    ({ rows, omitted, movers } = assembleCube(keyed, totals.current.revenue, params.top));
  }
  const period = (x: SqlFragment) => periodStartSql(d, x, params.grain);
  const dailyBy = daily(params.by);
  const trendRows = await engine.query<MeasureRow & { period: string; key: string }>(
    !fast
      ? trendSql(d, factEnd, withSegment, params.by, period, from, to)
      : dailyBy !== undefined
        ? dailyTrendSql(d, dailyBy, period, from, to)
        : segmentTrendSql(d, withSegment, period, from, to),
  );
  const keep = new Set(rows.slice(0, 10).map((r) => r.key));
  const trend = trendRows
    .filter((r) => !params.by || keep.has(String(r.key)))
    .map((r) => ({ period: String(r.period).slice(0, 10), key: String(r.key), ...toMeasures(r) }))
    .sort((a, b) =>
      a.period < b.period ? -1 : a.period > b.period ? 1 : a.key < b.key ? -1 : a.key > b.key ? 1 : 0,
    );
  return {
    by: params.by,
    grain: params.grain,
    windows,
    totals,
    rows,
    omitted,
    movers,
    trend,
    source,
    warnings,
  };
}
