import { featureTableAsOf, latestOrderDate } from '../../../analytics/features/index.js';
import { NotFoundError } from '../../../errors.js';
import type { Engine } from '../../../store/index.js';

/**
 * The default dates a route uses when the caller names none, all derived from the orders in the datamart.
 * Without orders there is nothing to analyse: a 404 that says what to do.
 */
export async function lastOrderDay(engine: Engine): Promise<string> {
  const last = await latestOrderDate(engine);
  if (!last) throw new NotFoundError('No orders yet: import orders first (`clientele import`).');
  return last;
}

/** The day after the last order: an asOf that still sees every order. */
export async function dayAfterLastOrder(engine: Engine): Promise<string> {
  const d = new Date(`${await lastOrderDay(engine)}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}

/** The asOf of the built feature table, else the last order day. */
export async function featuresAsOf(engine: Engine): Promise<string> {
  return (await featureTableAsOf(engine)) ?? (await lastOrderDay(engine));
}
