import { existsSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { orderValuesSql } from '../../../analytics/overview/index.js';
import { countedOrderSql } from '../../../analytics/revenue/index.js';
import { refreshSalesAggregatesIfStale } from '../../../analytics/sales/index.js';
import { DEFAULT_AS_OF, type DemoFile, type DemoResult, generateDemo } from '../../../demo/index.js';
import { AppError, InputError, type Issue, inputErrorFromIssues } from '../../../errors.js';
import { importSource, type LoadSummary, withImportBatch } from '../../../ingest/index.js';
import {
  DuckDbEngine,
  type Engine,
  ident,
  isInitialised,
  openDatamart,
  openEngine,
  parseDbLocation,
  sql,
} from '../../../store/index.js';
import type { Command, CommandContext } from '../command.js';
import { DEMO_STEPS } from '../demo-steps.js';
import { handoffKey } from '../server-handoff.js';
import { serveDatamart } from './serve.js';

const DEFAULT_CUSTOMERS = 5000;
const DEFAULT_SEED = 42;
const DEFAULT_OUT = 'demo-data';
const DEFAULT_DB = 'demo.duckdb';
/** meta key that marks a datamart as made by `clientele demo` (so a re-run may replace it). */
const DEMO_MARK = 'demo';

interface DemoFlags {
  customers: number;
  seed: number;
  outDir: string;
  asOf: string;
}

function parseFlags(ctx: CommandContext): DemoFlags {
  const issues: Issue[] = [];
  const whole = (name: string, fallback: number, min: number): number => {
    const raw = ctx.values[name];
    if (raw === undefined) return fallback;
    const text = String(raw).replaceAll('_', '');
    const n = /^-?\d+$/.test(text) ? Number(text) : Number.NaN;
    if (!Number.isSafeInteger(n) || n < min) {
      issues.push({ where: `--${name}`, message: `expected a whole number ≥ ${min}, got "${raw}"` });
      return fallback;
    }
    return n;
  };
  const customers = whole('customers', DEFAULT_CUSTOMERS, 1);
  const seed = whole('seed', DEFAULT_SEED, 0);
  const asOf = (ctx.values['as-of'] as string | undefined) ?? DEFAULT_AS_OF;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(asOf)) {
    issues.push({ where: '--as-of', message: `expected a date YYYY-MM-DD, got "${asOf}"` });
  }
  const outDir = resolve((ctx.values.out as string | undefined) ?? DEFAULT_OUT);
  if (issues.length)
    throw inputErrorFromIssues('clientele demo: bad options (see `clientele demo --help`):', issues);
  return { customers, seed, outDir, asOf };
}

async function generate(ctx: CommandContext, flags: DemoFlags): Promise<DemoResult> {
  const bar = ctx.progress('Generating demo shop', flags.customers);
  const result = await generateDemo({ ...flags, onProgress: (done) => bar.update(done, 'customers') });
  bar.done(`${ctx.out.fmt.int(flags.customers)} customers`);
  return result;
}

function generateSummary(result: DemoResult) {
  const m = result.manifest;
  return {
    outDir: result.outDir,
    manifest: result.manifestPath,
    seed: m.seed,
    customers: m.customers,
    asOf: m.asOf,
    from: m.from,
    files: m.files.map((f) => ({
      file: f.file,
      target: f.target,
      format: f.format,
      encoding: f.encoding,
      rows: f.rows,
    })),
    counts: m.counts,
    plantedProblems: m.planted.problems.length,
  };
}

