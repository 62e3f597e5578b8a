import { type Issue, inputErrorFromIssues } from '../../errors.js';
import { isMetricName, METRICS, type MetricName } from './models/metrics.js';

/** A threshold on one rule metric, e.g. `lift >= 2`. */
export interface MetricFilter {
  metric: MetricName;
  op: '>=' | '>' | '<=' | '<' | '=';
  value: number;
}

/** Settings of association-rule mining; defaults are arules' `apriori` defaults except support. */
export interface BasketParams {
  /** Minimum relative support, 0–1: an itemset is kept when count ≥ minSupport × N (arules). */
  minSupport: number;
  /** Minimum confidence, 0–1, compared on exact integer counts. */
  minConfidence: number;
  /** Rule (or itemset) length bounds, lhs + rhs items (arules minlen 1, maxlen 10). */
  minLength: number;
  maxLength: number;
  /** Allow several items on the right-hand side (mlxtend's rule set). */
  multiRhs: boolean;
  /** Only rules with this item on the right ("what leads to X"), mined by projection. */
  consequent: string | null;
  /** Only rules with this item on the left ("what sells with X"), mined by projection. */
  antecedent: string | null;
  /** Drop rules for which a more general rule with the same rhs has at least the same confidence. */
  removeRedundant: boolean;
  /** Extra thresholds on any metric, all must hold. */
  filters: MetricFilter[];
  /** Order of the returned rules (descending), ties by confidence, support, then item text. */
  sortBy: MetricName;
  /** Return at most this many rules after sorting (null = all). */
  limit: number | null;
  /** Memory guard for mining, in MiB: fail with MEMORY_LIMIT rather than exhaust the machine. */
  memoryLimitMb: number;
}

export const defaults: Readonly<BasketParams> = Object.freeze({
  minSupport: 0.01,
  minConfidence: 0.5,
  minLength: 1,
  maxLength: 10,
  multiRhs: false,
  consequent: null,
  antecedent: null,
  removeRedundant: false,
  filters: [],
  sortBy: 'lift',
  limit: null,
  memoryLimitMb: 2048,
});

/**
 * Validates basket params from any source (CLI, HTTP, library) and applies defaults.
 * @throws InputError INVALID_INPUT listing every bad field at once.
 */
export function parseParams(input: unknown): BasketParams {
  const issues: Issue[] = [];
  if (input !== undefined && (typeof input !== 'object' || input === null)) {
    throw inputErrorFromIssues('Basket params: expected an object.', [
      { where: 'params', message: `expected an object, got ${typeof input}` },
    ]);
  }
  const raw = (input ?? {}) as Record<string, unknown>;
  const known = new Set(Object.keys(defaults));
  for (const k of Object.keys(raw)) {
    if (!known.has(k))
      issues.push({ where: k, message: `unknown setting; expected one of ${[...known].join(', ')}` });
  }
  const p: BasketParams = { ...defaults, filters: [] };
  const fraction = (k: 'minSupport' | 'minConfidence', allowZero: boolean) => {
    const v = raw[k];
    if (v === undefined) return;
    if (typeof v !== 'number' || !Number.isFinite(v) || v > 1 || v < 0 || (!allowZero && v === 0)) {
      issues.push({
        where: k,
        message: `expected a number in ${allowZero ? '[0' : '(0'}, 1], got ${JSON.stringify(v)}`,
      });
    } else p[k] = v;
  };
  fraction('minSupport', false);
  fraction('minConfidence', true);
  const whole = (k: 'minLength' | 'maxLength' | 'memoryLimitMb', min: number, max: number) => {
    const v = raw[k];
    if (v === undefined) return;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
      issues.push({
        where: k,
        message: `expected a whole number in [${min}, ${max}], got ${JSON.stringify(v)}`,
      });
    } else p[k] = v;
  };
  whole('minLength', 1, 30);
  whole('maxLength', 1, 30);
  whole('memoryLimitMb', 16, 1024 * 1024);
  if (p.minLength > p.maxLength) {
    issues.push({
      where: 'minLength',
      message: `must not exceed maxLength (${p.minLength} > ${p.maxLength})`,
    });
  }
  for (const k of ['multiRhs', 'removeRedundant'] as const) {
    const v = raw[k];
    if (v === undefined) continue;
    if (typeof v !== 'boolean')
      issues.push({ where: k, message: `expected true or false, got ${JSON.stringify(v)}` });
    else p[k] = v;
  }
  for (const k of ['consequent', 'antecedent'] as const) {
    const v = raw[k];
    if (v === undefined || v === null) continue;
    if (typeof v !== 'string' || v.length === 0) {
      issues.push({ where: k, message: `expected an item label, got ${JSON.stringify(v)}` });
    } else p[k] = v;
  }
  if (raw.sortBy !== undefined) {
    if (typeof raw.sortBy === 'string' && isMetricName(raw.sortBy)) p.sortBy = raw.sortBy;
    else
      issues.push({
        where: 'sortBy',
        message: `expected one of ${METRICS.join(', ')}, got ${JSON.stringify(raw.sortBy)}`,
      });
  }
  if (raw.limit !== undefined && raw.limit !== null) {
    if (typeof raw.limit === 'number' && Number.isInteger(raw.limit) && raw.limit >= 0) p.limit = raw.limit;
    else
      issues.push({
        where: 'limit',
        message: `expected a whole number ≥ 0, got ${JSON.stringify(raw.limit)}`,
      });
  }
  if (raw.filters !== undefined) {
    if (!Array.isArray(raw.filters)) issues.push({ where: 'filters', message: 'expected a list of filters' });
    else {
      raw.filters.forEach((f, i) => {
        const parsed = typeof f === 'string' ? parseFilter(f) : checkFilter(f);
        if (typeof parsed === 'string') issues.push({ where: `filters[${i}]`, message: parsed });
        else p.filters.push(parsed);
      });
    }
  }
  if (issues.length) throw inputErrorFromIssues('Basket params are invalid:', issues);
  return p;
}

/** Reads `lift>=2`, `conviction > 1.5`, `count=10`; returns a message when it cannot. */
export function parseFilter(text: string): MetricFilter | string {
  const m = /^\s*([a-z]+)\s*(>=|<=|>|<|=)\s*(-?[0-9.]+(?:e[+-]?\d+)?)\s*$/i.exec(text);
  if (!m) return `expected METRIC OP NUMBER such as "lift>=2", got ${JSON.stringify(text)}`;
  return checkFilter({ metric: m[1]!.toLowerCase(), op: m[2], value: Number(m[3]) });
}

function checkFilter(f: unknown): MetricFilter | string {
  const o = f as Partial<MetricFilter> | null;
  if (!o || typeof o !== 'object') return 'expected { metric, op, value } or a text like "lift>=2"';
  if (typeof o.metric !== 'string' || !isMetricName(o.metric)) {
    return `unknown metric ${JSON.stringify(o.metric)}; expected one of ${METRICS.join(', ')}`;
  }
  if (!['>=', '>', '<=', '<', '='].includes(o.op as string))
    return `unknown operator ${JSON.stringify(o.op)}`;
  if (typeof o.value !== 'number' || !Number.isFinite(o.value))
    return `expected a number, got ${JSON.stringify(o.value)}`;
  return { metric: o.metric, op: o.op as MetricFilter['op'], value: o.value };
}
