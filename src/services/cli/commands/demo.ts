import { resolve } from 'node:path';
import { DEFAULT_AS_OF, type DemoResult, generateDemo } from '../../../demo/index.js';
import { InputError, type Issue, inputErrorFromIssues } from '../../../errors.js';
import type { Command, CommandContext } from '../command.js';

const DEFAULT_CUSTOMERS = 5000;
const DEFAULT_SEED = 42;
const DEFAULT_OUT = 'demo-data';

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
  bar.done(`${flags.customers.toLocaleString('en')} customers`);
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
    `\n${c.customers.toLocaleString('en')} customers (${c.prospects.toLocaleString('en')} prospects), ` +
      `${c.orders.toLocaleString('en')} orders, ${c.orderLines.toLocaleString('en')} order lines, ` +
      `${c.campaigns} campaigns, ${c.campaignEvents.toLocaleString('en')} campaign events, ` +
      `revenue €${Math.round(c.revenue).toLocaleString('en')}.`,
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
  clientele demo [--customers N] [--seed S] [--out DIR] [--as-of DATE] [--db PATH] [--json]
  clientele demo generate [--customers N] [--seed S] [--out DIR] [--as-of DATE] [--json]

\`clientele demo\` is the quick start: it generates a demo shop (customers, catalog, orders, campaigns,
service contacts, reviews, postcode data) as CSV/Excel/NDJSON files in DIR and prints what it wrote.
\`clientele demo generate\` only writes the files. The same seed always gives byte-identical files.

Options:
  --customers N   customer records, buyers and prospects (default ${DEFAULT_CUSTOMERS})
  --seed S        random seed, a whole number (default ${DEFAULT_SEED})
  --out DIR       folder for the files (default ./${DEFAULT_OUT})
  --as-of DATE    extraction date YYYY-MM-DD; history covers the three years before it (default ${DEFAULT_AS_OF})

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
    const result = await generate(ctx, flags);
    printGenerated(ctx, result);
    return generateSummary(result);
  },
};
