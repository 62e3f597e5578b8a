/**
 * Qini and uplift curves (Radcliffe 2007, "Using control groups to target on predicted lift"; Gutierrez &
 * Gérardy 2017, "Causal inference and uplift modelling: a review of the literature", §4): contacts are
 * ranked by predicted uplift, and at each fraction φ of the population targeted the curve shows the
 * incremental responders  Y_T(φ) − Y_C(φ)·N_T(φ)/N_C(φ)  (Qini) or the uplift  (Y_T/N_T − Y_C/N_C)·N(φ).
 * Ties in the score are taken as one block, so the curve does not depend on the order of tied rows.
 * Pure maths, no I/O.
 */

export interface CurvePoint {
  /** Share of the population targeted (0–1). */
  fraction: number;
  targeted: number;
  /** Incremental responders among the targeted (Qini), as a share of the whole population. */
  qini: number;
  /** Uplift curve: (treated rate − control rate) × targeted, as a share of the whole population. */
  uplift: number;
}

export interface QiniResult {
  /** Curve at every tie-block boundary, starting at (0, 0). */
  points: CurvePoint[];
  /** Area between the Qini curve and the random-targeting line (Radcliffe's Q, on the share scale). */
  qiniCoefficient: number;
  /** The same area divided by that of the perfect ranking (1 = perfect, 0 = random, < 0 worse than random). */
  qiniNormalised: number;
  /** Incremental responders when everybody is targeted, as a share of the population. */
  totalIncremental: number;
}

interface Counts {
  nT: number;
  nC: number;
  yT: number;
  yC: number;
}

function qiniValue(c: Counts): number {
  return c.yT - (c.nC > 0 ? (c.yC * c.nT) / c.nC : 0);
}

function upliftValue(c: Counts): number {
  const rateT = c.nT > 0 ? c.yT / c.nT : 0;
  const rateC = c.nC > 0 ? c.yC / c.nC : 0;
  return (rateT - rateC) * (c.nT + c.nC);
}

/** Curve points for a ranking (score descending, ties as blocks). */
function curve(score: ArrayLike<number>, y: ArrayLike<number>, treated: ArrayLike<number>): CurvePoint[] {
  const n = score.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => score[b]! - score[a]!);
  const c: Counts = { nT: 0, nC: 0, yT: 0, yC: 0 };
  const points: CurvePoint[] = [{ fraction: 0, targeted: 0, qini: 0, uplift: 0 }];
  for (let k = 0; k < n; k++) {
    const i = order[k]!;
    if (treated[i]) {
      c.nT++;
      c.yT += y[i]!;
    } else {
      c.nC++;
      c.yC += y[i]!;
    }
    const next = order[k + 1];
    if (next !== undefined && score[next] === score[i]) continue;
    points.push({
      fraction: (k + 1) / n,
      targeted: k + 1,
      qini: qiniValue(c) / n,
      uplift: upliftValue(c) / n,
    });
  }
  return points;
}

/** Area under a piecewise-linear curve minus the straight line from (0, 0) to its end. */
function areaAboveRandom(points: readonly CurvePoint[]): number {
  let area = 0;
  for (let k = 1; k < points.length; k++) {
    const a = points[k - 1]!;
    const b = points[k]!;
    area += ((a.qini + b.qini) / 2) * (b.fraction - a.fraction);
  }
  const end = points[points.length - 1]!;
  return area - (end.qini * end.fraction) / 2;
}

/**
 * Qini curve and coefficient of a ranking. `treated` and `y` are 0/1 per row. The perfect ranking puts treated
 * responders first and control responders last (scikit-uplift's `perfect_qini_curve`).
 */
export function qini(score: ArrayLike<number>, y: ArrayLike<number>, treated: ArrayLike<number>): QiniResult {
  const points = curve(score, y, treated);
  const perfectScore = Float64Array.from({ length: score.length }, (_, i) =>
    y[i] ? (treated[i] ? 1 : -1) : 0,
  );
  const perfect = areaAboveRandom(curve(perfectScore, y, treated));
  const area = areaAboveRandom(points);
  return {
    points,
    qiniCoefficient: area,
    qiniNormalised: perfect > 0 ? area / perfect : 0,
    totalIncremental: points[points.length - 1]!.qini,
  };
}

/** At most `count` points of a curve, evenly spaced in fraction, always keeping the first and last. */
export function thinCurve(points: readonly CurvePoint[], count: number): CurvePoint[] {
  if (points.length <= count) return [...points];
  const out: CurvePoint[] = [];
  let next = 0;
  for (const p of points) {
    if (p.fraction >= next || p === points[points.length - 1]) {
      out.push(p);
      next = p.fraction + 1 / (count - 1) - 1e-12;
    }
  }
  return out;
}

export interface UpliftBin {
  bin: number;
  n: number;
  treated: number;
  control: number;
  /** Mean predicted uplift in the bin. */
  predicted: number;
  /** Observed treated rate − control rate (null when an arm is empty). */
  observed: number | null;
}

/** Observed against predicted uplift per score decile (bin 1 = highest predicted uplift). */
export function upliftByBin(
  score: ArrayLike<number>,
  y: ArrayLike<number>,
  treated: ArrayLike<number>,
  bins = 10,
): UpliftBin[] {
  const n = score.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => score[b]! - score[a]! || a - b);
  const out: UpliftBin[] = [];
  for (let b = 0; b < bins; b++) {
    const from = Math.floor((b * n) / bins);
    const to = Math.floor(((b + 1) * n) / bins);
    const c: Counts = { nT: 0, nC: 0, yT: 0, yC: 0 };
    let sum = 0;
    for (let k = from; k < to; k++) {
      const i = order[k]!;
      sum += score[i]!;
      if (treated[i]) {
        c.nT++;
        c.yT += y[i]!;
      } else {
        c.nC++;
        c.yC += y[i]!;
      }
    }
    if (to === from) continue;
    out.push({
      bin: b + 1,
      n: to - from,
      treated: c.nT,
      control: c.nC,
      predicted: sum / (to - from),
      observed: c.nT && c.nC ? c.yT / c.nT - c.yC / c.nC : null,
    });
  }
  return out;
}
