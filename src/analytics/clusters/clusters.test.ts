import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openShop } from '../../../test/support/tiny-shop.js';
import { InputError } from '../../errors.js';
import { DuckDbEngine } from '../../store/index.js';
import { buildFeatures } from '../features/index.js';
import { buildRfm } from '../rfm/index.js';
import { createRng } from '../shared/rng.js';
import {
  adjustedRandIndex,
  analyseBehaviours,
  clusterCustomers,
  kMeans,
  kMeansMany,
  nameClusters,
  parseBehaviourRules,
  sampleIndices,
  silhouette,
} from './index.js';

/** n points around k well-separated centres in d dimensions; returns data and true labels. */
function planted(n: number, k: number, d: number, seed: number, spread = 1) {
  const rng = createRng(seed);
  const centres = Array.from({ length: k }, () => Array.from({ length: d }, () => rng.normal() * 6));
  const data = new Float64Array(n * d);
  const truth = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const c = i % k;
    truth[i] = c;
    for (let t = 0; t < d; t++) data[i * d + t] = centres[c]![t]! + rng.normal() * spread;
  }
  return { data, truth };
}

describe('k-means core', () => {
  it('recovers planted clusters (adjusted Rand index ≥ 0.95) and is deterministic by seed', () => {
    const { data, truth } = planted(3000, 5, 6, 1);
    const opts = { k: 5, nInit: 5, maxIter: 100, tol: 1e-4, seedSample: 1000 };
    const a = kMeans(data, 3000, 6, opts, createRng(7));
    expect(adjustedRandIndex(a.labels, truth)).toBeGreaterThanOrEqual(0.95);
    const b = kMeans(data, 3000, 6, opts, createRng(7));
    expect(Array.from(b.labels)).toEqual(Array.from(a.labels));
    expect(b.inertia).toBe(a.inertia);
    expect(a.converged).toBe(true);
  });

  it("Hamerly's bounds skip work but give plain Lloyd's result (same labels, centres and inertia)", () => {
    // Overlapping clusters, so points do change sides for many iterations.
    const { data } = planted(4000, 6, 4, 11, 4);
    const opts = { k: 6, nInit: 1, maxIter: 200, tol: 1e-6, seedSample: 4000 };
    const fast = kMeans(data, 4000, 4, opts, createRng(5));
    // A k-prototypes run without categorical columns is plain Lloyd (no bounds) from the same seeds.
    const plain = kMeans(
      data,
      4000,
      4,
      { ...opts, categorical: { codes: new Int32Array(0), c: 0, gamma: 0 } },
      createRng(5),
    );
    expect(fast.iterations).toBeGreaterThan(5);
    expect(fast.iterations).toBe(plain.iterations);
    expect(Array.from(fast.labels)).toEqual(Array.from(plain.labels));
    expect(fast.inertia).toBeCloseTo(plain.inertia, 6);
    for (let i = 0; i < fast.centers.length; i++) expect(fast.centers[i]).toBeCloseTo(plain.centers[i]!, 9);
  });

  it('restarts on two worker threads give the one-thread result bit for bit', async () => {
    const { data } = planted(50_000, 8, 3, 13);
    const opts = { k: 8, nInit: 8, maxIter: 300, tol: 1e-4, seedSample: 10_000 };
    const one = kMeans(data, 50_000, 3, opts, createRng(21));
    const stats: { threads?: number } = {};
    const [two] = await kMeansMany([{ data, n: 50_000, d: 3, options: opts, rng: createRng(21) }], 2, stats);
    expect(stats.threads).toBe(2);
    expect(two!.inertia).toBe(one.inertia);
    expect(two!.iterations).toBe(one.iterations);
    expect(Array.from(two!.centers)).toEqual(Array.from(one.centers));
    expect(Array.from(two!.labels)).toEqual(Array.from(one.labels));
  });

  it('k-prototypes separates clusters carried by a categorical attribute', () => {
    const n = 1200;
    const rng = createRng(3);
    const data = new Float64Array(n * 2);
    const codes = new Int32Array(n);
    const truth = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      const c = i % 3;
      truth[i] = c;
      // numeric parts overlap heavily; the category decides (90% pure)
      data[i * 2] = rng.normal() * 0.3 + (c === 2 ? 3 : 0);
      data[i * 2 + 1] = rng.normal() * 0.3;
      codes[i] = rng.next() < 0.97 ? c : (c + 1) % 3;
    }
    const fit = kMeans(
      data,
      n,
      2,
      { k: 3, nInit: 5, maxIter: 100, tol: 1e-6, seedSample: n, categorical: { codes, c: 1, gamma: 2 } },
      createRng(1),
    );
    expect(adjustedRandIndex(fit.labels, truth)).toBeGreaterThanOrEqual(0.85);
    const plain = kMeans(
      data,
      n,
      2,
      { k: 3, nInit: 5, maxIter: 100, tol: 1e-6, seedSample: n },
      createRng(1),
    );
    expect(adjustedRandIndex(fit.labels, truth)).toBeGreaterThan(adjustedRandIndex(plain.labels, truth));
  });

  it('silhouette is highest at the planted k', () => {
    const { data } = planted(1500, 4, 4, 2, 0.5);
    const idx = sampleIndices(1500, 600, createRng(2));
    const scores = [2, 3, 4, 5, 6].map((k) => {
      const fit = kMeans(
        data,
        1500,
        4,
        { k, nInit: 3, maxIter: 100, tol: 1e-4, seedSample: 1500 },
        createRng(k),
      );
      return { k, s: silhouette(data, 4, fit.labels, k, idx) };
    });
    expect(scores.reduce((a, b) => (b.s > a.s ? b : a)).k).toBe(4);
  });

  it('adjusted Rand index: 1 for the same partition under renaming, about 0 for chance', () => {
    expect(adjustedRandIndex([0, 0, 1, 1, 2, 2], [5, 5, 3, 3, 9, 9])).toBe(1);
    // Hand example (Hubert & Arabie): contingency [[2,1],[0,3]] → ARI = 0.3243…
    expect(adjustedRandIndex([0, 0, 0, 1, 1, 1], [0, 0, 1, 1, 1, 1])).toBeCloseTo(0.32432432, 6);
    const rng = createRng(5);
    const a = Array.from({ length: 5000 }, () => rng.int(4));
    const b = Array.from({ length: 5000 }, () => rng.int(4));
    expect(Math.abs(adjustedRandIndex(a, b))).toBeLessThan(0.01);
  });

  it('names clusters from their most distinguishing features', () => {
    const names = nameClusters(
      ['revenue', 'recency_days', 'promo_share', 'orders', 'custom_x'],
      [
        { z: [1.2, 0.9, 0.6, 0.1, 0] },
        { z: [-0.8, -1.5, 0, 0, 0] },
        { z: [0, 0, 0, 0, 2] },
        { z: [0.1, 0, 0, 0, 0] },
        { z: [0, 0.05, 0, 0, 0] },
      ],
    );
    expect(names).toEqual([
      'high-spend, lapsed, discount driven',
      'recent, low-spend',
      'high custom x',
      'average',
      'average (2)',
    ]);
  });
});

