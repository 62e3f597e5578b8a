import { z } from 'zod';
import { GEO_LEVELS, geoPenetration, geoPotential, geoProfile } from '../../../analytics/geo/index.js';
import { findLookalikes } from '../../../analytics/predict/index.js';
import { parseLanguage } from '../../../analytics/shared/field-labels.js';
import { assertNoPersonalFields, isViewer, minCellSize } from '../privacy.js';
import { defineRoute } from '../route.js';
import type {
  GeoPenetrationResponse,
  GeoPotentialResponse,
  GeoProfileResponse,
  LookalikeResponse,
  TokenInfo,
} from '../types.js';

const expression = z.string().min(1).max(4000);
const areaQuery = {
  level: z.enum(GEO_LEVELS).default('area'),
  prefixLength: z.coerce.number().int().min(1).max(8).optional(),
  /** Analysts may ask for a larger (or, deliberately, smaller) minimum; viewers never get below the setting. */
  minCellSize: z.coerce.number().int().min(1).max(1_000_000).optional(),
};

/** The minimum cell size a caller gets: the setting for viewers (at least), the request or the setting else. */
async function cellSize(
  engine: Parameters<typeof minCellSize>[0],
  caller: TokenInfo,
  asked: number | undefined,
): Promise<number> {
  const k = await minCellSize(engine);
  if (isViewer(caller)) return Math.max(k, asked ?? k);
  return asked ?? k;
}

export const geoRoutes = [
  defineRoute({
    method: 'get',
    path: '/api/geo/penetration',
    summary: 'Customers (or a segment) per household by area; small areas merged upward (minimum cell size)',
    tag: 'geo',
    role: 'viewer',
    query: z.object({ segment: expression.optional(), ...areaQuery }),
    async handler({ engine, query, caller }): Promise<GeoPenetrationResponse> {
      if (query.segment) assertNoPersonalFields(caller, query.segment);
      return geoPenetration(engine, {
        ...(query.segment ? { segment: query.segment } : {}),
        level: query.level,
        ...(query.prefixLength ? { prefixLength: query.prefixLength } : {}),
        minCellSize: await cellSize(engine, caller, query.minCellSize),
      });
    },
  }),
  defineRoute({
    method: 'get',
    path: '/api/geo/potential',
    summary: 'Areas ranked by potential: households × twin rate of the seed × its value (small areas merged)',
    tag: 'geo',
    role: 'viewer',
    query: z.object({
      seed: expression,
      value: z
        .string()
        .regex(/^[a-z_][a-z0-9_]*$/)
        .default('revenue'),
      smoothing: z.coerce.number().int().min(0).max(1_000_000).optional(),
      ...areaQuery,
    }),
    async handler({ engine, query, caller }): Promise<GeoPotentialResponse> {
      assertNoPersonalFields(caller, query.seed);
      return geoPotential(engine, {
        seed: query.seed,
        valueColumn: query.value,
        level: query.level,
        ...(query.prefixLength ? { prefixLength: query.prefixLength } : {}),
        ...(query.smoothing !== undefined ? { smoothing: query.smoothing } : {}),
        minCellSize: await cellSize(engine, caller, query.minCellSize),
      });
    },
  }),
  defineRoute({
    method: 'get',
    path: '/api/geo/profile',
    summary:
      'A segment’s areas against the national average (index 100), withheld below the minimum cell size',
    tag: 'geo',
    role: 'viewer',
    query: z.object({ segment: expression, minCellSize: areaQuery.minCellSize }),
    async handler({ engine, query, caller }): Promise<GeoProfileResponse> {
      assertNoPersonalFields(caller, query.segment);
      return geoProfile(engine, {
        segment: query.segment,
        minCellSize: await cellSize(engine, caller, query.minCellSize),
      });
    },
  }),
  defineRoute({
    method: 'post',
    path: '/api/lookalike',
    summary: 'Statistical twins of a seed segment in a target population (optionally saved as a segment)',
    tag: 'geo',
    role: 'analyst',
    body: z.object({
      seed: expression,
      target: expression.optional(),
      method: z.enum(['classifier', 'neighbours']).default('classifier'),
      k: z.number().int().min(1).max(1000).optional(),
      top: z.number().int().min(1).max(10_000).default(100),
      save: z.string().min(1).max(100).optional(),
      minBand: z.enum(['very similar', 'similar', 'somewhat similar']).default('similar'),
    }),
    async handler({ engine, body, raw }): Promise<LookalikeResponse> {
      return findLookalikes(engine, {
        seed: body.seed,
        lang: parseLanguage(raw.req.header('accept-language')),
        ...(body.target ? { target: body.target } : {}),
        method: body.method,
        ...(body.k ? { k: body.k } : {}),
        top: body.top,
        ...(body.save ? { save: { name: body.save, minBand: body.minBand, now: new Date() } } : {}),
      });
    },
  }),
];
