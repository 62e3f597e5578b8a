/**
 * Explains one customer's expected purchases as a sequence of steps from a new customer's expectation:
 * the customer's age T (time since the first purchase), then their frequency x (as if the last purchase
 * were today), then their actual recency t_x. Effects are in expected purchases over the horizon and add
 * up: baseline + Σ effects = score.
 */
import type { Explanation } from '../module.js';
import { type ClvState, predictPurchases } from './core.js';
import type { BgNbdParams } from './models/bg-nbd.js';
import { bgNbdExpectedPurchases } from './models/bg-nbd.js';
import { type ParetoNbdParams, paretoNbdExpectedPurchases } from './models/pareto-nbd.js';

export function explainCore(
  state: ClvState,
  c: { x: number; tx: number; T: number },
  horizon: number,
): Explanation {
  const e = (x: number, tx: number, T: number) =>
    predictPurchases(state, { x, tx, T, meanSpend: null }, horizon).expectedPurchases;
  const baseline =
    state.model === 'pareto'
      ? paretoNbdExpectedPurchases(state.params as unknown as ParetoNbdParams, horizon)
      : bgNbdExpectedPurchases(state.params as unknown as BgNbdParams, horizon);
  const aged = e(0, 0, c.T);
  const frequent = e(c.x, c.x > 0 ? c.T : 0, c.T);
  const score = e(c.x, c.tx, c.T);
  const alive = predictPurchases(state, { ...c, meanSpend: null }, horizon).probabilityAlive;
  return {
    score,
    baseline,
    contributions: [
      { feature: 'T', value: c.T, effect: aged - baseline },
      { feature: 'x', value: c.x, effect: frequent - aged },
      { feature: 't_x', value: c.tx, effect: score - frequent },
    ],
    notes: [
      `effects are expected purchases over ${horizon.toFixed(1)} time units (${state.model})`,
      `P(alive) = ${alive.toFixed(4)}`,
    ],
  };
}
