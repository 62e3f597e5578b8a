#!/usr/bin/env node
import { existsSync, readdirSync, realpathSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
// The language parser straight from its small, pure file: the predict module's index would load every model.
import { type Language, parseLanguage } from '../../analytics/shared/field-labels.js';
import { translateError } from '../../analytics/shared/server-text.js';
import { AppError, InputError, isUserError, NotFoundError } from '../../errors.js';
import type { Engine } from '../../store/index.js';
import type { Command, CommandContext, CommandOptions, OptionValues } from './command.js';
import { COMMANDS } from './commands/index.js';
import { createOutput } from './output.js';
import { createProgress } from './progress.js';
import { borrowedEngine, forwardToServer, handoffKey, liveServer } from './server-handoff.js';

const GLOBAL_OPTIONS: CommandOptions = {
  db: { type: 'string' },
  create: { type: 'boolean', default: false },
  lang: { type: 'string' },
  json: { type: 'boolean', default: false },
  debug: { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
};

const GLOBAL_HELP = `Global options:
  --db PATH     the datamart: a DuckDB file (default: $CLIENTELE_DB, else ./clientele.duckdb), chdb:DIR or
                clickhouse://user:password@host:8123/database (docs/clickhouse.md); a file that does not
                exist is an error (a mistyped path, exit 2) except for init and demo, which create it, or
                with --create (import --dry-run on a missing file runs against an empty scratch datamart)
  --create      create the datamart file when it does not exist
  --lang LANG   language of reasons and labels: en, nl, fr, de or ru (default: $CLIENTELE_LANG, else en)
  --json        print a machine-readable JSON result on stdout
  --debug       print stack traces on errors
  -h, --help    help for a command`;

export interface RunResult {
  exitCode: number;
}

/** Runs the CLI with `argv` (without node and script), writing to the given streams. */
export async function runCli(
  argv: readonly string[],
  io: { stdout: (s: string) => void; stderr: (s: string) => void } = {
    stdout: (s) => process.stdout.write(s),
    stderr: (s) => process.stderr.write(s),
  },
  options: {
    /**
     * The datamart the command works on instead of opening --db: a `clientele serve` process runs a
     * forwarded command on a session of its own engine (server-handoff.ts).
     */
    engine?: Engine;
  } = {},
): Promise<RunResult> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.stdout(mainHelp());
    return { exitCode: name ? 0 : 2 };
  }
  if (name === '--version' || name === '-v') {
    io.stdout('clientele 0.1.0\n');
    return { exitCode: 0 };
  }
  // Only the named command's module is imported (lazily): `--help` and unknown names load none.
  const entry = COMMANDS.find((c) => c.name === name);
  const wantsJson = rest.includes('--json');
  const debug = rest.includes('--debug');
  // Errors are said in --lang / CLIENTELE_LANG too (known before the command parses its options).
  const langAt = rest.indexOf('--lang');
  const errorLang = parseLanguage(
    (langAt >= 0 ? rest[langAt + 1] : rest.find((a) => a.startsWith('--lang='))?.slice(7)) ??
      process.env.CLIENTELE_LANG,
  );
  // A datamart file that this command's --create made (removed again if the command fails).
  let createdByThisCommand: string | null = null;
  try {
    if (!entry) {
      throw new InputError(
        `Unknown command "${name}". Expected one of: ${COMMANDS.map((c) => c.name).join(', ')}. Run \`clientele --help\`.`,
        { command: name },
        { code: 'INVALID_ARGUMENT' },
      );
    }
    const command = await entry.load();
    const { values, positionals } = parseCommandArgs(command, rest);
    if (values.help) {
      io.stdout(`${command.usage.trimEnd()}\n\n${GLOBAL_HELP}\n`);
      return { exitCode: 0 };
    }
    const json = values.json === true;
    if (!options.engine && command.name === 'demo' && positionals[0] !== 'generate') {
      // The demo replaces its datamart file: never under a server that holds it.
      const path = (values.db as string | undefined) ?? 'demo.duckdb';
      const key = handoffKey(path);
      const server = key ? liveServer(key) : null;
      if (server)
        throw new InputError(
          `clientele demo --db ${path}: expected a datamart no server holds, found clientele serve (process ${server.pid}) serving it at ${server.url}. Stop that server first (Ctrl+C in its terminal), or give the demo another --db.`,
          { db: path, url: server.url },
          { code: 'INVALID_ARGUMENT' },
        );
    } else if (!options.engine && command.name !== 'serve') {
      const forwarded = await forwardIfServed(argv, values.db as string | undefined, io);
      if (forwarded !== null) return { exitCode: forwarded };
    }
    const lang = parseLanguage((values.lang as string | undefined) ?? process.env.CLIENTELE_LANG);
    const out = createOutput(json ? () => undefined : io.stdout, lang);
    // Money is shown in the datamart's currency (the `currency` setting, EUR by default).
    const withCurrency = async (engine: Engine) => {
      const { getSetting } = await import('../../store/index.js');
      out.setCurrency(await getSetting(engine, 'currency'));
      return engine;
    };
    const ctx: CommandContext = {
      args: positionals,
      values,
      json,
      out,
      lang,
      openDb: async (open) => {
        if (options.engine) return withCurrency(borrowedEngine(options.engine));
        // The store (DuckDB's native binding, ClickHouse and MySQL clients) loads when a command opens it.
        const store = await import('../../store/index.js');
        const db = values.db as string | undefined;
        if (open?.scratchIfMissing && !values.create && missingDatamartFile(store, db) !== null)
          return store.openDatamart({ db: ':memory:' });
        requireExistingDatamart(store, command.name, db, values.create === true);
        if (values.create === true && !CREATING_COMMANDS.has(command.name))
          createdByThisCommand = missingDatamartFile(store, db) ?? createdByThisCommand;
        return withCurrency(await store.openDatamart({ db, readOnly: open?.readOnly }));
      },
      progress: (label, total) => createProgress(label, total, { enabled: !json }),
      runOnEngine: (nested, nestedIo, engine) => runCli(nested, nestedIo, { engine }),
    };
    const result = await command.run(ctx);
    if (json) io.stdout(`${JSON.stringify(result ?? {}, jsonReplacer, 2)}\n`);
    return { exitCode: 0 };
  } catch (error) {
    // A command that failed leaves no datamart behind that its own --create made: nothing was there before.
    if (createdByThisCommand) removeDatamartFile(createdByThisCommand);
    return { exitCode: reportError(error, { json: wantsJson, debug, lang: errorLang }, io) };
  }
}

