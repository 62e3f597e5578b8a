/**
 * Issues 12 and 20: what a one-pass CSV import (values converted in the read, no text copy) would save,
 * and where DuckDB's typed `read_csv` differs from the loader's text rules.
 *
 * Part 1, timing (CPU-s of each statement, `INGEST_ONEPASS_ROUNDS` rounds, default 3) on the order-lines
 * file of `bench/ingest.bench.ts` (`INGEST_BENCH_LINES`, default 1,000,000; run that bench once first to
 * write it, or any file of the same columns):
 *   A  today's text copy (every column VARCHAR)
 *   B  today's conversion of that copy (the loader's own expressions, look-ups left out)
 *   C  one pass: typed read_csv (order_date DATE, unit_price and discount DOUBLE guarded to be finite),
 *      the other columns read as text and converted by the same expressions
 *   E  one pass: text read_csv converted by today's expressions in the same statement
 *   D  the floor's read_csv with auto-detection
 * and checks that B, C and E hold the same rows (EXCEPT ALL both ways).
 *
 * Part 2, semantics: each value as one field of a one-column file, read by `read_csv` with the column's type
 * (strict, ignore_errors off) and by the loader's rule (`parseValueSql`); prints the rows where they differ.
 *
 *   INGEST_BENCH_LINES=1000000 npx tsx bench/ingest-onepass.bench.ts
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseValueSql } from '../src/ingest/load/convert.js';
import type { ParseOptions } from '../src/ingest/types.js';
import { DuckDbEngine, raw, type SqlFragment, sql } from '../src/store/index.js';
import { cpuSecondsSince, median } from './util.js';

const lines = Number(process.env.INGEST_BENCH_LINES ?? 1_000_000);
const rounds = Number(process.env.INGEST_ONEPASS_ROUNDS ?? 3);
const file = join(import.meta.dirname, 'data', `order-lines-${lines}.csv`);
const engine = await DuckDbEngine.open(':memory:');

const c = (n: number): SqlFragment => sql`${raw(`c${n}`)}`;
const as = (type: ParseOptions['type'], x: SqlFragment, extra: Partial<ParseOptions> = {}) =>
  parseValueSql(x, { type, ...extra } as ParseOptions);
const opts = raw(
  `auto_detect = false, header = true, delim = ',', quote = '"', escape = '"', strict_mode = true, null_padding = false`,
);
const spec = (types: Record<number, string>) =>
  raw(`{${Array.from({ length: 9 }, (_, i) => `'c${i + 1}': '${types[i + 1] ?? 'VARCHAR'}'`).join(', ')}}`);
// order_id, customer_id, order_date, channel, promo_code, sku, quantity, unit_price, discount
const converted = sql`${as('string', c(1))} a, ${as('string', c(2))} b, ${as('date', c(3))} d,
  ${as('string', c(4))} e, ${as('string', c(5))} f, ${as('string', c(6))} g, ${as('integer', c(7))} h,
  ${as('number', c(8))} i, ${as('number', c(9))} j`;
const finite = (x: SqlFragment) =>
  sql`(CASE WHEN ${x} IS NULL OR isfinite(${x}) THEN ${x} ELSE error('not finite: the fast path gives up') END)`;
const typedConverted = sql`${as('string', c(1))} a, ${as('string', c(2))} b, c3 d, ${as('string', c(4))} e,
  ${as('string', c(5))} f, ${as('string', c(6))} g, ${as('integer', c(7))} h, ${finite(c(8))} i, ${finite(c(9))} j`;

const steps: [string, SqlFragment][] = [
  [
    'A text copy (today)',
    sql`CREATE OR REPLACE TEMP TABLE tx AS SELECT * FROM read_csv(${file}, ${opts}, columns = ${spec({})})`,
  ],
  [
    'B conversion of the copy (today, no look-ups)',
    sql`CREATE OR REPLACE TEMP TABLE cv AS SELECT ${converted} FROM tx`,
  ],
  [
    'C one pass, typed read + same rules',
    sql`CREATE OR REPLACE TEMP TABLE op AS SELECT ${typedConverted} FROM read_csv(${file}, ${opts}, columns = ${spec({ 3: 'DATE', 8: 'DOUBLE', 9: 'DOUBLE' })})`,
  ],
  [
    'E one pass, text read + same expressions',
    sql`CREATE OR REPLACE TEMP TABLE oe AS SELECT ${converted} FROM read_csv(${file}, ${opts}, columns = ${spec({})})`,
  ],
  ['D floor read_csv (auto-detect)', sql`CREATE OR REPLACE TEMP TABLE fl AS SELECT * FROM read_csv(${file})`],
];
const spent = new Map<string, number[]>(steps.map(([k]) => [k, []]));
// Each converted table's rows with their position (rowid: file order), summed as hashes; at up to 2M
// lines also compared row for row (EXCEPT ALL both ways). Tables are dropped as soon as they are
// checked, so 10M lines fit in a few GB.
const checksum = async (table: string) => {
  const [row] = await engine.query<{ n: number; h: string }>(
    `SELECT count(*) AS n, CAST(sum(CAST(hash(rowid, a, b, d, e, f, g, h, i, j) AS HUGEINT)) AS VARCHAR) AS h FROM ${table}`,
  );
  return `${row?.n}/${row?.h}`;
};
const exact = lines <= 2_000_000;
for (let r = 0; r < rounds; r++) {
  const sums = new Map<string, string>();
  for (const [label, statement] of steps) {
    const cpu = process.cpuUsage();
    await engine.exec(statement);
    spent.get(label)!.push(cpuSecondsSince(cpu));
    const table = { B: 'cv', C: 'op', E: 'oe' }[label[0] as 'B' | 'C' | 'E'];
    if (table) sums.set(table, await checksum(table));
    if (!exact && (label[0] === 'C' || label[0] === 'E')) await engine.exec(`DROP TABLE ${table}`);
    if (label[0] === 'B') await engine.exec('DROP TABLE tx');
    if (label[0] === 'D') await engine.exec('DROP TABLE fl');
  }
  if (exact) {
    const [d] = await engine.query<{ n: number }>(
      `SELECT (SELECT count(*) FROM (SELECT * FROM cv EXCEPT ALL SELECT * FROM op))
            + (SELECT count(*) FROM (SELECT * FROM op EXCEPT ALL SELECT * FROM cv))
            + (SELECT count(*) FROM (SELECT * FROM cv EXCEPT ALL SELECT * FROM oe))
            + (SELECT count(*) FROM (SELECT * FROM oe EXCEPT ALL SELECT * FROM cv)) AS n`,
    );
    if (Number(d?.n) !== 0)
      throw new Error(`round ${r + 1}: the one-pass tables differ from today's in ${d?.n} rows`);
  }
  if (sums.get('op') !== sums.get('cv') || sums.get('oe') !== sums.get('cv'))
    throw new Error(`round ${r + 1}: checksums differ: ${JSON.stringify(Object.fromEntries(sums))}`);
  await engine.exec(
    'DROP TABLE IF EXISTS tx; DROP TABLE IF EXISTS cv; DROP TABLE IF EXISTS op; DROP TABLE IF EXISTS oe; DROP TABLE IF EXISTS fl',
  );
}
console.log(`${lines.toLocaleString('en')} order lines, ${rounds} rounds, load ${(await loadavg()).trim()}`);
for (const [label, xs] of spent)
  console.log(
    `${label.padEnd(48)} median ${median(xs).toFixed(3)} CPU-s  (${xs.map((x) => x.toFixed(3)).join(' / ')})`,
  );
const m = (k: string) => median(spent.get(k)!);
const today = m('A text copy (today)') + m('B conversion of the copy (today, no look-ups)');
console.log(
  `today A+B ${today.toFixed(3)}; one pass C ${m('C one pass, typed read + same rules').toFixed(3)} (saves ${(today - m('C one pass, typed read + same rules')).toFixed(3)}), E ${m('E one pass, text read + same expressions').toFixed(3)} (saves ${(today - m('E one pass, text read + same expressions')).toFixed(3)}); rows identical in every round (${exact ? 'row for row and ' : ''}by position-and-value checksum)`,
);

// Part 2: typed read_csv against the loader's rule, one value at a time.
const dir = mkdtempSync(join(tmpdir(), 'onepass-'));
const probe = join(dir, 'p.csv');
const cases: [string, string, ParseOptions, string][] = [
  ['BIGINT', '', { type: 'integer' }, '1.5'],
  ['BIGINT', '', { type: 'integer' }, '0x10'],
  ['BIGINT', '', { type: 'integer' }, '   '],
  ['DOUBLE', '', { type: 'number' }, 'nan'],
  ['DOUBLE', '', { type: 'number' }, 'Infinity'],
  ['DOUBLE', '', { type: 'number' }, '   '],
  ['DOUBLE', `, decimal_separator = ','`, { type: 'number', decimal: ',', thousands: '.' }, '"1.234,5"'],
  ['TIMESTAMP', '', { type: 'timestamp' }, '2024-01-05 10:00:00+02:00'],
  ['DATE', '', { type: 'date' }, '2024/01/05'],
  ['DATE', `, dateformat = '%d/%m/%Y'`, { type: 'date', dateFormat: '%d/%m/%Y' }, '05/01/2024 10:00'],
  ['BOOLEAN', '', { type: 'boolean' }, 'ja'],
  ['VARCHAR', '', { type: 'string' }, ' a '],
];
console.log('\ntype, value: read_csv typed | loader rule');
for (const [type, extra, parse, value] of cases) {
  writeFileSync(probe, `x\n${value}\n`);
  const read = (t: string) =>
    sql`read_csv(${probe}, auto_detect = false, header = true, delim = ';', quote = '"', strict_mode = true, columns = ${raw(`{'x': '${t}'}`)}${raw(extra)})`;
  let typed: string;
  try {
    const [row] = await engine.query<{ x: string | null }>(
      sql`SELECT CAST(x AS VARCHAR) AS x FROM ${read(type)}`,
    );
    typed = JSON.stringify(row?.x ?? null);
  } catch (error) {
    typed = `error (${(error as Error).message.split('\n')[0]?.slice(0, 50)}…)`;
  }
  const [rule] = await engine.query<{ x: string | null }>(
    sql`SELECT CAST(${parseValueSql(sql`x`, parse)} AS VARCHAR) AS x FROM read_csv(${probe}, auto_detect = false, header = true, delim = ';', quote = '"', columns = {'x': 'VARCHAR'})`,
  );
  console.log(
    `${type.padEnd(9)} ${JSON.stringify(value).padEnd(30)} ${typed.padEnd(62)} | ${JSON.stringify(rule?.x ?? null)}`,
  );
}
rmSync(dir, { recursive: true, force: true });
await engine.close();

async function loadavg(): Promise<string> {
  const { readFile } = await import('node:fs/promises');
  return readFile('/proc/loadavg', 'utf8').catch(() => '?');
}