function printGenerated(ctx: CommandContext, result: DemoResult): void {
  const m = result.manifest;
  ctx.out.line(
    `Demo shop written to ${result.outDir} (seed ${m.seed}, history ${m.from} … ${m.asOf}, as of ${m.asOf})`,
  );
  ctx.out.table(
    m.files.map((f) => ({
      file: f.file,
      table: f.target,
      format: f.format,
      encoding: f.encoding,
      rows: f.rows,
    })),
  );
  const c = m.counts;
  ctx.out.line(
    `\n${ctx.out.fmt.int(c.customers)} customers (${ctx.out.fmt.int(c.prospects)} prospects), ` +
      `${ctx.out.fmt.int(c.orders)} orders, ${ctx.out.fmt.int(c.orderLines)} order lines, ` +
      `${c.campaigns} campaigns, ${ctx.out.fmt.int(c.campaignEvents)} campaign events, ` +
      `revenue ${ctx.out.fmt.money(c.revenue)}.`,
  );
  ctx.out.line(
    `Planted: ${m.planted.affinities.length} cross-sell affinities, a control group in every campaign, ` +
      `churn signals, ${m.planted.problems.length} data-quality problems (see manifest.json and src/demo/README.md).`,
  );
}

export const demoCommand: Command = {
  name: 'demo',
  summary: 'generate a realistic demo shop, import it and show what Clientele finds',
  usage: `Usage:
  clientele demo [--customers N] [--seed S] [--out DIR] [--as-of DATE] [--db PATH] [--port P] [--no-serve] [--json]
  clientele demo generate [--customers N] [--seed S] [--out DIR] [--as-of DATE] [--json]

\`clientele demo\` is the quick start: it generates a demo shop (customers, catalog, orders, campaigns,
service contacts, reviews, postcode data) as CSV/Excel/NDJSON files in DIR and prints what it wrote.
\`clientele demo generate\` only writes the files. The same seed always gives byte-identical files.

Options:
  --customers N   customer records, buyers and prospects (default ${DEFAULT_CUSTOMERS})
  --seed S        random seed, a whole number (default ${DEFAULT_SEED})
  --out DIR       folder for the files (default ./${DEFAULT_OUT})
  --as-of DATE    extraction date YYYY-MM-DD; history covers the three years before it (default ${DEFAULT_AS_OF})
  --port P        port of the dashboard the demo ends with (default 8080; 0 = any free port)
  --no-serve      end after the summary instead of serving the dashboard (implied by --json and when CI is set)

JSON fields (generate): outDir, manifest, seed, customers, asOf, from, files[{file, target, format, encoding,
rows}], counts{customers, buyers, prospects, orders, orderLines, campaigns, campaignEvents, serviceContacts,
texts, areas, products, revenue}, plantedProblems

Examples:
  clientele demo
  clientele demo generate --customers 1000000 --seed 7 --out /data/demo`,
  options: {
    customers: { type: 'string' },
    seed: { type: 'string' },
    out: { type: 'string' },
    'as-of': { type: 'string' },
    port: { type: 'string' },
    host: { type: 'string' },
    'no-serve': { type: 'boolean', default: false },
  },
  async run(ctx) {
    const sub = ctx.args[0];
    if (sub !== undefined && sub !== 'generate') {
      throw new InputError(
        `clientele demo: unknown subcommand "${sub}". Expected nothing (the full demo) or "generate".`,
        { subcommand: sub },
        { code: 'INVALID_ARGUMENT' },
      );
    }
    const flags = parseFlags(ctx);
    if (sub === 'generate') {
      const result = await generate(ctx, flags);
      printGenerated(ctx, result);
      return generateSummary(result);
    }
    const db = (ctx.values.db as string | undefined) ?? DEFAULT_DB;
    return runDemo(ctx, flags, parseDbLocation(db).kind === 'duckdb' ? resolve(db) : db);
  },
};

// ---------------------------------------------------------------------------------------------------
// The full demo: generate → import every file through the real import path → overview → DEMO_STEPS.

interface FileImport {
  file: string;
  target: string;
  status: 'loaded' | 'failed';
  read: number;
  loaded: number;
  rejected: number;
  duplicates: number;
  inserted: number;
  updated: number;
  merges: number;
  /** read = loaded + rejected + duplicates */
  reconciled: boolean;
  seconds: number;
  error: { code: string; message: string } | null;
}

