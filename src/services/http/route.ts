import type { Context } from 'hono';
import { z } from 'zod';
import type { Language } from '../../analytics/shared/field-labels.js';
import { InputError } from '../../errors.js';
import type { Engine } from '../../store/index.js';
import type { AuditLog } from './audit.js';
import type { JobRunner } from './jobs.js';
import type { Role, TokenInfo } from './types.js';

/** What a handler gets: validated input, the engine, the caller and the app's services. */
export interface HandlerContext<P, Q, B> {
  params: P;
  query: Q;
  body: B;
  engine: Engine;
  caller: TokenInfo;
  audit: AuditLog;
  jobs: JobRunner;
  /** The raw Hono context (for file responses and uploads). */
  raw: Context;
  /** The caller's language: `?lang=`, else `Accept-Language`, else English (server-written text follows it). */
  lang: Language;
}

/**
 * One API route: its schemas validate requests AND generate the OpenAPI document, so the two never drift.
 * `role` is the least role allowed; `personal` marks routes that return personal data (never for viewers).
 */
export interface RouteDef<P = unknown, Q = unknown, B = unknown> {
  method: 'get' | 'post' | 'put' | 'delete';
  /** Hono path syntax, e.g. `/api/segments/:name`. */
  path: string;
  summary: string;
  tag: string;
  /** Least role allowed; `public` needs no token. */
  role: Role | 'public';
  params?: z.ZodType<P>;
  query?: z.ZodType<Q>;
  body?: z.ZodType<B>;
  /** Response schema for the OpenAPI document (the 200 body). */
  response?: z.ZodType;
  /** Returns personal data: every successful call is written to the audit log (`personal.read`). */
  personal?: boolean;
  /** Multipart upload route (body validated by the handler). */
  upload?: boolean;
  handler(ctx: HandlerContext<P, Q, B>): Promise<unknown | Response>;
}

/** Identity helper that keeps the generic types of a route together. */
export function defineRoute<P, Q, B>(def: RouteDef<P, Q, B>): RouteDef<P, Q, B> {
  return def;
}

/** Parses `input` with `schema`; every problem becomes one 400 with the fields named. */
export function validate<T>(schema: z.ZodType<T> | undefined, input: unknown, where: string): T {
  if (!schema) return input as T;
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issues = result.error.issues.map((i) => ({
    where: `${where}${i.path.length ? `.${i.path.join('.')}` : ''}`,
    message: i.message,
  }));
  throw new InputError(`Invalid ${where}: ${issues.map((i) => `${i.where}: ${i.message}`).join('; ')}`, {
    issues,
    fields: issues.map((i) => i.where),
  });
}

/** Converts a Hono path (`/api/x/:id`) to an OpenAPI path (`/api/x/{id}`). */
export function openApiPath(path: string): string {
  return path.replace(/:([A-Za-z_]+)/g, '{$1}');
}

// biome-ignore lint/suspicious/noExplicitAny: a registry holds routes of every input type
export type AnyRoute = RouteDef<any, any, any>;

const ERROR_SCHEMA = z.object({
  error: z.object({ code: z.string(), message: z.string(), details: z.record(z.string(), z.unknown()) }),
});

/** The OpenAPI 3.1 document for a set of routes. */
export function openApiDocument(routes: readonly AnyRoute[], info: { title: string; version: string }) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const r of routes) {
    const p = openApiPath(r.path);
    const parameters: unknown[] = [];
    for (const [location, schema] of [
      ['path', r.params],
      ['query', r.query],
    ] as const) {
      if (!schema) continue;
      const json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as {
        properties?: Record<string, unknown>;
        required?: string[];
      };
      for (const [name, s] of Object.entries(json.properties ?? {})) {
        parameters.push({
          name,
          in: location,
          required: location === 'path' || !!json.required?.includes(name),
          schema: s,
        });
      }
    }
    const op: Record<string, unknown> = {
      summary: r.summary,
      tags: [r.tag],
      operationId: `${r.method}${p.replace(/[^A-Za-z0-9]+/g, '_')}`,
      parameters,
      responses: {
        '200': {
          description: 'OK',
          content: {
            'application/json': {
              schema: r.response ? z.toJSONSchema(r.response, { unrepresentable: 'any' }) : {},
            },
          },
        },
        '400': {
          description: 'Invalid input',
          content: { 'application/json': { schema: z.toJSONSchema(ERROR_SCHEMA) } },
        },
        ...(r.role === 'public'
          ? {}
          : {
              '401': { description: 'No or unknown token' },
              '403': { description: 'The token’s role may not do this' },
            }),
        '404': { description: 'Unknown id' },
      },
      ...(r.role === 'public' ? { security: [] } : { 'x-min-role': r.role }),
    };
    if (r.body) {
      op.requestBody = {
        required: true,
        content: {
          'application/json': { schema: z.toJSONSchema(r.body, { io: 'input', unrepresentable: 'any' }) },
        },
      };
    } else if (r.upload) {
      op.requestBody = {
        required: true,
        content: {
          'multipart/form-data': {
            schema: {
              type: 'object',
              properties: { file: { type: 'string', format: 'binary' } },
              required: ['file'],
            },
          },
        },
      };
    }
    paths[p] = { ...(paths[p] ?? {}), [r.method]: op };
  }
  return {
    openapi: '3.1.0',
    info,
    components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
    security: [{ bearer: [] }],
    paths,
  };
}
