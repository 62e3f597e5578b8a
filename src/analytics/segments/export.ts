/**
 * Consent-aware segment export to CSV or XLSX (exceljs streaming writer). Who may not be contacted on the
 * channel is left out and counted by reason; the file is written under a temporary name and renamed when
 * complete, so a failed export never leaves a half-written file behind.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { InputError } from '../../errors.js';
import type { Engine } from '../../store/index.js';
import { ident, join, type SqlFragment, sql } from '../../store/index.js';
import { fieldLabel, type Language } from '../shared/field-labels.js';
import { getSegment, membersSql, prepareSegment, segmentColumns } from './index.js';
import { EXPORT_CHANNELS, type ExportChannel, parseExportParams } from './params.js';
import { ALIAS, type ColumnSource } from './sql.js';

export interface ExportResult {
  name: string;
  channel: ExportChannel;
  format: 'csv' | 'xlsx';
  path: string;
  asOf: string;
  /** Members of the segment. */
  size: number;
  /** Rows written. */
  exported: number;
  /**
   * Members left out, by reason: no_consent, no_address, unsubscribed, and the contact policy's reasons
   * (`policy`, e.g. over_channel_cap, too_soon). size = exported + Σ excluded.
   */
  excluded: { noConsent: number; noAddress: number; unsubscribed: number; policy: Record<string, number> };
}

/**
 * An extra exclusion rule checked after consent and address (a contact-pressure policy): `reasonSql` gives a
 * reason text or NULL for the customer id expression it is handed.
 */
export interface ExportExclusion {
  reasonSql(customerId: SqlFragment): SqlFragment;
  /** Every reason the rule can give, so that zero counts are reported too. */
  reasons: readonly string[];
}

/** The columns of an export file, in order. */
export const EXPORT_COLUMNS = [
  'customer_id',
  'first_name',
  'last_name',
  'email',
  'phone',
  'street',
  'postcode',
  'city',
  'country',
] as const;

/**
 * The contact fields each channel needs, in order: the default of an export (issue 18: an SMS tool wants the
 * phone number, not the street). `fields: 'all'` writes every contact field (EXPORT_COLUMNS).
 */
export const CHANNEL_COLUMNS: Readonly<Record<ExportChannel, readonly (typeof EXPORT_COLUMNS)[number][]>> = {
  email: ['customer_id', 'first_name', 'last_name', 'email'],
  sms: ['customer_id', 'first_name', 'phone'],
  phone: ['customer_id', 'first_name', 'last_name', 'phone'],
  post: ['customer_id', 'first_name', 'last_name', 'street', 'postcode', 'city', 'country'],
};

/** The columns of a pseudonymised export: no name, contact detail or street; the id replaced by a pseudonym. */
export const PSEUDONYMISED_COLUMNS = ['pseudonym', 'postcode', 'city', 'country'] as const;

/**
 * A pseudonymiser for one export: a keyed SHA-256 of the customer id under a random key that is never
 * stored, so pseudonyms are stable within the file but cannot be linked back or across exports.
 */
function createPseudonymiser(): (id: unknown) => string {
  const key = randomBytes(32);
  return (id) => `p-${createHmac('sha256', key).update(String(id)).digest('hex').slice(0, 20)}`;
}

const BATCH = 50_000;

