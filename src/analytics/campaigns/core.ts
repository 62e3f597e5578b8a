/**
 * Campaign evaluation maths on per-arm summaries (no I/O): two-proportion intervals and tests, Welch intervals
 * for counts, a seeded bootstrap for revenue, power of the control group and covariate balance.
 *
 * References: Newcombe (1998) "Interval estimation for the difference between independent proportions",
 * method 1 (the Wald interval used here and in most A/B tools); Agresti & Caffo (2000) on its coverage;
 * Efron & Tibshirani (1993) ch. 13 (percentile bootstrap); Austin (2009) for standardised mean differences
 * (|SMD| > 0.1 flags imbalance).
 */

import type { Rng } from '../shared/rng.js';
import { regularizedGammaQ } from '../shared/special.js';

/** z for a two-sided 95% interval. */
export const Z_95 = 1.959963984540054;
/** z for 80% power (one-sided). */
export const Z_80 = 0.8416212335729143;

/** One arm's sufficient statistics, aggregated in SQL. */
export interface ArmSummary {
  arm: string;
  /** Contacts (rows) in the arm. */
  n: number;
  /** Contacts with the binary outcome (a conversion, a visit). */
  successes: number;
  /** Count outcome (orders) Σx and Σx²; absent for a plain experiment table. */
  countSum?: number;
  countSumSq?: number;
  /** Value outcome (revenue, spend) Σx and Σx². */
  valueSum?: number;
  valueSumSq?: number;
  /** Non-zero values and how often each occurs (for the bootstrap); the rest of the arm is 0. */
  values?: readonly { value: number; count: number }[];
  /** Cost of contacting this arm (campaign cost allocated to treated contacts); null when unknown. */
  cost?: number | null;
}

export interface Interval {
  estimate: number;
  low: number;
  high: number;
  pValue: number;
}

/** Two-sided p-value of a standard normal statistic: P(|Z| ≥ |z|) = Q(½, z²/2). */
export function normalTwoSidedP(z: number): number {
  if (!Number.isFinite(z)) return Number.isNaN(z) ? 1 : 0;
  return regularizedGammaQ(0.5, (z * z) / 2);
}

/** Standard normal CDF. */
export function normalCdf(z: number): number {
  const tail = normalTwoSidedP(z) / 2;
  return z >= 0 ? 1 - tail : tail;
}

/** Below this many successes or failures in an arm, the Wald interval is replaced by Agresti–Caffo. */
export const SMALL_COUNT = 5;

/**
 * Difference of two proportions (treated − control): the Wald 95% interval (unpooled standard error) and the
 * two-sided p-value of the pooled z-test. When an arm has fewer than `SMALL_COUNT` successes or failures (a
 * small segment: 0 of 41 has a Wald variance of 0, so its interval is far too narrow) the interval is
 * Agresti–Caffo's (one success and one failure added to each arm), which keeps about 95% coverage there.
 * With no variance at all p = 1.
 */
export function proportionDifference(x1: number, n1: number, x0: number, n0: number): Interval {
  const p1 = x1 / n1;
  const p0 = x0 / n0;
  const d = p1 - p0;
  const pooled = (x1 + x0) / (n1 + n0);
  const sePooled = Math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n0));
  const pValue = sePooled > 0 ? normalTwoSidedP(d / sePooled) : 1;
  if (Math.min(x1, n1 - x1, x0, n0 - x0) < SMALL_COUNT) {
    const a1 = (x1 + 1) / (n1 + 2);
    const a0 = (x0 + 1) / (n0 + 2);
    const centre = a1 - a0;
    const se = Math.sqrt((a1 * (1 - a1)) / (n1 + 2) + (a0 * (1 - a0)) / (n0 + 2));
    return { estimate: d, low: centre - Z_95 * se, high: centre + Z_95 * se, pValue };
  }
  const se = Math.sqrt((p1 * (1 - p1)) / n1 + (p0 * (1 - p0)) / n0);
  return { estimate: d, low: d - Z_95 * se, high: d + Z_95 * se, pValue };
}

/** Sample variance from Σx and Σx² (0 for fewer than two rows; clamped against rounding below 0). */
export function varianceFromSums(n: number, sum: number, sumSq: number): number {
  if (n < 2) return 0;
  return Math.max(0, (sumSq - (sum * sum) / n) / (n - 1));
}

