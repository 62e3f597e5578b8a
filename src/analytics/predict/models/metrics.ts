/**
 * Evaluation metrics for binary scores: ranking (AUC), probability quality (log-loss, Brier), decisions at a
 * threshold (precision, recall), targeting (lift and cumulative gains by decile) and calibration.
 * Pure functions on typed arrays; labels are 0/1.
 */

/** Area under the ROC curve by the rank-sum (Mann–Whitney) formula with mid-ranks for ties. NaN when one class is absent. */
export function auc(y: ArrayLike<number>, score: ArrayLike<number>): number {
  const n = y.length;
  const order = sortedOrder(score);
  let pos = 0;
  for (let i = 0; i < n; i++) if ((y[i] as number) > 0) pos++;
  const neg = n - pos;
  if (pos === 0 || neg === 0) return Number.NaN;
  let rankSum = 0;
  let i = 0;
  while (i < n) {
    let j = i;
    const v = score[order[i] as number] as number;
    while (j + 1 < n && score[order[j + 1] as number] === v) j++;
    const mid = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) if ((y[order[k] as number] as number) > 0) rankSum += mid;
    i = j + 1;
  }
  return (rankSum - (pos * (pos + 1)) / 2) / (pos * neg);
}

/** Row indices sorted by ascending score (stable). */
export function sortedOrder(score: ArrayLike<number>): Uint32Array {
  const order = new Uint32Array(score.length);
  for (let i = 0; i < order.length; i++) order[i] = i;
  return order.sort((a, b) => (score[a] as number) - (score[b] as number) || a - b);
}

const EPS = 1e-15;

/** Mean negative log-likelihood of probabilities (clipped to [1e-15, 1 − 1e-15]). */
export function logLoss(y: ArrayLike<number>, p: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < y.length; i++) {
    const q = Math.min(Math.max(p[i] as number, EPS), 1 - EPS);
    s -= (y[i] as number) > 0 ? Math.log(q) : Math.log(1 - q);
  }
  return s / Math.max(y.length, 1);
}

/** Mean squared difference between probability and outcome. */
export function brier(y: ArrayLike<number>, p: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < y.length; i++) {
    const d = (p[i] as number) - ((y[i] as number) > 0 ? 1 : 0);
    s += d * d;
  }
  return s / Math.max(y.length, 1);
}

export interface ThresholdMetrics {
  threshold: number;
  precision: number;
  recall: number;
  accuracy: number;
  f1: number;
  /** Share of rows flagged (score ≥ threshold). */
  flagged: number;
}

/** Decisions "positive when p ≥ threshold". Precision is NaN when nothing is flagged. */
export function atThreshold(y: ArrayLike<number>, p: ArrayLike<number>, threshold: number): ThresholdMetrics {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  let tn = 0;
  for (let i = 0; i < y.length; i++) {
    const flag = (p[i] as number) >= threshold;
    const pos = (y[i] as number) > 0;
    if (flag && pos) tp++;
    else if (flag) fp++;
    else if (pos) fn++;
    else tn++;
  }
  const precision = tp + fp > 0 ? tp / (tp + fp) : Number.NaN;
  const recall = tp + fn > 0 ? tp / (tp + fn) : Number.NaN;
  const f1 = precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
  return {
    threshold,
    precision,
    recall,
    accuracy: (tp + tn) / Math.max(y.length, 1),
    f1,
    flagged: (tp + fp) / Math.max(y.length, 1),
  };
}

export interface DecileRow {
  /** 1 = the highest-scored tenth. */
  decile: number;
  rows: number;
  positives: number;
  /** Positive rate in the decile. */
  rate: number;
  /** rate / overall rate. */
  lift: number;
  /** Share of all positives captured by deciles 1..decile. */
  cumulativeGain: number;
  /** Cumulative positive rate / overall rate. */
  cumulativeLift: number;
}