export async function exportSegment(
  engine: Engine,
  input: {
    name: string;
    format: string;
    channel: string;
    path: string;
    exclusion?: ExportExclusion;
    /** Write pseudonyms instead of ids and leave out names, e-mail, phone and street (`--pseudonymise`). */
    pseudonymise?: boolean;
    /** Header row in plain labels of this language (the field dictionary) instead of column names. */
    headerLabels?: Language;
    /** `channel` (default): the channel's own contact fields (CHANNEL_COLUMNS); `all`: every contact field. */
    fields?: 'channel' | 'all';
    /** Feature-table columns written after the contact fields: scores, segments (`churn_risk`, `clv_tier`). */
    with?: readonly string[];
  },
): Promise<ExportResult> {
  const params = parseExportParams(input);
  const extra = await extraColumns(engine, input.with ?? []);
  const stored = await getSegment(engine, params.name);
  const prepared = await prepareSegment(engine, stored.definition);
  const rule = EXPORT_CHANNELS[params.channel];
  const address = join(
    rule.address.map((c) => sql`nullif(trim(${ident(`cu.${c}`)}), '') IS NULL`),
    rule.address.length > 1 && params.channel !== 'post' ? ' AND ' : ' OR ',
  );
  const reason = sql`CASE WHEN ${ident(`f.${rule.consent}`)} IS NOT TRUE THEN 'no_consent'
      WHEN cu.customer_id IS NULL OR (${address}) THEN 'no_address'
      ${params.channel === 'email' ? sql`WHEN f.email_unsubscribes > 0 THEN 'unsubscribed'` : sql``}
      ${input.exclusion ? sql`WHEN ${input.exclusion.reasonSql(sql`f.customer_id`)} IS NOT NULL THEN ${input.exclusion.reasonSql(sql`f.customer_id`)}` : sql``}
      ELSE NULL END`;
  const compiled = {
    ...prepared.compiled,
    joins: [
      ...new Set<ColumnSource>([
        ...prepared.compiled.joins,
        'customers',
        ...extra.flatMap((c) => (c.source === 'features' ? [] : [c.source])),
      ]),
    ],
  };
  const members = sql`(${membersSql(
    compiled,
    sql`f.customer_id, cu.first_name, cu.last_name, cu.email, coalesce(cu.phone_e164, cu.phone) AS phone,
      cu.street, f.postcode, f.city, f.country${join(
        extra.map((c, i) => sql`, ${ident(`${ALIAS[c.source]}.${c.name}`)} AS ${ident(`x${i}`)}`),
        '',
      )}, ${reason} AS reason`,
  )}) m`;
  const counts = await engine.query<{ reason: string | null; n: number }>(
    sql`SELECT reason, count(*) AS n FROM ${members} GROUP BY reason`,
  );
  const by = (r: string | null) => counts.find((c) => c.reason === r)?.n ?? 0;
  const partial = `${params.path}.partial`;
  const contact: readonly string[] = input.pseudonymise
    ? PSEUDONYMISED_COLUMNS
    : input.fields === 'all'
      ? EXPORT_COLUMNS
      : CHANNEL_COLUMNS[params.channel];
  const columns: readonly string[] = [...contact, ...extra.map((c) => c.name)];
  const labels = input.headerLabels;
  const header = labels ? columns.map((c) => fieldLabel(c, labels)) : columns;
  const pseudonym = input.pseudonymise ? createPseudonymiser() : null;
  const writer =
    params.format === 'csv'
      ? await csvWriter(partial, header, columns)
      : await xlsxWriter(partial, params.name, header, columns);
  let exported = 0;
  try {
    let after: string | null = null;
    for (;;) {
      const page: SqlFragment = sql`SELECT customer_id, first_name, last_name, email, phone, street, postcode, city, country${join(
        extra.map((_, i) => sql`, ${ident(`x${i}`)}`),
        '',
      )}
        FROM ${members} WHERE reason IS NULL ${after === null ? sql`` : sql`AND customer_id > ${after}`}
        ORDER BY customer_id LIMIT ${BATCH}`;
      const rows = await engine.query(page);
      for (const row of rows)
        await writer.write([
          ...(pseudonym
            ? [pseudonym(row.customer_id), row.postcode ?? null, row.city ?? null, row.country ?? null]
            : contact.map((c) => row[c] ?? null)),
          ...extra.map((_, i) => row[`x${i}`] ?? null),
        ]);
      exported += rows.length;
      if (rows.length < BATCH) break;
      after = String(rows[rows.length - 1]!.customer_id);
    }
    await writer.close();
    await rename(partial, params.path);
  } catch (error) {
    await writer.abort();
    await rm(partial, { force: true });
    throw error;
  }
  return {
    name: params.name,
    channel: params.channel,
    format: params.format,
    path: params.path,
    asOf: prepared.asOf,
    size: counts.reduce((s, c) => s + c.n, 0),
    exported,
    excluded: {
      noConsent: by('no_consent'),
      noAddress: by('no_address'),
      unsubscribed: by('unsubscribed'),
      policy: Object.fromEntries((input.exclusion?.reasons ?? []).map((r) => [r, by(r)])),
    },
  };
}

