/**
 * The CLI while `clientele serve` holds the same DuckDB datamart (issue 12, point 8; README design section).
 *
 * DuckDB lets one process open a database file for writing, and no other process may open it at all, even
 * read-only, while that one has it. So a server that holds the file would lock every CLI command out
 * ("Could not set lock on file"). Instead of letting go of the file between requests (every request would
 * reopen and checkpoint the datamart, and a long import would stall the dashboard), the server writes a
 * **hand-off file** next to the datamart (`shop.duckdb.serve.json`: its process id, address and session
 * token, readable by its owner only) and accepts CLI commands on `POST /api/cli`. A CLI command that finds
 * a live hand-off file for its datamart sends its arguments and working folder there; the server runs the
 * very same command on a session of its own engine and streams the output back, so every command works,
 * writes included, with the same output and exit code.
 */
import { chmodSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Engine } from '../../store/index.js';

/** What a serving process writes next to its datamart. */
export interface HandoffFile {
  pid: number;
  url: string;
  token: string;
  db: string;
}

/**
 * What a server holds exclusively for a `--db` value, as a path: a DuckDB file, or a chdb data folder (chdb
 * locks its folder against other processes as DuckDB locks its file). Null for what any number of processes
 * may open (`:memory:`, a `clickhouse://` server).
 */
export function handoffKey(db: string): string | null {
  if (db === ':memory:' || /^clickhouses?:\/\//i.test(db)) return null;
  if (db.startsWith('chdb:')) return resolve(db.slice('chdb:'.length) || '.');
  return resolve(db);
}

/** The hand-off file of a DuckDB datamart path or chdb folder (absolute or relative to the working folder). */
export function handoffPath(dbPath: string): string {
  return `${resolve(dbPath)}.serve.json`;
}

/** Writes the hand-off file (owner read/write only: it holds an admin token). */
export function writeHandoff(dbPath: string, file: Omit<HandoffFile, 'db'>): string {
  const path = handoffPath(dbPath);
  writeFileSync(path, JSON.stringify({ ...file, db: resolve(dbPath) }, null, 2), { mode: 0o600 });
  chmodSync(path, 0o600);
  return path;
}

/** Removes the hand-off file if it is this process's. */
export function removeHandoff(dbPath: string): void {
  const found = readHandoff(dbPath);
  if (found && found.pid === process.pid) rmSync(handoffPath(dbPath), { force: true });
}

function readHandoff(dbPath: string): HandoffFile | null {
  const path = handoffPath(dbPath);
  if (!existsSync(path)) return null;
  try {
    const parsed = JSON.parse(readFileSync(path, 'utf8')) as Partial<HandoffFile>;
    if (typeof parsed.pid !== 'number' || typeof parsed.url !== 'string' || typeof parsed.token !== 'string')
      return null;
    return parsed as HandoffFile;
  } catch {
    // A half-written or foreign file is no server: the command opens the datamart itself (and DuckDB's
    // own lock error says so if the file really is held).
    return null;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The live server holding this DuckDB datamart, or null (no file, or its process has gone). */
export function liveServer(dbPath: string): HandoffFile | null {
  const found = readHandoff(dbPath);
  if (!found || found.pid === process.pid) return null;
  return isAlive(found.pid) ? found : null;
}

/** One streamed event of a forwarded command (NDJSON lines). */
export type CliEvent = { out: string } | { err: string } | { exitCode: number } | { ping: true };

/**
 * Runs `argv` on the server named by the hand-off file and writes its output as it comes. Returns the
 * command's exit code, or null when the server cannot be reached (the caller then opens the file itself).
 */
export async function forwardToServer(
  server: HandoffFile,
  argv: readonly string[],
  io: { stdout: (s: string) => void; stderr: (s: string) => void },
): Promise<number | null> {
  let res: Response;
  try {
    res = await fetch(`${server.url}/api/cli`, {
      method: 'POST',
      headers: { authorization: `Bearer ${server.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ argv, cwd: process.cwd(), lang: process.env.CLIENTELE_LANG ?? null }),
    });
  } catch {
    return null;
  }
  if (!res.ok || !res.body) {
    const body = (await res.json().catch(() => null)) as { error?: { message?: string } } | null;
    io.stderr(
      `clientele: the server at ${server.url} (process ${server.pid}) holds this datamart and refused the command: ${body?.error?.message ?? res.statusText}. Stop it (Ctrl+C in its terminal) or run the command there.\n`,
    );
    return 1;
  }
  const decoder = new TextDecoder();
  let buffered = '';
  let exitCode = 1;
  const handle = (line: string) => {
    if (!line.trim()) return;
    const event = JSON.parse(line) as CliEvent;
    if ('out' in event) io.stdout(event.out);
    else if ('err' in event) io.stderr(event.err);
    else if ('exitCode' in event) exitCode = event.exitCode;
  };
  for await (const chunk of res.body) {
    buffered += decoder.decode(chunk as Uint8Array, { stream: true });
    let nl = buffered.indexOf('\n');
    while (nl >= 0) {
      handle(buffered.slice(0, nl));
      buffered = buffered.slice(nl + 1);
      nl = buffered.indexOf('\n');
    }
  }
  handle(buffered);
  return exitCode;
}

/**
 * The engine a forwarded command gets: the session, with `close()` left to the route (a command closes
 * what `openDb` gave it). A proxy, so methods run on the session itself and `instanceof` still holds.
 */
export function borrowedEngine(session: Engine): Engine {
  return new Proxy(session, {
    get(target, prop) {
      if (prop === 'close') return async () => undefined;
      const value = Reflect.get(target, prop, target) as unknown;
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}
