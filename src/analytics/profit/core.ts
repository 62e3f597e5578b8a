/** Pure profitability summaries: the Pareto ("whale") curve and the loss-makers. */

export interface ParetoPoint {
  /** Share of customers, most profitable first (0–1). */
  customerShare: number;
  customers: number;
  /** Their share of total profit; above 1 when the rest of the base loses money (the whale curve). */
  profitShare: number;
}

export interface ParetoSummary {
  customers: number;
  totalProfit: number;
  points: ParetoPoint[];
  /** Highest point of the cumulative curve: profit share and the customer share where it is reached. */
  peak: { customerShare: number; profitShare: number };
  negative: { customers: number; profit: number };
}

export const DEFAULT_PARETO_SHARES = [0.01, 0.05, 0.1, 0.2, 0.5, 0.8, 1] as const;

/** Cumulative profit share of the top x % of customers, at the given shares. */
export function paretoCurve(
  profits: Float64Array,
  shares: readonly number[] = DEFAULT_PARETO_SHARES,
): ParetoSummary {
  const sorted = Float64Array.from(profits).sort().reverse();
  const n = sorted.length;
  let total = 0;
  for (const p of sorted) total += p;
  const cumulative = new Float64Array(n);
  let run = 0;
  let peakIndex = -1;
  let peakValue = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < n; i++) {
    run += sorted[i]!;
    cumulative[i] = run;
    if (run > peakValue) {
      peakValue = run;
      peakIndex = i;
    }
  }
  const denominator = total === 0 ? Number.NaN : total;
  const points = shares.map((share) => {
    const k = Math.min(n, Math.max(n ? 1 : 0, Math.ceil(share * n)));
    return { customerShare: share, customers: k, profitShare: k ? cumulative[k - 1]! / denominator : 0 };
  });
  let negCount = 0;
  let negProfit = 0;
  for (const p of sorted)
    if (p < 0) {
      negCount++;
      negProfit += p;
    }
  return {
    customers: n,
    totalProfit: total,
    points,
    peak: {
      customerShare: n ? (peakIndex + 1) / n : 0,
      profitShare: n ? peakValue / denominator : 0,
    },
    negative: { customers: negCount, profit: negProfit },
  };
}