/**
 * Refuses to overwrite a datamart that the demo did not make; removes an old demo datamart.
 * @internal exported for tests
 */
export async function freshDemoDb(path: string): Promise<void> {
  if (parseDbLocation(path).kind !== 'duckdb') return freshDemoDatabase(path);
  if (!existsSync(path)) return;
  const engine = await DuckDbEngine.open(path, { readOnly: true });
  let isDemo = false;
  try {
    isDemo = await isDemoDatamart(engine);
  } finally {
    await engine.close();
  }
  if (!isDemo) {
    throw new InputError(
      `--db ${path}: expected a new file or a datamart made by \`clientele demo\`, found another datamart. The demo replaces its datamart on every run; pass a different --db (the default is ./${DEFAULT_DB}).`,
      { db: path },
      { code: 'CONFLICT' },
    );
  }
  rmSync(path, { force: true });
  rmSync(`${path}.wal`, { force: true });
}

async function isDemoDatamart(engine: Engine): Promise<boolean> {
  if (!(await isInitialised(engine))) return false;
  const mark = await engine.query(sql`SELECT value FROM meta WHERE key = ${DEMO_MARK}`);
  return mark.length > 0;
}

/**
 * The same for a database server or folder (ClickHouse): an empty database is fine, a demo datamart's tables
 * are dropped, anything else is refused.
 */
async function freshDemoDatabase(db: string): Promise<void> {
  const engine = await openEngine(db);
  try {
    const tables = await engine.query<{ name: string }>(
      sql`SELECT table_name AS name FROM information_schema.tables WHERE table_schema = ${engine.dialect.currentSchema()}`,
    );
    if (tables.length === 0) return;
    if (!(await isDemoDatamart(engine))) {
      throw new InputError(
        `--db ${engine.location}: expected an empty database or a datamart made by \`clientele demo\`, found other tables. The demo replaces its datamart on every run; pass a different --db.`,
        { db: engine.location },
        { code: 'CONFLICT' },
      );
    }
    for (const t of tables) await engine.exec(sql`DROP TABLE IF EXISTS ${ident(t.name)}`);
  } finally {
    await engine.close();
  }
}

/**
 * Imports one demo file through the real import path, `importSource()` (the same as `clientele import`):
 * stage (format and encoding detected), profile (types, date and number formats detected), map (headers →
 * fields by synonyms; only the target table is given) and load (validate, reject, upsert in one transaction).
 */
async function importFile(
  engine: Engine,
  outDir: string,
  f: DemoFile,
  onProgress: (fraction: number, detail: string) => void,
): Promise<LoadSummary> {
  const phases = ['stage', 'profile', 'map', 'load'];
  const r = await importSource(
    engine,
    {
      path: resolve(outDir, f.file),
      target: f.target,
      format: f.format,
      ...(f.sheet ? { sheet: f.sheet } : {}),
    },
    {
      source: f.source,
      ...(f.defaultCountry ? { defaultCountry: f.defaultCountry } : {}),
      onProgress: (p) =>
        onProgress(
          (phases.indexOf(p.phase) + (p.total ? p.done / p.total : 0)) / phases.length,
          `${p.phase} ${p.step}`,
        ),
    },
  );
  if (r.dryRun) throw new AppError('INTERNAL', `${f.file}: the import ran as a dry run`);
  return r;
}

