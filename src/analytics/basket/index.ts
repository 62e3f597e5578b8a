/**
 * Basket analysis: frequent itemsets (FP-Growth), association rules with arules' semantics, targeted
 * rules for one item, redundancy pruning, and next best offers. See README.md.
 */
export { type DatamartBaskets, describeSource, loadBaskets } from './data.js';
export { DEFAULT_MEMORY_LIMIT_BYTES, mineFrequentItemsets } from './fpgrowth.js';
export { closedAndMaximal, type Itemsets } from './itemsets.js';
export { METRICS, type MetricName, type RuleMetrics, ruleMetrics } from './metrics.js';
export {
  type AssociationRule,
  type FrequentItemset,
  type ItemsetsOptions,
  type ItemsetsResult,
  labelsOf,
  mineItemsets,
  mineRules,
  type RulesResult,
} from './mine.js';
export { type BasketParams, defaults, type MetricFilter, parseFilter, parseParams } from './params.js';
export type { EncodedRule } from './rules.js';
export { type BasketSource, defaultSource } from './sql.js';
export { minCountFor, toRational } from './thresholds.js';
export { encodeBaskets, fromEncodedPairs, type Transactions } from './transactions.js';
