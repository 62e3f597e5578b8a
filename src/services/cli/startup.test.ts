import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

/**
 * CLI start-up (issue 20): a command loads what it needs when it needs it. Each case runs the CLI from the
 * sources in a child process and lists every module it resolved (test/support/module-log-hooks.mjs); no timing.
 */
const ROOT = join(import.meta.dirname, '..', '..', '..');
const dir = mkdtempSync(join(tmpdir(), 'clientele-startup-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function modulesOf(args: string[], name: string): string[] {
  const log = join(dir, `${name}.log`);
  const r = spawnSync(
    process.execPath,
    ['--import', 'tsx', '--import', './test/support/module-log.mjs', 'src/services/cli/main.ts', ...args],
    { cwd: ROOT, encoding: 'utf8', env: { ...process.env, CLIENTELE_MODULE_LOG: log, NO_COLOR: '1' } },
  );
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  return [...new Set(readFileSync(log, 'utf8').trim().split('\n'))];
}

const rel = (url: string) => url.replace(/^file:\/\//, '').replace(`${ROOT}/`, '');

describe('CLI start-up', () => {
  it('`--help` loads no database driver, no analytics module, no store and no service but the CLI', () => {
    const loaded = modulesOf(['--help'], 'help').map(rel);
    expect(loaded).toContain('src/services/cli/main.ts');
    const heavy = loaded.filter(
      (m) =>
        /node_modules\/(@duckdb|@clickhouse|chdb|mysql2|pg|exceljs|zod|yaml)\//.test(m) ||
        /^src\/(store|ingest)\//.test(m) ||
        (/^src\/analytics\//.test(m) && !/^src\/analytics\/shared\//.test(m)) ||
        (/^src\/services\//.test(m) && !/^src\/services\/cli\//.test(m)) ||
        /^src\/services\/cli\/commands\/(?!index\.ts)/.test(m),
    );
    expect(heavy).toEqual([]);
  });

  it('`sql` on a DuckDB file loads DuckDB (by require) but not the ClickHouse client or the analytics', () => {
    const db = join(dir, 'startup.duckdb');
    modulesOf(['init', '--db', db], 'init');
    const loaded = modulesOf(['sql', 'select 1 AS x', '--db', db, '--json'], 'sql').map(rel);
    expect(loaded.some((m) => m.includes('src/store/duckdb-engine.ts'))).toBe(true);
    // DuckDB's package is loaded with require() (src/store/duckdb-api.ts), never as an ES module import, which
    // would have Node scan its ~180 CommonJS files for named exports first.
    expect(loaded.filter((m) => m.includes('@duckdb/node-api'))).toEqual([]);
    const heavy = loaded.filter(
      (m) =>
        /node_modules\/(@clickhouse|chdb|mysql2|pg|exceljs)\//.test(m) ||
        (/^src\/analytics\//.test(m) && !/^src\/analytics\/shared\//.test(m)),
    );
    expect(heavy).toEqual([]);
  });
});
