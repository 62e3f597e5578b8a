/**
 * Price elasticity from (product, week) aggregates, and what-if simulation. Pure: no I/O, no clock.
 *
 * Model per category: a Poisson regression with a log link (a log-log model of units on price that keeps the
 * weeks with few units and does not need log(0)),
 *
 *   log E[units_pw] = α_p + ε · log price_pw + γ · promo_share_pw + δ · log traffic_w + Σ_m μ_m · [month(w) = m],
 *
 * with one intercept α_p per product (so only price moves *within* a product count), the month of year for
 * seasonality, the share of the cell's lines sold on an order with a promotion code (promotion control: a
 * code changes what the customer pays but not the shelf price), and the shop's weekly order count (traffic:
 * growth, Black Friday, campaigns). The product intercepts are profiled out (the Poisson fixed-effects trick:
 * α_p = log Σ y / Σ exp(xβ) per product), so the Newton steps are over the few shared coefficients only, however
 * many products a category has. Standard errors are quasi-Poisson (Pearson dispersion), so over-dispersed
 * units do not give over-confident intervals.
 *
 * Products: the same model with one slope per product, the controls fixed at the category's values; then
 * empirical-Bayes partial pooling toward the category's elasticity (DerSimonian–Laird between-product variance
 * τ²; a product's estimate moves toward the category by B = se² / (se² + τ²)), Morris (1983).
 */

/** One (product, week) aggregate from `cellsSql`. */
export interface PriceCell {
  sku: string;
  category: string;
  /** Week number: whole weeks since Monday 1970-01-05. */
  week: number;
  /** Units sold (ordered quantity). */
  units: number;
  lines: number;
  /** Mean of ln(unit price) over the cell's lines (shelf price, before order-level codes). */
  logPrice: number;
  /** Lines on an order with a promotion code. */
  promoLines: number;
  /** Net line revenue kept (after returns and line discounts). */
  revenue: number;
  /** Cost of the units kept; null when a product has no unit cost. */
  cost: number | null;
}

export interface ElasticityEstimate {
  /** The log-log slope: % change in units per 1 % change in price. */
  elasticity: number;
  se: number;
  lower: number;
  upper: number;
}

export interface CategoryFit extends ElasticityEstimate {
  category: string;
  /** false when the data cannot support an estimate; `reason` says why in plain words. */
  supported: boolean;
  reason: string | null;
  products: number;
  weeks: number;
  cells: number;
  units: number;
  /** Standard deviation of ln price within products (0.1 ≈ prices moving by about ±10 %). */
  priceVariation: number;
  /** Observed range of price relative to each product's mean price (e.g. −0.3 … +0.05). */
  priceRange: [number, number];
  promoEffect: number;
  trafficEffect: number;
  /** Quasi-Poisson dispersion (1 = Poisson). */
  dispersion: number;
  /** Between-product standard deviation of the elasticity (τ), 0 when products agree. */
  tau: number;
  converged: boolean;
  iterations: number;
}

export interface ProductFit extends ElasticityEstimate {
  sku: string;
  category: string;
  /** The product's own estimate before pooling. */
  raw: number;
  rawSe: number;
  /** Weight of the category in the pooled estimate (0 = own data only, 1 = the category's value). */
  shrinkage: number;
  weeks: number;
  units: number;
}

export interface ElasticityLimits {
  minWeeks: number;
  /** Minimum standard deviation of ln price within products. */
  minPriceVariation: number;
  /** Widest acceptable standard error of an elasticity. */
  maxSe: number;
  /** A product gets its own (pooled) estimate with at least this many selling weeks. */
  minProductWeeks: number;
  /** Two-sided interval level, e.g. 0.95. */
  level: number;
}

export interface ElasticityState {
  categories: CategoryFit[];
  products: ProductFit[];
  level: number;
}

/** The month (1–12) of a week number's Thursday (ISO rule), without Date objects. */
export function monthOfWeek(week: number): number {
  const z = week * 7 + 7 + 719468; // the week's Thursday (day 7 + 7·week), Hinnant's civil-from-days
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  return mp < 10 ? mp + 3 : mp - 9;
}