async function importAll(ctx: CommandContext, engine: Engine, result: DemoResult): Promise<FileImport[]> {
  const imports: FileImport[] = [];
  for (const f of result.manifest.files) {
    const bar = ctx.progress(`Importing ${f.file.padEnd(22)}`, 1);
    const started = performance.now();
    try {
      const r = await importFile(engine, result.outDir, f, (fraction, detail) =>
        bar.update(fraction, detail),
      );
      imports.push({
        file: f.file,
        target: f.target,
        status: 'loaded',
        read: r.read,
        loaded: r.loaded,
        rejected: r.rejected,
        duplicates: r.duplicates,
        inserted: r.inserted,
        updated: r.updated,
        merges: r.merges,
        reconciled: r.read === r.loaded + r.rejected + r.duplicates,
        seconds: r.seconds,
        error: null,
      });
      bar.done(`${ctx.out.fmt.int(r.loaded)} rows`);
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      bar.done('failed');
      imports.push({
        file: f.file,
        target: f.target,
        status: 'failed',
        read: 0,
        loaded: 0,
        rejected: 0,
        duplicates: 0,
        inserted: 0,
        updated: 0,
        merges: 0,
        reconciled: false,
        seconds: (performance.now() - started) / 1000,
        error: { code: error.code, message: error.message },
      });
    }
  }
  return imports;
}

async function overview(engine: Engine) {
  const [c] = await engine.query(sql`SELECT count(*) AS customers,
      count(*) FILTER (WHERE is_prospect) AS prospects FROM customers`);
  // Buyers and cancellations by the revenue rule (a customer whose only orders were cancelled is no buyer).
  const [o] = await engine.query(sql`SELECT count(*) AS orders,
      count(DISTINCT customer_id) FILTER (WHERE ${countedOrderSql('o')}) AS buyers,
      count(*) FILTER (WHERE NOT ${countedOrderSql('o')}) AS cancelled,
      CAST(min(order_date) AS VARCHAR) AS first_order, CAST(max(order_date) AS VARCHAR) AS last_order FROM orders o`);
  // Net revenue (discounts and returns taken off) by the same rule as the dashboard's overview.
  const [r] = await engine.query(
    sql`SELECT coalesce(sum(revenue), 0) AS revenue FROM (${orderValuesSql(engine.dialect, '9999-12-31')}) v`,
  );
  const [l] = await engine.query(sql`SELECT count(*) AS lines FROM order_lines`);
  const n = (v: unknown) => Number(v ?? 0);
  return {
    customers: n(c?.customers),
    prospects: n(c?.prospects),
    buyers: n(o?.buyers),
    orders: n(o?.orders),
    cancelledOrders: n(o?.cancelled),
    orderLines: n(l?.lines),
    revenue: Math.round(n(r?.revenue) * 100) / 100,
    firstOrder: (o?.first_order as string | null) ?? null,
    lastOrder: (o?.last_order as string | null) ?? null,
  };
}

