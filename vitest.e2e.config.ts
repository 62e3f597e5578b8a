import { defineConfig } from 'vitest/config';

/** Browser tests: Playwright driving Debian's Chromium against the real server (see test/e2e/). */
export default defineConfig({
  test: {
    include: ['test/e2e/**/*.e2e.ts'],
    env: { TZ: 'UTC' },
    testTimeout: 180_000,
    hookTimeout: 180_000,
    pool: 'forks',
    fileParallelism: false,
  },
});
