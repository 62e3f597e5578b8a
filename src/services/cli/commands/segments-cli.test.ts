import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { cliOn } from '../../../../test/support/cli.js';
import { openShop } from '../../../../test/support/tiny-shop.js';
import { DuckDbEngine } from '../../../store/index.js';
import { runCli } from '../main.js';

let db: string;
let dir: string;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'clientele-seg-cli-'));
  db = join(dir, 'shop.duckdb');
  const engine = await openShop(db);
  await engine.close();
});

const cli = cliOn(() => db);

describe('CLI: features, rfm, segment', () => {
  it('builds features, scores RFM, counts, creates, shows and exports segments with --json', async () => {
    const built = await cli('features', 'build', '--as-of', '2024-06-30', '--json');
    expect(built.exitCode).toBe(0);
    expect(built.json).toMatchObject({
      table: 'customer_features',
      asOf: '2024-06-30',
      rows: 4,
      buyers: 3,
      rfmRows: 3,
    });
    const sql = await cli('sql', 'SELECT count(*) AS n FROM customer_features WHERE orders > 0', '--json');
    expect(sql.json.rows).toEqual([{ n: 3 }]);

    const rfm = await cli('rfm', '--as-of', '2024-06-30', '--compare', '2024-03-31', '--json');
    expect(rfm.exitCode).toBe(0);
    expect(rfm.json).toMatchObject({ asOf: '2024-06-30', kind: 'rfm', bins: 5, scored: 3, notScored: 1 });
    expect(rfm.json.transitions.states).toContain('No purchase');
    const human = await cli('rfm', '--as-of', '2024-06-30');
    expect(human.stdout).toMatch(/RFM as of 2024-06-30: 3 customers scored/);

    const mapFile = join(dir, 'map.yaml');
    writeFileSync(
      mapFile,
      'segments:\n  - name: Recent\n    r: 4-5\n    f: 1-5\n  - name: Older\n    r: 1-3\n    f: 1-5\n',
    );
    const mapped = await cli('rfm', '--as-of', '2024-06-30', '--map', mapFile, '--json');
    expect(mapped.json.segments.map((s: { segment: string }) => s.segment).sort()).toEqual([
      'Older',
      'Recent',
    ]);

    const count = await cli(
      'segment',
      'count',
      "gender = 'f' and last_order >= today - 30d",
      '--sql',
      '--json',
    );
    expect(count.json).toMatchObject({
      count: 2,
      total: 4,
      share: 0.5,
      expression: "gender = 'f' and last_order >= today - 30d",
    });
    expect(count.json.sql).toMatch(/customer_features/);

    expect((await cli('segment', 'create', 'Women', "gender = 'f'", '--json')).json).toMatchObject({
      name: 'Women',
      count: 2,
    });
    expect((await cli('segment', 'list', '--json')).json.segments).toHaveLength(1);
    const show = await cli('segment', 'show', 'Women');
    expect(show.stdout).toMatch(/Size 2 of 4/);
    const out = join(dir, 'women.csv');
    const exported = await cli(
      'segment',
      'export',
      'Women',
      '--format',
      'csv',
      '--channel',
      'email',
      '--out',
      out,
      '--json',
    );
    expect(exported.json).toMatchObject({ size: 2, exported: 1, excluded: { noAddress: 1 } });
  });

  it('bad input: exit 2 with a message that says where, what and what to do', async () => {
    const bad = await cli('segment', 'count', 'age >> 3', '--json');
    expect(bad.exitCode).toBe(2);
    expect(bad.json.error).toMatchObject({ code: 'PARSE_ERROR', details: { position: 6 } });
    expect(bad.stderr).toMatch(/position 6: expected a value/);
    const date = await cli('features', 'build', '--as-of', '2024-02-30');
    expect(date.exitCode).toBe(2);
    expect(date.stderr).toMatch(/--as-of: expected a date YYYY-MM-DD/);
    const missing = await cli('segment', 'show', 'Nope');
    expect(missing.exitCode).toBe(2);
    expect(missing.stderr).toMatch(/Segment "Nope" does not exist/);
  });
});

describe('CLI: cluster', () => {
  it('clusters, names and saves; behaviours from a YAML file; too few customers is a clear error', async () => {
    const small = await cli('cluster', '--json');
    expect(small.exitCode).toBe(2);
    expect(small.stderr).toMatch(/too few/);
    const rules = join(dir, 'behaviours.yaml');
    writeFileSync(
      rules,
      'behaviours:\n  - name: Store buyer\n    purchase: { channel: store }\n  - name: Dress after mail\n    purchase: { category: Women }\n    after: { campaignChannel: email, withinDays: 30 }\n',
    );
    const b = await cli('cluster', 'behaviours', '--rules', rules, '--json');
    expect(b.exitCode).toBe(0);
    expect(b.json.behaviours).toEqual([
      { name: 'Store buyer', customers: 2, share: 0.5 },
      { name: 'Dress after mail', customers: 1, share: 0.25 },
    ]);

    const bigDb = join(dir, 'big.duckdb');
    const engine = await DuckDbEngine.open(bigDb);
    await engine.exec(`CREATE TABLE customer_features AS
      SELECT 'c' || lpad(CAST(i AS VARCHAR), 4, '0') AS customer_id, DATE '2024-06-30' AS as_of,
        CASE i % 2 WHEN 0 THEN 10 + (i % 3) ELSE 1 END AS orders,
        CAST(CASE i % 2 WHEN 0 THEN 1000 + (i % 50) ELSE 20 + (i % 10) END AS DOUBLE) AS revenue
      FROM range(400) t(i)`);
    await engine.close();
    let stdout = '';
    const { exitCode } = await runCli(
      ['cluster', '--features', 'orders,revenue', '--k-max', '4', '--db', bigDb],
      {
        stdout: (s) => (stdout += s),
        stderr: () => undefined,
      },
    );
    expect(exitCode).toBe(0);
    expect(stdout).toMatch(/400 customers as of 2024-06-30 in 2 clusters \(k chosen by silhouette/);
    expect(stdout).toMatch(/high-spend|frequent/);
  });
});
