/**
 * Loads the raw CDNOW 1/10th sample (`CDNOW_sample.txt`: whitespace-separated, no header,
 * `master_id sample_id yyyymmdd n_cds dollar_value`) into a fresh in-memory datamart's orders table.
 * One row per transaction; customer_id = sample_id (1 … 2357), as in the published summary files.
 */
import { join } from 'node:path';
import { DuckDbEngine, migrate } from '../../../src/store/index.js';

export const DATA_DIR = join(import.meta.dirname, '..', '..', '..', '..', 'shared', 'data', 'cdnow');
export const CDNOW_SAMPLE = join(DATA_DIR, 'CDNOW_sample.txt');

export async function loadCdnowSample(path = ':memory:'): Promise<DuckDbEngine> {
  const engine = await DuckDbEngine.open(path);
  await migrate(engine);
  await engine.exec(`
    INSERT INTO orders (order_id, customer_id, order_date, total, source, load_id)
    SELECT CAST(row_number() OVER () AS VARCHAR), CAST(CAST(f[2] AS INTEGER) AS VARCHAR),
      strptime(f[3], '%Y%m%d')::DATE, CAST(f[5] AS DOUBLE), 'CDNOW_sample.txt', 0
    FROM (SELECT string_split_regex(trim(line), '\\s+') AS f
          FROM read_csv('${CDNOW_SAMPLE}', columns = {'line': 'VARCHAR'}, header = false, delim = '\\x01'))`);
  return engine;
}
