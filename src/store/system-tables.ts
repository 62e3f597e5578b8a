import { InputError } from '../errors.js';
import { type Engine, runDdl } from './engine.js';
import type { TableDef } from './sql/dialect.js';
import { ident, sql } from './sql/sql.js';

/**
 * The datamart's own bookkeeping tables. No import, upload or raw table (`--as`, `--target`, a mapping's
 * target) may replace or write them: they hold the audit trail, the credentials, the load history, the
 * rejected rows and the settings that decide what viewers may see (issue 19).
 */
export const SYSTEM_TABLES = [
  'audit_log',
  'audit_salts',
  'api_tokens',
  'loads',
  'rejects',
  'settings',
  'meta',
  'raw_tables',
  'suppressions',
] as const;

export type SystemTable = (typeof SYSTEM_TABLES)[number];

/** Whether a name (any case) is one of the system tables. */
export function isSystemTable(name: string): boolean {
  return (SYSTEM_TABLES as readonly string[]).includes(name.trim().toLowerCase());
}

/** Throws PROTECTED_TABLE when `name` is a system table; `where` names the option (`--as`, `target`). */
export function assertNotSystemTable(name: string, where: string): void {
  if (!isSystemTable(name)) return;
  throw new InputError(
    `${where} "${name}": that is a protected system table (${SYSTEM_TABLES.join(', ')}); imports cannot replace or write it. Pick another name, e.g. ${where} ${name.toLowerCase()}_import.`,
    { name, protected: SYSTEM_TABLES },
    { code: 'PROTECTED_TABLE' },
  );
}

/** The settings and suppression tables, rendered by the engine's dialect. */
export const SYSTEM_TABLE_DEFS: readonly TableDef[] = [
  {
    name: 'settings',
    columns: [
      { name: 'key', type: 'text', notNull: true },
      { name: 'value', type: 'text', notNull: true },
      { name: 'updated_at', type: 'timestamp', notNull: true },
    ],
    primaryKey: 'key',
    sortKey: ['key'],
  },
  {
    name: 'suppressions',
    columns: [
      { name: 'subject_hash', type: 'text', notNull: true },
      { name: 'erased_at', type: 'timestamp', notNull: true },
      { name: 'reason', type: 'text' },
    ],
    primaryKey: 'subject_hash',
    sortKey: ['subject_hash'],
  },
];

/** Creates the settings and suppression tables when missing. */
export async function ensureSystemTables(engine: Engine): Promise<void> {
  for (const table of SYSTEM_TABLE_DEFS) await runDdl(engine, engine.dialect.createTableStatements(table));
}

/** Privacy and limit settings with their defaults (changed with `clientele settings set KEY VALUE`). */
export const SETTING_DEFAULTS = {
  /** Smallest group of customers a viewer may see a figure for. */
  min_cell_size: '10',
  /** Events (orders, campaign events, contacts, texts) older than this many months are dropped; 0 = keep all. */
  retention_months: '0',
  /** Lowest rule-mining minSupport a viewer may ask for. */
  viewer_min_support: '0.001',
  /** Statement timeout for HTTP requests, in milliseconds. */
  request_timeout_ms: '30000',
  /** ISO 4217 code of the datamart's money, shown by the CLI, the API, the dashboard and the report. */
  currency: 'EUR',
} as const;

/** Settings whose value is text, with their check; every other setting is a number ≥ 0. */
const TEXT_SETTINGS: Partial<Record<SettingKey, { expected: string; valid(value: string): boolean }>> = {
  currency: {
    expected: 'a three-letter ISO 4217 currency code such as EUR, USD, GBP or CHF',
    valid(value) {
      if (!/^[A-Z]{3}$/.test(value)) return false;
      try {
        new Intl.NumberFormat('en', { style: 'currency', currency: value });
        return true;
      } catch {
        return false;
      }
    },
  },
};

export type SettingKey = keyof typeof SETTING_DEFAULTS;

/** One setting's value (its default when unset). */
export async function getSetting(engine: Engine, key: SettingKey): Promise<string> {
  const rows = await engine
    .query<{ value: string }>(sql`SELECT value FROM settings WHERE key = ${key}`)
    .catch(() => []);
  return rows[0]?.value ?? SETTING_DEFAULTS[key];
}

