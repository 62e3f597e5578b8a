import type { Engine } from '../../store/index.js';
import { kpiSql, monthlyTrendSql, weekdaySql } from './sql.js';

export { lineRevenueSql, orderValuesSql } from './sql.js';

export interface OverviewOptions {
  /** Reference date (exclusive); default: the day after the last order. */
  asOf?: string;
  /** A customer is active when their last order is at most this many days before asOf (default 365). */
  activeDays?: number;
}

export interface Overview {
  asOf: string;
  activeDays: number;
  kpis: {
    customers: number;
    prospects: number;
    orders: number;
    revenue: number;
    margin: number;
    active: number;
    lapsed: number;
  };
  byMonth: { month: string; orders: number; customers: number; revenue: number; margin: number | null }[];
  /** ISO weekday 1 = Monday … 7 = Sunday. */
  byWeekday: { weekday: number; orders: number; revenue: number }[];
}

/** The default asOf: the day after the latest order (or today's date string given by the caller when empty). */
export async function defaultAsOf(engine: Engine): Promise<string> {
  const [row] = await engine.query<{ d: string | null }>(
    `SELECT CAST(max(order_date) + INTERVAL 1 DAY AS DATE) AS d FROM orders`,
  );
  return row?.d ?? '1970-01-01';
}

/**
 * Headline figures of the customer base: customers, revenue, margin, active vs lapsed, trend by month and
 * by weekday. All computed in SQL.
 *
 * @example
 * ```ts
 * const o = await overview(engine, { asOf: '2026-07-01' });
 * console.log(o.kpis.revenue, o.byMonth.length);
 * ```
 */
export async function overview(engine: Engine, options: OverviewOptions = {}): Promise<Overview> {
  const asOf = options.asOf ?? (await defaultAsOf(engine));
  const activeDays = options.activeDays ?? 365;
  const [k] = await engine.query<Overview['kpis']>(kpiSql(engine.dialect, asOf, activeDays));
  const byMonth = await engine.query<Overview['byMonth'][number]>(monthlyTrendSql(engine.dialect, asOf));
  const byWeekday = await engine.query<Overview['byWeekday'][number]>(weekdaySql(engine.dialect, asOf));
  return { asOf, activeDays, kpis: k!, byMonth, byWeekday };
}
