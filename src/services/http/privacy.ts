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

/** Read once per request session (a request's route and the app's last pass share it). */
const perSession = new WeakMap<Engine, Promise<number>>();
const requestSessions = new WeakSet<Engine>();

/** Marks a request's own session: settings read on it are read once for the request. */
export function markRequestSession(session: Engine): void {
  requestSessions.add(session);
}

/** The minimum cell size (`min_cell_size` setting, default 10), read once per request's session. */
export function minCellSize(engine: Engine): Promise<number> {
  let k = perSession.get(engine);
  if (!k) {
    k = getNumberSetting(engine, 'min_cell_size')
      .catch(() => DEFAULT_MIN_CELL_SIZE)
      .then((v) => Math.max(1, Math.floor(v)));
    // Any other engine (the root connection, the CLI) reads the setting every time.
    if (requestSessions.has(engine)) perSession.set(engine, k);
  }
  return k;
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
