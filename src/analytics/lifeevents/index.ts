/**
 * Life events and behaviour change per customer: a burst of purchases in a life-event category (a new baby,
 * a move, a wedding), and a switch of channel, each judged against the customer's own history with a binomial
 * test (Bonferroni over the candidate days) so that noise is not flagged. Results go to `life_events` (one row
 * per event, with its evidence in plain words) and `customer_life_events` (one row per customer with an
 * event: usable in segments as `life_event = 'new_baby' and life_event_days <= 90`).
 */
import { type Engine, ident, sql, tableExists, writeColumns } from '../../store/index.js';
import { defaultAsOf } from '../overview/index.js';
import type { Language } from '../shared/field-labels.js';
import {
  type BreakCandidate,
  type BreakEvent,
  type Candidate,
  type DetectedEvent,
  detect,
  detectBreaks,
  toChannelSwitches,
} from './core.js';
import { breakEvidenceText, evidenceIn, evidenceText } from './explain.js';
import { type LifeEventParams, parseParams } from './params.js';
import {
  breakCandidatesSql,
  type CustomerSlice,
  categoryCandidatesSql,
  channelCandidatesSql,
  sharesSql,
  sliceStartsSql,
} from './sql.js';

export { binomialUpperTail, type Candidate, type DetectedEvent, detect, detectBreaks } from './core.js';
export { evidenceIn, LIFE_EVENT_TEXTS } from './explain.js';
export {
  type CategoryEventRule,
  DEFAULT_RULES as DEFAULT_LIFE_EVENT_RULES,
  defaults as lifeEventDefaults,
  type LifeEventParams,
  parseParams as parseLifeEventParams,
} from './params.js';

export const LIFE_EVENTS_TABLE = 'life_events';
export const CUSTOMER_LIFE_EVENTS_TABLE = 'customer_life_events';

export interface LifeEvent {
  customerId: string;
  type: string;
  date: string;
  evidence: string;
  pValue: number;
}

export interface LifeEventResult {
  asOf: string;
  /** Events per type. */
  counts: Record<string, number>;
  customers: number;
  /** Candidate days examined (category purchases and channel changes). */
  candidates: number;
  events: number;
  warnings: string[];
}

function dayOf(iso: string): number {
  const [y, m, d] = iso.split('-').map(Number) as [number, number, number];
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  return era * 146097 + yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy - 719468;
}

