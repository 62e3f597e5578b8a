import type { Explanation } from '../module.js';
import { explainCore, type NboScoreOptions, type NboState } from './core.js';

/**
 * Explains a customer's top offer as data: `score` is the offer's estimated purchase probability,
 * `baseline` the share of all customers who buy that item (what popularity alone would say), and each
 * contribution is an owned item behind the offer with `effect` = score − baseline in probability points
 * (shared equally when several items form the rule's antecedent).
 */
export function explainOffer(
  state: NboState,
  owned: readonly number[],
  options: NboScoreOptions,
): Explanation {
  const { offer, baseline } = explainCore(state, owned, options);
  if (!offer)
    return {
      score: null,
      baseline: 0,
      contributions: [],
      notes: ['No item can be offered to this customer.'],
    };
  const share = offer.because.length ? (offer.probability - baseline) / offer.because.length : 0;
  return {
    score: offer.probability,
    baseline,
    contributions: offer.because.map((label) => ({ feature: label, value: true, effect: share })),
    notes: [`offer: ${offer.label} (${offer.item})`, offer.reason],
  };
}