/**
 * The calendar month (year · 12 + month − 1) of a week's Thursday: one effect per calendar month controls
 * both the season and slow drifts (growth of one category, a competitor's move) that a list-price change
 * could otherwise be mistaken for; the price effect is then learned from moves within a month (promotion and
 * markdown weeks, and the weeks around a list-price change).
 */
export function periodOfWeek(week: number): number {
  const monday = mondayOfWeek(week + 0);
  const thursdayMonth = monthOfWeek(week);
  const year = Number(monday.slice(0, 4)) + (thursdayMonth === 1 && monday.slice(5, 7) === '12' ? 1 : 0);
  return year * 12 + thursdayMonth - 1;
}

/** Inverse of the standard normal distribution function (Acklam's rational approximation, |error| < 1.2e-9). */
export function normalQuantile(p: number): number {
  const a = [
    -39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716,
    2.506628277459239,
  ];
  const b = [
    -54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572,
  ];
  const c = [
    -0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968,
    2.938163982698783,
  ];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const lo = 0.02425;
  if (p < lo) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (
      (((((c[0]! * q + c[1]!) * q + c[2]!) * q + c[3]!) * q + c[4]!) * q + c[5]!) /
      ((((d[0]! * q + d[1]!) * q + d[2]!) * q + d[3]!) * q + 1)
    );
  }
  if (p > 1 - lo) return -normalQuantile(1 - p);
  const q = p - 0.5;
  const r = q * q;
  return (
    ((((((a[0]! * r + a[1]!) * r + a[2]!) * r + a[3]!) * r + a[4]!) * r + a[5]!) * q) /
    (((((b[0]! * r + b[1]!) * r + b[2]!) * r + b[3]!) * r + b[4]!) * r + 1)
  );
}

/** Solves the symmetric positive definite system A x = b (Cholesky); null when A is singular. */
export function solveSpd(
  A: Float64Array,
  b: Float64Array,
  k: number,
): { x: Float64Array; inverse: Float64Array } | null {
  const L = new Float64Array(k * k);
  for (let i = 0; i < k; i++) {
    for (let j = 0; j <= i; j++) {
      let s = A[i * k + j]!;
      for (let m = 0; m < j; m++) s -= L[i * k + m]! * L[j * k + m]!;
      if (i === j) {
        if (!(s > 1e-12 * Math.max(1, Math.abs(A[i * k + i]!)))) return null;
        L[i * k + i] = Math.sqrt(s);
      } else L[i * k + j] = s / L[j * k + j]!;
    }
  }
  const solve = (rhs: Float64Array): Float64Array => {
    const y = new Float64Array(k);
    for (let i = 0; i < k; i++) {
      let s = rhs[i]!;
      for (let m = 0; m < i; m++) s -= L[i * k + m]! * y[m]!;
      y[i] = s / L[i * k + i]!;
    }
    const x = new Float64Array(k);
    for (let i = k - 1; i >= 0; i--) {
      let s = y[i]!;
      for (let m = i + 1; m < k; m++) s -= L[m * k + i]! * x[m]!;
      x[i] = s / L[i * k + i]!;
    }
    return x;
  };
  const inverse = new Float64Array(k * k);
  for (let j = 0; j < k; j++) {
    const e = new Float64Array(k);
    e[j] = 1;
    const col = solve(e);
    for (let i = 0; i < k; i++) inverse[i * k + j] = col[i]!;
  }
  return { x: solve(b), inverse };
}

interface Design {
  /** Row-major n × k shared regressors: [log price, promo share, log traffic, month 2 … 12 dummies]. */
  x: Float64Array;
  k: number;
  y: Float64Array;
  group: Int32Array;
  groups: number;
  offset: Float64Array;
}

/**
 * Poisson regression with one profiled-out intercept per group; returns β, its covariance (quasi-Poisson),
 * the fitted means and the dispersion. Columns that never vary (a month with no data) are dropped by the
 * caller; a singular system returns null.
 */
