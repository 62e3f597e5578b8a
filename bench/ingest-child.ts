/**
 * One side of the ingest benchmark, in its own process so its peak RSS is its own.
 *   duckdb    DB FILE         CREATE TABLE t AS SELECT * FROM read_csv(FILE) into a fresh DuckDB file
 *   clientele DB FILE TARGET  importSource(FILE) into the datamart DB (customers already loaded)
 *   floor     DB FILE         the same rows into the datamart's orders and order_lines with the least SQL,
 *                             nothing checked (bench/ingest-floor.ts)
 * Prints one JSON line: { seconds, cpuSeconds (user + system, all threads), peakRssMiB, rows, summary? }.
 */
import { importSource } from '../src/ingest/index.js';
import { DuckDbEngine, migrate, sql } from '../src/store/index.js';
import { floorImport } from './ingest-floor.js';
import { cpuSecondsSince, peakRssMiB, time } from './util.js';

const [mode, db, file, target] = process.argv.slice(2);
if (process.env.INGEST_TRACE) traceStatements();

/**
 * INGEST_TRACE=1: times every statement the engine runs (wall and process CPU) and prints the heaviest to
 * stderr at exit, to see where an import spends its time beyond the floor.
 */
function traceStatements(): void {
  const proto = DuckDbEngine.prototype as unknown as {
    serial: (call: () => Promise<unknown>, text: string, params: unknown[]) => Promise<unknown>;
  };
  const original = proto.serial;
  const spent: { text: string; wall: number; cpu: number }[] = [];
  proto.serial = function (call, text, params) {
    return original.call(
      this,
      async () => {
        const cpu = process.cpuUsage();
        const start = performance.now();
        try {
          return await call();
        } finally {
          spent.push({ text, wall: (performance.now() - start) / 1000, cpu: cpuSecondsSince(cpu) });
        }
      },
      text,
      params,
    );
  };
  process.on('exit', () => {
    const total = spent.reduce((s, x) => s + x.cpu, 0);
    process.stderr.write(`${spent.length} statements, ${total.toFixed(2)} CPU-s in DuckDB calls\n`);
    for (const x of [...spent].sort((a, b) => b.cpu - a.cpu).slice(0, Number(process.env.INGEST_TRACE) || 25))
      process.stderr.write(
        `${x.wall.toFixed(3)} s wall ${x.cpu.toFixed(3)} s CPU  ${x.text.replace(/\s+/g, ' ').slice(0, 220)}\n`,
      );
  });
}
// Same DuckDB settings on both sides; INGEST_BENCH_MEMORY_LIMIT (e.g. 1GB) caps DuckDB's buffer memory.
const memoryLimit = process.env.INGEST_BENCH_MEMORY_LIMIT;
const settings = memoryLimit ? { memoryLimit } : {};
if (mode === 'duckdb') {
  const engine = await DuckDbEngine.open(db!, settings);
  const cpu = process.cpuUsage();
  const { seconds } = await time(() => engine.exec(sql`CREATE TABLE t AS SELECT * FROM read_csv(${file!})`));
  const cpuSeconds = cpuSecondsSince(cpu);
  const [row] = await engine.query('SELECT count(*) AS n FROM t');
  await engine.close();
  console.log(JSON.stringify({ seconds, cpuSeconds, peakRssMiB: await peakRssMiB(), rows: row?.n }));
} else if (mode === 'floor') {
  const engine = await DuckDbEngine.open(db!, settings);
  const cpu = process.cpuUsage();
  const { seconds, result: rows } = await time(() => floorImport(engine, file!));
  const cpuSeconds = cpuSecondsSince(cpu);
  await engine.close();
  console.log(JSON.stringify({ seconds, cpuSeconds, peakRssMiB: await peakRssMiB(), rows }));
} else {
  // importSource caps DuckDB's memory during the import (importMemoryLimit(): a quarter of the machine,
  // at most 1,200 MB); INGEST_BENCH_CLIENTELE_MEMORY_LIMIT replaces that cap ('none' keeps DuckDB's own).
  const ours = process.env.INGEST_BENCH_CLIENTELE_MEMORY_LIMIT;
  const engine = await DuckDbEngine.open(db!, settings);
  await migrate(engine);
  const cpu = process.cpuUsage();
  const { seconds, result } = await time(() =>
    importSource(
      engine,
      { path: file!, ...(target ? { target: target as 'order_lines' } : {}) },
      ours ? { memoryLimit: ours === 'none' ? null : ours } : {},
    ),
  );
  const cpuSeconds = cpuSecondsSince(cpu);
  await engine.close();
  const summary = result.dryRun ? null : { ...result, warnings: result.warnings.length };
  console.log(
    JSON.stringify({ seconds, cpuSeconds, peakRssMiB: await peakRssMiB(), rows: summary?.loaded, summary }),
  );
}