/** Difference of two means (treated − control) with a Welch normal 95% interval and its p-value. */
export function meanDifference(
  n1: number,
  sum1: number,
  sumSq1: number,
  n0: number,
  sum0: number,
  sumSq0: number,
): Interval {
  const d = sum1 / n1 - sum0 / n0;
  const se = Math.sqrt(varianceFromSums(n1, sum1, sumSq1) / n1 + varianceFromSums(n0, sum0, sumSq0) / n0);
  return {
    estimate: d,
    low: d - Z_95 * se,
    high: d + Z_95 * se,
    pValue: se > 0 ? normalTwoSidedP(d / se) : d === 0 ? 1 : 0,
  };
}

/**
 * Number of successes in n Bernoulli(p) trials, exactly, by geometric skips (O(np) draws, not O(n)): the
 * bootstrap resamples whole arms of a million contacts where only a few hundred bought.
 */
export function sampleBinomial(rng: Rng, n: number, p: number): number {
  if (p <= 0 || n <= 0) return 0;
  if (p >= 1) return n;
  if (p > 0.5) return n - sampleBinomial(rng, n, 1 - p);
  const logQ = Math.log1p(-p);
  let position = -1;
  let count = 0;
  for (;;) {
    let u = rng.next();
    while (u === 0) u = rng.next();
    position += 1 + Math.floor(Math.log(u) / logQ);
    if (position >= n) return count;
    count++;
  }
}

/** Above this many non-zero draws in a resample, their sum is drawn from its normal limit (see below). */
export const EXACT_SUM_DRAWS = 500;

interface ValueSampler {
  values: readonly { value: number; count: number }[];
  cumulative: Float64Array;
  /** Mean and variance of the non-zero values (weighted by their counts). */
  mean: number;
  variance: number;
}

function valueSampler(values: readonly { value: number; count: number }[]): ValueSampler {
  const cumulative = cumulativeCounts(values);
  const total = cumulative.length ? cumulative[cumulative.length - 1]! : 0;
  let sum = 0;
  let sumSq = 0;
  for (const v of values) {
    sum += v.value * v.count;
    sumSq += v.value * v.value * v.count;
  }
  const mean = total ? sum / total : 0;
  return { values, cumulative, mean, variance: total ? Math.max(0, sumSq / total - mean * mean) : 0 };
}

/**
 * Mean of a bootstrap resample of an arm of n values, `values` holding the non-zero ones with counts. The
 * number k of non-zero draws is exact (binomial); the k values are drawn one by one up to EXACT_SUM_DRAWS, and
 * above that their sum is drawn as Normal(k·μ, k·σ²): by then the sum of k draws is normal to well under the
 * Monte-Carlo error, and a million-contact arm costs O(1) per replicate instead of O(k).
 */
function resampleMean(rng: Rng, n: number, s: ValueSampler): number {
  const nonZero = s.cumulative.length ? s.cumulative[s.cumulative.length - 1]! : 0;
  const p = nonZero / n;
  // The binomial count itself by its normal limit too once n·p·(1−p) is large (exact sampling is O(n·p)).
  const spread = n * p * (1 - p);
  const k =
    spread > EXACT_SUM_DRAWS
      ? Math.min(n, Math.max(0, Math.round(n * p + Math.sqrt(spread) * rng.normal())))
      : sampleBinomial(rng, n, p);
  if (k > EXACT_SUM_DRAWS) return (k * s.mean + Math.sqrt(k * s.variance) * rng.normal()) / n;
  let sum = 0;
  for (let i = 0; i < k; i++) {
    const x = rng.next() * nonZero;
    let lo = 0;
    let hi = s.cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (s.cumulative[mid]! > x) hi = mid;
      else lo = mid + 1;
    }
    sum += s.values[lo]!.value;
  }
  return sum / n;
}

function cumulativeCounts(values: readonly { value: number; count: number }[]): Float64Array {
  const c = new Float64Array(values.length);
  let total = 0;
  for (let i = 0; i < values.length; i++) {
    total += values[i]!.count;
    c[i] = total;
  }
  return c;
}