export function fitPoissonFixedEffects(
  d: Design,
  maxIterations = 50,
): {
  beta: Float64Array;
  cov: Float64Array;
  mu: Float64Array;
  dispersion: number;
  converged: boolean;
  iterations: number;
} | null {
  const { x, k, y, group, groups, offset } = d;
  const n = y.length;
  const beta = new Float64Array(k);
  const mu = new Float64Array(n);
  const alpha = new Float64Array(groups);
  const eta = new Float64Array(n);
  const sumY = new Float64Array(groups);
  for (let i = 0; i < n; i++) sumY[group[i]!]! += y[i]!;
  const update = () => {
    const sumE = new Float64Array(groups);
    for (let i = 0; i < n; i++) {
      let e = offset[i]!;
      for (let j = 0; j < k; j++) e += x[i * k + j]! * beta[j]!;
      eta[i] = e;
    }
    // Work relative to each group's largest η so exp() cannot overflow.
    const top = new Float64Array(groups).fill(-Infinity);
    for (let i = 0; i < n; i++) top[group[i]!] = Math.max(top[group[i]!]!, eta[i]!);
    for (let i = 0; i < n; i++) sumE[group[i]!]! += Math.exp(eta[i]! - top[group[i]!]!);
    for (let g = 0; g < groups; g++) alpha[g] = Math.log(sumY[g]! / sumE[g]!) - top[g]!;
    for (let i = 0; i < n; i++) mu[i] = Math.exp(alpha[group[i]!]! + eta[i]!);
  };
  let converged = false;
  let iterations = 0;
  let lastInverse: Float64Array | null = null;
  for (; iterations < maxIterations; iterations++) {
    update();
    // Within-group (μ-weighted) centring of x gives the Hessian of the profiled likelihood.
    const mx = new Float64Array(groups * k);
    const sw = new Float64Array(groups);
    for (let i = 0; i < n; i++) {
      const g = group[i]!;
      sw[g]! += mu[i]!;
      for (let j = 0; j < k; j++) mx[g * k + j]! += mu[i]! * x[i * k + j]!;
    }
    for (let g = 0; g < groups; g++) for (let j = 0; j < k; j++) mx[g * k + j]! /= sw[g]! || 1;
    const H = new Float64Array(k * k);
    const score = new Float64Array(k);
    const xc = new Float64Array(k);
    for (let i = 0; i < n; i++) {
      const g = group[i]!;
      for (let j = 0; j < k; j++) xc[j] = x[i * k + j]! - mx[g * k + j]!;
      const r = y[i]! - mu[i]!;
      for (let a = 0; a < k; a++) {
        score[a]! += r * xc[a]!;
        for (let b = 0; b <= a; b++) H[a * k + b]! += mu[i]! * xc[a]! * xc[b]!;
      }
    }
    for (let a = 0; a < k; a++) for (let b = 0; b < a; b++) H[b * k + a] = H[a * k + b]!;
    const step = solveSpd(H, score, k);
    if (!step) return null;
    lastInverse = step.inverse;
    let size = 0;
    for (let j = 0; j < k; j++) {
      beta[j]! += step.x[j]!;
      size = Math.max(size, Math.abs(step.x[j]!));
    }
    if (size < 1e-8) {
      converged = true;
      iterations++;
      break;
    }
  }
  update();
  let pearson = 0;
  for (let i = 0; i < n; i++) pearson += (y[i]! - mu[i]!) ** 2 / mu[i]!;
  const dof = n - k - groups;
  const dispersion = dof > 0 ? Math.max(1, pearson / dof) : 1;
  const cov = new Float64Array(k * k);
  if (lastInverse) for (let j = 0; j < k * k; j++) cov[j] = lastInverse[j]! * dispersion;
  return { beta, cov, mu, dispersion, converged, iterations };
}

