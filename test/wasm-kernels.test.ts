import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileKernel, KERNELS, moduleText } from '../scripts/build-wasm.js';

const ROOT = join(import.meta.dirname, '..');

describe('WebAssembly kernels', () => {
  it.each(KERNELS)(
    '$module is what $source compiles to (run `npm run build:wasm` after editing it)',
    async (k) => {
      const binary = await compileKernel(k.source);
      expect(readFileSync(join(ROOT, k.module), 'utf8')).toBe(moduleText(k, binary));
    },
  );
});
