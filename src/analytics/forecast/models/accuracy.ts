/**
 * Forecast accuracy measures as `forecast::accuracy` computes them (Hyndman & Koehler 2006): RMSE, MAE, MAPE (%),
 * MASE scaled by the in-sample mean absolute lag-m difference of the training data, and sMAPE (%) as in the
 * M3/M4 competitions: 200·|y − ŷ|/(|y| + |ŷ|).
 */
export interface Accuracy {
  rmse: number;
  mae: number;
  mape: number;
  mase: number;
  smape: number;
}

/** Mean absolute lag-m difference of the training data (the MASE denominator); NaN when it has fewer than m + 1 values. */
export function maseScale(train: ArrayLike<number>, m: number): number {
  const lag = Math.max(1, m);
  let s = 0;
  let c = 0;
  for (let t = lag; t < train.length; t++) {
    s += Math.abs(train[t]! - train[t - lag]!);
    c++;
  }
  return c > 0 ? s / c : Number.NaN;
}

export function accuracy(actual: ArrayLike<number>, forecast: ArrayLike<number>, scale: number): Accuracy {
  const h = Math.min(actual.length, forecast.length);
  let se = 0;
  let ae = 0;
  let ape = 0;
  let sape = 0;
  let sapeCount = 0;
  for (let i = 0; i < h; i++) {
    const e = actual[i]! - forecast[i]!;
    se += e * e;
    ae += Math.abs(e);
    ape += Math.abs(e / actual[i]!);
    const denominator = Math.abs(actual[i]!) + Math.abs(forecast[i]!);
    if (denominator > 0) {
      sape += (2 * Math.abs(e)) / denominator;
      sapeCount++;
    } else sapeCount++;
  }
  return {
    rmse: Math.sqrt(se / h),
    mae: ae / h,
    mape: (100 * ape) / h,
    mase: ae / h / scale,
    smape: (100 * sape) / Math.max(1, sapeCount),
  };
}