/** Fits every category, then every product with enough selling weeks, pooled toward its category. */
export function fitElasticities(
  cells: readonly PriceCell[],
  traffic: ReadonlyMap<number, number>,
  limits: ElasticityLimits,
): ElasticityState {
  const z = normalQuantile(0.5 + limits.level / 2);
  const byCategory = new Map<string, PriceCell[]>();
  for (const c of cells) {
    if (!traffic.has(c.week) || !(c.units > 0)) continue;
    const list = byCategory.get(c.category) ?? [];
    list.push(c);
    byCategory.set(c.category, list);
  }
  const categories: CategoryFit[] = [];
  const products: ProductFit[] = [];
  for (const [category, list] of [...byCategory.entries()].sort((a, b) =>
    a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0,
  )) {
    const { fit, productFits } = fitCategory(category, list, traffic, limits, z);
    categories.push(fit);
    products.push(...productFits);
  }
  return { categories, products, level: limits.level };
}

function fitCategory(
  category: string,
  list: PriceCell[],
  traffic: ReadonlyMap<number, number>,
  limits: ElasticityLimits,
  z: number,
): { fit: CategoryFit; productFits: ProductFit[] } {
  list.sort((a, b) => (a.sku < b.sku ? -1 : a.sku > b.sku ? 1 : a.week - b.week));
  const skuIndex = new Map<string, number>();
  for (const c of list) if (!skuIndex.has(c.sku)) skuIndex.set(c.sku, skuIndex.size);
  const n = list.length;
  const groups = skuIndex.size;
  // Within-product price statistics: the variation the slope is identified from.
  const meanLog = new Float64Array(groups);
  const count = new Float64Array(groups);
  for (const c of list) {
    const g = skuIndex.get(c.sku)!;
    meanLog[g]! += c.logPrice;
    count[g]! += 1;
  }
  for (let g = 0; g < groups; g++) meanLog[g]! /= count[g]!;
  let ss = 0;
  let lo = 0;
  let hi = 0;
  for (const c of list) {
    const dev = c.logPrice - meanLog[skuIndex.get(c.sku)!]!;
    ss += dev * dev;
    lo = Math.min(lo, dev);
    hi = Math.max(hi, dev);
  }
  const priceVariation = n > groups ? Math.sqrt(ss / (n - groups)) : 0;
  const weeks = new Set(list.map((c) => c.week)).size;
  const units = list.reduce((s, c) => s + c.units, 0);
  // Month dummies only for months that occur (and not the first one seen: the baseline).
  const monthsSeen = [...new Set(list.map((c) => periodOfWeek(c.week)))].sort((a, b) => a - b);
  const monthCol = new Map(monthsSeen.slice(1).map((m, i) => [m, 3 + i]));
  const k = 3 + monthCol.size;
  const x = new Float64Array(n * k);
  const y = new Float64Array(n);
  const group = new Int32Array(n);
  list.forEach((c, i) => {
    x[i * k] = c.logPrice;
    x[i * k + 1] = c.lines > 0 ? c.promoLines / c.lines : 0;
    x[i * k + 2] = Math.log(traffic.get(c.week)!);
    const col = monthCol.get(periodOfWeek(c.week));
    if (col !== undefined) x[i * k + col] = 1;
    y[i] = c.units;
    group[i] = skuIndex.get(c.sku)!;
  });
  const base: CategoryFit = {
    category,
    supported: false,
    reason: null,
    elasticity: 0,
    se: 0,
    lower: 0,
    upper: 0,
    products: groups,
    weeks,
    cells: n,
    units,
    priceVariation,
    priceRange: [Math.expm1(lo), Math.expm1(hi)],
    promoEffect: 0,
    trafficEffect: 0,
    dispersion: 1,
    tau: 0,
    converged: false,
    iterations: 0,
  };
  const refuse = (reason: string) => ({ fit: { ...base, reason }, productFits: [] as ProductFit[] });
  if (weeks < limits.minWeeks)
    return refuse(
      `only ${weeks} weeks with sales; at least ${limits.minWeeks} are needed to separate price from season`,
    );
  if (priceVariation < limits.minPriceVariation)
    return refuse(
      `prices hardly moved (within-product variation ${(priceVariation * 100).toFixed(1)} %, at least ${(limits.minPriceVariation * 100).toFixed(1)} % is needed): nothing to learn the price response from`,
    );
  const design = dropConstantColumns(x, k, group, groups);
  const fitted = fitPoissonFixedEffects({
    x: design.x,
    k: design.k,
    y,
    group,
    groups,
    offset: new Float64Array(n),
  });
  // Back to the full column layout: a column that never varied within a product has effect 0.
  const r = fitted && {
    ...fitted,
    beta: Float64Array.from({ length: k }, (_, j) =>
      design.keep.indexOf(j) >= 0 ? fitted.beta[design.keep.indexOf(j)]! : 0,
    ),
    cov: Float64Array.from({ length: 1 }, () => fitted.cov[0]!),
  };
  if (!r)
    return refuse(
      'the price, promotion and season effects cannot be told apart in this data (singular model)',
    );
  const eps = r.beta[0]!;
  const se = Math.sqrt(r.cov[0]!);
  const fit: CategoryFit = {
    ...base,
    supported: true,
    elasticity: eps,
    se,
    lower: eps - z * se,
    upper: eps + z * se,
    promoEffect: r.beta[1]!,
    trafficEffect: r.beta[2]!,
    dispersion: r.dispersion,
    converged: r.converged,
    iterations: r.iterations,
  };
  if (!r.converged) {
    fit.supported = false;
    fit.reason = `the model did not converge in ${r.iterations} iterations`;
  } else if (!(se <= limits.maxSe)) {
    fit.supported = false;
    fit.reason = `the estimate is too uncertain (standard error ${se.toFixed(2)}, at most ${limits.maxSe} is useful): more weeks or more price changes are needed`;
  }
  if (!fit.supported) return { fit, productFits: [] };
  // Per product: own slope, the controls held at the category's values (as an offset).
  const offset = new Float64Array(n);
  for (let i = 0; i < n; i++) for (let j = 1; j < k; j++) offset[i]! += x[i * k + j]! * r.beta[j]!;
  const raws: { sku: string; g: number; eps: number; se: number; weeks: number; units: number }[] = [];
  for (const [sku, g] of skuIndex) {
    const rows: number[] = [];
    for (let i = 0; i < n; i++) if (group[i] === g) rows.push(i);
    if (rows.length < limits.minProductWeeks) continue;
    let m = 0;
    for (const i of rows) m += x[i * k]!;
    m /= rows.length;
    let v = 0;
    for (const i of rows) v += (x[i * k]! - m) ** 2;
    if (Math.sqrt(v / Math.max(1, rows.length - 1)) < limits.minPriceVariation) continue;
    const one = fitPoissonFixedEffects({
      x: Float64Array.from(rows, (i) => x[i * k]!),
      k: 1,
      y: Float64Array.from(rows, (i) => y[i]!),
      group: new Int32Array(rows.length),
      groups: 1,
      offset: Float64Array.from(rows, (i) => offset[i]!),
    });
    if (!one?.converged) continue;
    // The category's dispersion: a single product's is too noisy to trust.
    const pse = Math.sqrt((one.cov[0]! / one.dispersion) * r.dispersion);
    raws.push({
      sku,
      g,
      eps: one.beta[0]!,
      se: pse,
      weeks: rows.length,
      units: rows.reduce((s, i) => s + y[i]!, 0),
    });
  }
  const tau2 = betweenVariance(
    raws.map((p) => p.eps),
    raws.map((p) => p.se),
  );
  fit.tau = Math.sqrt(tau2);
  const productFits = raws.map((p): ProductFit => {
    const B = tau2 > 0 ? p.se ** 2 / (p.se ** 2 + tau2) : 1;
    const mean = eps + (1 - B) * (p.eps - eps);
    const pse = Math.sqrt((1 - B) * p.se ** 2 + B * B * se * se);
    return {
      sku: p.sku,
      category,
      elasticity: mean,
      se: pse,
      lower: mean - z * pse,
      upper: mean + z * pse,
      raw: p.eps,
      rawSe: p.se,
      shrinkage: B,
      weeks: p.weeks,
      units: p.units,
    };
  });
  return { fit, productFits };
}

