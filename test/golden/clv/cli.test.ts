/**
 * The CLI on CDNOW: `clv fit --json` prints the published BG/NBD parameters (FHL 2005 §7, 0.5 %), the model
 * round-trips through --save / --model-file, `clv predict` writes clv_scores with tiers, `clv report` gives
 * the holdout figures (0.626 correlation), `profit` the Pareto curve. Bad flags exit 2 with a clear message.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { cliOn } from '../../../test/support/cli.js';
import { CDNOW_COLUMNS, CDNOW_SAMPLE } from './cdnow.js';

let db: string;
let dir: string;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'clientele-clv-cli-'));
  db = join(dir, 'cdnow.duckdb');
  // The raw log, with one command and no SQL (issue 12): --create makes the datamart file in the same step.
  const r = await cli(
    'import',
    CDNOW_SAMPLE,
    '--target',
    'orders',
    `--columns=${CDNOW_COLUMNS.join(',')}`,
    '--create',
    '--json',
  );
  expect(r.exitCode, r.stderr).toBe(0);
  expect(r.json).toMatchObject({ read: 6919, loaded: 6919, rejected: 0, customersCreated: 2357 });
});

const cli = cliOn(() => db);

it('re-importing the log changes nothing (derived order ids are stable)', async () => {
  const r = await cli(
    'import',
    CDNOW_SAMPLE,
    '--target',
    'orders',
    `--columns=${CDNOW_COLUMNS.join(',')}`,
    '--json',
  );
  expect(r.json).toMatchObject({ read: 6919, unchanged: 6919, inserted: 0, customersCreated: 0 });
});

describe('clientele clv / profit on CDNOW', () => {
  it('fits BG/NBD with --json (paper names, LL, iterations, seconds) and saves the model', async () => {
    const file = join(dir, 'bgnbd.json');
    const r = await cli(
      'clv',
      'fit',
      '--model',
      'bgnbd',
      '--calibration-end',
      '1997-09-30',
      '--unit',
      'week',
      '--holdout-end',
      '1998-06-30',
      '--save',
      file,
      '--json',
    );
    expect(r.exitCode).toBe(0);
    const j = r.json;
    expect(Object.keys(j.params)).toEqual(['r', 'alpha', 'a', 'b']);
    expect(Math.abs(j.params.r / 0.243 - 1)).toBeLessThan(0.005);
    expect(Math.abs(j.params.b / 2.426 - 1)).toBeLessThan(0.005);
    expect(Math.abs(j.logLikelihood + 9582.4)).toBeLessThan(0.1);
    expect(j).toMatchObject({
      converged: true,
      customers: 2357,
      calibrationEnd: '1997-09-30',
      unit: 'week',
      saved: file,
    });
    expect(j.iterations).toBeGreaterThan(0);
    expect(j.seconds).toBeGreaterThan(0);
    expect(j.cpuSeconds).toBeGreaterThan(0); // CPU of summary + fit, for the peer benches
    expect(Object.keys(j.standardErrors)).toEqual(['r', 'alpha', 'a', 'b']);
    expect(JSON.parse(readFileSync(file, 'utf8')).module).toBe('clv');
  });

  it('predicts from the saved model, fits the spend model on the fly and writes clv_scores with tiers', async () => {
    const r = await cli(
      'clv',
      'predict',
      '--model-file',
      join(dir, 'bgnbd.json'),
      '--horizon',
      '52',
      '--margin',
      '0.3',
      '--json',
    );
    expect(r.exitCode).toBe(0);
    const j = r.json;
    expect(j.modelId).toBe('bgnbd+gammagamma');
    expect(j.customers).toBe(2357);
    expect(j.tiers.map((t: { tier: string }) => t.tier)).toEqual(['gold', 'silver', 'bronze', 'standard']);
    const gold = j.tiers[0];
    expect(gold.customers).toBeGreaterThanOrEqual(Math.floor(0.05 * 2357) - 5);
    expect(gold.customers).toBeLessThanOrEqual(Math.ceil(0.05 * 2357) + 5);
    expect(j.top[0].tier).toBe('gold');
    expect(j.top[0].marginRatio).toBe(0.3);
    const q = await cli(
      'sql',
      'SELECT count(*) AS n, max(p_alive) AS hi, min(p_alive) AS lo FROM clv_scores',
      '--json',
    );
    expect(q.json.rows[0].n).toBe(2357);
    expect(q.json.rows[0].hi).toBeLessThanOrEqual(1);
  });

  it('reports calibration vs holdout', async () => {
    const r = await cli('clv', 'report', '--model-file', join(dir, 'bgnbd.json'), '--json');
    expect(r.exitCode).toBe(0);
    const j = r.json;
    expect(Math.abs(j.errors.model.correlation - 0.626)).toBeLessThan(0.001);
    expect(j.zeroClass).toMatchObject({ customers: 1411, actualTotal: 334 });
    const human = await cli('clv', 'report', '--model-file', join(dir, 'bgnbd.json'));
    expect(human.stdout).toMatch(/beats the naive baseline/);
  });

  it('computes profitability and the Pareto curve', async () => {
    const r = await cli('profit', '--as-of', '1998-06-30', '--json');
    expect(r.exitCode).toBe(0);
    const j = r.json;
    // CDNOW has neither discounts nor returns: net revenue = gross sales = Σ amounts.
    expect(j.totals.netRevenue).toBeCloseTo(244091.94, 2);
    expect(j.totals.grossSales).toBeCloseTo(244091.94, 2);
    expect(j.pareto.customers).toBe(2357);
    const top20 = j.pareto.points.find((p: { customerShare: number }) => p.customerShare === 0.2);
    expect(top20.profitShare).toBeGreaterThan(0.5);
  });

  it('exits 2 with a plain message on bad flags', async () => {
    const r = await cli('clv', 'fit', '--model', 'bgnbd', '--calibration-end', '1997-13-45');
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/--calibration-end: expected a date/);
    const m = await cli('clv', 'fit', '--model', 'nope', '--calibration-end', '1997-09-30', '--unit', 'year');
    expect(m.exitCode).toBe(2);
    expect(m.stderr).toMatch(/model: expected one of bgnbd, pareto, gammagamma, sbg/);
    expect(m.stderr).toMatch(/unit: expected one of day, week, month/);
    const s = await cli('clv', 'predict', '--model-file', join(dir, 'missing.json'));
    expect(s.exitCode).toBe(2);
  });
});
