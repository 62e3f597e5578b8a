import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedShop } from '../../../test/support/shop.js';
import { buildFeatures } from '../../analytics/features/index.js';
import { DuckDbEngine } from '../../store/index.js';
import { createApp } from './app.js';
import { createToken } from './auth.js';
import type { AnyRoute } from './route.js';
import { ROUTES } from './routes/index.js';

/**
 * Property tests (issue 19): no generated input makes any API route answer 500. Every 500 logs its
 * request id and stack into `internal`, which the assertion prints with the failing input.
 */
let engine: DuckDbEngine;
let ctx: Awaited<ReturnType<typeof createApp>>;
const tokens: Record<string, string> = {};
const internal: string[] = [];

beforeAll(async () => {
  engine = await DuckDbEngine.open(':memory:');
  await seedShop(engine);
  await buildFeatures(engine, { asOf: '2026-06-24' });
  ctx = await createApp(engine, { log: (l) => internal.push(l) });
  for (const role of ['viewer', 'analyst', 'admin'] as const)
    tokens[role] = (await createToken(engine, role, role)).token;
}, 60_000);
afterAll(async () => {
  for (const job of ctx.jobs.list()) await ctx.jobs.wait(job.id);
  await engine.close();
});

/** Values that broke parsers before: impossible dates, huge and odd numbers, quotes, control characters. */
const nasty = fc.constantFrom(
  '2026-02-30',
  '0000-00-00',
  '9999-12-31',
  '1900-01-01',
  '2026-13-45',
  '-1',
  '0',
  '1',
  '0.5',
  '1e308',
  '-1e308',
  'NaN',
  'Infinity',
  '99999999999999999999999',
  '',
  ' ',
  'abc',
  "'; DROP TABLE customers; --",
  '%',
  '\u0000',
  '../../etc/passwd',
  'true',
  'lift',
  'product',
  'csv',
  'email',
  'x'.repeat(5000),
);
/** Dates that pass a YYYY-MM-DD pattern but are no calendar day, or sit at the edges. */
const dates = fc.constantFrom(
  '2026-02-30',
  '0000-00-00',
  '2026-13-45',
  '9999-12-31',
  '1900-01-01',
  '2024-02-29',
);
const value = fc.oneof(
  { arbitrary: dates, weight: 4 },
  { arbitrary: nasty, weight: 4 },
  { arbitrary: fc.string({ maxLength: 40 }), weight: 1 },
  { arbitrary: fc.integer().map(String), weight: 1 },
  { arbitrary: fc.double().map(String), weight: 1 },
);

/** The query keys a route declares (zod object shape), or none. */
function queryKeys(route: AnyRoute): string[] {
  const shape = (route.query as unknown as { shape?: Record<string, unknown> } | undefined)?.shape;
  return shape ? Object.keys(shape) : [];
}

/** Routes that start background work or delete data are left out: their inputs are checked elsewhere. */
const SKIP = /\/run$|\/build$|^\/api\/imports$|\/analyze$|\/cancel$/;
const fuzzed = ROUTES.filter((r) => r.method !== 'delete' && !SKIP.test(r.path));

function okStatus(status: number, path: string, input: unknown): void {
  const report =
    status >= 500 && status !== 503
      ? `${path} ${JSON.stringify(input)} → ${status}\n${internal.at(-1) ?? ''}`
      : '';
  expect(report).toBe('');
}

