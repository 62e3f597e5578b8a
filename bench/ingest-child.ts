/**
 * One side of the ingest benchmarks, in its own process so its peak RSS and CPU are its own. Each mode
 * loads only the modules it needs (the floor no import pipeline, the CLI side what `clientele import` loads).
 *   duckdb    DB FILE         CREATE TABLE t AS SELECT * FROM read_csv(FILE) into a fresh DuckDB file
 *   floor     DB FILE [KIND]  the same rows into the datamart's orders and order_lines with the least SQL,
 *                             nothing checked (bench/ingest-floor.ts; KIND export: the flat shop export)
 *   cli       DB FILE TARGET  `clientele import FILE --target TARGET --db DB --create --json`, run in this
 *                             process as the CLI runs it (the sales pre-aggregate refresh included)
 *   clientele DB FILE TARGET  importSource(FILE) alone into the datamart DB
 * Prints one JSON line: { seconds, cpuSeconds (user + system, all threads, of the measured step),
 * processCpuSeconds (the whole process so far: start-up, module loading, close), peakRssMiB, rows, summary? }.
 */
import { DuckDbEngine, migrate, sql } from '../src/store/index.js';
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
  console.log(
    JSON.stringify({
      seconds,
      cpuSeconds,
      processCpuSeconds: processCpu(),
      peakRssMiB: await peakRssMiB(),
      rows: row?.n,
    }),
  );
} else if (mode === 'floor') {
  const { floorExportImport, floorImport } = await import('./ingest-floor.js');
  const engine = await DuckDbEngine.open(db!, settings);
  if (target === 'export') await migrate(engine);
  const cpu = process.cpuUsage();
  const { seconds, result: rows } = await time(() =>
    target === 'export' ? floorExportImport(engine, file!) : floorImport(engine, file!),
  );
  const cpuSeconds = cpuSecondsSince(cpu);
  await engine.close();
  console.log(
    JSON.stringify({
      seconds,
      cpuSeconds,
      processCpuSeconds: processCpu(),
      peakRssMiB: await peakRssMiB(),
      rows,
    }),
  );
} else if (mode === 'cli') {
  const { runCli } = await import('../src/services/cli/main.js');
  let out = '';
  const cpu = process.cpuUsage();
  const { seconds, result } = await time(() =>
    runCli(['import', file!, '--target', target!, '--db', db!, '--create', '--json'], {
      stdout: (s) => {
        out += s;
      },
      stderr: (s) => process.stderr.write(s),
    }),
  );
  const cpuSeconds = cpuSecondsSince(cpu);
  if (result.exitCode !== 0) throw new Error(`clientele import exited ${result.exitCode}`);
  const summary = JSON.parse(out) as Record<string, unknown>;
  console.log(
    JSON.stringify({
      seconds,
      cpuSeconds,
      processCpuSeconds: processCpu(),
      peakRssMiB: await peakRssMiB(),
      rows: summary.loaded,
      summary: { ...summary, warnings: (summary.warnings as unknown[]).length },
    }),
  );
} else {
  const { importSource } = await import('../src/ingest/index.js');
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
    JSON.stringify({
      seconds,
      cpuSeconds,
      processCpuSeconds: processCpu(),
      peakRssMiB: await peakRssMiB(),
      rows: summary?.loaded,
      summary,
    }),
  );
}

/** User + system CPU seconds of this whole process since it started (all threads). */
function processCpu(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
}