/** Linear-interpolation quantile of a sorted array (type 7, as R and numpy). */
export function sortedQuantile(sorted: Float64Array, q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const h = (sorted.length - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.min(sorted.length - 1, lo + 1);
  return sorted[lo]! + (h - lo) * (sorted[hi]! - sorted[lo]!);
}

/**
 * Percentile bootstrap 95% interval of the difference of two means (treated − control), each arm resampled
 * with replacement at its own size. The p-value is the Welch test's (a bootstrap p-value at 2,000
 * replicates cannot go below 1/2,000).
 */
export function bootstrapMeanDifference(
  rng: Rng,
  treated: { n: number; values: readonly { value: number; count: number }[]; sum: number; sumSq: number },
  control: { n: number; values: readonly { value: number; count: number }[]; sum: number; sumSq: number },
  replicates: number,
): Interval {
  const s1 = valueSampler(treated.values);
  const s0 = valueSampler(control.values);
  const diffs = new Float64Array(replicates);
  for (let b = 0; b < replicates; b++)
    diffs[b] = resampleMean(rng, treated.n, s1) - resampleMean(rng, control.n, s0);
  diffs.sort();
  const welch = meanDifference(treated.n, treated.sum, treated.sumSq, control.n, control.sum, control.sumSq);
  return {
    estimate: welch.estimate,
    low: sortedQuantile(diffs, 0.025),
    high: sortedQuantile(diffs, 0.975),
    pValue: welch.pValue,
  };
}

/**
 * Power of the two-proportion z-test (two-sided, 5%) to detect a true difference `lift` at these arm sizes,
 * and the control size that would give 80% power with the treated arm as it is (`null` when no control
 * size can: the lift is too small for the treated arm alone).
 */
export function proportionPower(
  rate0: number,
  lift: number,
  n1: number,
  n0: number,
): { power: number; controlFor80: number | null } {
  const p1 = Math.min(1, Math.max(0, rate0 + lift));
  const v1 = p1 * (1 - p1);
  const v0 = rate0 * (1 - rate0);
  const se = Math.sqrt(v1 / n1 + v0 / n0);
  const power = se > 0 ? normalCdf(Math.abs(lift) / se - Z_95) : lift === 0 ? 0 : 1;
  const needSe = Math.abs(lift) / (Z_95 + Z_80);
  const rest = needSe * needSe - v1 / n1;
  const controlFor80 = lift !== 0 && rest > 0 && v0 > 0 ? Math.ceil(v0 / rest) : null;
  return { power, controlFor80 };
}

/** Standardised mean difference (treated − control) / pooled SD; 0 when neither arm varies. */
export function standardisedMeanDifference(
  n1: number,
  sum1: number,
  sumSq1: number,
  n0: number,
  sum0: number,
  sumSq0: number,
): number {
  const sd = Math.sqrt((varianceFromSums(n1, sum1, sumSq1) + varianceFromSums(n0, sum0, sumSq0)) / 2);
  const d = sum1 / n1 - sum0 / n0;
  return sd > 0 ? d / sd : 0;
}

/** The evaluation of one arm against the control arm. Lift fields are null on the control arm itself. */
export interface ArmResult {
  arm: string;
  isControl: boolean;
  n: number;
  conversions: number;
  /** Share of the arm with the binary outcome. */
  rate: number;
  /** rate − control rate (absolute, a share). */
  lift: number | null;
  /** lift ÷ control rate; null when the control rate is 0. */
  relativeLift: number | null;
  ciLow: number | null;
  ciHigh: number | null;
  pValue: number | null;
  /** Power of this comparison to detect the observed lift. */
  power: number | null;
  /** Count outcome (orders) per contact, and its lift with a Welch interval. */
  ordersPerContact: number | null;
  ordersLift: number | null;
  ordersCiLow: number | null;
  ordersCiHigh: number | null;
  /** Value outcome (revenue, spend) per contact, its lift and interval (bootstrap or normal). */
  valuePerContact: number | null;
  valueLift: number | null;
  valueCiLow: number | null;
  valueCiHigh: number | null;
  valuePValue: number | null;
  valueInterval: 'bootstrap' | 'normal' | null;
  /** lift × n: conversions the arm would not have had without the treatment. */
  incrementalConversions: number | null;
  incrementalOrders: number | null;
  incrementalValue: number | null;
  cost: number | null;
  /** (incremental value − cost) ÷ cost. */
  roi: number | null;
}

export interface CompareOptions {
  control: string;
  /** Bootstrap replicates for the value interval (0 = normal interval). */
  bootstrap: number;
  /** Above this many non-zero values in the two arms together the value interval is the normal one. */
  maxBootstrapValues: number;
}

const safeRatio = (a: number, b: number) => (b === 0 ? null : a / b);

/**
 * Compares every arm with the control arm. Arms keep their input order, the control first. Without a
 * control arm every lift is null (the caller warns).
 */
export function compareArms(arms: readonly ArmSummary[], options: CompareOptions, rng: Rng): ArmResult[] {
  const control = arms.find((a) => a.arm === options.control);
  const ordered = control ? [control, ...arms.filter((a) => a !== control)] : [...arms];
  return ordered.map((a) => {
    const rate = a.successes / a.n;
    const hasCount = a.countSum !== undefined;
    const hasValue = a.valueSum !== undefined;
    const base: ArmResult = {
      arm: a.arm,
      isControl: a === control,
      n: a.n,
      conversions: a.successes,
      rate,
      lift: null,
      relativeLift: null,
      ciLow: null,
      ciHigh: null,
      pValue: null,
      power: null,
      ordersPerContact: hasCount ? a.countSum! / a.n : null,
      ordersLift: null,
      ordersCiLow: null,
      ordersCiHigh: null,
      valuePerContact: hasValue ? a.valueSum! / a.n : null,
      valueLift: null,
      valueCiLow: null,
      valueCiHigh: null,
      valuePValue: null,
      valueInterval: null,
      incrementalConversions: null,
      incrementalOrders: null,
      incrementalValue: null,
      cost: a.cost ?? null,
      roi: null,
    };
    if (!control || a === control) return base;
    const p = proportionDifference(a.successes, a.n, control.successes, control.n);
    const rate0 = control.successes / control.n;
    base.lift = p.estimate;
    base.relativeLift = safeRatio(p.estimate, rate0);
    base.ciLow = p.low;
    base.ciHigh = p.high;
    base.pValue = p.pValue;
    base.power = proportionPower(rate0, p.estimate, a.n, control.n).power;
    base.incrementalConversions = p.estimate * a.n;
    if (hasCount && control.countSum !== undefined) {
      const m = meanDifference(
        a.n,
        a.countSum!,
        a.countSumSq ?? 0,
        control.n,
        control.countSum,
        control.countSumSq ?? 0,
      );
      base.ordersLift = m.estimate;
      base.ordersCiLow = m.low;
      base.ordersCiHigh = m.high;
      base.incrementalOrders = m.estimate * a.n;
    }
    if (hasValue && control.valueSum !== undefined) {
      const t = { n: a.n, values: a.values ?? [], sum: a.valueSum!, sumSq: a.valueSumSq ?? 0 };
      const c = {
        n: control.n,
        values: control.values ?? [],
        sum: control.valueSum,
        sumSq: control.valueSumSq ?? 0,
      };
      const nonZero = [...t.values, ...c.values].reduce((s, v) => s + v.count, 0);
      const useBootstrap =
        options.bootstrap > 0 && nonZero <= options.maxBootstrapValues && a.values && control.values;
      const m = useBootstrap
        ? bootstrapMeanDifference(rng, t, c, options.bootstrap)
        : meanDifference(t.n, t.sum, t.sumSq, c.n, c.sum, c.sumSq);
      base.valueLift = m.estimate;
      base.valueCiLow = m.low;
      base.valueCiHigh = m.high;
      base.valuePValue = m.pValue;
      base.valueInterval = useBootstrap ? 'bootstrap' : 'normal';
      base.incrementalValue = m.estimate * a.n;
      if (base.cost !== null && base.cost > 0) base.roi = (base.incrementalValue - base.cost) / base.cost;
    }
    return base;
  });
}

/** Warnings about an evaluated group: no control, an underpowered control, censored windows. */
export function armWarnings(label: string, arms: readonly ArmResult[], control: string): string[] {
  const warnings: string[] = [];
  const c = arms.find((a) => a.isControl);
  if (!c) {
    warnings.push(
      `${label}: no control arm "${control}" (no contact was held out), so no lift can be measured. Keep a random holdout group (e.g. 10–15% of the target) in the next send.`,
    );
    return warnings;
  }
  for (const a of arms) {
    if (a.isControl || a.lift === null || a.pValue === null || a.power === null) continue;
    if (a.pValue >= 0.05 && a.lift !== 0 && a.power < 0.8) {
      const need = proportionPower(c.rate, a.lift, a.n, c.n).controlFor80;
      warnings.push(
        `${label}, arm ${a.arm}: the control group (${c.n} contacts) has only ${(a.power * 100).toFixed(0)}% power to show the observed lift of ${(a.lift * 100).toFixed(2)} points; ${need === null ? 'no control size can with this many treated contacts — the effect, if real, is too small to measure here' : `a control of about ${need.toLocaleString('en')} contacts would give 80%`}.`,
      );
    }
  }
  return warnings;
}
