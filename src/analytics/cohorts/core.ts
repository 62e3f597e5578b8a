/**
 * Cohort triangles from the SQL's per-(cohort, age) rows: values, and rates per customer exposed at that age
 * (retention for the `customers` metric; orders, revenue or margin per cohort customer otherwise), plus the
 * cumulative value per customer. Cells a cohort has not lived through yet are null, not 0. Pure.
 */
import type { CohortMetric } from './params.js';

export interface CohortRowInput {
  cohort: string;
  size: number;
  age: number;
  exposed: number;
  customers: number;
  orders: number;
  revenue: number;
  margin: number | null;
}

export interface CohortTriangleRow {
  cohort: string;
  /** Customers in the cohort. */
  size: number;
  /** By age 0 … periods − 1; null where the month is not complete yet. */
  values: (number | null)[];
  /** values / customers exposed at that age (retention share for `customers`). */
  rates: (number | null)[];
  /** Cumulative value per exposed customer (for revenue and margin: the value a customer has brought so far). */
  cumulative: (number | null)[];
}

export function buildTriangle(
  rows: readonly CohortRowInput[],
  metric: CohortMetric,
  periods: number,
): CohortTriangleRow[] {
  const byCohort = new Map<string, CohortRowInput[]>();
  for (const r of rows) {
    const list = byCohort.get(String(r.cohort)) ?? [];
    list.push(r);
    byCohort.set(String(r.cohort), list);
  }
  const out: CohortTriangleRow[] = [];
  for (const [cohort, list] of [...byCohort.entries()].sort((a, b) =>
    a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0,
  )) {
    const values: (number | null)[] = new Array(periods).fill(null);
    const rates: (number | null)[] = new Array(periods).fill(null);
    const cumulative: (number | null)[] = new Array(periods).fill(null);
    for (const r of list) {
      const age = Number(r.age);
      if (age < 0 || age >= periods || Number(r.exposed) <= 0) continue;
      const v = metric === 'margin' ? (r.margin === null ? null : Number(r.margin)) : Number(r[metric]);
      values[age] = v;
      rates[age] = v === null ? null : v / Number(r.exposed);
    }
    let running = 0;
    for (let a = 0; a < periods; a++) {
      if (rates[a] === null) break;
      running += rates[a]!;
      cumulative[a] = running;
    }
    out.push({ cohort, size: Number(list[0]!.size), values, rates, cumulative });
  }
  return out;
}