/**
 * Keeps the columns that vary within some product (a promotion share that is always 0, a month with no
 * weeks): a column without within-product variation is absorbed by the product intercepts and would make the
 * system singular. Column 0 (price) is always kept: its variation was checked before.
 */
function dropConstantColumns(
  x: Float64Array,
  k: number,
  group: Int32Array,
  groups: number,
): { x: Float64Array; k: number; keep: number[] } {
  const n = group.length;
  const keep: number[] = [0];
  for (let j = 1; j < k; j++) {
    const first = new Float64Array(groups).fill(Number.NaN);
    let varies = false;
    for (let i = 0; i < n && !varies; i++) {
      const g = group[i]!;
      const v = x[i * k + j]!;
      if (Number.isNaN(first[g]!)) first[g] = v;
      else if (Math.abs(v - first[g]!) > 1e-12) varies = true;
    }
    if (varies) keep.push(j);
  }
  const kk = keep.length;
  const out = new Float64Array(n * kk);
  for (let i = 0; i < n; i++) for (let c = 0; c < kk; c++) out[i * kk + c] = x[i * k + keep[c]!]!;
  return { x: out, k: kk, keep };
}

/** DerSimonian–Laird moment estimate of the between-unit variance τ² (0 with fewer than two units). */
export function betweenVariance(estimates: readonly number[], ses: readonly number[]): number {
  const k = estimates.length;
  if (k < 2) return 0;
  const w = ses.map((s) => 1 / (s * s));
  const sw = w.reduce((a, b) => a + b, 0);
  const mean = estimates.reduce((s, e, i) => s + w[i]! * e, 0) / sw;
  const q = estimates.reduce((s, e, i) => s + w[i]! * (e - mean) ** 2, 0);
  const c = sw - w.reduce((s, x) => s + x * x, 0) / sw;
  return c > 0 ? Math.max(0, (q - (k - 1)) / c) : 0;
}

