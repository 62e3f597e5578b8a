/**
 * One-line hints for engine messages that are known to mislead. Kept in one place (STYLE.md §6).
 */
const HINTS: ReadonlyArray<[RegExp, string]> = [
  [
    /Could not set lock on file/i,
    'Another Clientele process (an import, a script) has the datamart open; wait for it, stop it or use another --db. (A running `clientele serve` takes CLI commands itself: they go through it.)',
  ],
  [
    /Cannot execute statement of type .* in read-only mode|read-only/i,
    'The datamart was opened read-only; `clientele sql` only runs SELECT queries.',
  ],
  [
    /Referenced column .* not found|column .* does not exist/i,
    'Check the column name with `clientele sql "DESCRIBE <table>"`.',
  ],
  [
    /Table with name .* does not exist/i,
    'Run `clientele init` and import data first, or check the table name with `clientele status`.',
  ],
  [/Conversion Error/i, 'A value has the wrong type; check the mapping or pass an explicit format.'],
];

export function hintFor(message: string): string | undefined {
  for (const [pattern, hint] of HINTS) if (pattern.test(message)) return hint;
  return undefined;
}