describe('clustering customers of the datamart', () => {
  let engine: DuckDbEngine;
  beforeAll(async () => {
    engine = await DuckDbEngine.open(':memory:');
    // A feature table with three planted groups: loyal big spenders, lapsed one-off buyers, bargain hunters.
    await engine.exec(`CREATE TABLE customer_features AS
      SELECT 'c' || lpad(CAST(i AS VARCHAR), 5, '0') AS customer_id, DATE '2024-06-30' AS as_of, g AS truth,
        CASE g WHEN 0 THEN 12 + (h % 5) WHEN 1 THEN 1 ELSE 4 + (h % 3) END AS orders,
        CASE g WHEN 0 THEN 10 + (h % 20) WHEN 1 THEN 400 + (h % 200) ELSE 60 + (h % 40) END AS recency_days,
        CAST(CASE g WHEN 0 THEN 2000 + (h % 500) WHEN 1 THEN 40 + (h % 30) ELSE 300 + (h % 100) END AS DOUBLE) AS revenue,
        CAST(CASE g WHEN 2 THEN 0.8 + (h % 20) / 100.0 ELSE (h % 10) / 100.0 END AS DOUBLE) AS promo_share,
        CASE WHEN h % 7 = 0 THEN NULL ELSE CAST((h % 50) / 100.0 AS DOUBLE) END AS email_open_rate,
        CASE g WHEN 0 THEN 'f' WHEN 1 THEN 'm' ELSE 'f' END AS gender
      FROM (SELECT i, i % 3 AS g, hash(i) % 1000 AS h FROM range(1500) t(i))`);
  });
  afterAll(async () => {
    await engine.close();
  });

  it('chooses k by silhouette, finds the planted groups, names them and saves assignments by SQL', async () => {
    const result = await clusterCustomers(engine, {
      features: ['orders', 'recency_days', 'revenue', 'promo_share', 'email_open_rate'],
      seed: 1,
      kMax: 6,
    });
    expect(result.chosenBy).toBe('silhouette');
    expect(result.k).toBe(3);
    expect(result.silhouettes.map((s) => s.k)).toEqual([2, 3, 4, 5, 6]);
    expect(result.customers).toBe(1500);
    expect(result.saved).toBe(1500);
    const rows = await engine.query<{ truth: number; cluster: number; cluster_name: string }>(
      'SELECT f.truth, c.cluster, c.cluster_name FROM customer_features f JOIN customer_clusters c USING (customer_id) ORDER BY customer_id',
    );
    expect(
      adjustedRandIndex(
        rows.map((r) => r.truth),
        rows.map((r) => r.cluster),
      ),
    ).toBeGreaterThanOrEqual(0.95);
    // The SQL assignment agrees with the fitted sizes, and names come from profiles.
    for (const c of result.clusters) expect(rows.filter((r) => r.cluster === c.cluster).length).toBe(c.size);
    const lapsed = result.clusters.find(
      (c) => (c.features.find((f) => f.feature === 'recency_days')?.mean ?? 0) > 300,
    )!;
    expect(lapsed.name).toMatch(/lapsed|one-off|low-spend/);
    const bargain = result.clusters.find(
      (c) => (c.features.find((f) => f.feature === 'promo_share')?.mean ?? 0) > 0.5,
    )!;
    expect(bargain.name).toMatch(/discount driven/);
    expect(JSON.parse(JSON.stringify(result.state))).toEqual(result.state);
    expect(result.warnings.join(' ')).toMatch(/missing feature values/);
  });

  it('uses a given k and k-prototypes with a categorical attribute, deterministically', async () => {
    const a = await clusterCustomers(
      engine,
      { features: ['orders', 'revenue'], categorical: ['gender'], k: 3, seed: 5 },
      { save: false },
    );
    const b = await clusterCustomers(
      engine,
      { features: ['orders', 'revenue'], categorical: ['gender'], k: 3, seed: 5 },
      { save: false },
    );
    expect(a.chosenBy).toBe('user');
    expect(a.state).toEqual(b.state);
    expect(a.clusters.every((c) => c.modes.length === 1)).toBe(true);
    expect(a.saved).toBeNull();
  });

  it('rejects unknown or non-numeric features with a clear error', async () => {
    await expect(clusterCustomers(engine, { features: ['revenue', 'nope', 'gender'] })).rejects.toThrow(
      InputError,
    );
    await expect(clusterCustomers(engine, { features: ['revenue', 'nope', 'gender'] })).rejects.toThrow(
      /nope \(unknown\), gender \(a text column\)/,
    );
  });
});