/** A numeric setting (falls back to the default when the stored text is not a number). */
export async function getNumberSetting(engine: Engine, key: SettingKey): Promise<number> {
  const n = Number(await getSetting(engine, key));
  return Number.isFinite(n) ? n : Number(SETTING_DEFAULTS[key]);
}

/** Stores a setting after checking its key and that its value is a non-negative number. */
export async function setSetting(engine: Engine, key: string, value: string): Promise<void> {
  if (!(key in SETTING_DEFAULTS)) {
    throw new InputError(
      `setting "${key}": expected one of ${Object.keys(SETTING_DEFAULTS).join(', ')}.`,
      { key },
      { code: 'INVALID_ARGUMENT' },
    );
  }
  const text = TEXT_SETTINGS[key as SettingKey];
  if (text) {
    const v = value.trim().toUpperCase();
    if (!text.valid(v))
      throw new InputError(
        `setting "${key}": expected ${text.expected}, got "${value}".`,
        { key, value },
        { code: 'INVALID_ARGUMENT' },
      );
    await ensureSystemTables(engine);
    await engine.exec(
      sql`INSERT INTO settings VALUES (${key}, ${v}, current_timestamp)
          ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
    );
    return;
  }
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n < 0) {
    throw new InputError(
      `setting "${key}": expected a number ≥ 0, got "${value}".`,
      { key, value },
      {
        code: 'INVALID_ARGUMENT',
      },
    );
  }
  await ensureSystemTables(engine);
  const d = engine.dialect;
  const row = [sql`${key}`, sql`${value.trim()}`, d.currentTimestamp()];
  for (const statement of d.upsertRowSql('settings', 'key', ['key', 'value', 'updated_at'], row))
    await engine.exec(statement);
}

/** Event tables and their time column: what a retention period drops. */
const RETENTION_TABLES = [
  ['campaign_events', 'event_time'],
  ['service_contacts', 'contact_time'],
  ['customer_texts', 'text_time'],
] as const;

export interface RetentionResult {
  months: number;
  /** Events before this day were dropped. */
  cutoff: string | null;
  tables: { table: string; rows: number }[];
}

/**
 * Drops events older than the `retention_months` setting (orders with their lines, campaign events,
 * service contacts, customer texts), counted from `today` (YYYY-MM-DD). 0 months keeps everything.
 */
export async function applyRetention(engine: Engine, today: string): Promise<RetentionResult> {
  const months = Math.floor(await getNumberSetting(engine, 'retention_months'));
  if (months <= 0) return { months: 0, cutoff: null, tables: [] };
  const d = new Date(`${today}T00:00:00Z`);
  d.setUTCMonth(d.getUTCMonth() - months);
  const cutoff = d.toISOString().slice(0, 10);
  const tables = await engine.transaction(async (tx) => {
    const out: RetentionResult['tables'] = [];
    const count = async (q: ReturnType<typeof sql>) => Number((await tx.query<{ n: number }>(q))[0]?.n ?? 0);
    const oldOrders = sql`SELECT order_id FROM orders WHERE order_date < CAST(${cutoff} AS DATE)`;
    const lines = await count(sql`SELECT count(*) AS n FROM order_lines WHERE order_id IN (${oldOrders})`);
    await tx.exec(sql`DELETE FROM order_lines WHERE order_id IN (${oldOrders})`);
    const orders = await count(sql`SELECT count(*) AS n FROM (${oldOrders}) o`);
    await tx.exec(sql`DELETE FROM orders WHERE order_date < CAST(${cutoff} AS DATE)`);
    out.push({ table: 'order_lines', rows: lines }, { table: 'orders', rows: orders });
    for (const [table, column] of RETENTION_TABLES) {
      const where = sql`${ident(column)} < CAST(${cutoff} AS TIMESTAMP)`;
      const rows = await count(sql`SELECT count(*) AS n FROM ${ident(table)} WHERE ${where}`);
      await tx.exec(sql`DELETE FROM ${ident(table)} WHERE ${where}`);
      out.push({ table, rows });
    }
    return out;
  });
  return { months, cutoff, tables };
}
