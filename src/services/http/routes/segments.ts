import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { buildFeatures, latestOrderDate } from '../../../analytics/features/index.js';
import { buildRfm } from '../../../analytics/rfm/index.js';
import {
  countSegment,
  createSegment,
  deleteSegment,
  EXPORT_CHANNELS,
  exportSegment,
  listSegments,
  profileSegment,
  segmentColumns,
} from '../../../analytics/segments/index.js';
import { defineRoute } from '../route.js';
import type {
  SegmentColumnsResponse,
  SegmentCountResponse,
  SegmentListResponse,
  SegmentProfileResponse,
} from '../types.js';
import { isoDate } from './overview.js';

const expressionBody = z.object({ expression: z.string().min(1).max(4000) });
const nameParam = z.object({ name: z.string().min(1).max(100) });

export const segmentRoutes = [
  defineRoute({
    method: 'post',
    path: '/api/features/build',
    summary: 'Build the customer feature table (and RFM scores) as of a date, as a background job',
    tag: 'segments',
    role: 'analyst',
    body: z.object({ asOf: isoDate.optional() }),
    async handler({ engine, body, jobs }) {
      return jobs.start('features.build', async (control) => {
        const asOf = body.asOf ?? (await latestOrderDate(engine)) ?? '1970-01-01';
        control.progress(0.1, 'features');
        const features = await buildFeatures(engine, { asOf });
        control.progress(0.7, 'rfm');
        const rfm = await buildRfm(engine, { asOf });
        return { asOf, features: features.rows, rfm: rfm.rows };
      });
    },
  }),
  defineRoute({
    method: 'get',
    path: '/api/segments/columns',
    summary: 'Columns usable in segment expressions (for autocompletion)',
    tag: 'segments',
    role: 'viewer',
    async handler({ engine }): Promise<SegmentColumnsResponse> {
      const columns = [...(await segmentColumns(engine)).values()].map((c) => ({
        name: c.name,
        kind: c.kind,
      }));
      return { columns };
    },
  }),
  defineRoute({
    method: 'post',
    path: '/api/segments/count',
    summary: 'Count the customers matching an expression (count as you type)',
    tag: 'segments',
    role: 'viewer',
    body: expressionBody,
    async handler({ engine, body }): Promise<SegmentCountResponse> {
      return countSegment(engine, body.expression);
    },
  }),
  defineRoute({
    method: 'post',
    path: '/api/segments/profile',
    summary: 'Profile an unsaved expression against the whole base (aggregates only)',
    tag: 'segments',
    role: 'viewer',
    body: expressionBody,
    async handler({ engine, body }): Promise<SegmentProfileResponse> {
      return profileSegment(engine, { expression: body.expression });
    },
  }),
  defineRoute({
    method: 'get',
    path: '/api/segments',
    summary: 'Stored segments with their latest size',
    tag: 'segments',
    role: 'viewer',
    async handler({ engine }): Promise<SegmentListResponse> {
      return { segments: await listSegments(engine) };
    },
  }),
  defineRoute({
    method: 'post',
    path: '/api/segments',
    summary: 'Create or update a stored segment',
    tag: 'segments',
    role: 'analyst',
    body: z.object({
      name: z.string().min(1).max(100),
      expression: z.string().min(1).max(4000),
      description: z.string().max(1000).optional(),
    }),
    async handler({ engine, body }) {
      return createSegment(engine, { ...body, now: new Date() });
    },
  }),
  defineRoute({
    method: 'get',
    path: '/api/segments/:name',
    summary: 'A stored segment’s profile: size, revenue and margin share, distinguishing attributes, history',
    tag: 'segments',
    role: 'viewer',
    params: nameParam,
    async handler({ engine, params }): Promise<SegmentProfileResponse> {
      return profileSegment(engine, { name: params.name, now: new Date() });
    },
  }),
  defineRoute({
    method: 'delete',
    path: '/api/segments/:name',
    summary: 'Delete a stored segment',
    tag: 'segments',
    role: 'admin',
    params: nameParam,
    async handler({ engine, params, audit, caller }) {
      await deleteSegment(engine, params.name);
      await audit.record(caller, 'segment.delete', params.name);
      return { deleted: params.name };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/api/segments/:name/export',
    summary: 'Export a segment’s contactable members as CSV or Excel (consent respected; audited)',
    tag: 'segments',
    role: 'analyst',
    params: nameParam,
    query: z.object({
      format: z.enum(['csv', 'xlsx']).default('csv'),
      channel: z.enum(Object.keys(EXPORT_CHANNELS) as [string, ...string[]]).default('email'),
    }),
    async handler({ engine, params, query, audit, caller }) {
      const dir = mkdtempSync(join(tmpdir(), 'clientele-export-'));
      try {
        const path = join(dir, `${params.name}.${query.format}`);
        const result = await exportSegment(engine, {
          name: params.name,
          format: query.format,
          channel: query.channel,
          path,
        });
        await audit.record(caller, 'segment.export', params.name, { ...query, result });
        const bytes = readFileSync(path);
        return new Response(bytes, {
          headers: {
            'content-type':
              query.format === 'csv'
                ? 'text/csv; charset=utf-8'
                : 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
            'content-disposition': `attachment; filename="${encodeURIComponent(params.name)}.${query.format}"`,
            'x-clientele-export': JSON.stringify({
              size: result.size,
              exported: result.exported,
              excluded: result.excluded,
            }),
          },
        });
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  }),
];
