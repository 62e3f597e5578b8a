/**
 * Loads the raw CDNOW 1/10th sample (`CDNOW_sample.txt`: whitespace-separated, no header,
 * `master_id sample_id yyyymmdd n_cds dollar_value`) into `orders` through the normal import, as a user
 * would with one command and no SQL:
 *
 *   clientele import CDNOW_sample.txt --target orders --columns -,customer_id,order_date,-,total
 *
 * The delimiter and the missing header are detected; the yyyymmdd dates are profiled; each transaction
 * gets a derived order id (`<customer>/<yyyy-mm-dd>/<n>`, see docs/import.md) and the 2,357 customers
 * (customer_id = sample_id as written, `0001` … `2357`) are created, as the datamart has none yet.
 */
import { join } from 'node:path';
import { importSource } from '../../../src/ingest/index.js';
import { DuckDbEngine, migrate } from '../../../src/store/index.js';

export const DATA_DIR = join(import.meta.dirname, '..', '..', '..', '..', 'shared', 'data', 'cdnow');
export const CDNOW_SAMPLE = join(DATA_DIR, 'CDNOW_sample.txt');
/** The columns of the headerless sample, as `--columns` names them ('-' skips one). */
export const CDNOW_COLUMNS = ['-', 'customer_id', 'order_date', '-', 'total'];

/** CDNOW's customer number n (1 … 2357) as the import stores it: the sample id as written. */
export const cdnowId = (n: number): string => String(n).padStart(4, '0');

export async function loadCdnowSample(path = ':memory:'): Promise<DuckDbEngine> {
  const engine = await DuckDbEngine.open(path);
  await migrate(engine);
  const r = await importSource(engine, { path: CDNOW_SAMPLE, target: 'orders', columns: CDNOW_COLUMNS });
  if (r.dryRun || r.read !== 6919 || r.loaded !== 6919 || r.rejected !== 0 || r.customersCreated !== 2357)
    throw new Error(
      `CDNOW import: expected 6,919 rows read and loaded and 2,357 customers created, got ${JSON.stringify(r).slice(0, 300)}`,
    );
  return engine;
}
