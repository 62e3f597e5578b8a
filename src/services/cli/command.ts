import type { ParseArgsConfig } from 'node:util';

export type CommandOptions = NonNullable<ParseArgsConfig['options']>;

import type { Language } from '../../analytics/predict/index.js';
import type { Engine } from '../../store/index.js';
import type { Output } from './output.js';
import type { Progress } from './progress.js';

/** Parsed option values of one command (global options included). */
export type OptionValues = Record<string, string | boolean | (string | boolean)[] | undefined>;

export interface CommandContext {
  /** Positional arguments after the command name (subcommand first, if any). */
  readonly args: readonly string[];
  readonly values: OptionValues;
  /** `--json` was given: return a result object; print nothing to stdout yourself. */
  readonly json: boolean;
  readonly out: Output;
  /** The language of text the server writes (reasons, labels): --lang, else $CLIENTELE_LANG, else English. */
  readonly lang: Language;
  /**
   * Opens the datamart named by --db / CLIENTELE_DB (migrated unless readOnly). A DuckDB file that does not
   * exist is an error (exit 2) unless the command is init or demo or --create is given; with
   * `scratchIfMissing` (a dry run) a missing file opens an empty in-memory datamart instead, creating nothing.
   */
  openDb(options?: { readOnly?: boolean; scratchIfMissing?: boolean }): Promise<Engine>;
  /** A progress bar on stderr; silent when not a TTY, when CI is set, or with --json. */
  progress(label: string, total?: number): Progress;
  /**
   * Runs another CLI command in this process on the given datamart (`clientele serve` runs the commands
   * the CLI hands it this way: server-handoff.ts).
   */
  runOnEngine(
    argv: readonly string[],
    io: { stdout: (s: string) => void; stderr: (s: string) => void },
    engine: Engine,
  ): Promise<{ exitCode: number }>;
}

/** One CLI verb (`import`, `segment`, `clv` ...). Subcommands are the first positional. */
export interface Command {
  readonly name: string;
  /** One line for `clientele --help`. */
  readonly summary: string;
  /** Usage text shown by `clientele <name> --help`: synopsis, options, examples. */
  readonly usage: string;
  readonly options: CommandOptions;
  /**
   * Does the work. Returns the `--json` result (stable field names, documented in docs/cli.md);
   * in human mode the command prints through `ctx.out` and the return value is ignored.
   */
  run(ctx: CommandContext): Promise<unknown>;
}
