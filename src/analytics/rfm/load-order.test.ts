/**
 * This module loads first in a fresh Node process without tripping on an import cycle: campaigns → uplift →
 * predict → segments imports rfm, and segments reads RFM_TABLE while it loads, so rfm reaches campaigns only
 * on use. (A static import made `clientele demo` stop with "Cannot access 'RFM_TABLE' before
 * initialization". Vitest's module runner orders loads differently and does not show it: hence a real process.)
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

it('loads as the first module of a Node process (no import cycle through campaigns and segments)', () => {
  const url = new URL('./index.ts', import.meta.url).href;
  const out = execFileSync(
    process.execPath,
    [
      '--import',
      'tsx',
      '--input-type=module',
      '-e',
      `const m = await import(${JSON.stringify(url)}); console.log(m.RFM_TABLE);`,
    ],
    { cwd: fileURLToPath(new URL('../../..', import.meta.url)), encoding: 'utf8' },
  );
  expect(out.trim()).toBe('customer_rfm');
}, 60_000);
