import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../main.js';
import { COMMANDS } from './index.js';

/** `export const fooCommand: Command = {` in every command file beside this one: the commands that exist. */
function exportedCommands(): string[] {
  const dir = import.meta.dirname;
  return readdirSync(dir)
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
    .flatMap((f) =>
      [...readFileSync(join(dir, f), 'utf8').matchAll(/export const (\w+): Command = \{/g)].map(
        (m) => `${f.replace(/\.ts$/, '.js')}#${m[1]}`,
      ),
    );
}

/** The module and export each registry entry's loader imports, read from the registry's source text. */
function registeredCommands(): string[] {
  const text = readFileSync(join(import.meta.dirname, 'index.ts'), 'utf8');
  return [...text.matchAll(/import\('\.\/([\w-]+\.js)'\)\)\.(\w+)/g)].map((m) => `${m[1]}#${m[2]}`);
}

describe('the lazy command registry', () => {
  it('registers every command a command file exports, once', () => {
    expect(registeredCommands()).toHaveLength(COMMANDS.length);
    expect(registeredCommands().sort()).toEqual(exportedCommands().sort());
    expect(new Set(COMMANDS.map((c) => c.name)).size).toBe(COMMANDS.length);
  });

  it('gives each entry the name and summary of the command its loader imports', async () => {
    for (const entry of COMMANDS) {
      const command = await entry.load();
      expect({ name: command.name, summary: command.summary }).toEqual({
        name: entry.name,
        summary: entry.summary,
      });
    }
  });

  it('lists every registered command in `clientele --help`, in registry order, with its summary', async () => {
    let out = '';
    const { exitCode } = await runCli(['--help'], { stdout: (s) => (out += s), stderr: () => {} });
    expect(exitCode).toBe(0);
    const listed = out
      .split('Commands:\n')[1]!
      .split('\n\n')[0]!
      .split('\n')
      .map((line) => /^ {2}(\S+) +(.+)$/.exec(line)?.slice(1));
    expect(listed).toEqual(COMMANDS.map((c) => [c.name, c.summary]));
  });

  it('runs a command through its loader (help of `sql` comes from the sql module)', async () => {
    let out = '';
    const { exitCode } = await runCli(['sql', '--help'], { stdout: (s) => (out += s), stderr: () => {} });
    expect(exitCode).toBe(0);
    const sql = await COMMANDS.find((c) => c.name === 'sql')!.load();
    expect(out.startsWith(sql.usage.trimEnd())).toBe(true);
  });
});