describe('reaction-behaviour groups', () => {
  it('evaluates rules over orders and campaign events and cross-analyses them', async () => {
    const shop = await openShop();
    try {
      await buildFeatures(shop, { asOf: '2024-06-30' });
      await buildRfm(shop, { asOf: '2024-06-30' });
      const rules = parseBehaviourRules({
        behaviours: [
          {
            name: 'Women after e-mail',
            purchase: { category: 'women' },
            after: { campaignChannel: 'email', withinDays: 30 },
          },
          { name: 'Women any time', purchase: { category: 'Women' } },
          { name: 'Store buyer', purchase: { channel: 'store' } },
          { name: 'Promo buyer', purchase: { promo: true } },
        ],
      });
      const a = await analyseBehaviours(shop, rules);
      const count = (name: string) => a.behaviours.find((b) => b.name === name)!.customers;
      // c1 got the spring mail on 2024-03-01 and bought a dress on 2024-03-10; the January dress came before any mail.
      expect(count('Women after e-mail')).toBe(1);
      expect(count('Women any time')).toBe(1);
      expect(count('Store buyer')).toBe(2); // c1 (o3) and c2 (o4; o5 was cancelled)
      expect(count('Promo buyer')).toBe(1);
      expect(a.customers).toBe(4);
      const pair = a.cooccurrence.find((p) => p.a === 'Women any time' && p.b === 'Store buyer')!;
      expect(pair.both).toBe(1);
      expect(pair.lift).toBeCloseTo((1 * 4) / (1 * 2), 12);
      expect(
        a.byGroup.filter((g) => g.dimension === 'rfm_segment').reduce((s, g) => s + g.customers, 0),
      ).toBe(4);
      expect(() =>
        parseBehaviourRules([{ name: 'x', purchase: {}, after: { withinDays: -1, event: 'bounce' } }]),
      ).toThrow(/withinDays[\s\S]*event/);
    } finally {
      await shop.close();
    }
  });
});
