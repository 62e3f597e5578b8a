/**
 * Classical decomposition (as R's `stats::decompose`): a centred moving average of order m (2×m for even m)
 * as the trend, and the seasonal figure as the mean detrended value per position in the cycle, normalised to
 * sum to 0 (additive) or average 1 (multiplicative). `figure[j]` is the seasonal effect of time index j mod m.
 */
export function seasonalFigure(
  y: ArrayLike<number>,
  m: number,
  type: 'additive' | 'multiplicative',
): Float64Array {
  const n = y.length;
  const half = Math.floor(m / 2);
  const sums = new Float64Array(m);
  const counts = new Float64Array(m);
  for (let t = half; t < n - half; t++) {
    let trend = 0;
    if (m % 2 === 0) {
      trend = 0.5 * y[t - half]! + 0.5 * y[t + half]!;
      for (let k = -half + 1; k < half; k++) trend += y[t + k]!;
    } else for (let k = -half; k <= half; k++) trend += y[t + k]!;
    trend /= m;
    const detrended = type === 'additive' ? y[t]! - trend : y[t]! / trend;
    if (!Number.isFinite(detrended)) continue;
    sums[t % m]! += detrended;
    counts[t % m]! += 1;
  }
  const figure = new Float64Array(m);
  let mean = 0;
  for (let j = 0; j < m; j++) {
    figure[j] = counts[j]! > 0 ? sums[j]! / counts[j]! : type === 'additive' ? 0 : 1;
    mean += figure[j]! / m;
  }
  for (let j = 0; j < m; j++) figure[j] = type === 'additive' ? figure[j]! - mean : figure[j]! / mean;
  return figure;
}

/** Autocorrelation of y at lags 1…maxLag (the sample ACF, mean removed, divided by the lag-0 sum). */
export function acf(y: ArrayLike<number>, maxLag: number): Float64Array {
  const n = y.length;
  let mean = 0;
  for (let t = 0; t < n; t++) mean += y[t]! / n;
  let c0 = 0;
  for (let t = 0; t < n; t++) c0 += (y[t]! - mean) ** 2;
  const r = new Float64Array(maxLag + 1);
  r[0] = 1;
  for (let k = 1; k <= maxLag; k++) {
    let c = 0;
    for (let t = k; t < n; t++) c += (y[t]! - mean) * (y[t - k]! - mean);
    r[k] = c0 > 0 ? c / c0 : 0;
  }
  return r;
}

/**
 * The seasonality test of the Theta method in the M3/M4 benchmarks and `forecast::thetaf`: lag-m autocorrelation
 * beyond the 90% limit 1.645·√((1 + 2·Σ_{k<m} r_k²)/n).
 */
export function isSeasonal(y: ArrayLike<number>, m: number): boolean {
  const n = y.length;
  if (m <= 1 || n < 2 * m) return false;
  const r = acf(y, m);
  let s = 0;
  for (let k = 1; k < m; k++) s += r[k]! ** 2;
  return Math.abs(r[m]!) > 1.645 * Math.sqrt((1 + 2 * s) / n);
}
