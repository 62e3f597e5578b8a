import { type Issue, inputErrorFromIssues } from '../../errors.js';
import { isIsoDate } from '../shared/dates.js';
import { CLASSIC_MAP, type RfmCuts, type SegmentRule } from './core.js';

export {
  CLASSIC_MAP,
  NO_PURCHASE,
  type RfmCuts,
  type ScoreRange,
  type SegmentRule,
  UNCLASSIFIED,
} from './core.js';

/** Which engagement measure takes the third letter: M = revenue, O = e-mail opens, C = e-mail clicks. */
export type RfmKind = 'rfm' | 'rfo' | 'rfc';

export interface RfmParams {
  /** Reference date `YYYY-MM-DD` (end of that day, as in the feature view). */
  asOf: string;
  kind: RfmKind;
  /** Number of score levels (2–10); 5 = quintiles. */
  bins: number;
  /** Fixed cut points per measure; measures without cuts use rank-based quantiles. */
  cuts: RfmCuts;
  /** Segment map, first matching rule wins; customers matching none are `Unclassified`. */
  map: readonly SegmentRule[];
}

export const defaults: Readonly<Omit<RfmParams, 'asOf'>> = {
  kind: 'rfm',
  bins: 5,
  cuts: {},
  map: CLASSIC_MAP,
};

/** Validates RFM params, reporting every bad field at once. */
export function parseParams(input: unknown): RfmParams {
  const issues: Issue[] = [];
  const o = (typeof input === 'object' && input !== null ? input : {}) as Record<string, unknown>;
  if (!isIsoDate(o.asOf))
    issues.push({
      where: 'asOf',
      message: `expected a date YYYY-MM-DD, got ${JSON.stringify(o.asOf ?? null)}`,
    });
  const kind = o.kind ?? defaults.kind;
  if (kind !== 'rfm' && kind !== 'rfo' && kind !== 'rfc')
    issues.push({ where: 'kind', message: `expected one of rfm, rfo, rfc, got ${JSON.stringify(kind)}` });
  const bins = o.bins ?? defaults.bins;
  if (typeof bins !== 'number' || !Number.isInteger(bins) || bins < 2 || bins > 10)
    issues.push({ where: 'bins', message: `expected a whole number 2–10, got ${JSON.stringify(bins)}` });
  const cuts = (o.cuts ?? {}) as Record<string, unknown>;
  for (const [key, value] of Object.entries(cuts)) {
    if (!['recency', 'frequency', 'monetary'].includes(key)) {
      issues.push({ where: `cuts.${key}`, message: 'expected one of recency, frequency, monetary' });
      continue;
    }
    if (value === undefined) continue;
    const ok =
      Array.isArray(value) &&
      value.every((x) => typeof x === 'number' && Number.isFinite(x)) &&
      value.every((x, i) => i === 0 || x > (value[i - 1] as number));
    if (!ok || (typeof bins === 'number' && value.length !== bins - 1))
      issues.push({
        where: `cuts.${key}`,
        message: `expected ${typeof bins === 'number' ? bins - 1 : 'bins − 1'} strictly ascending numbers, got ${JSON.stringify(value)}`,
      });
  }
  const map = o.map === undefined ? defaults.map : o.map;
  if (!Array.isArray(map) || map.length === 0)
    issues.push({ where: 'map', message: 'expected a non-empty list of segment rules' });
  else if (typeof bins === 'number') issues.push(...mapIssues(map, bins));
  if (issues.length) throw inputErrorFromIssues('RFM settings are not valid:', issues);
  return {
    asOf: o.asOf as string,
    kind: kind as RfmKind,
    bins: bins as number,
    cuts: cuts as RfmCuts,
    map: map as SegmentRule[],
  };
}

function mapIssues(map: readonly unknown[], bins: number): Issue[] {
  const issues: Issue[] = [];
  map.forEach((rule, i) => {
    const r = (typeof rule === 'object' && rule !== null ? rule : {}) as Record<string, unknown>;
    if (typeof r.name !== 'string' || r.name.trim() === '')
      issues.push({
        where: `map[${i}].name`,
        message: `expected a segment name, got ${JSON.stringify(r.name)}`,
      });
    for (const key of ['r', 'f', 'm'] as const) {
      if (key === 'm' && r.m === undefined) continue;
      const range = r[key];
      const ok =
        Array.isArray(range) &&
        range.length === 2 &&
        range.every((x) => Number.isInteger(x) && x >= 1 && x <= bins) &&
        (range[0] as number) <= (range[1] as number);
      if (!ok)
        issues.push({
          where: `map[${i}].${key}`,
          message: `expected [low, high] scores within 1–${bins}, got ${JSON.stringify(range)}`,
        });
    }
  });
  return issues;
}

/**
 * Reads a segment map written by a user (already parsed from JSON or YAML): either a list of rules or
 * `{segments: [...]}`; a range may be `[low, high]`, a single score `5` or a text `"4-5"`.
 */
export function parseSegmentMap(input: unknown, bins: number): SegmentRule[] {
  const list = Array.isArray(input) ? input : (input as { segments?: unknown })?.segments;
  if (!Array.isArray(list))
    throw inputErrorFromIssues('The segment map is not valid:', [
      {
        where: 'map',
        message: 'expected a list of rules or {segments: [...]} with name, r, f (and optional m)',
      },
    ]);
  const toRange = (v: unknown): unknown => {
    if (typeof v === 'number') return [v, v];
    if (typeof v === 'string') {
      const m = /^\s*(\d+)\s*(?:-\s*(\d+)\s*)?$/.exec(v);
      if (m) return [Number(m[1]), Number(m[2] ?? m[1])];
    }
    return v;
  };
  const rules = list.map((rule) => {
    const r = (typeof rule === 'object' && rule !== null ? rule : {}) as Record<string, unknown>;
    return { ...r, r: toRange(r.r), f: toRange(r.f), ...(r.m === undefined ? {} : { m: toRange(r.m) }) };
  });
  const issues = mapIssues(rules, bins);
  if (issues.length) throw inputErrorFromIssues('The segment map is not valid:', issues);
  return rules as SegmentRule[];
}