/** Lift and cumulative gains by score decile (ties broken by row order, so deciles have equal sizes). */
export function liftByDecile(y: ArrayLike<number>, score: ArrayLike<number>, groups = 10): DecileRow[] {
  const n = y.length;
  const order = sortedOrder(score).reverse();
  let total = 0;
  for (let i = 0; i < n; i++) total += (y[i] as number) > 0 ? 1 : 0;
  const overall = total / Math.max(n, 1);
  const rows: DecileRow[] = [];
  let cumPos = 0;
  let cumRows = 0;
  for (let d = 0; d < groups; d++) {
    const from = Math.floor((d * n) / groups);
    const to = Math.floor(((d + 1) * n) / groups);
    let positives = 0;
    for (let k = from; k < to; k++) positives += (y[order[k] as number] as number) > 0 ? 1 : 0;
    cumPos += positives;
    cumRows += to - from;
    const rate = to > from ? positives / (to - from) : 0;
    rows.push({
      decile: d + 1,
      rows: to - from,
      positives,
      rate,
      lift: overall > 0 ? rate / overall : 0,
      cumulativeGain: total > 0 ? cumPos / total : 0,
      cumulativeLift: overall > 0 && cumRows > 0 ? cumPos / cumRows / overall : 0,
    });
  }
  return rows;
}

export interface CalibrationBin {
  from: number;
  to: number;
  rows: number;
  meanPredicted: number;
  observedRate: number;
}

/** Reliability curve: equal-width probability bins with mean prediction vs observed rate (empty bins left out). */
export function calibrationCurve(y: ArrayLike<number>, p: ArrayLike<number>, bins = 10): CalibrationBin[] {
  const sumP = new Float64Array(bins);
  const sumY = new Float64Array(bins);
  const count = new Float64Array(bins);
  for (let i = 0; i < y.length; i++) {
    const q = p[i] as number;
    const b = Math.min(bins - 1, Math.max(0, Math.floor(q * bins)));
    sumP[b] = (sumP[b] as number) + q;
    sumY[b] = (sumY[b] as number) + ((y[i] as number) > 0 ? 1 : 0);
    count[b] = (count[b] as number) + 1;
  }
  const out: CalibrationBin[] = [];
  for (let b = 0; b < bins; b++) {
    const c = count[b] as number;
    if (c === 0) continue;
    out.push({
      from: b / bins,
      to: (b + 1) / bins,
      rows: c,
      meanPredicted: (sumP[b] as number) / c,
      observedRate: (sumY[b] as number) / c,
    });
  }
  return out;
}

export interface BinaryMetrics {
  rows: number;
  positives: number;
  auc: number;
  logLoss: number;
  brier: number;
  /** At the threshold given (default: the base rate of the evaluated rows). */
  precision: number;
  recall: number;
  accuracy: number;
  threshold: number;
  /** Lift of the top decile. */
  topDecileLift: number;
}

/** The headline metrics of one evaluation. */
export function binaryMetrics(y: ArrayLike<number>, p: ArrayLike<number>, threshold?: number): BinaryMetrics {
  let positives = 0;
  for (let i = 0; i < y.length; i++) positives += (y[i] as number) > 0 ? 1 : 0;
  const t = threshold ?? positives / Math.max(y.length, 1);
  const at = atThreshold(y, p, t);
  return {
    rows: y.length,
    positives,
    auc: auc(y, p),
    logLoss: logLoss(y, p),
    brier: brier(y, p),
    precision: at.precision,
    recall: at.recall,
    accuracy: at.accuracy,
    threshold: t,
    topDecileLift: liftByDecile(y, p)[0]?.lift ?? 0,
  };
}

export function sigmoid(m: number): number {
  return m >= 0 ? 1 / (1 + Math.exp(-m)) : Math.exp(m) / (1 + Math.exp(m));
}

export function sigmoidAll(margin: ArrayLike<number>): Float64Array {
  const out = new Float64Array(margin.length);
  for (let i = 0; i < margin.length; i++) out[i] = sigmoid(margin[i] as number);
  return out;
}
