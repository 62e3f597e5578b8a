import type { BacktestResult, SeriesForecast } from './core.js';

/** What a forecast rests on, as data: the model and its parameters, and how it did in the backtest. */
export interface ForecastExplanation {
  model: string;
  parameters: Record<string, number>;
  /** Backtest MASE relative to seasonal naive (below 1: better than the benchmark); null without a backtest. */
  relativeMase: number | null;
  verdict: BacktestResult['verdict'];
  notes: string[];
}

export function explainForecast(f: SeriesForecast, backtest: BacktestResult | null): ForecastExplanation {
  const parameters: Record<string, number> = {};
  if (f.ets) {
    parameters.alpha = f.ets.alpha;
    if (f.ets.spec.trend !== 'N') parameters.beta = f.ets.beta;
    if (f.ets.spec.season !== 'N') parameters.gamma = f.ets.gamma;
    if (f.ets.spec.trend === 'Ad') parameters.phi = f.ets.phi;
    parameters.aicc = f.ets.aicc;
  }
  if (f.theta) {
    parameters.thetaAlpha = f.theta.alpha;
    parameters.thetaDrift = f.theta.drift;
  }
  const notes = [...f.warnings];
  const verdict = backtest?.verdict ?? 'insufficient';
  if (
    backtest &&
    backtest.relativeMase !== null &&
    backtest.mase !== null &&
    backtest.benchmarkMase !== null
  ) {
    const pct = Math.round(Math.abs(1 - backtest.relativeMase) * 100);
    notes.push(
      verdict === 'better'
        ? `beat seasonal naive by ${pct}% over ${backtest.origins.length} backtest origins (MASE ${backtest.mase.toFixed(2)} vs ${backtest.benchmarkMase.toFixed(2)})`
        : verdict === 'worse'
          ? `did ${pct}% worse than seasonal naive in the backtest (MASE ${backtest.mase.toFixed(2)} vs ${backtest.benchmarkMase.toFixed(2)}): prefer --method snaive or more history`
          : `about as accurate as seasonal naive in the backtest (MASE ${backtest.mase.toFixed(2)} vs ${backtest.benchmarkMase.toFixed(2)})`,
    );
  } else notes.push('too little history for a backtest: trust the interval, not the point');
  return { model: f.model, parameters, relativeMase: backtest?.relativeMase ?? null, verdict, notes };
}
