import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    exclude: ['test/e2e/**', 'node_modules/**', 'dist/**', 'bench/peers/**'],
    env: { TZ: 'UTC', CLIENTELE_NO_PROGRESS: '1' },
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // Private PostgreSQL and MariaDB servers for the connector tests, started once per run.
    globalSetup: ['test/support/servers-setup.ts'],
  },
});