async function runDemo(ctx: CommandContext, flags: DemoFlags, dbPath: string) {
  const started = performance.now();
  await freshDemoDb(dbPath);
  const result = await generate(ctx, flags);
  const engine = await openDatamart({ db: dbPath });
  try {
    await engine.exec(sql`DELETE FROM meta WHERE key = ${DEMO_MARK}`);
    await engine.exec(
      sql`INSERT INTO meta (key, value) VALUES (${DEMO_MARK}, ${JSON.stringify({ seed: flags.seed, customers: flags.customers, asOf: flags.asOf })})`,
    );
    // One batch: on ClickHouse the files are staged and checked in one DuckDB mirror and swapped in once.
    const imports = await withImportBatch(engine, (target) => importAll(ctx, target, result));
    // The sales cube's daily pre-aggregate, as after any import (the cube falls back to the lines without it).
    await refreshSalesAggregatesIfStale(engine).catch(() => null);
    const totals = imports.reduce(
      (t, i) => ({
        read: t.read + i.read,
        loaded: t.loaded + i.loaded,
        rejected: t.rejected + i.rejected,
        duplicates: t.duplicates + i.duplicates,
      }),
      { read: 0, loaded: 0, rejected: 0, duplicates: 0 },
    );
    ctx.out.line(`\nImported ${result.outDir} into ${dbPath}`);
    ctx.out.table(
      imports.map((i) => ({
        file: i.file,
        table: i.target,
        read: i.read,
        loaded: i.loaded,
        rejected: i.rejected,
        duplicates: i.duplicates,
        status: i.status === 'loaded' ? (i.reconciled ? 'ok' : 'NOT RECONCILED') : 'FAILED',
      })),
    );
    for (const i of imports.filter((x) => x.error))
      ctx.out.line(`  ${i.file}: ${i.error?.message.split('\n')[0]}`);
    const summary = await overview(engine);
    ctx.out.line(
      `\n${ctx.out.fmt.int(summary.customers)} customer records: ${ctx.out.fmt.int(summary.customers - summary.prospects)} customers and ${ctx.out.fmt.int(summary.prospects)} prospects; ` +
        `${ctx.out.fmt.int(summary.buyers)} buyers (customers with an order that was not cancelled). ` +
        `${ctx.out.fmt.int(summary.orders)} orders (${ctx.out.fmt.int(summary.cancelledOrders)} cancelled; ${ctx.out.fmt.int(summary.orderLines)} lines) from ${summary.firstOrder ? ctx.out.fmt.date(summary.firstOrder) : '–'} to ${summary.lastOrder ? ctx.out.fmt.date(summary.lastOrder) : '–'}, ` +
        `net revenue ${ctx.out.fmt.money(summary.revenue)} (after discounts, returns and cancellations).`,
    );
    const steps: Record<string, unknown> = {};
    const failedSteps: { id: string; code: string; message: string }[] = [];
    const stepCtx = {
      asOf: flags.asOf,
      seed: flags.seed,
      manifest: result.manifest,
      out: ctx.out,
      outDir: result.outDir,
    };
    for (const step of DEMO_STEPS) {
      ctx.out.line(`\n== ${step.title}`);
      try {
        steps[step.id] = await step.run(engine, stepCtx);
      } catch (error) {
        const code = error instanceof AppError ? error.code : 'INTERNAL';
        const message = error instanceof Error ? error.message : String(error);
        failedSteps.push({ id: step.id, code, message });
        ctx.out.line(`  failed: ${message.split('\n')[0]}`);
      }
    }
    // The Risk page's rankings, stored so that its first visit needs no scoring of every buyer.
    const { warmRiskRankings } = await import('../../http/index.js');
    await warmRiskRankings(engine).catch(() => 0);
    const report = {
      outDir: result.outDir,
      db: dbPath,
      seed: flags.seed,
      customers: flags.customers,
      asOf: flags.asOf,
      imports,
      totals,
      summary,
      steps,
      seconds: Math.round((performance.now() - started) / 100) / 10,
    };
    const failedFiles = imports.filter((i) => i.status === 'failed' || !i.reconciled);
    if (failedFiles.length || failedSteps.length) {
      throw new AppError(
        'INTERNAL',
        `clientele demo: ${failedFiles.length} of ${imports.length} files did not import cleanly` +
          `${failedFiles.length ? ` (${failedFiles.map((f) => f.file).join(', ')})` : ''} and ${failedSteps.length} of ${DEMO_STEPS.length} steps failed` +
          `${failedSteps.length ? ` (${failedSteps.map((f) => f.id).join(', ')})` : ''}. This is a bug in Clientele: please report it with the output above.`,
        { report, failedSteps },
      );
    }
    ctx.out.line(
      `\nDone in ${report.seconds} s. Explore: clientele status --db ${dbPath} · clientele sql --db ${dbPath} "SELECT …"`,
    );
    if (!ctx.json && ctx.values['no-serve'] !== true && !process.env.CI) {
      // The quick start ends on the dashboard, served on the demo datamart until Ctrl+C.
      // CLI commands on the demo datamart (the "Explore" line above) go through this server meanwhile.
      const handoff = handoffKey(dbPath);
      const server = await serveDatamart(
        engine,
        ctx.values,
        (l) => ctx.out.line(l),
        handoff ? { handoff: { dbPath: handoff, run: ctx.runOnEngine } } : {},
      );
      await new Promise<void>((resolve) => {
        process.once('SIGINT', () => resolve());
        process.once('SIGTERM', () => resolve());
      });
      await server.close();
    }
    return report;
  } finally {
    await engine.close();
  }
}
