/**
 * Basket analysis: frequent itemsets (FP-Growth), association rules with arules' semantics, targeted
 * rules for one item, redundancy pruning, and next best offers. See README.md.
 */

export type { NboRule, NboScoreOptions, NboState, Offer } from './core.js';
export { type DatamartBaskets, describeSource, loadBaskets } from './data.js';
export { evaluateHoldout, type HoldoutResult, type HoldoutScores } from './evaluate.js';
export { explainOffer } from './explain.js';
export { DEFAULT_MEMORY_LIMIT_BYTES, mineFrequentItemsets } from './models/fpgrowth.js';
export { closedAndMaximal, type Itemsets } from './models/itemsets.js';
export { METRICS, type MetricName, type RuleMetrics, ruleMetrics } from './models/metrics.js';
export {
  type AssociationRule,
  type FrequentItemset,
  type ItemsetsOptions,
  type ItemsetsResult,
  labelsOf,
  mineItemsets,
  mineRules,
  type RulesResult,
} from './models/mine.js';
export type { EncodedRule } from './models/rules.js';
export { itemNeighbours } from './models/similarity.js';
export { minCountFor, toRational } from './models/thresholds.js';
export { encodeBaskets, fromEncodedPairs, type Transactions } from './models/transactions.js';
export { basketModule, NBO_FORMAT_VERSION, type NboScoreRow } from './module.js';
export {
  buildNboState,
  daysBefore,
  type FittedNbo,
  fitNbo,
  type NboParams,
  nboDefaults,
  parseNboParams,
  recommendFor,
  requireKnownCustomers,
} from './nbo.js';
export { type BasketParams, defaults, type MetricFilter, parseFilter, parseParams } from './params.js';
export { type BasketSource, defaultSource } from './sql.js';
