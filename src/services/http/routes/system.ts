import { z } from 'zod';
import { getSetting } from '../../../store/index.js';
import { datamartStatus } from '../../../store/status.js';
import { createToken, listTokens, revokeToken } from '../auth.js';
import { defineRoute } from '../route.js';
import type { StatusResponse } from '../types.js';

const roleSchema = z.enum(['viewer', 'analyst', 'admin']);

export const systemRoutes = [
  defineRoute({
    method: 'get',
    path: '/healthz',
    summary: 'Liveness check; needs no token',
    tag: 'system',
    role: 'public',
    response: z.object({ ok: z.boolean() }),
    async handler({ engine }) {
      await engine.query('SELECT 1');
      return { ok: true };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/api/me',
    summary:
      'The caller’s token name and role, and the datamart’s currency (ISO 4217, the `currency` setting)',
    tag: 'system',
    role: 'viewer',
    async handler({ caller, engine }) {
      return { name: caller.name, role: caller.role, currency: await getSetting(engine, 'currency') };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/api/status',
    summary: 'Tables, row counts, date ranges, recent loads and rejects',
    tag: 'system',
    role: 'viewer',
    async handler({ engine, caller }): Promise<StatusResponse> {
      const status = await datamartStatus(engine);
      if (caller.role !== 'viewer') return status;
      // Viewers see no server paths: a load's or raw table's source is shown by its file name only.
      const name = (source: string) => source.split(/[\\/]/).pop() ?? source;
      return {
        ...status,
        loads: status.loads.map((l) => ({ ...l, source: name(l.source) })),
        rawTables: status.rawTables.map((t) => ({ ...t, source: name(t.source) })),
        rejects: {
          ...status.rejects,
          byLoad: status.rejects.byLoad.map((b) => ({ ...b, source: name(b.source) })),
        },
      } as StatusResponse;
    },
  }),
  defineRoute({
    method: 'get',
    path: '/api/tokens',
    summary: 'List API tokens (never their secrets)',
    tag: 'access',
    role: 'admin',
    async handler({ engine }) {
      return { tokens: await listTokens(engine) };
    },
  }),
  defineRoute({
    method: 'post',
    path: '/api/tokens',
    summary: 'Create an API token; the secret is returned once',
    tag: 'access',
    role: 'admin',
    body: z.object({
      name: z.string().min(1).max(100),
      role: roleSchema,
      expiresInDays: z.number().min(0).max(3650).optional(),
    }),
    async handler({ engine, body, audit, caller }) {
      const created = await createToken(
        engine,
        body.name,
        body.role,
        body.expiresInDays === undefined ? {} : { expiresInDays: body.expiresInDays },
      );
      await audit.record(caller, 'token.create', created.id, { name: body.name, role: body.role });
      return created;
    },
  }),
  defineRoute({
    method: 'delete',
    path: '/api/tokens/:id',
    summary: 'Revoke an API token',
    tag: 'access',
    role: 'admin',
    params: z.object({ id: z.string().min(1) }),
    async handler({ engine, params, audit, caller }) {
      await revokeToken(engine, params.id);
      await audit.record(caller, 'token.revoke', params.id);
      return { revoked: params.id };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/api/audit',
    summary: 'The audit log: exports and single-customer reads',
    tag: 'access',
    role: 'admin',
    query: z.object({ limit: z.coerce.number().int().min(1).max(1000).default(100) }),
    async handler({ engine, query }) {
      const { sql } = await import('../../../store/index.js');
      return {
        entries: await engine.query(
          sql`SELECT seq, logged_at AS "at", token_name AS "tokenName", role, action, target, details FROM audit_log ORDER BY seq DESC NULLS LAST, logged_at DESC LIMIT ${query.limit}`,
        ),
      };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/api/jobs',
    summary: 'Background jobs with their progress',
    tag: 'jobs',
    role: 'analyst',
    async handler({ jobs }) {
      return { jobs: jobs.list() };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/api/jobs/:id',
    summary: 'One background job',
    tag: 'jobs',
    role: 'analyst',
    params: z.object({ id: z.string().min(1) }),
    async handler({ jobs, params }) {
      return jobs.get(params.id);
    },
  }),
  defineRoute({
    method: 'post',
    path: '/api/jobs/:id/cancel',
    summary: 'Cancel a running job',
    tag: 'jobs',
    role: 'analyst',
    params: z.object({ id: z.string().min(1) }),
    async handler({ jobs, params }) {
      return jobs.cancel(params.id);
    },
  }),
];
