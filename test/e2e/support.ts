import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ServerType, serve } from '@hono/node-server';
import { type Browser, chromium } from 'playwright-core';
import { buildFeatures } from '../../src/analytics/features/index.js';
import { buildRfm } from '../../src/analytics/rfm/index.js';
import { createApp, createToken } from '../../src/services/http/index.js';
import { DuckDbEngine } from '../../src/store/index.js';
import { seedShop } from '../support/shop.js';

export const WEB_DIST = join(import.meta.dirname, '..', '..', 'web', 'dist');
export const SCREENSHOTS = join(import.meta.dirname, 'screenshots');

export interface RunningServer {
  url: string;
  tokens: { viewer: string; analyst: string; admin: string };
  engine: DuckDbEngine;
  stop(): Promise<void>;
}

/** The fixed shop with its feature table and RFM scores built as of its last order day. */
export async function seedAnalysedShop(engine: DuckDbEngine): Promise<void> {
  await seedShop(engine);
  await buildFeatures(engine, { asOf: '2026-06-24' });
  await buildRfm(engine, { asOf: '2026-06-24' });
}

export async function startServer(
  seed: (engine: DuckDbEngine) => Promise<void> = seedAnalysedShop,
  dbName = 'e2e.duckdb',
): Promise<RunningServer> {
  const dir = mkdtempSync(join(tmpdir(), 'clientele-e2e-'));
  const engine = await DuckDbEngine.open(dbName === ':memory:' ? ':memory:' : join(dir, dbName));
  await seed(engine);
  const { app } = await createApp(engine, { staticDir: WEB_DIST, log: () => undefined });
  const tokens = {
    viewer: (await createToken(engine, 'viewer', 'viewer')).token,
    analyst: (await createToken(engine, 'analyst', 'analyst')).token,
    admin: (await createToken(engine, 'admin', 'admin')).token,
  };
  const server = await new Promise<ServerType>((resolve) => {
    const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    tokens,
    engine,
    async stop() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await engine.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}
