/**
 * Interest measures of a rule X ⇒ Y from four counts: n (transactions), nX, nY and nXY (transactions
 * containing X, Y and both). Definitions as in arules' `interestMeasure` and mlxtend's `association_rules`:
 * Hahsler (2015) "A probabilistic comparison of commonly used interest measures for association rules";
 * Zhang's metric from Zhang (2000) via mlxtend.
 */
export const METRICS = [
  'support',
  'confidence',
  'coverage',
  'lift',
  'leverage',
  'conviction',
  'zhang',
  'kulczynski',
  'jaccard',
  'count',
] as const;

export type MetricName = (typeof METRICS)[number];

export type RuleMetrics = Record<MetricName, number>;

export function isMetricName(s: string): s is MetricName {
  return (METRICS as readonly string[]).includes(s);
}

export function ruleMetrics(nXY: number, nX: number, nY: number, n: number): RuleMetrics {
  const sXY = nXY / n;
  const sX = nX / n;
  const sY = nY / n;
  const confidence = nXY / nX;
  const leverage = sXY - sX * sY;
  // Conviction is infinite when the rule never fails (confidence 1); JSON prints it as null.
  const conviction = nXY === nX ? Number.POSITIVE_INFINITY : ((n - nY) * nX) / (n * (nX - nXY));
  const zhangDen = Math.max(sXY * (1 - sX), sX * (sY - sXY));
  return {
    support: sXY,
    confidence,
    coverage: sX,
    lift: (nXY * n) / (nX * nY),
    leverage,
    conviction,
    // A zero denominator means X is in every transaction and Y ⊆ X's cover: no association, 0.
    zhang: zhangDen === 0 ? 0 : leverage / zhangDen,
    kulczynski: (nXY / nX + nXY / nY) / 2,
    jaccard: nXY / (nX + nY - nXY),
    count: nXY,
  };
}

/** Exact comparison of a/b with c/d for non-negative integer counts: sign of a·d − c·b. */
export function compareRatios(a: number, b: number, c: number, d: number): number {
  const left = a * d;
  const right = c * b;
  if (Number.isSafeInteger(left) && Number.isSafeInteger(right)) return Math.sign(left - right);
  const l = BigInt(a) * BigInt(d);
  const r = BigInt(c) * BigInt(b);
  return l > r ? 1 : l < r ? -1 : 0;
}
