import { describe, expect, it } from 'vitest';
import { frameFromColumns } from './table.js';

describe('frameFromColumns', () => {
  const data = {
    customerID: ['a', 'b', 'c', 'd'],
    plan: ['basic', 'pro', null, 'pro'],
    total: ['10.5', ' ', '3', '7'],
    signup: ['2024-01-01', '2024-01-02', null, '2024-01-03'],
    churn: ['Yes', 'No', 'No', null],
    as_of: ['2024-02-01', '2024-02-01', '2024-03-01', '2024-03-01'],
  };

  it('reads numbers stored as text as numeric, blanks as missing, and dates as ages in days to the row’s as_of', () => {
    const t = frameFromColumns(data, { target: 'churn' });
    const total = t.frame.columns.find((c) => c.name === 'total');
    expect(total?.kind).toBe('numeric');
    expect(total?.kind === 'numeric' && Array.from(total.values)).toEqual([10.5, Number.NaN, 3]);
    const signup = t.frame.columns.find((c) => c.name === 'signup');
    // 2024-02-01 − 2024-01-01 = 31 days, 2024-02-01 − 2024-01-02 = 30; no absolute date (19723) reaches a model.
    expect(signup?.kind === 'numeric' && Array.from(signup.values)).toEqual([31, 30, Number.NaN]);
    expect(signup?.kind === 'numeric' && signup.origin).toBe('age');
    expect(t.referenceDate).toBe('2024-03-01');
    expect(t.skipped.map((s) => s.column)).toContain('as_of');
    expect(t.warnings.some((w) => w.includes('"total" holds numbers stored as text (1 blank)'))).toBe(true);
  });

  it('maps the label to 0/1 with yes as positive, counts dropped unlabelled rows, keeps ids', () => {
    const t = frameFromColumns(data, { target: 'churn' });
    expect(t.positive).toBe('Yes');
    expect(Array.from(t.y)).toEqual([1, 0, 0]);
    expect(t.droppedRows).toBe(1);
    expect(t.ids).toEqual(['a', 'b', 'c']);
    expect(t.idColumn).toBe('customerID');
    expect(t.frame.columns.map((c) => c.name)).toEqual(['plan', 'total', 'signup']);
    expect(t.skipped.map((s) => s.column)).toEqual(['as_of']);
  });

  it('leaves out an absolute date when there is no as_of or cutoff to measure an age from', () => {
    const { as_of: _asOf, ...noReference } = data;
    const t = frameFromColumns(noReference, { target: 'churn' });
    expect(t.frame.columns.map((c) => c.name)).toEqual(['plan', 'total']);
    expect(t.skipped.find((s) => s.column === 'signup')?.reason).toMatch(/absolute date/);
  });

  it('leaves out identifiers, contact details, postcodes and near-unique categories unless included', () => {
    const n = 200;
    const rows = Array.from({ length: n }, (_, i) => i);
    const t = frameFromColumns(
      {
        customer_id: rows.map((i) => `C${i}`),
        postcode: rows.map((i) => String(10000 + (i % 150))),
        area_name: rows.map((i) => `Area ${i % 60}`),
        email: rows.map((i) => `c${i}@example.com`),
        street: rows.map((i) => `Street ${i % 90}`),
        city: rows.map((i) => `City ${i % 70}`),
        region: rows.map((i) => `R${i % 5}`),
        cluster_name: rows.map((i) => `cluster ${i % 3}`),
        orders: rows.map((i) => i % 7),
        consent_email: rows.map((i) => i % 3 === 0),
        share_channel_phone: rows.map((i) => (i % 4) / 4),
        churn: rows.map((i) => (i % 4 === 0 ? 'yes' : 'no')),
      },
      { target: 'churn' },
    );
    expect(t.frame.columns.map((c) => c.name)).toEqual([
      'region',
      'cluster_name',
      'orders',
      'consent_email',
      'share_channel_phone',
    ]);
    expect(t.skipped.map((s) => s.column)).toEqual(['postcode', 'area_name', 'email', 'street', 'city']);
    expect(t.skipped.find((s) => s.column === 'city')?.reason).toMatch(/near-unique: 70 distinct values/);
    const forced = frameFromColumns(
      { postcode: rows.map((i) => String(10000 + (i % 150))), churn: rows.map((i) => (i % 2 ? 'y' : 'n')) },
      { target: 'churn', include: ['postcode'] },
    );
    expect(forced.frame.columns.map((c) => c.name)).toEqual(['postcode']);
  });

  it('rejects a label with more than two values', () => {
    expect(() => frameFromColumns({ x: [1, 2, 3], y: ['a', 'b', 'c'] }, { target: 'y' })).toThrow(
      /exactly two label values/,
    );
  });
});

describe('loadTable', () => {
  it('matches column names case-insensitively when that names one column (--target Churn on churn)', async () => {
    const { DuckDbEngine } = await import('../../store/index.js');
    const { loadTable } = await import('./table.js');
    const engine = await DuckDbEngine.open(':memory:');
    try {
      await engine.exec(
        "CREATE TABLE t AS SELECT * FROM (VALUES ('a', 1.0, 'yes'), ('b', 2.0, 'no'), ('c', 3.0, 'yes')) v(id, x, churn)",
      );
      const loaded = await loadTable(engine, 't', { target: 'Churn', idColumn: 'ID' });
      expect(loaded.ids).toEqual(['a', 'b', 'c']);
      expect(Array.from(loaded.y)).toEqual([1, 0, 1]);
      expect(loaded.target).toBe('churn');
      await expect(loadTable(engine, 't', { target: 'Churned' })).rejects.toThrow(
        /expected column "Churned"/,
      );
    } finally {
      await engine.close();
    }
  });
});