interface RowWriter {
  write(values: readonly unknown[]): Promise<void>;
  close(): Promise<void>;
  abort(): Promise<void>;
}

/** Export columns that hold phone numbers (written as they are when they look like one). */
const PHONE_COLUMNS: ReadonlySet<string> = new Set(['phone', 'phone_e164', 'mobile']);

/**
 * A phone number as people and CRMs type it: an optional leading +, then only digits, spaces, dots, dashes,
 * slashes and brackets, with 6 to 15 digits (E.164 allows 15). Nothing in it can make a formula do harm.
 */
export function isTypedPhone(text: string): boolean {
  if (!/^\+?[\d\s().\-/]+$/.test(text) || text.startsWith('-')) return false;
  const digits = text.replace(/\D/g, '').length;
  return digits >= 6 && digits <= 15;
}

/**
 * Text that a spreadsheet would run as a formula gets a leading apostrophe (CSV/formula injection), except a
 * typed phone number in a phone column: `+31600294785` is written as it is, so SMS tools read it (an
 * apostrophe there broke every number).
 */
export function safeCell(value: unknown, column?: string): string | number | boolean | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number' || typeof value === 'boolean') return value;
  const s = String(value);
  if (column !== undefined && PHONE_COLUMNS.has(column) && isTypedPhone(s)) return s;
  return /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
}

function csvField(value: unknown, column: string | undefined): string {
  const v = safeCell(value, column);
  if (v === null) return '';
  const s = String(v);
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

async function csvWriter(
  path: string,
  header: readonly string[],
  columns: readonly string[],
): Promise<RowWriter> {
  const stream = createWriteStream(path, { encoding: 'utf8' });
  await once(stream, 'open');
  const put = async (line: string) => {
    if (!stream.write(line)) await once(stream, 'drain');
  };
  await put(`${header.join(',')}\r\n`);
  return {
    write: (values) => put(`${values.map((v, i) => csvField(v, columns[i])).join(',')}\r\n`),
    close: async () => {
      stream.end();
      await once(stream, 'finish');
    },
    abort: async () => {
      stream.destroy();
    },
  };
}

async function xlsxWriter(
  path: string,
  sheetName: string,
  header: readonly string[],
  columns: readonly string[],
): Promise<RowWriter> {
  // exceljs takes ~250 ms to load: loaded on first use, so commands that never touch Excel start faster.
  const { default: Excel } = await import('exceljs');
  const workbook = new Excel.stream.xlsx.WorkbookWriter({
    filename: path,
    useSharedStrings: false,
    useStyles: false,
  });
  const sheet = workbook.addWorksheet(sheetName.slice(0, 31).replace(/[\\/?*[\]:]/g, '_'));
  sheet.addRow([...header]).commit();
  return {
    write: async (values) => {
      sheet.addRow(values.map((v, i) => safeCell(v, columns[i]))).commit();
    },
    close: async () => {
      sheet.commit();
      await workbook.commit();
    },
    abort: async () => {
      // The partial file is removed by the caller; nothing else to release.
    },
  };
}

/**
 * Checks the extra columns of an export: any column a segment expression may use (feature table, scores, CLV
 * tiers, clusters, RFM), each once, none a contact field.
 */
async function extraColumns(
  engine: Engine,
  wanted: readonly string[],
): Promise<{ name: string; source: ColumnSource }[]> {
  const names = [...new Set(wanted.map((c) => c.trim()).filter(Boolean))];
  if (names.length === 0) return [];
  const known = await segmentColumns(engine);
  const contact = (c: string) => (EXPORT_COLUMNS as readonly string[]).includes(c) || c === 'pseudonym';
  const bad = names.filter((c) => !known.has(c) || contact(c));
  if (bad.length) {
    const some = [...known.keys()].filter((k) => !contact(k));
    throw new InputError(
      `--with: expected columns a segment can use (scores and segments such as churn_risk, clv_tier, rfm_segment), got ${bad.map((b) => JSON.stringify(b)).join(', ')}. Known: ${some.slice(0, 30).join(', ')}${some.length > 30 ? ', …' : ''}.`,
      { unknown: bad },
      { code: 'INVALID_ARGUMENT' },
    );
  }
  return names.map((name) => ({ name, source: (known.get(name) as { source: ColumnSource }).source }));
}
