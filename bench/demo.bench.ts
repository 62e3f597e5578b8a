/**
 * Demo generator: time and peak memory for the default demo (5,000 customers) and for 1,000,000
 * customers (streaming: peak RSS must stay flat). Set DEMO_BENCH_CUSTOMERS to change the large size.
 * Files go to bench/data/demo-* (ignored by git) and are removed afterwards.
 */
import { readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { generateDemo } from '../src/demo/index.js';
import { peakRssMiB, time } from './util.js';

const sizes = [5000, Number(process.env.DEMO_BENCH_CUSTOMERS ?? 1_000_000)];
for (const customers of sizes) {
  const outDir = join(import.meta.dirname, 'data', `demo-${customers}`);
  const { seconds, result } = await time(() =>
    generateDemo({ customers, seed: 42, outDir, asOf: '2026-06-30' }),
  );
  const bytes = readdirSync(outDir).reduce((s, f) => s + statSync(join(outDir, f)).size, 0);
  const c = result.manifest.counts;
  console.log(
    `demo generate ${customers.toLocaleString('en')} customers: ${seconds.toFixed(1)} s, ` +
      `${(bytes / 1024 / 1024).toFixed(0)} MiB of files, ${c.orders.toLocaleString('en')} orders, ` +
      `${c.orderLines.toLocaleString('en')} lines, ${c.campaignEvents.toLocaleString('en')} events, ` +
      `peak RSS so far ${(await peakRssMiB()).toFixed(0)} MiB`,
  );
  rmSync(outDir, { recursive: true, force: true });
}
