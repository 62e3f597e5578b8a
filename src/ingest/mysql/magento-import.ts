import type { DuckDbEngine } from '../../store/index.js';
import { describeStaged, type ImportOptions, type ImportResult } from '../import-source.js';
import { loadStaged } from '../load/load.js';
import { MAGENTO_ID_SOURCE, MAGENTO_TARGETS, type MagentoOptions, stageMagento } from './magento.js';
import type { MySqlSourceOptions } from './stage.js';

export interface MagentoImportOptions extends ImportOptions, MagentoOptions {}

/**
 * Imports a Magento 2 shop database: customers, products, orders and order lines, in that order so that
 * references resolve, each in its own transaction (a failed table leaves the datamart as it was before
 * that table; the tables before it stay loaded). Customer ids are recorded under the source `magento`
 * (override with `options.source`), so a re-import updates instead of duplicating, and a CRM import can
 * be merged with the shop's customers by e-mail.
 *
 * @param engine The DuckDB datamart.
 * @param connection The shop database (URL or parts).
 * @param options Load options (dry run, reject rate, conflict rule …) plus the table prefix.
 * @returns One import result per table, in load order.
 * @throws ConnectorError (CONNECTION_FAILED) when the shop database is unreachable or not a Magento 2 schema.
 * @throws InputError (REJECT_RATE_EXCEEDED) when a table's rejects exceed `maxRejectRate`.
 * @example
 * const results = await importMagento(engine, { url: 'mysql://shop:pw@db:3306/magento' }, { maxRejectRate: 0.01 });
 */
export async function importMagento(
  engine: DuckDbEngine,
  connection: MySqlSourceOptions,
  options: MagentoImportOptions = {},
): Promise<ImportResult[]> {
  const { tablePrefix, onProgress, ...load } = options;
  const results: ImportResult[] = [];
  for (const [index, target] of MAGENTO_TARGETS.entries()) {
    onProgress?.({ phase: 'stage', step: target, done: index, total: MAGENTO_TARGETS.length });
    const { staged, mapping } = await stageMagento(engine, connection, target, { tablePrefix });
    try {
      if (options.dryRun) {
        results.push({
          dryRun: true,
          ...(await describeStaged(engine, staged, mapping, options.previewRows ?? 5)),
        });
        continue;
      }
      const summary = await loadStaged(engine, staged, mapping, {
        ...load,
        source: options.source ?? MAGENTO_ID_SOURCE,
        onProgress: (p) =>
          onProgress?.({ phase: 'load', step: `${target} ${p.step}`, done: p.done, total: p.total }),
      });
      results.push({ dryRun: false, ...summary });
    } finally {
      await staged.cleanup();
    }
  }
  return results;
}
