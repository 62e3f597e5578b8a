import { runCli } from '../../src/services/cli/main.js';

/** One in-process run of the CLI with its output captured. */
export interface CliRun {
  exitCode: number;
  stdout: string;
  stderr: string;
  /** stdout parsed as JSON (`{}` when the command printed nothing). */
  readonly json: Record<string, any>;
}

/** Runs `clientele ARGV...` in process, as a test would type it, and captures both streams. */
export async function runCliCaptured(argv: readonly string[]): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const { exitCode } = await runCli([...argv], {
    stdout: (s) => {
      stdout += s;
    },
    stderr: (s) => {
      stderr += s;
    },
  });
  return {
    exitCode,
    stdout,
    stderr,
    get json() {
      return JSON.parse(stdout || '{}') as Record<string, any>;
    },
  };
}

/**
 * A CLI bound to one datamart file: `cli('rfm', '--json')` runs `clientele rfm --json --db DB`. The path
 * may be given lazily (a `beforeAll` creates it), and `extra` flags are appended to every call.
 */
export function cliOn(db: string | (() => string), extra: readonly string[] = []) {
  return (...argv: string[]) =>
    runCliCaptured([...argv, ...extra, '--db', typeof db === 'string' ? db : db()]);
}

/**
 * `clientele init --db PATH`, as a user starts: every command but init and demo needs an existing datamart
 * file (a mistyped --db is an error).
 */
export async function initDatamart(db: string): Promise<void> {
  const r = await runCliCaptured(['init', '--db', db]);
  if (r.exitCode !== 0) throw new Error(`clientele init --db ${db} failed: ${r.stderr}`);
}
