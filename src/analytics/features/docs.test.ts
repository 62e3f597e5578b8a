import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FEATURE_COLUMNS } from './index.js';

describe('docs/features.md', () => {
  it('documents every column of the feature view', () => {
    const doc = readFileSync(join(import.meta.dirname, '..', '..', '..', 'docs', 'features.md'), 'utf8');
    const missing = FEATURE_COLUMNS.filter((c) => !doc.includes(`| \`${c.name}\` |`)).map((c) => c.name);
    expect(missing).toEqual([]);
  });
});
