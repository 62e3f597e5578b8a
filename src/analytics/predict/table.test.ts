import { describe, expect, it } from 'vitest';
import { frameFromColumns } from './table.js';

describe('frameFromColumns', () => {
  const data = {
    customerID: ['a', 'b', 'c', 'd'],
    plan: ['basic', 'pro', null, 'pro'],
    total: ['10.5', ' ', '3', '7'],
    signup: ['2024-01-01', '2024-01-02', null, '2024-01-03'],
    churn: ['Yes', 'No', 'No', null],
  };

  it('reads numbers stored as text as numeric, blanks as missing, and ISO dates as days', () => {
    const t = frameFromColumns(data, { target: 'churn' });
    const total = t.frame.columns.find((c) => c.name === 'total');
    expect(total?.kind).toBe('numeric');
    expect(total?.kind === 'numeric' && Array.from(total.values)).toEqual([10.5, Number.NaN, 3]);
    const signup = t.frame.columns.find((c) => c.name === 'signup');
    expect(signup?.kind === 'numeric' && Array.from(signup.values)).toEqual([19723, 19724, Number.NaN]);
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
  });

  it('rejects a label with more than two values', () => {
    expect(() => frameFromColumns({ x: [1, 2, 3], y: ['a', 'b', 'c'] }, { target: 'y' })).toThrow(
      /exactly two label values/,
    );
  });
});
