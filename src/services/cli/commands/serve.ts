import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { serve } from '@hono/node-server';
import { InputError } from '../../../errors.js';
import type { Engine } from '../../../store/index.js';
import type { AnyRoute } from '../../http/index.js';
import type { RunOnEngine } from '../cli-route.js';
import type { Command, OptionValues } from '../command.js';
import { handoffKey, removeHandoff, writeHandoff } from '../server-handoff.js';

/** The built dashboard: <package>/web/dist, three levels above this file in src/ and in dist/. */
export const WEB_DIST = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..', 'web', 'dist');

export function parsePort(value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new InputError(
      `--port: expected a whole number 0–65535, got "${value}".`,
      {},
      { code: 'INVALID_ARGUMENT' },
    );
  }
  return port;
}

/** `--max-upload-mb`: the largest upload the server accepts, in MB (default 512). */
export function parseMaxUploadMb(value: unknown): number | undefined {
  if (value === undefined) return undefined;
  const mb = Number(value);
  if (!Number.isFinite(mb) || mb <= 0 || mb > 1024 * 1024) {
    throw new InputError(
      `--max-upload-mb: expected a number of megabytes above 0 (default 512), got "${value}".`,
      {},
      { code: 'INVALID_ARGUMENT' },
    );
  }
  return Math.floor(mb * 1024 * 1024);
}

/**
 * Serves the API and dashboard on an open engine until SIGINT/SIGTERM. Creates a session admin token
 * (revoked on shutdown) and prints the address with it.
 */
export async function serveDatamart(
  engine: Engine,
  values: OptionValues,
  print: (line: string) => void,
  options: {
    /**
     * Take the CLI's commands while serving (server-handoff.ts): the DuckDB file's absolute path and how to
     * run a command on an engine (`ctx.runOnEngine`). Without it, other CLI processes are locked out.
     */
    handoff?: { dbPath: string; run: RunOnEngine };
  } = {},
): Promise<{ url: string; close(): Promise<void> }> {
  const port = parsePort(values.port, 8080);
  const maxBodyBytes = parseMaxUploadMb(values['max-upload-mb']);
  const host = (values.host as string | undefined) ?? '127.0.0.1';
  // The HTTP service (routes, zod schemas) loads only when a command serves: other commands start faster.
  const { createApp, createToken, revokeSessionTokens, revokeToken, warmRiskRankings } = await import(
    '../../http/index.js'
  );
  const handoff = options.handoff;
  const routes: AnyRoute[] = handoff ? [(await import('../cli-route.js')).cliRoute(engine, handoff.run)] : [];
  const { app } = await createApp(engine, {
    staticDir: WEB_DIST,
    routes,
    ...(maxBodyBytes ? { maxBodyBytes } : {}),
  });
  // A server that crashed never revoked its session link: every earlier session token ends here.
  await revokeSessionTokens(engine);
  const session = await createToken(engine, `session ${new Date().toISOString()}`, 'admin', {
    session: true,
  });
  const server = await new Promise<ReturnType<typeof serve>>((resolve, reject) => {
    const s = serve({ fetch: app.fetch, port, hostname: host }, () => resolve(s));
    s.on('error', (e: Error) =>
      reject(
        new InputError(
          `Cannot listen on ${host}:${port}: ${e.message}. Pick another --port.`,
          {},
          { cause: e },
        ),
      ),
    );
  });
  const address = server.address();
  const actualPort = typeof address === 'object' && address ? address.port : port;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${actualPort}`;
  if (handoff) writeHandoff(handoff.dbPath, { pid: process.pid, url, token: session.token });
  print(`Clientele is serving ${engine.location} at ${url}`);
  print(`Dashboard: ${url}/#token=${session.token}`);
  print(`API description: ${url}/openapi.json · health: ${url}/healthz · stop with Ctrl+C`);
  // Stored segments' sizes are recorded daily while the server runs (a changed size at once after a refresh).
  const { recordSegmentSizes } = await import('../../../analytics/segments/index.js');
  const record = () =>
    recordSegmentSizes(engine, { now: new Date(), everyHours: 24 }).catch((e: Error) =>
      print(`Segment sizes not recorded: ${e.message}`),
    );
  void record();
  // The Risk page's rankings, scored once now instead of on its first visit (kept in the datamart).
  void warmRiskRankings(engine).catch(() => undefined);
  const recorder = setInterval(record, 3_600_000);
  recorder.unref();
  return {
    url,
    async close() {
      if (handoff) removeHandoff(handoff.dbPath);
      clearInterval(recorder);
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await revokeToken(engine, session.id);
    },
  };
}

export const serveCommand: Command = {
  name: 'serve',
  summary: 'serve the HTTP API and the web dashboard',
  usage: `Usage: clientele serve [--port P] [--host H] [--max-upload-mb MB] [--db PATH]

Serves the JSON API (/api/…, described at /openapi.json) and the dashboard from one process, on
127.0.0.1:8080 by default. Prints the address and a dashboard link with a session admin token
(revoked when the server stops). Create lasting tokens with \`clientele token create\`.
An upload (POST /api/imports) may be at most --max-upload-mb megabytes (default 512); JSON bodies at most
1 MiB (docs/security.md).

Example:
  clientele serve --port 9000`,
  options: { port: { type: 'string' }, host: { type: 'string' }, 'max-upload-mb': { type: 'string' } },
  async run(ctx) {
    const store = await import('../../../store/index.js');
    const location = store.parseDbLocation(ctx.values.db as string | undefined);
    // Forwarded CLI commands run in the caller's working folder (cli-route.ts): the datamart path must not
    // depend on it.
    if (location.kind === 'duckdb' && location.path !== ':memory:') ctx.values.db = resolve(location.path);
    const engine = await ctx.openDb();
    // A DuckDB file or a chdb folder: other CLI processes are locked out of it, so they hand their
    // commands to this server (server-handoff.ts).
    const dbPath = handoffKey(store.resolveDbPath(ctx.values.db as string | undefined));
    const server = await serveDatamart(
      engine,
      ctx.values,
      (l) => process.stderr.write(`${l}\n`),
      dbPath ? { handoff: { dbPath, run: ctx.runOnEngine } } : {},
    );
    await new Promise<void>((resolve) => {
      const stop = () => resolve();
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
    await server.close();
    await engine.close();
    return { url: server.url };
  },
};