/** Removes a DuckDB datamart file and its write-ahead log (the command that made it failed). */
function removeDatamartFile(path: string): void {
  for (const f of [path, `${path}.wal`]) rmSync(f, { force: true });
}

/**
 * When `clientele serve` holds this DuckDB datamart (a live hand-off file beside it), runs the command
 * there and returns its exit code; null when no server holds it (or it cannot be reached).
 */
async function forwardIfServed(
  argv: readonly string[],
  db: string | undefined,
  io: { stdout: (s: string) => void; stderr: (s: string) => void },
): Promise<number | null> {
  const key = handoffKey(db ?? process.env.CLIENTELE_DB ?? 'clientele.duckdb');
  if (!key) return null;
  const server = liveServer(key);
  if (!server) return null;
  return forwardToServer(server, argv, io);
}

/**
 * Commands that create the datamart file when it does not exist: `init` (its job) and `demo` (the quick start
 * makes a datamart from nothing; it only ever replaces a datamart `demo` made). Everything else, `import`
 * included, needs an existing file or `--create`.
 */
export const CREATING_COMMANDS: ReadonlySet<string> = new Set(['init', 'demo']);

/** The DuckDB file a `--db` value names when that file does not exist; null otherwise (or not a file). */
function missingDatamartFile(
  store: Pick<typeof import('../../store/index.js'), 'parseDbLocation'>,
  db: string | undefined,
): string | null {
  const location = store.parseDbLocation(db);
  if (location.kind !== 'duckdb' || location.path === ':memory:' || existsSync(location.path)) return null;
  return location.path;
}

/**
 * A DuckDB datamart path that does not exist is a mistyped path (an error, exit 2), unless the command
 * creates datamarts (init, demo) or `--create` is given: an analysis or an import on a new empty file would
 * otherwise answer about, or load into, the wrong file.
 */