function isoOfDay(day: number): string {
  const z = day + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  const y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

async function candidates(engine: Engine, q: Parameters<Engine['queryColumns']>[0]): Promise<Candidate[]> {
  const c = await engine.queryColumns(q);
  const n = (c.customer_id ?? []).length;
  const out: Candidate[] = new Array(n);
  for (let i = 0; i < n; i++)
    out[i] = {
      customerId: String(c.customer_id![i]),
      type: String(c.type![i]),
      day: Number(c.day![i]),
      nBefore: Number(c.n_before![i]),
      hBefore: Number(c.h_before![i]),
      m: Number(c.m![i]),
      k: Number(c.k![i]),
      kOrders: Number(c.k_orders![i]),
      ordersBefore: Number(c.orders_before![i]),
      firstDay: Number(c.first_day![i]),
    };
  return out;
}

/** Finds the events of every customer (no writes). */
export async function findLifeEvents(
  engine: Engine,
  input: Partial<LifeEventParams> = {},
): Promise<{ asOf: string; events: LifeEvent[]; candidates: number; params: LifeEventParams }> {
  const params = parseParams(input);
  const asOf = params.asOf ?? (await defaultAsOf(engine));
  const d = engine.dialect;
  const ruleShares = new Map<string, number>();
  const channelShares = new Map<string, number>();
  for (const r of await engine.query<{ kind: string; name: string; n: number; total: number }>(
    sharesSql(d, asOf, params.rules),
  ))
    (r.kind === 'rule' ? ruleShares : channelShares).set(
      String(r.name),
      Number(r.total) > 0 ? Number(r.n) / Number(r.total) : 0,
    );
  const windows = new Map(params.rules.map((r) => [r.type, r.windowDays]));
  const toEvent = (e: DetectedEvent): LifeEvent => ({
    customerId: e.customerId,
    type: e.type,
    date: isoOfDay(e.day),
    evidence: evidenceText(e, isoOfDay, windows.get(e.type) ?? null),
    pValue: e.pValue,
  });
  // Slices of `batchCustomers` customers: every test is within one customer, so the slices' events together
  // are the whole shop's; only one slice's candidates are in memory at a time.
  const starts = (
    await engine.query<{ customer_id: string }>(sliceStartsSql(d, asOf, params.batchCustomers))
  ).map((r) => String(r.customer_id));
  const slices: (CustomerSlice | null)[] =
    starts.length <= 1
      ? [null]
      : starts.map((from, i) => ({ from: i === 0 ? null : from, to: starts[i + 1] ?? null }));
  const found: LifeEvent[] = [];
  let candidateCount = 0;
  for (const slice of slices) {
    const cat = params.rules.length
      ? await candidates(engine, categoryCandidatesSql(d, asOf, params.rules, slice))
      : [];
    const chan = await candidates(engine, channelCandidatesSql(d, asOf, params.minSwitchHistory, slice));
    candidateCount += cat.length + chan.length;
    const categoryEvents = detect(cat, {
      alpha: params.alpha,
      minHistoryOrders: params.minHistoryOrders,
      priorOrders: params.priorLines,
      minEventOrders: params.minEventOrders,
      minWindowShare: 0,
      shares: ruleShares,
      skipUsual: false,
    });
    const switches = toChannelSwitches(
      detect(chan, {
        alpha: params.alpha,
        minHistoryOrders: params.minSwitchHistory,
        priorOrders: params.priorOrders,
        minEventOrders: params.minSwitchOrders,
        minWindowShare: 0.6,
        shares: channelShares,
        skipUsual: true,
      }),
    );
    for (const e of [...categoryEvents, ...switches]) found.push(toEvent(e));
    if (params.breaks) {
      const c = await engine.queryColumns(breakCandidatesSql(d, asOf, params.minSwitchHistory, slice));
      const n = (c.customer_id ?? []).length;
      candidateCount += n;
      const rows: BreakCandidate[] = new Array(n);
      const num = (k: string, i: number) => Number(c[k]![i] ?? 0);
      for (let i = 0; i < n; i++)
        rows[i] = {
          customerId: String(c.customer_id![i]),
          day: num('day', i),
          firstDay: num('first_day', i),
          nBefore: num('n_before', i),
          nAfter: num('n_after', i),
          dBefore: num('d_before', i),
          dAfter: num('d_after', i),
          sBefore: num('s_before', i),
          sAfter: num('s_after', i),
          qBefore: num('q_before', i),
          qAfter: num('q_after', i),
        };
      const breaks: BreakEvent[] = detectBreaks(rows, {
        alpha: params.alpha,
        asOfDay: dayOf(asOf),
        minSpanDays: 90,
        minAfter: params.minSwitchOrders + 1,
        minRatio: 1.5,
      });
      for (const e of breaks)
        found.push({
          customerId: e.customerId,
          type: e.type,
          date: isoOfDay(e.day),
          evidence: breakEvidenceText(e, isoOfDay),
          pValue: e.pValue,
        });
    }
  }
  const events = found.sort((a, b) =>
    a.customerId < b.customerId
      ? -1
      : a.customerId > b.customerId
        ? 1
        : a.date < b.date
          ? -1
          : a.date > b.date
            ? 1
            : 0,
  );
  return { asOf, events, candidates: candidateCount, params };
}

/**
 * Detects life events and behaviour changes and writes `life_events` (customer_id, event_type, event_date,
 * evidence, p_value, as_of) and `customer_life_events` (customer_id, life_event: the latest event's type,
 * life_event_date, life_event_days: days from it to asOf, and <type>_days per type).
 *
 * @throws InputError INVALID_INPUT for bad parameters
 * @example
 * ```ts
 * const r = await detectLifeEvents(engine, { asOf: '2026-06-30' });
 * console.log(r.counts); // { new_baby: 71, moving: 80, channel_switch: 50 }
 * ```
 */
export async function detectLifeEvents(
  engine: Engine,
  input: Partial<LifeEventParams> = {},
): Promise<LifeEventResult> {
  const found = await findLifeEvents(engine, input);
  const { events, asOf } = found;
  const tmp = 'life_events_incoming';
  await writeColumns(
    engine,
    tmp,
    {
      customer_id: events.map((e) => e.customerId),
      event_type: events.map((e) => e.type),
      event_date: events.map((e) => e.date),
      evidence: events.map((e) => e.evidence),
      p_value: Float64Array.from(events, (e) => e.pValue),
    },
    { temporary: true },
  );
  const d = engine.dialect;
  const types = [
    ...new Set([
      ...found.params.rules.map((r) => r.type),
      'channel_switch',
      ...(found.params.breaks ? ['frequency_up', 'frequency_down', 'spend_up', 'spend_down'] : []),
    ]),
  ];
  await engine.exec(sql`DROP TABLE IF EXISTS life_events`);
  await engine.exec(sql`CREATE TABLE life_events AS SELECT customer_id, event_type, CAST(event_date AS DATE) AS event_date,
    evidence, p_value, ${d.dateParam(asOf)} AS as_of FROM life_events_incoming`);
  await engine.exec(sql`DROP TABLE IF EXISTS life_events_incoming`);
  await engine.exec(sql`DROP TABLE IF EXISTS customer_life_events`);
  const perType = types.map(
    (t) =>
      sql`, min(CASE WHEN event_type = ${t} THEN ${d.dateDiffDays(sql`event_date`, d.dateParam(asOf))} END) AS ${ident(`${t}_days`)}`,
  );
  await engine.exec(sql`CREATE TABLE customer_life_events AS
    SELECT customer_id, ${d.argMin(sql`event_type`, sql`${d.dateDiffDays(sql`event_date`, d.dateParam(asOf))}`)} AS life_event,
      max(event_date) AS life_event_date,
      ${d.toDouble(sql`min(${d.dateDiffDays(sql`event_date`, d.dateParam(asOf))})`)} AS life_event_days
      ${perType.reduce((a, b) => sql`${a}${b}`, sql``)}
    FROM life_events GROUP BY customer_id`);
  const counts: Record<string, number> = Object.fromEntries(types.map((t) => [t, 0]));
  for (const e of events) counts[e.type] = (counts[e.type] ?? 0) + 1;
  const warnings: string[] = [];
  if (found.candidates === 0) warnings.push(`no orders before ${asOf}: nothing to detect`);
  return {
    asOf,
    counts,
    customers: new Set(events.map((e) => e.customerId)).size,
    candidates: found.candidates,
    events: events.length,
    warnings,
  };
}

/**
 * The life events of one customer (newest first), from `life_events`, the evidence in `lang` (stored in
 * English); empty when not detected yet.
 */
export async function customerLifeEvents(
  engine: Engine,
  customerId: string,
  lang: Language = 'en',
): Promise<LifeEvent[]> {
  if (!(await tableExists(engine, LIFE_EVENTS_TABLE))) return [];
  const rows = await engine.query<{
    customer_id: string;
    event_type: string;
    event_date: string;
    evidence: string;
    p_value: number;
  }>(
    sql`SELECT customer_id, event_type, CAST(event_date AS VARCHAR) AS event_date, evidence, p_value FROM life_events
      WHERE customer_id = ${customerId} ORDER BY event_date DESC, event_type`,
  );
  return rows.map((r) => ({
    customerId: String(r.customer_id),
    type: String(r.event_type),
    date: String(r.event_date),
    evidence: evidenceIn(String(r.evidence), lang),
    pValue: Number(r.p_value),
  }));
}