describe('no 500 on any generated input', () => {
  it.each(fuzzed.map((r) => [`${r.method.toUpperCase()} ${r.path}`, r] as const))(
    '%s',
    async (_name, route) => {
      const keys = queryKeys(route);
      await fc.assert(
        fc.asyncProperty(
          fc.oneof(
            // Mostly one parameter at a time (the others keep their defaults), sometimes any mix.
            {
              arbitrary: fc
                .tuple(fc.constantFrom(...(keys.length ? keys : ['x'])), value)
                .map(([k, v]) => ({ [k]: v })),
              weight: 3,
            },
            {
              arbitrary: fc.record(Object.fromEntries((keys.length ? keys : ['x']).map((k) => [k, value])), {
                requiredKeys: [],
              }),
              weight: 1,
            },
          ),
          fc.array(value, { minLength: 3, maxLength: 3 }),
          fc.oneof(fc.anything(), fc.record({ expression: value, name: value, role: value, asOf: value })),
          fc.constantFrom('viewer', 'analyst', 'admin'),
          async (query, pathValues, body, role) => {
            let i = 0;
            const path = route.path.replace(/:[A-Za-z_]+/g, () => encodeURIComponent(pathValues[i++] || 'x'));
            const qs = new URLSearchParams(query as Record<string, string>).toString();
            const url = `${path}${qs ? `?${qs}` : ''}`;
            const res = await ctx.app.request(url, {
              method: route.method.toUpperCase(),
              headers: { authorization: `Bearer ${tokens[role]}`, 'content-type': 'application/json' },
              ...(route.method === 'get' ? {} : { body: JSON.stringify(body ?? null) ?? 'null' }),
            });
            await res.arrayBuffer();
            okStatus(res.status, url, { body, role });
          },
        ),
        { numRuns: 40, seed: 19 },
      );
    },
    60_000,
  );
});

/** Pieces of the segment language, valid and not, glued into expressions. */
const column = fc.constantFrom(
  'orders',
  'revenue',
  'age',
  'gender',
  'country',
  'last_order',
  'first_order',
  'recency_days',
  'email',
  'birth_date',
  'rfm_segment',
  'nope',
  'as_of',
);
const op = fc.constantFrom('=', '<>', '<', '<=', '>', '>=', '!=', '==');
const literal = fc.oneof(
  fc.integer().map(String),
  fc.double({ noNaN: true }).map((d) => String(d)),
  nasty.map((v) => `'${v.replaceAll("'", "''")}'`),
  fc.string({ maxLength: 12 }).map((v) => `'${v.replaceAll("'", "''")}'`),
  fc.constantFrom(
    "date '2026-02-30'",
    "date '2026-01-31'",
    'today',
    'today - 90d',
    'today - 999999999y',
    'today + 5m',
    'true',
    'null',
  ),
);
const predicate = fc.oneof(
  fc.tuple(column, op, literal).map(([c, o, v]) => `${c} ${o} ${v}`),
  fc.tuple(column, literal, literal).map(([c, a, b]) => `${c} between ${a} and ${b}`),
  fc.tuple(column, fc.array(literal, { maxLength: 4 })).map(([c, vs]) => `${c} in (${vs.join(', ')})`),
  fc.tuple(column, literal).map(([c, v]) => `${c} starts with ${v}`),
  column.map((c) => `${c} is null`),
);
const expression: fc.Arbitrary<string> = fc.letrec((tie) => ({
  expr: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    predicate,
    fc
      .tuple(
        tie('expr') as fc.Arbitrary<string>,
        fc.constantFrom('and', 'or'),
        tie('expr') as fc.Arbitrary<string>,
      )
      .map(([a, j, b]) => `${a} ${j} ${b}`),
    (tie('expr') as fc.Arbitrary<string>).map((e) => `not (${e})`),
    fc.string({ maxLength: 60 }),
  ),
})).expr;

describe('the segment language: no 500 on any generated expression', () => {
  it.each(['count', 'profile'])(
    'POST /api/segments/%s',
    async (what) => {
      await fc.assert(
        fc.asyncProperty(expression, fc.constantFrom('viewer', 'analyst'), async (text, role) => {
          const res = await ctx.app.request(`/api/segments/${what}`, {
            method: 'POST',
            headers: { authorization: `Bearer ${tokens[role]}`, 'content-type': 'application/json' },
            body: JSON.stringify({ expression: text }),
          });
          await res.arrayBuffer();
          okStatus(res.status, `/api/segments/${what}`, { text, role });
        }),
        { numRuns: what === 'count' ? 300 : 80, seed: 19 },
      );
    },
    120_000,
  );
});
