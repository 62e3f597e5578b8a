/**
 * A real shop export (issue 12): a 1,000,000-line flat Online-Retail-style file (InvoiceNo, StockCode,
 * Description, Quantity, InvoiceDate `m/d/yyyy H:MM`, UnitPrice, CustomerID written as a float `17850.0`,
 * Country) with about 20% guest lines (no CustomerID), cancellation invoices (`C…`, negative quantities),
 * returned lines (negative quantities in ordinary invoices) and 0.5% impossible dates (`2/30/2011`,
 * `13/5/2011`). `clientele import FILE --target order_lines` into an empty datamart (customers created from
 * their ids) against the floor, DuckDB's own `CREATE TABLE t AS SELECT * FROM read_csv(FILE)` of the same
 * file. Each run is a whole child process (start-up included), A B A B … (INGEST_EXPORT_PAIRS pairs,
 * default 3) so both sides meet the same load; medians, the ratio, peak RSS and the load average are printed.
 * INGEST_EXPORT_LINES changes the size. Files go to bench/data/ (ignored by git).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, statSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { DuckDbEngine, sql } from '../src/store/index.js';
import { median } from './util.js';

const lines = Number(process.env.INGEST_EXPORT_LINES ?? 1_000_000);
const pairs = Number(process.env.INGEST_EXPORT_PAIRS ?? 3);
const dataDir = join(import.meta.dirname, 'data');
mkdirSync(dataDir, { recursive: true });
const file = join(dataDir, `online-retail-${lines}.csv`);

/**
 * About 4 lines per invoice; per invoice (hash of its number): 2% are cancellations (`C` + number, every
 * quantity negative), 20% guests (blank CustomerID); 1% of ordinary lines are returns (negative quantity);
 * 0.5% of lines carry an impossible date (day 30 of February, or month 13).
 */
async function generate(): Promise<void> {
  if (existsSync(file)) return;
  const engine = await DuckDbEngine.open(':memory:');
  await engine.exec(sql`COPY (
    WITH l AS (
      SELECT i, i // 4 AS inv, hash(i // 4) AS h, hash(i) AS hl FROM range(${lines}) t(i)
    )
    SELECT CASE WHEN h % 50 = 0 THEN 'C' ELSE '' END || CAST(536365 + inv AS VARCHAR) AS "InvoiceNo",
      'SKU' || lpad(CAST(hl % 4000 AS VARCHAR), 5, '0') AS "StockCode",
      'ITEM ' || CAST(hl % 4000 AS VARCHAR) AS "Description",
      CASE WHEN h % 50 = 0 OR hl % 100 = 1 THEN -1 ELSE 1 END * CAST(1 + hl % 12 AS INTEGER) AS "Quantity",
      CASE WHEN hl % 400 = 7 THEN '2/30/2011 10:15'
           WHEN hl % 400 = 8 THEN '13/5/2011 09:00'
           ELSE strftime(TIMESTAMP '2010-12-01 08:00' + INTERVAL (h % 370) DAY + INTERVAL (h % 600) MINUTE, '%-m/%-d/%Y %-H:%M')
      END AS "InvoiceDate",
      round(0.25 + (hl % 5000) / 100.0, 2) AS "UnitPrice",
      CASE WHEN h % 5 = 1 THEN '' ELSE CAST(12346 + h % 4000 AS VARCHAR) || '.0' END AS "CustomerID",
      CASE h % 4 WHEN 0 THEN 'United Kingdom' WHEN 1 THEN 'Germany' WHEN 2 THEN 'France' ELSE 'EIRE' END AS "Country"
    FROM l ORDER BY i) TO ${file} (HEADER)`);
  await engine.close();
}

interface Run {
  wallSeconds: number;
  seconds: number;
  peakRssMiB: number;
  rows: number;
  summary?: Record<string, unknown>;
  load: number;
}

function child(args: string[]): Run {
  const load = loadavg()[0] ?? 0;
  const start = performance.now();
  const r = spawnSync(
    process.execPath,
    ['--import', 'tsx', join(import.meta.dirname, 'ingest-child.ts'), ...args],
    {
      encoding: 'utf8',
      env: { ...process.env, TZ: 'UTC', CLIENTELE_NO_PROGRESS: '1' },
      maxBuffer: 1 << 24,
    },
  );
  const wallSeconds = (performance.now() - start) / 1000;
  if (r.status !== 0) throw new Error(`bench child failed (${r.status}): ${r.stderr}`);
  const out = JSON.parse(r.stdout.trim().split('\n').pop() ?? '{}') as Omit<Run, 'wallSeconds' | 'load'>;
  return { ...out, wallSeconds, load };
}

await generate();
console.log(
  `flat export: ${lines.toLocaleString('en')} lines, ${(statSync(file).size / 1024 / 1024).toFixed(1)} MiB; ${pairs} pairs, floor first in each`,
);
const floorDb = join(dataDir, 'export-floor.duckdb');
const ourDb = join(dataDir, 'export-clientele.duckdb');
const fresh = (p: string) => {
  rmSync(p, { force: true });
  rmSync(`${p}.wal`, { force: true });
};
const floor: Run[] = [];
const ours: Run[] = [];
for (let i = 0; i < pairs; i++) {
  fresh(floorDb);
  floor.push(child(['duckdb', floorDb, file]));
  fresh(ourDb);
  ours.push(child(['clientele', ourDb, file, 'order_lines']));
  const a = floor.at(-1)!;
  const b = ours.at(-1)!;
  console.log(
    `pair ${i + 1}: floor ${a.wallSeconds.toFixed(2)} s (in-process ${a.seconds.toFixed(2)} s, RSS ${a.peakRssMiB.toFixed(0)} MiB, load ${a.load.toFixed(1)}) | clientele ${b.wallSeconds.toFixed(2)} s (in-process ${b.seconds.toFixed(2)} s, RSS ${b.peakRssMiB.toFixed(0)} MiB, load ${b.load.toFixed(1)})`,
  );
}
const mf = median(floor.map((r) => r.wallSeconds));
const mo = median(ours.map((r) => r.wallSeconds));
const s = ours.at(-1)?.summary ?? {};
console.log(
  `median whole process: floor ${mf.toFixed(2)} s, clientele ${mo.toFixed(2)} s, ratio ${(mo / mf).toFixed(2)}×; in-process medians ${median(floor.map((r) => r.seconds)).toFixed(2)} s / ${median(ours.map((r) => r.seconds)).toFixed(2)} s; peak RSS max ${Math.max(...floor.map((r) => r.peakRssMiB)).toFixed(0)} / ${Math.max(...ours.map((r) => r.peakRssMiB)).toFixed(0)} MiB; load average now ${loadavg()
    .map((x) => x.toFixed(1))
    .join(' ')}`,
);
console.log(
  `import: read ${s.read}, loaded ${s.loaded}, rejected ${s.rejected}, duplicates ${s.duplicates}, guest orders ${s.guestOrders}, customers created ${s.customersCreated}; orders ${JSON.stringify(s.related)}`,
);
