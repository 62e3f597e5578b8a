import type { Engine } from '../../store/index.js';
import { customerKpiSql, salesSql } from './sql.js';

/** The revenue rule's helpers, re-exported for modules that reach them through the overview (see analytics/revenue). */
export { extraOrderDiscountSql, lineRevenueSql } from '../revenue/index.js';
export { orderValuesSql } from './sql.js';

export interface OverviewOptions {
  /** Reference date (exclusive); default: the day after the last order. */
  asOf?: string;
  /** A customer is active when their last order is at most this many days before asOf (default 365). */
  activeDays?: number;
}

export interface Overview {
  asOf: string;
  activeDays: number;
  /**
   * Bases: `customers` = customer records that are not prospects (all customers); `buyers` = customers with a
   * counted order before asOf (active + lapsed = buyers); money is in the datamart's currency over every
   * counted order before asOf. `revenue` is net revenue (the revenue rule: gross sales − discounts − returns,
   * cancelled orders left out, shipping fees not counted); `grossSales` is before discounts and returns.
   */
  kpis: {
    customers: number;
    prospects: number;
    buyers: number;
    orders: number;
    revenue: number;
    grossSales: number;
    discounts: number;
    returns: number;
    margin: number;
    active: number;
    lapsed: number;
  };
  byMonth: { month: string; orders: number; customers: number; revenue: number; margin: number | null }[];
  /** ISO weekday 1 = Monday … 7 = Sunday. */
  byWeekday: { weekday: number; orders: number; customers: number; revenue: number }[];
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
  const [people] = await engine.query<
    Pick<Overview['kpis'], 'customers' | 'prospects' | 'buyers' | 'active' | 'lapsed'>
  >(customerKpiSql(engine.dialect, asOf, activeDays));
  const sales = await engine.query<{
    grp: 'all' | 'month' | 'weekday';
    month: string | null;
    weekday: number | null;
    orders: number;
    customers: number;
    revenue: number;
    gross_sales: number;
    discounts: number;
    returns: number;
    margin: number | null;
  }>(salesSql(engine.dialect, asOf));
  const all = sales.find((r) => r.grp === 'all');
  const k: Overview['kpis'] = {
    customers: people?.customers ?? 0,
    prospects: people?.prospects ?? 0,
    buyers: people?.buyers ?? 0,
    active: people?.active ?? 0,
    lapsed: people?.lapsed ?? 0,
    orders: all?.orders ?? 0,
    revenue: all?.revenue ?? 0,
    grossSales: all?.gross_sales ?? 0,
    discounts: all?.discounts ?? 0,
    returns: all?.returns ?? 0,
    margin: all?.margin ?? 0,
  };
  const byMonth = sales
    .filter((r) => r.grp === 'month')
    .map((r) => ({
      month: r.month!,
      orders: r.orders,
      customers: r.customers,
      revenue: r.revenue,
      margin: r.margin,
    }))
    .sort((a, b) => a.month.localeCompare(b.month));
  const byWeekday = sales
    .filter((r) => r.grp === 'weekday')
    .map((r) => ({ weekday: r.weekday!, orders: r.orders, customers: r.customers, revenue: r.revenue }))
    .sort((a, b) => a.weekday - b.weekday);
  return { asOf, activeDays, kpis: k, byMonth, byWeekday };
}
