import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { seedShop } from '../../../test/support/shop.js';
import { DuckDbEngine } from '../../store/index.js';
import { buildFeatures } from '../features/index.js';
import { CLUSTER_RUNS_TABLE, CLUSTERS_TABLE, clusterCustomers, latestClusterRun } from './index.js';

/**
 * Issue 18: a cluster run's assignments (customer_clusters) and its summary (cluster_runs) are written in one
 * transaction. The run's write is made to fail with a real engine error (cluster_runs is a view, which
 * CREATE OR REPLACE TABLE cannot replace): neither table may change.
 */
let engine: DuckDbEngine;
beforeEach(async () => {
  engine = await DuckDbEngine.open(':memory:');
  await seedShop(engine);
  await buildFeatures(engine, { asOf: '2026-06-24' });
});
afterEach(async () => {
  await engine.close();
});

const tableExists = async (name: string) =>
  (
    await engine.query<{ n: number }>(
      `SELECT count(*) AS n FROM information_schema.tables WHERE table_name = '${name}' AND table_type = 'BASE TABLE'`,
    )
  )[0]?.n === 1;

describe('cluster runs are written with their assignments, atomically', () => {
  it('writes both on success', async () => {
    const r = await clusterCustomers(engine, { k: 3, seed: 1 });
    expect(r.saved).toBeGreaterThan(0);
    expect((await latestClusterRun(engine))?.k).toBe(3);
    const [row] = await engine.query<{ n: number }>(`SELECT count(*) AS n FROM ${CLUSTERS_TABLE}`);
    expect(Number(row?.n)).toBe(r.saved);
  });

  it('leaves neither when the run cannot be written after the assignments', async () => {
    await engine.exec(`CREATE VIEW ${CLUSTER_RUNS_TABLE} AS SELECT 1 AS x`);
    await expect(clusterCustomers(engine, { k: 3, seed: 1 })).rejects.toThrow();
    expect(await tableExists(CLUSTERS_TABLE)).toBe(false);
  });

  it('keeps the previous run and its assignments together when the next one fails', async () => {
    await clusterCustomers(engine, { k: 2, seed: 1 });
    const before = await engine.query(`SELECT * FROM ${CLUSTERS_TABLE} ORDER BY customer_id`);
    // The kept run now lives behind a view: replacing it fails mid-way through the k = 4 run.
    await engine.exec(`CREATE TABLE kept_run AS SELECT * FROM ${CLUSTER_RUNS_TABLE}`);
    await engine.exec(`DROP TABLE ${CLUSTER_RUNS_TABLE}`);
    await engine.exec(`CREATE VIEW ${CLUSTER_RUNS_TABLE} AS SELECT * FROM kept_run`);
    await expect(clusterCustomers(engine, { k: 4, seed: 1 })).rejects.toThrow();
    expect(await engine.query(`SELECT * FROM ${CLUSTERS_TABLE} ORDER BY customer_id`)).toEqual(before);
    expect((await latestClusterRun(engine))?.k).toBe(2);
    const [max] = await engine.query<{ m: number }>(`SELECT max(cluster) AS m FROM ${CLUSTERS_TABLE}`);
    expect(Number(max?.m)).toBe(1);
  });
});