function requireExistingDatamart(
  store: Pick<typeof import('../../store/index.js'), 'parseDbLocation'>,
  command: string,
  db: string | undefined,
  create: boolean,
): void {
  if (create || CREATING_COMMANDS.has(command)) return;
  const path = missingDatamartFile(store, db);
  if (path === null) return;
  const nearby = datamartsBeside(path);
  throw new NotFoundError(
    `clientele ${command} --db ${path}: expected an existing datamart file, found none` +
      `${db === undefined ? ` (${process.env.CLIENTELE_DB ? 'from CLIENTELE_DB' : 'the default path; set --db or CLIENTELE_DB'})` : ''}` +
      `${nearby.length ? `; datamarts in that folder: ${nearby.join(', ')}` : ''}. ` +
      `Check the path, or create the datamart: run \`clientele init --db ${path}\` or add --create.`,
    { db: path, ...(nearby.length ? { nearby } : {}) },
  );
}

/** Up to five `.duckdb` files in the folder of a missing path: what the user probably meant. */
function datamartsBeside(path: string): string[] {
  try {
    const folder = dirname(path);
    return readdirSync(folder)
      .filter((f) => f.endsWith('.duckdb') && f !== basename(path))
      .sort()
      .slice(0, 5)
      .map((f) => (folder === '.' ? f : join(folder, f)));
  } catch {
    return [];
  }
}

/**
 * `--price-change -10%`: node's parseArgs takes a value starting with '-' for an option, so a negative number
 * after a string option is joined to it (`--price-change=-10%`) before parsing.
 */
function joinNegativeValues(
  rest: readonly string[],
  options: Record<string, { type: 'string' | 'boolean' }>,
): string[] {
  const out: string[] = [];
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i]!;
    const next = rest[i + 1];
    const name = a.startsWith('--') ? a.slice(2) : null;
    if (name && options[name]?.type === 'string' && next !== undefined && /^-\d/.test(next)) {
      out.push(`${a}=${next}`);
      i++;
    } else out.push(a);
  }
  return out;
}

function parseCommandArgs(
  command: Command,
  rest: readonly string[],
): { values: OptionValues; positionals: string[] } {
  try {
    return parseArgs({
      args: joinNegativeValues(rest, { ...GLOBAL_OPTIONS, ...command.options }),
      options: { ...GLOBAL_OPTIONS, ...command.options },
      allowPositionals: true,
      strict: true,
    });
  } catch (cause) {
    throw new InputError(
      `${(cause as Error).message}. Run \`clientele ${command.name} --help\` for its options.`,
      { command: command.name },
      { cause, code: 'INVALID_ARGUMENT' },
    );
  }
}

function reportError(
  error: unknown,
  flags: { json: boolean; debug: boolean; lang?: Language },
  io: { stdout: (s: string) => void; stderr: (s: string) => void },
): number {
  const user = isUserError(error);
  const code = error instanceof AppError ? error.code : 'INTERNAL';
  const message = error instanceof Error ? error.message : String(error);
  const hint = error instanceof AppError ? (error.details.hint as string | undefined) : undefined;
  // The human message in --lang (the --json body keeps the English one, for scripts).
  const said = translateError(code, message, flags.lang ?? 'en');
  io.stderr(`clientele: ${said}${hint ? `\nHint: ${hint}` : ''}\n`);
  if (flags.debug && error instanceof Error && error.stack) io.stderr(`${error.stack}\n`);
  if (flags.json) {
    const details = error instanceof AppError ? error.details : {};
    io.stdout(`${JSON.stringify({ error: { code, message, details } }, jsonReplacer, 2)}\n`);
  }
  return user ? 2 : 1;
}

function jsonReplacer(_key: string, value: unknown): unknown {
  if (typeof value === 'bigint') return Number(value);
  if (typeof value === 'number' && !Number.isFinite(value)) return null;
  return value;
}

function mainHelp(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  const lines = COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`);
  return `clientele — customer intelligence on your CRM data

Usage: clientele <command> [arguments] [options]

Commands:
${lines.join('\n')}

${GLOBAL_HELP}

Run \`clientele <command> --help\` for a command's options and examples.
`;
}

function isMain(): boolean {
  const entry = process.argv[1];
  if (!entry) return false;
  try {
    return realpathSync(entry) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (isMain()) {
  const { exitCode } = await runCli(process.argv.slice(2));
  process.exitCode = exitCode;
}
