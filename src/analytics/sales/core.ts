/**
 * The sales cube's arithmetic on rows the SQL returned: comparison windows, measures with average order value,
 * shares, changes against the previous period and the same period last year, and the top movers. Pure.
 */

export interface SalesMeasures {
  /** Net revenue (the overview's definition). */
  revenue: number;
  orders: number;
  customers: number;
  /** Units sold net of returns. */
  units: number;
  /** Revenue less cost of goods; null when no cost is known. */
  margin: number | null;
  /** Average order value: revenue / orders; null without orders. */
  aov: number | null;
}

export interface Window {
  from: string;
  to: string;
}

export interface SalesWindows {
  current: Window;
  /** The same number of days just before. */
  previous: Window;
  /** The same dates one year earlier. */
  lastYear: Window;
}

export interface CubeRow {
  key: string;
  current: SalesMeasures;
  previous: SalesMeasures;
  lastYear: SalesMeasures;
  /** Share of the current window's total revenue (0–1). */
  share: number;
  /** Revenue change vs the previous period, absolute and relative (null when it had none). */
  change: number;
  changePct: number | null;
  changeLastYear: number;
  changeLastYearPct: number | null;
}

const DAY_MS = 86_400_000;

function shiftDays(iso: string, days: number): string {
  return new Date(Date.parse(`${iso}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

function shiftYears(iso: string, years: number): string {
  const d = new Date(`${iso}T00:00:00Z`);
  const day = d.getUTCDate();
  d.setUTCDate(1);
  d.setUTCFullYear(d.getUTCFullYear() + years);
  // 29 February → 28 February in a common year.
  const last = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate();
  d.setUTCDate(Math.min(day, last));
  return d.toISOString().slice(0, 10);
}

export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS);
}

/** The comparison windows of [from, to). */
export function salesWindows(from: string, to: string): SalesWindows {
  const days = daysBetween(from, to);
  return {
    current: { from, to },
    previous: { from: shiftDays(from, -days), to: from },
    lastYear: { from: shiftYears(from, -1), to: shiftYears(to, -1) },
  };
}

/** The default window: the `days` days before `to`. */
export function defaultFrom(to: string, days = 30): string {
  return shiftDays(to, -days);
}

export interface MeasureRow {
  revenue: number | null;
  orders: number | null;
  customers: number | null;
  units: number | null;
  margin: number | null;
}

export function toMeasures(r: MeasureRow | undefined): SalesMeasures {
  const revenue = Number(r?.revenue ?? 0);
  const orders = Number(r?.orders ?? 0);
  return {
    revenue,
    orders,
    customers: Number(r?.customers ?? 0),
    units: Number(r?.units ?? 0),
    margin: r?.margin === null || r?.margin === undefined ? null : Number(r.margin),
    aov: orders > 0 ? revenue / orders : null,
  };
}

const pct = (now: number, before: number) => (before !== 0 ? (now - before) / Math.abs(before) : null);

/**
 * Joins the three windows per key, ranks by current revenue (then key), keeps the `top` rows and says how many
 * were left out; the movers are the largest revenue gains and losses against the previous period.
 */
export function assembleCube(
  rows: readonly (MeasureRow & { win: string; key: string })[],
  totalRevenue: number,
  top: number,
): { rows: CubeRow[]; omitted: number; movers: { up: CubeRow[]; down: CubeRow[] } } {
  const byKey = new Map<string, Partial<Record<string, MeasureRow>>>();
  for (const r of rows) {
    const m = byKey.get(String(r.key)) ?? {};
    m[r.win] = r;
    byKey.set(String(r.key), m);
  }
  const all: CubeRow[] = [...byKey.entries()].map(([key, m]) => {
    const current = toMeasures(m.current);
    const previous = toMeasures(m.previous);
    const lastYear = toMeasures(m.last_year);
    return {
      key,
      current,
      previous,
      lastYear,
      share: totalRevenue !== 0 ? current.revenue / totalRevenue : 0,
      change: current.revenue - previous.revenue,
      changePct: pct(current.revenue, previous.revenue),
      changeLastYear: current.revenue - lastYear.revenue,
      changeLastYearPct: pct(current.revenue, lastYear.revenue),
    };
  });
  all.sort((a, b) => b.current.revenue - a.current.revenue || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const byChange = [...all].sort((a, b) => b.change - a.change || (a.key < b.key ? -1 : 1));
  return {
    rows: all.slice(0, top),
    omitted: Math.max(0, all.length - top),
    movers: {
      up: byChange.filter((r) => r.change > 0).slice(0, 5),
      down: byChange
        .filter((r) => r.change < 0)
        .reverse()
        .slice(0, 5),
    },
  };
}