/** Baseline over the last weeks before asOf, for the item a what-if is about. */
export interface WhatIfBaseline {
  weeks: number;
  units: number;
  revenue: number;
  cost: number | null;
}

export interface Range {
  value: number;
  lower: number;
  upper: number;
}

export interface WhatIfFigures {
  units: Range;
  revenue: Range;
  margin: Range | null;
}

/**
 * What a price change does to units, net revenue and margin over the baseline period, with the interval of
 * the elasticity carried through (the figures are monotone in ε, so the interval's ends give theirs). Revenue
 * scales with price × units; the cost per unit stays as it was.
 */
export function simulatePriceChange(
  base: WhatIfBaseline,
  e: ElasticityEstimate,
  priceChange: number,
): WhatIfFigures {
  const factor = 1 + priceChange;
  const at = (eps: number) => {
    const unitFactor = factor ** eps;
    const units = base.units * unitFactor;
    const revenue = base.revenue * factor * unitFactor;
    const margin = base.cost === null ? null : revenue - base.cost * unitFactor;
    return { units, revenue, margin };
  };
  const mid = at(e.elasticity);
  const a = at(e.lower);
  const b = at(e.upper);
  const range = (v: number, p: number, q: number): Range => ({
    value: v,
    lower: Math.min(p, q),
    upper: Math.max(p, q),
  });
  return {
    units: range(mid.units, a.units, b.units),
    revenue: range(mid.revenue, a.revenue, b.revenue),
    margin: mid.margin === null ? null : range(mid.margin, a.margin!, b.margin!),
  };
}

/** Day number (days since 1970-01-01) of an ISO date. */
export function dayOfIso(iso: string): number {
  const [y, m, d] = iso.split('-').map(Number) as [number, number, number];
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  return era * 146097 + yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy - 719468;
}

/** The Monday of a week number as an ISO date. */
export function mondayOfWeek(week: number): string {
  const z = week * 7 + 4 + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** The first week number that does not end before `asOf` (weeks before it are whole). */
export function endWeekOf(asOf: string): number {
  return Math.floor((dayOfIso(asOf) - 4) / 7);
}
