import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedShop } from '../../../test/support/shop.js';
import { DuckDbEngine } from '../../store/index.js';
import { buildFeatures } from '../features/index.js';
import { countSegment, segmentColumns } from './index.js';

/**
 * The columns and text values a count checks are kept per database while the tables stay the same
 * (`Engine.tablesVersion`); a changed table is read again, from any session of the database.
 */
let engine: DuckDbEngine;
beforeAll(async () => {
  engine = await DuckDbEngine.open(':memory:');
  await seedShop(engine);
  await buildFeatures(engine, { asOf: '2026-06-24' });
});
afterAll(async () => engine.close());

describe('the segment catalog cache', () => {
  it('sees a column added to the feature table, from another session too', async () => {
    await expect(countSegment(engine, 'shoe_size > 3')).rejects.toThrow(/shoe_size/);
    const other = await engine.session();
    await other.exec('ALTER TABLE customer_features ADD COLUMN shoe_size INTEGER DEFAULT 4');
    await other.close();
    expect((await countSegment(engine, 'shoe_size > 3')).count).toBe(200);
    expect((await segmentColumns(engine)).has('shoe_size')).toBe(true);
  });

  it('lists a text value again once rows with it arrive', async () => {
    const before = await countSegment(engine, "gender = 'x'");
    expect(before.unknownValues.map((u) => u.column)).toEqual(['gender']);
    await engine.exec(
      `INSERT INTO customer_features (customer_id, as_of, gender) VALUES ('NEW', DATE '2026-06-24', 'x')`,
    );
    const after = await countSegment(engine, "gender = 'x'");
    expect(after.count).toBe(1);
    expect(after.unknownValues).toEqual([]);
  });

  it('is dropped when the feature table is rebuilt', async () => {
    await buildFeatures(engine, { asOf: '2026-06-24' });
    expect((await segmentColumns(engine)).has('shoe_size')).toBe(false);
    expect((await countSegment(engine, "gender = 'x'")).unknownValues.map((u) => u.column)).toEqual([
      'gender',
    ]);
  });
});
