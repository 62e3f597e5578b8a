/**
 * Break-even view: when customers become profitable (profit's `profitable_since`), summarised per RFM segment
 * or per acquisition cohort (the quarter of the first order). Computed in SQL from the same per-customer
 * profit as `customerProfit`, so the two agree.
 */
import { InputError } from '../../errors.js';
import { type Engine, type SqlFragment, sql, tableExists } from '../../store/index.js';
import { type CostToServe, customerProfitSql, DEFAULT_COST_TO_SERVE } from './sql.js';

export const BREAK_EVEN_BY = ['segment', 'cohort'] as const;
export type BreakEvenBy = (typeof BREAK_EVEN_BY)[number];

export interface BreakEvenOptions {
  /** Count everything up to this date (inclusive). */
  asOf: string;
  /** 'segment' (the RFM segment, customer_rfm) or 'cohort' (quarter of the first order, e.g. 2024-Q3). */
  by: BreakEvenBy;
  cost?: Partial<CostToServe>;
}

export interface BreakEvenRow {
  group: string;
  /** Buyers in the group (customers with an order up to asOf). */
  customers: number;
  /** Buyers whose cumulative profit is above 0 and stays there. */
  profitable: number;
  profitableShare: number;
  /** Days from the first order to profitable_since among the profitable: quartiles. */
  daysToProfit: { p25: number | null; median: number | null; p75: number | null };
  /** Share profitable from their first order's day (day 0). */
  profitableAtFirstOrder: number;
  profitPerCustomer: number;
}

export interface BreakEvenResult {
  asOf: string;
  by: BreakEvenBy;
  rows: BreakEvenRow[];
  warnings: string[];
}

function groupKeySql(engine: Engine, by: BreakEvenBy, hasRfm: boolean): SqlFragment {
  const d = engine.dialect;
  if (by === 'cohort') {
    const month = sql`EXTRACT(MONTH FROM cp.first_order)`;
    return sql`${d.toText(d.toBigInt(sql`EXTRACT(YEAR FROM cp.first_order)`))} || '-Q' || ${d.toText(d.toBigInt(sql`floor((${month} - 1) / 3) + 1`))}`;
  }
  return hasRfm ? sql`coalesce(r.rfm_segment, '(not scored)')` : sql`'(no RFM scores: run clientele rfm)'`;
}

/**
 * Per RFM segment or acquisition quarter: buyers, the share already profitable, and how many days after the
 * first order they became profitable (quartiles).
 *
 * @throws InputError INVALID_INPUT for a bad date or grouping
 * @example
 * ```ts
 * const b = await breakEven(engine, { asOf: '2026-06-30', by: 'cohort' });
 * console.log(b.rows[0]); // { group: '2023-Q3', customers, profitableShare, daysToProfit: { median }, … }
 * ```
 */
export async function breakEven(engine: Engine, options: BreakEvenOptions): Promise<BreakEvenResult> {
  const issues: string[] = [];
  if (!/^\d{4}-\d{2}-\d{2}$/.test(options.asOf))
    issues.push(`asOf: expected YYYY-MM-DD, got "${options.asOf}"`);
  if (!BREAK_EVEN_BY.includes(options.by))
    issues.push(`by: expected one of ${BREAK_EVEN_BY.join(', ')}, got ${JSON.stringify(options.by)}`);
  if (issues.length) throw new InputError(`break-even: ${issues.join('; ')}`, { issues });
  const d = engine.dialect;
  const cost = { ...DEFAULT_COST_TO_SERVE, ...options.cost };
  const hasRfm = options.by === 'segment' && (await tableExists(engine, 'customer_rfm'));
  const days = d.dateDiffDays(sql`cp.first_order`, sql`cp.profitable_since`);
  const key = groupKeySql(engine, options.by, hasRfm);
  const rows = await engine.query<Record<string, unknown>>(sql`
    SELECT grp, ${d.toDouble(sql`count(*)`)} AS customers,
      ${d.toDouble(d.countIf(sql`profitable_since IS NOT NULL`))} AS profitable,
      ${d.quantile(sql`days`, 0.25)} AS p25, ${d.quantile(sql`days`, 0.5)} AS p50, ${d.quantile(sql`days`, 0.75)} AS p75,
      ${d.toDouble(d.countIf(sql`days = 0`))} AS at_first, avg(profit) AS profit
    FROM (
      SELECT ${key} AS grp, cp.profitable_since, cp.profit, ${days} AS days
      FROM (${customerProfitSql(d, { asOf: options.asOf, cost })}) cp
      ${hasRfm ? sql`LEFT JOIN customer_rfm r ON r.customer_id = cp.customer_id` : sql``}
      WHERE cp.first_order IS NOT NULL
    ) x
    GROUP BY grp ORDER BY grp`);
  const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));
  const warnings: string[] = [];
  if (options.by === 'segment' && !hasRfm)
    warnings.push('no RFM scores in the datamart: run clientele rfm first to see the break-even per segment');
  return {
    asOf: options.asOf,
    by: options.by,
    rows: rows.map((r) => {
      const customers = Number(r.customers);
      return {
        group: String(r.grp),
        customers,
        profitable: Number(r.profitable),
        profitableShare: customers > 0 ? Number(r.profitable) / customers : 0,
        daysToProfit: { p25: num(r.p25), median: num(r.p50), p75: num(r.p75) },
        profitableAtFirstOrder: customers > 0 ? Number(r.at_first) / customers : 0,
        profitPerCustomer: Number(r.profit ?? 0),
      };
    }),
    warnings,
  };
}
