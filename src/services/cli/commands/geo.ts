import {
  GEO_LEVELS,
  type GeoLevel,
  geoPenetration,
  geoPotential,
  geoProfile,
} from '../../../analytics/geo/index.js';
import { InputError } from '../../../errors.js';
import type { Command } from '../command.js';
import { intFlag } from './analytics-args.js';

const SUBCOMMANDS = ['profile', 'penetration', 'potential'] as const;

export const geoCommand: Command = {
  name: 'geo',
  summary: 'customers against their areas: profile vs national average, penetration, areas with potential',
  usage: `Usage: clientele geo profile     --segment "EXPR" [--min-cell N] [--json]
       clientele geo penetration [--segment "EXPR"] [--level area|prefix|region|country] [--prefix-length N]
                                 [--min-cell N] [--top N] [--json]
       clientele geo potential   --seed "EXPR" [--value COLUMN] [--smoothing N] [--level …] [--prefix-length N]
                                 [--min-cell N] [--top N] [--json]

Places every customer and prospect of the feature table in area_data by postcode, at the granularity the area
data comes in (the longest area key that prefixes the postcode, in the same country).
profile:     the mean of each area measure (median income, purchasing power, urban share, mean age) over the
             areas the segment lives in, as an index on the household-weighted national average (100).
penetration: customers (or segment members) per household per area, indexed on the overall penetration.
potential:   households × twin rate × value per area, best first. Twin rate: the seed's share among the people
             placed there, smoothed toward the overall rate (--smoothing pseudo-people, default 20); value: the
             seed's mean of --value (default revenue).
Small cells: an area with fewer than --min-cell customers (default 10) merges into the rest of its postcode
prefix, then its region, then its country; what is still too small is suppressed and never shown.

JSON (profile): asOf, segment, members, customers, minCellSize, suppressed,
  measures[{measure, segment, base, national, index, baseIndex, text}], unplaced, warnings
JSON (penetration): asOf, segment, counted, level, minCellSize, total{count, households, penetration},
  cells[{level, key, label, country, areas, households, customers, known, members, latitude, longitude,
  penetration, index, text}], suppressed{areas, households, count}, unplaced, warnings
JSON (potential): asOf, seed, valueColumn, value, overallRate, smoothing, level, minCellSize,
  cells[{… as penetration, twinRate, potential, untapped, text}], suppressed, unplaced, warnings

Examples:
  clientele geo profile --segment "rfm_segment = 'Champions'"
  clientele geo potential --seed "rfm_segment = 'Champions'" --top 20`,
  options: {
    segment: { type: 'string' },
    seed: { type: 'string' },
    value: { type: 'string' },
    level: { type: 'string' },
    'prefix-length': { type: 'string' },
    'min-cell': { type: 'string' },
    smoothing: { type: 'string' },
    top: { type: 'string' },
  },
  async run(ctx) {
    const [sub] = ctx.args;
    if (!sub || !(SUBCOMMANDS as readonly string[]).includes(sub))
      throw new InputError(
        `clientele geo: expected a subcommand (${SUBCOMMANDS.join(', ')}), got ${sub ? `"${sub}"` : 'nothing'}. Example: clientele geo penetration`,
        {},
        { code: 'INVALID_ARGUMENT' },
      );
    const level = ctx.values.level;
    if (level !== undefined && !(GEO_LEVELS as readonly unknown[]).includes(level))
      throw new InputError(
        `--level: expected one of ${GEO_LEVELS.join(', ')}, got ${JSON.stringify(level)}.`,
        {},
        { code: 'INVALID_ARGUMENT' },
      );
    const text = (flag: string) => {
      const v = ctx.values[flag];
      return typeof v === 'string' && v.trim() ? v : undefined;
    };
    const params = {
      ...(level ? { level: level as GeoLevel } : {}),
      ...optional('prefixLength', intFlag(ctx, 'prefix-length', 1, 8)),
      ...optional('minCellSize', intFlag(ctx, 'min-cell', 1, 1_000_000)),
      ...optional('smoothing', intFlag(ctx, 'smoothing', 0, 1_000_000)),
      ...optional('valueColumn', text('value')),
    };
    const top = intFlag(ctx, 'top', 1, 1_000_000) ?? 20;
    const engine = await ctx.openDb({ readOnly: true });
    try {
      if (sub === 'profile') {
        const segment = text('segment');
        if (!segment)
          throw new InputError(
            'clientele geo profile: expected --segment "EXPR". Example: clientele geo profile --segment "orders >= 5"',
            {},
            { code: 'INVALID_ARGUMENT' },
          );
        const r = await geoProfile(engine, { segment, ...params });
        if (!ctx.json) {
          ctx.out.line(
            `Segment ${segment}: ${r.suppressed ? `fewer than ${r.minCellSize} members placed` : `${r.members} members placed`} (all customers: ${r.customers}).`,
          );
          ctx.out.table(
            r.measures.map((m) => ({
              measure: m.measure,
              segment: m.segment,
              national: m.national,
              index: m.index === null ? null : Math.round(m.index),
              'all customers index': m.baseIndex === null ? null : Math.round(m.baseIndex),
            })),
          );
          for (const w of r.warnings) ctx.out.line(`warning: ${w}`);
        }
        return r;
      }
      if (sub === 'penetration') {
        const segment = text('segment');
        const r = await geoPenetration(engine, { ...(segment ? { segment } : {}), ...params });
        if (!ctx.json) {
          ctx.out.line(
            `${r.counted === 'customers' ? 'Customers' : 'Segment members'} per 1,000 households: ${r.total.penetration === null ? '–' : (1000 * r.total.penetration).toFixed(2)} overall; ${r.cells.length} cells of at least ${r.minCellSize}.`,
          );
          ctx.out.table(
            r.cells.slice(0, top).map((c) => ({
              area: c.label,
              level: c.level,
              households: c.households,
              [r.counted]: r.counted === 'customers' ? c.customers : c.members,
              'per 1,000': c.penetration === null ? null : Number((1000 * c.penetration).toFixed(2)),
              index: c.index === null ? null : Math.round(c.index),
            })),
          );
          suppressedLine(ctx.out.line.bind(ctx.out), r.suppressed);
          for (const w of r.warnings) ctx.out.line(`warning: ${w}`);
        }
        return { ...r, cells: r.cells.slice(0, top) };
      }
      const seed = text('seed');
      if (!seed)
        throw new InputError(
          `clientele geo potential: expected --seed "EXPR" (the best customers). Example: clientele geo potential --seed "rfm_segment = 'Champions'"`,
          {},
          { code: 'INVALID_ARGUMENT' },
        );
      const r = await geoPotential(engine, { seed, ...params });
      if (!ctx.json) {
        ctx.out.line(
          `Seed ${seed}: ${(100 * r.overallRate).toFixed(1)}% of the people placed; one more twin is worth ${r.value.toFixed(2)} (mean ${r.valueColumn}).`,
        );
        ctx.out.table(
          r.cells.slice(0, top).map((c) => ({
            area: c.label,
            households: c.households,
            'twin rate': `${(100 * c.twinRate).toFixed(1)}%`,
            potential: Math.round(c.potential),
            untapped: Math.round(c.untapped),
          })),
        );
        suppressedLine(ctx.out.line.bind(ctx.out), r.suppressed);
        for (const w of r.warnings) ctx.out.line(`warning: ${w}`);
      }
      return { ...r, cells: r.cells.slice(0, top) };
    } finally {
      await engine.close();
    }
  },
};

function optional<K extends string, V>(key: K, value: V | undefined): Partial<Record<K, V>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, V>);
}

function suppressedLine(
  line: (s: string) => void,
  s: { areas: number; households: number; count: number | null },
): void {
  if (s.areas)
    line(
      `${s.areas} areas too small even merged to country level are suppressed${s.count === null ? '' : ` (${s.count} people)`}.`,
    );
}
