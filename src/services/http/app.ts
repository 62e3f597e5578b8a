import { existsSync, readFileSync, statSync } from 'node:fs';
import { extname, join, normalize } from 'node:path';
import { Hono, type MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { parseLanguage } from '../../analytics/shared/field-labels.js';
import { suppressSmallCellsDeep } from '../../analytics/shared/privacy.js';
import { translateError } from '../../analytics/shared/server-text.js';
import { type Engine, getNumberSetting } from '../../store/index.js';
import { createAuditLog } from './audit.js';
import { allows, authenticate, ensureAccessTables } from './auth.js';
import { HttpError, toHttpError } from './error-map.js';
import { createJobRunner, type JobRunner } from './jobs.js';
import { isViewer, markRequestSession, minCellSize } from './privacy.js';
import { type AnyRoute, openApiDocument, validate } from './route.js';
import { ROUTES } from './routes/index.js';
import type { TokenInfo } from './types.js';

export interface AppOptions {
  /** Folder of the built dashboard (web/dist); served at `/` when present. */
  staticDir?: string;
  /** Where internal errors are logged (default stderr). */
  log?: (line: string) => void;
  /** Extra routes (tests, plugins). */
  routes?: readonly AnyRoute[];
  /** Time limit of one request's own work in ms (default: the `request_timeout_ms` setting, 30 s). */
  requestTimeoutMs?: number;
  /** Largest accepted upload body in bytes (default 512 MiB); JSON bodies are capped at 1 MiB. */
  maxBodyBytes?: number;
  /**
   * Milliseconds without a request or job in flight after which the server hands the memory its work freed
   * back to the system (`Engine.releaseMemory`; default 1,000); null: never.
   */
  releaseMemoryAfterMs?: number | null;
}

export interface ClienteleApp {
  /** The Hono app: `app.request(path, init)` in tests, `app.fetch` for a server. */
  app: Hono;
  jobs: JobRunner;
  routes: readonly AnyRoute[];
  /** How many times the server has released memory after falling idle (see `AppOptions.releaseMemoryAfterMs`). */
  memoryReleases(): number;
}

/** JSON request bodies above this are refused with 413 before they are read (uploads have their own limit). */
export const MAX_JSON_BODY_BYTES = 1024 * 1024;
const MAX_UPLOAD_BYTES = 512 * 1024 * 1024;

/** Security headers on every response; API responses are never cached. */
const securityHeaders: MiddlewareHandler = async (c, next) => {
  await next();
  c.header('X-Content-Type-Options', 'nosniff');
  c.header('Referrer-Policy', 'no-referrer');
  c.header('X-Frame-Options', 'DENY');
  c.header(
    'Content-Security-Policy',
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
  );
  if (c.req.path.startsWith('/api/') || c.req.path === '/openapi.json') c.header('Cache-Control', 'no-store');
};

const PUBLIC: TokenInfo = { id: '', name: 'public', role: 'viewer' };

/**
 * Builds the HTTP API (and the dashboard's static files) over an open datamart.
 *
 * @example
 * ```ts
 * const engine = await openDatamart({ db: 'shop.duckdb' });
 * const { app } = await createApp(engine);
 * const res = await app.request('/healthz');
 * ```
 */
export async function createApp(engine: Engine, options: AppOptions = {}): Promise<ClienteleApp> {
  await ensureAccessTables(engine);
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const jobs = createJobRunner();
  // The audit log has a connection of its own that never holds a transaction: an entry is committed when it
  // is appended, whatever the request, job or caller of `engine` does with theirs (the root connection is the
  // caller's: a transaction left open or rolled back there must not take an audit entry with it).
  const audit = createAuditLog(engine.session ? await engine.session() : engine);
  const routes = [...ROUTES, ...(options.routes ?? [])];
  // The request_timeout_ms setting, read at most every 10 s (it is a primary-key lookup, but counts are typed fast).
  let timeoutCache = { ms: 30_000, at: -Infinity };
  const requestTimeout = async (db: Engine): Promise<number> => {
    if (options.requestTimeoutMs !== undefined) return options.requestTimeoutMs;
    if (performance.now() - timeoutCache.at > 10_000)
      timeoutCache = { ms: await getNumberSetting(db, 'request_timeout_ms'), at: performance.now() };
    return timeoutCache.ms;
  };
  const app = new Hono();
  const idle = idleRelease(
    engine,
    options.releaseMemoryAfterMs === undefined ? 1000 : options.releaseMemoryAfterMs,
    log,
  );

  const uploadPaths = routes
    .filter((r) => r.upload)
    .map((r) => ({
      method: r.method.toUpperCase(),
      pattern: new RegExp(`^${r.path.replace(/:[A-Za-z_]+/g, '[^/]+')}$`),
    }));
  app.use('*', securityHeaders);
  app.use('/api/*', async (c, next) => {
    const upload = uploadPaths.some((r) => r.method === c.req.method && r.pattern.test(c.req.path));
    const limit = upload ? (options.maxBodyBytes ?? MAX_UPLOAD_BYTES) : MAX_JSON_BODY_BYTES;
    const tooLarge = {
      error: {
        code: 'LIMIT_EXCEEDED',
        message: `Request body: expected at most ${limit} bytes, got more. Split the upload or raise the server's limit (docs/security.md).`,
        details: { maxBytes: limit },
      },
    };
    // An upload is never buffered here (issue 19): a declared length over the limit is refused at once; a
    // body without one is counted as the route streams it to disk, and refused with the same 413 past the limit.
    if (upload && c.req.raw.body) {
      const declared = c.req.raw.headers.get('content-length');
      if (declared !== null && !c.req.raw.headers.has('transfer-encoding')) {
        return Number.parseInt(declared, 10) > limit ? c.json(tooLarge, 413) : next();
      }
      let size = 0;
      const counted = c.req.raw.body.pipeThrough(
        new TransformStream<Uint8Array, Uint8Array>({
          transform(chunk, controller) {
            size += chunk.length;
            if (size > limit)
              controller.error(
                new HttpError(413, 'LIMIT_EXCEEDED', tooLarge.error.message, tooLarge.error.details),
              );
            else controller.enqueue(chunk);
          },
        }),
      );
      c.req.raw = new Request(c.req.raw, { body: counted, duplex: 'half' } as RequestInit);
      return next();
    }
    return bodyLimit({ maxSize: limit, onError: (ctx) => ctx.json(tooLarge, 413) })(c, next);
  });

  // Error messages in the caller's language (?lang= or Accept-Language); English as it was.
  const langOf = (c: {
    req: { query(k: string): string | undefined; header(k: string): string | undefined };
  }) => parseLanguage(c.req.query('lang') ?? c.req.header('accept-language'));
  app.onError((error, c) => {
    const { status, body } = toHttpError(error, log);
    body.error.message = translateError(body.error.code, body.error.message, langOf(c));
    return c.json(body, status as 400);
  });
  app.notFound((c) =>
    c.json(
      {
        error: {
          code: 'NOT_FOUND',
          message: translateError('NOT_FOUND', `No route ${c.req.method} ${c.req.path}.`, langOf(c)),
          details: {},
        },
      },
      404,
    ),
  );

  app.get('/openapi.json', (c) =>
    c.json(openApiDocument(routes, { title: 'Clientele API', version: '0.1.0' })),
  );

  for (const route of routes) {
    app.on(route.method.toUpperCase(), route.path, async (c) => {
      // Each request (and each job it starts) runs on its own session: its own connection and transactions,
      // from the token check on, so no request waits on or shares a transaction with another.
      await idle.enter();
      let session: Engine;
      try {
        session = engine.session ? await engine.session() : engine;
      } catch (error) {
        idle.leave();
        throw error;
      }
      if (session !== engine) markRequestSession(session);
      const started: Promise<unknown>[] = [];
      let timer: ReturnType<typeof setTimeout> | undefined;
      let timedOut = false;
      let timeoutMs = 0;
      try {
        const caller =
          route.role === 'public' ? PUBLIC : await callerOf(session, c.req.header('authorization'));
        if (route.role !== 'public' && !allows(caller.role, route.role)) {
          throw new HttpError(
            403,
            'FORBIDDEN',
            `This needs the ${route.role} role; your token "${caller.name}" is ${caller.role}.`,
          );
        }
        const params = validate(route.params, c.req.param(), 'path');
        const query = validate(route.query, c.req.query(), 'query');
        let body: unknown;
        if (route.body) {
          let json: unknown;
          try {
            json = await c.req.json();
          } catch (cause) {
            throw new HttpError(
              400 as never,
              'INVALID_INPUT',
              `Body: expected JSON, got unparsable text (${(cause as Error).message}).`,
            );
          }
          body = validate(route.body, json, 'body');
        }
        // The request's own work (not the jobs it starts) has a time limit: past it, its statement is interrupted.
        timeoutMs = await requestTimeout(session);
        if (session !== engine && session.cancel)
          timer = setTimeout(() => {
            timedOut = true;
            session.cancel?.();
          }, timeoutMs);
        const result = await route.handler({
          params,
          query,
          body,
          engine: session,
          caller,
          audit,
          jobs: sessionJobs(jobs, session, started),
          raw: c,
          lang: parseLanguage(c.req.query('lang') ?? c.req.header('accept-language')),
        });
        clearTimeout(timer);
        if (timedOut) throw timeoutError(timeoutMs);
        if (route.personal) await audit.record(caller, 'personal.read', route.path, { params, query });
        if (result instanceof Response) return result;
        // Privacy by construction: whatever a route returns, a viewer never sees a cell of 1 to k−1 customers.
        if (route.role !== 'public' && isViewer(caller))
          return c.json(suppressSmallCellsDeep(result ?? {}, await minCellSize(session)));
        return c.json(result ?? {});
      } catch (error) {
        if (timedOut) throw timeoutError(timeoutMs);
        throw error;
      } finally {
        clearTimeout(timer);
        // The session ends with the request, or with the last job it started.
        void Promise.allSettled(started)
          .then(() => (session !== engine ? session.close() : undefined))
          .catch(() => undefined)
          .finally(() => idle.leave());
      }
    });
  }

  // An unknown /api path is a JSON 404, never the dashboard's index.html.
  app.all('/api/*', (c) =>
    c.json(
      {
        error: {
          code: 'NOT_FOUND',
          message: translateError('NOT_FOUND', `No route ${c.req.method} ${c.req.path}.`, langOf(c)),
          details: {},
        },
      },
      404,
    ),
  );
  if (options.staticDir && existsSync(options.staticDir)) serveStatic(app, options.staticDir);
  return { app, jobs, routes, memoryReleases: () => idle.releases };
}

/**
 * Memory back to its baseline after a burst (issue 19): when no request or job has been in flight for
 * `afterMs`, the engine hands what finished work freed back to the system (`Engine.releaseMemory`), once per
 * idle spell. A request that arrives meanwhile waits for the release (a few milliseconds), so the release never
 * runs beside work (an import sets its own memory limit while it runs).
 */
function idleRelease(engine: Engine, afterMs: number | null, log: (line: string) => void) {
  let active = 0;
  let dirty = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let releasing: Promise<void> | null = null;
  const state = {
    releases: 0,
    async enter(): Promise<void> {
      while (releasing) await releasing;
      active++;
      dirty = true;
      clearTimeout(timer);
    },
    leave(): void {
      active--;
      if (active > 0 || !dirty || afterMs === null || !engine.releaseMemory) return;
      clearTimeout(timer);
      timer = setTimeout(release, afterMs);
      timer.unref?.();
    },
  };
  const release = () => {
    if (active > 0 || releasing) return;
    dirty = false;
    releasing = (async () => {
      const session = engine.session ? await engine.session() : engine;
      try {
        await session.releaseMemory?.();
        state.releases++;
      } finally {
        if (session !== engine) await session.close();
      }
    })()
      .catch((error: unknown) => {
        // Best effort: a database closed meanwhile (the server stopping) has nothing to release.
        if (!/closed/i.test((error as Error).message))
          log(`memory release after a burst failed: ${(error as Error).message}`);
      })
      .finally(() => {
        releasing = null;
      });
  };
  return state;
}

function timeoutError(ms: number): HttpError {
  return new HttpError(
    503,
    'QUERY_TIMEOUT',
    `The request took longer than ${ms} ms and was stopped. Narrow it (a stricter filter, a higher minSupport) or ask an admin to raise request_timeout_ms.`,
  );
}

/**
 * The job runner as one request sees it: a job it starts runs on the request's session, and cancelling the
 * job cancels that session (the running statement is interrupted and the transaction rolls back).
 */
function sessionJobs(jobs: JobRunner, session: Engine, started: Promise<unknown>[]): JobRunner {
  return {
    ...jobs,
    start(kind, body) {
      const info = jobs.start(kind, async (control) => {
        const stop = () => session.cancel?.();
        control.signal.addEventListener('abort', stop, { once: true });
        try {
          return await body(control);
        } finally {
          control.signal.removeEventListener('abort', stop);
        }
      });
      started.push(jobs.wait(info.id));
      return info;
    },
  };
}

async function callerOf(engine: Engine, header: string | undefined): Promise<TokenInfo> {
  const match = /^Bearer\s+(\S+)$/i.exec(header ?? '');
  if (!match) {
    throw new HttpError(
      401,
      'UNAUTHORIZED',
      'No token: send "Authorization: Bearer <token>" (create one with `clientele token create`).',
    );
  }
  const caller = await authenticate(engine, match[1]!);
  if (!caller)
    throw new HttpError(
      401,
      'UNAUTHORIZED',
      'Unknown or revoked token. Create a new one with `clientele token create`.',
    );
  return caller;
}

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
};

function serveStatic(app: Hono, dir: string): void {
  app.get('*', (c) => {
    const rel = normalize(decodeURIComponent(c.req.path)).replace(/^(\.\.[/\\])+/, '');
    let file = join(dir, rel);
    if (!file.startsWith(dir) || !existsSync(file) || statSync(file).isDirectory())
      file = join(dir, 'index.html');
    if (!existsSync(file)) return c.notFound();
    return new Response(readFileSync(file), {
      headers: { 'content-type': MIME[extname(file)] ?? 'application/octet-stream' },
    });
  });
}
