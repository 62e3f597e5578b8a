import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openShop } from '../../../test/support/tiny-shop.js';
import { NotFoundError } from '../../errors.js';
import type { DuckDbEngine } from '../../store/index.js';
import { buildFeatures } from '../features/index.js';
import { createSegment, deleteSegment, recordSegmentSizes, segmentSizeHistory } from './index.js';

/** Issue 18: each stored segment's size over time (on create, on each refresh, daily while serving). */
let engine: DuckDbEngine;
const t0 = new Date('2024-07-01T09:00:00Z');
const hours = (h: number) => new Date(t0.getTime() + h * 3_600_000);

beforeAll(async () => {
  engine = await openShop();
  await buildFeatures(engine, { asOf: '2024-01-31' });
});
afterAll(async () => {
  await engine.close();
});

describe('segment size history', () => {
  it('records the size on create, after a refresh that changes it, and daily when asked', async () => {
    await createSegment(engine, { name: 'buyers', expression: 'orders >= 1', now: t0 });
    const first = await segmentSizeHistory(engine, 'buyers');
    expect(first).toHaveLength(1);
    expect(first[0]).toMatchObject({ asOf: '2024-01-31' });

    // Nothing changed: nothing recorded.
    expect((await recordSegmentSizes(engine, { now: hours(1) })).recorded).toEqual([]);

    // The feature view refreshed to a later date: the segment grew, and its new size is a second point.
    await buildFeatures(engine, { asOf: '2024-06-30' });
    expect((await recordSegmentSizes(engine, { now: hours(2) })).recorded).toEqual(['buyers']);
    const second = await segmentSizeHistory(engine, 'buyers');
    expect(second.map((h) => h.asOf)).toEqual(['2024-01-31', '2024-06-30']);
    expect(second[1]!.size).toBeGreaterThan(second[0]!.size);
    const [{ n } = { n: 0 }] = await engine.query<{ n: number }>(
      `SELECT count(DISTINCT customer_id) AS n FROM orders WHERE order_date <= DATE '2024-06-30' AND lower(coalesce(status, 'completed')) NOT IN ('cancelled', 'canceled')`,
    );
    expect(second[1]!.size).toBe(Number(n));

    // A server's daily record: the same size again once a day has passed, not before.
    expect((await recordSegmentSizes(engine, { now: hours(10), everyHours: 24 })).recorded).toEqual([]);
    expect((await recordSegmentSizes(engine, { now: hours(27), everyHours: 24 })).recorded).toEqual([
      'buyers',
    ]);
    expect(await segmentSizeHistory(engine, 'buyers')).toHaveLength(3);
  });

  it('deletes a segment with its history', async () => {
    await createSegment(engine, { name: 'gone', expression: 'orders >= 2', now: t0 });
    expect(await segmentSizeHistory(engine, 'gone')).toHaveLength(1);
    await deleteSegment(engine, 'gone');
    await expect(segmentSizeHistory(engine, 'gone')).rejects.toThrow(NotFoundError);
    const [{ n } = { n: 1 }] = await engine.query<{ n: number }>(
      `SELECT count(*) AS n FROM segment_sizes WHERE name = 'gone'`,
    );
    expect(Number(n)).toBe(0);
  });
});
