/**
 * Loads the raw CDNOW 1/10th sample (`CDNOW_sample.txt`: whitespace-separated, no header,
 * `master_id sample_id yyyymmdd n_cds dollar_value`) through the normal import path (`importSource`: the
 * delimiter and the missing header are detected; rows counted and validated) as the raw table
 * `cdnow_sample`, then into `orders` with one order per transaction and customer_id = sample_id (1 … 2357),
 * as in the published summary files. The raw file has no order id, which the orders import requires, so
 * the last step numbers the transactions in SQL.
 */
import { join } from 'node:path';
import { importSource } from '../../../src/ingest/index.js';
import { DuckDbEngine, migrate } from '../../../src/store/index.js';

export const DATA_DIR = join(import.meta.dirname, '..', '..', '..', '..', 'shared', 'data', 'cdnow');
export const CDNOW_SAMPLE = join(DATA_DIR, 'CDNOW_sample.txt');

export async function loadCdnowSample(path = ':memory:'): Promise<DuckDbEngine> {
  const engine = await DuckDbEngine.open(path);
  await migrate(engine);
  const r = await importSource(engine, { path: CDNOW_SAMPLE, as: 'cdnow_sample' });
  if (r.dryRun || r.read !== 6919 || r.loaded !== 6919 || r.rejected !== 0)
    throw new Error(
      `CDNOW import: expected 6,919 rows read and loaded, got ${JSON.stringify(r).slice(0, 300)}`,
    );
  await engine.exec(`
    INSERT INTO orders (order_id, customer_id, order_date, total, source, load_id)
    -- column_3 arrives as a DATE (yyyymmdd detected) or as a number, depending on the profiler's verdict.
    SELECT CAST(row_number() OVER (ORDER BY column_2, column_3, column_5) AS VARCHAR), CAST(CAST(column_2 AS INTEGER) AS VARCHAR),
      coalesce(TRY_CAST(try_strptime(CAST(column_3 AS VARCHAR), '%Y%m%d') AS DATE), TRY_CAST(CAST(column_3 AS VARCHAR) AS DATE)),
      column_5, 'CDNOW_sample.txt', ${r.loadId}
    FROM cdnow_sample`);
  return engine;
}
