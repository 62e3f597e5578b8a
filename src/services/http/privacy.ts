import { columnsOf, parseSegment } from '../../analytics/segments/index.js';
import { DEFAULT_MIN_CELL_SIZE, personalFieldsIn } from '../../analytics/shared/privacy.js';
import { type Engine, getNumberSetting } from '../../store/index.js';
import { HttpError } from './error-map.js';
import type { TokenInfo } from './types.js';

/**
 * What a viewer may see (docs/security.md): aggregates over at least k customers, computed from expressions
 * that use no personal field. Analysts and admins see personal data (and every read of it is audited).
 */

/** Whether the caller gets privacy-filtered answers. */
export function isViewer(caller: TokenInfo): boolean {
  return caller.role === 'viewer';
}

/** The minimum cell size (`min_cell_size` setting, default 10). */
export async function minCellSize(engine: Engine): Promise<number> {
  const k = await getNumberSetting(engine, 'min_cell_size').catch(() => DEFAULT_MIN_CELL_SIZE);
  return Math.max(1, Math.floor(k));
}

/** Refuses (403) a viewer's segment expression that filters on a personal field. */
export function assertNoPersonalFields(caller: TokenInfo, expression: string): void {
  if (!isViewer(caller)) return;
  const personal = personalFieldsIn(columnsOf(parseSegment(expression)).map((c) => c.name));
  if (personal.length === 0) return;
  throw new HttpError(
    403,
    'FORBIDDEN',
    `Viewers cannot filter, group or sort on personal fields (${personal.join(', ')}). Use attributes such as age, gender, region or behaviour, or ask an analyst.`,
  );
}
