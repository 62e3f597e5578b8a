import type { Engine } from './engine.js';
import { CANONICAL_TABLES } from './schema.js';
import { ident, sql } from './sql/sql.js';

/** The date column shown as a table's range in `status`. */
const DATE_COLUMNS: Partial<Record<string, string>> = {
  orders: 'order_date',
  campaign_events: 'event_time',
  service_contacts: 'contact_time',
  customer_texts: 'text_time',
  customers: 'created_at',
  campaigns: 'start_date',
};

export interface DatamartStatus {
  tables: { name: string; rows: number; from: string | null; to: string | null }[];
  rawTables: { name: string; rows: number; source: string }[];
  loads: {
    loadId: number;
    source: string;
    target: string;
    format: string;
    status: string;
    read: number;
    loaded: number;
    rejected: number;
    duplicates: number;
    startedAt: string;
    finishedAt: string | null;
    /** How long the load took, in seconds (null while it runs or when it failed). */
    seconds: number | null;
  }[];
  rejects: { total: number; byLoad: { loadId: number; source: string; count: number }[] };
}

/** Row counts, date ranges, recent loads and reject counts of the datamart. */
export async function datamartStatus(
  engine: Engine,
  options: { recentLoads?: number } = {},
): Promise<DatamartStatus> {
  const tables: DatamartStatus['tables'] = [];
  for (const name of CANONICAL_TABLES) {
    const dateColumn = DATE_COLUMNS[name];
    const range = dateColumn
      ? sql`, CAST(min(${ident(dateColumn)}) AS DATE) AS from_date, CAST(max(${ident(dateColumn)}) AS DATE) AS to_date`
      : sql``;
    const [row] = await engine.query(sql`SELECT count(*) AS n ${range} FROM ${ident(name)}`);
    tables.push({
      name,
      rows: Number(row?.n ?? 0),
      from: (row?.from_date as string | null) ?? null,
      to: (row?.to_date as string | null) ?? null,
    });
  }
  const rawTables = await engine.query<{ name: string; rows: number; source: string }>(
    `SELECT name, rows, source FROM raw_tables ORDER BY name`,
  );
  const rawLoads = await engine.query<Omit<DatamartStatus['loads'][number], 'seconds'>>(
    sql`SELECT load_id AS "loadId", source, target, format, status, read, loaded, rejected, duplicates,
               started_at AS "startedAt", finished_at AS "finishedAt"
        FROM loads ORDER BY load_id DESC LIMIT ${options.recentLoads ?? 10}`,
  );
  const millis = (t: unknown) =>
    t instanceof Date
      ? t.getTime()
      : t
        ? Date.parse(`${String(t).replace(' ', 'T').replace(/Z?$/, 'Z')}`)
        : NaN;
  const loads = rawLoads.map((l) => {
    const ms = millis(l.finishedAt) - millis(l.startedAt);
    return { ...l, seconds: Number.isFinite(ms) && ms >= 0 ? Math.round(ms / 100) / 10 : null };
  });
  const byLoad = await engine.query<{ loadId: number; source: string; count: number }>(
    `SELECT load_id AS "loadId", any_value(source) AS source, count(*) AS count
     FROM rejects WHERE kind = 'rejected' GROUP BY load_id ORDER BY load_id`,
  );
  return {
    tables,
    rawTables,
    loads,
    rejects: { total: byLoad.reduce((s, r) => s + r.count, 0), byLoad },
  };
}
