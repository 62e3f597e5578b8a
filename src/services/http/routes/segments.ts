import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { buildFeatures, latestOrderDate } from '../../../analytics/features/index.js';
import { buildRfm } from '../../../analytics/rfm/index.js';
import {
  columnsOf,
  countSegment,
  createSegment,
  deleteSegment,
  EXPORT_CHANNELS,
  exportSegment,
  listSegments,
  parseSegment,
  previewSegment,
  profileSegment,
  recordSegmentSizes,
  type SegmentProfile,
  segmentColumns,
  segmentSizeHistory,
} from '../../../analytics/segments/index.js';
import { fieldEntry } from '../../../analytics/shared/field-labels.js';
import {
  isPersonalField,
  isSmallCell,
  personalFieldsIn,
  suppressCount,
} from '../../../analytics/shared/privacy.js';
import { assertNoPersonalFields, isViewer, minCellSize } from '../privacy.js';
import { defineRoute } from '../route.js';
import type {
  SegmentColumnsResponse,
  SegmentCountResponse,
  SegmentHistoryResponse,
  SegmentListResponse,
  SegmentPreviewResponse,
  SegmentProfileResponse,
} from '../types.js';
import { isoDate } from './overview.js';

/**
 * A profile as a viewer may see it: no figure about fewer than k customers. A small segment (or a small
 * complement) keeps only its definition and the base size; category cells under k are dropped.
 */
function forViewer(profile: SegmentProfile, k: number): SegmentProfileResponse & Record<string, unknown> {
  const history = profile.history.map((h) => ({
    ...h,
    size: isSmallCell(h.size, k, h.total) ? null : h.size,
  }));
  if (isSmallCell(profile.size, k, profile.total)) {
    return {
      ...profile,
      size: null,
      share: null,
      revenueShare: null,
      marginShare: null,
      averages: [],
      distinctions: [],
      history,
      suppressed: true,
      minCellSize: k,
    };
  }
  const distinctions = profile.distinctions.filter(
    (d) => d.value === undefined || !isSmallCell(Math.round(d.segment * profile.size), k),
  );
  return { ...profile, distinctions, history, suppressed: false, minCellSize: k };
}

/** A stored definition that filters on personal fields is not shown to viewers (it would quote them). */
function viewerDefinition(definition: string): string {
  try {
    const personal = personalFieldsIn(columnsOf(parseSegment(definition)).map((c) => c.name));
    return personal.length ? `(uses personal fields: ${personal.join(', ')})` : definition;
  } catch {
    return definition;
  }
}

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
        // Each stored segment's size at the new date joins its history.
        const sizes = await recordSegmentSizes(engine, { now: new Date() });
        return { asOf, features: features.rows, rfm: rfm.rows, segmentSizesRecorded: sizes.recorded };
      });
    },
  }),
  defineRoute({
    method: 'get',
    path: '/api/segments/columns',
    summary: 'Columns usable in segment expressions (for autocompletion)',
    tag: 'segments',
    role: 'viewer',
    async handler({ engine, caller, lang }): Promise<SegmentColumnsResponse> {
      const columns = [...(await segmentColumns(engine)).values()]
        .filter((c) => !isViewer(caller) || !isPersonalField(c.name))
        .map((c) => {
          const entry = fieldEntry(c.name, lang);
          return {
            name: c.name,
            kind: c.kind,
            label: entry?.label ?? c.name.replaceAll('_', ' '),
            description: entry?.description ?? null,
          };
        });
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
    async handler({ engine, body, caller }): Promise<SegmentCountResponse> {
      assertNoPersonalFields(caller, body.expression);
      const result = await countSegment(engine, body.expression);
      if (!isViewer(caller)) return result;
      return { ...result, ...suppressCount(result, await minCellSize(engine)) };
    },
  }),
  defineRoute({
    method: 'post',
    path: '/api/segments/preview',
    personal: true,
    summary: 'The first members of an unsaved expression, most net revenue first (personal data, audited)',
    tag: 'segments',
    role: 'analyst',
    body: expressionBody,
    async handler({ engine, body }): Promise<SegmentPreviewResponse> {
      return { members: await previewSegment(engine, body.expression, 10) };
    },
  }),
  defineRoute({
    method: 'post',
    path: '/api/segments/profile',
    summary: 'Profile an unsaved expression against the whole base (aggregates only)',
    tag: 'segments',
    role: 'viewer',
    body: expressionBody,
    async handler({ engine, body, caller }): Promise<SegmentProfileResponse> {
      assertNoPersonalFields(caller, body.expression);
      const profile = await profileSegment(engine, { expression: body.expression });
      return isViewer(caller) ? forViewer(profile, await minCellSize(engine)) : profile;
    },
  }),
  defineRoute({
    method: 'get',
    path: '/api/segments',
    summary: 'Stored segments with their latest size',
    tag: 'segments',
    role: 'viewer',
    async handler({ engine, caller }): Promise<SegmentListResponse> {
      // With each segment's recorded sizes (for the small chart next to it).
      const segments = await Promise.all(
        (await listSegments(engine)).map(async (s) => ({
          ...s,
          history: (await segmentSizeHistory(engine, s.name)).map((h) => ({
            asOf: h.asOf,
            measuredAt: h.measuredAt,
            size: h.size as number | null,
          })),
        })),
      );
      if (!isViewer(caller)) return { segments };
      const k = await minCellSize(engine);
      return {
        segments: segments.map((s) => ({
          ...s,
          definition: viewerDefinition(s.definition),
          lastSize: s.lastSize !== null && isSmallCell(s.lastSize, k) ? null : s.lastSize,
          history: s.history.map((h) => ({
            ...h,
            size: h.size !== null && isSmallCell(h.size, k) ? null : h.size,
          })),
        })),
      };
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
    async handler({ engine, params, caller }): Promise<SegmentProfileResponse> {
      const profile = await profileSegment(engine, { name: params.name, now: new Date() });
      if (!isViewer(caller)) return profile;
      return forViewer(
        { ...profile, definition: viewerDefinition(profile.definition) },
        await minCellSize(engine),
      );
    },
  }),
  defineRoute({
    method: 'get',
    path: '/api/segments/:name/history',
    summary:
      'A stored segment’s size over time (recorded on create, on each feature refresh, daily while serving)',
    tag: 'segments',
    role: 'viewer',
    params: nameParam,
    async handler({ engine, params, caller }): Promise<SegmentHistoryResponse> {
      const history = await segmentSizeHistory(engine, params.name);
      if (!isViewer(caller)) return { name: params.name, history };
      // A viewer sees no size under the minimum cell size (nor a complement under it).
      const k = await minCellSize(engine);
      return {
        name: params.name,
        history: history.map((h) => ({
          ...h,
          size: isSmallCell(h.size, k) || isSmallCell(h.total - h.size, k) ? null : h.size,
        })),
      };
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
      pseudonymise: z.enum(['true', 'false']).default('false'),
      /** `labels`: the header row in plain labels of the caller's language (field dictionary). */
      header: z.enum(['keys', 'labels']).default('keys'),
      /** `channel`: the channel's own contact fields; `all`: every contact field. */
      fields: z.enum(['channel', 'all']).default('channel'),
      /** Feature-table columns after the contact fields, comma-separated (churn_risk,clv_tier,rfm_segment). */
      with: z.string().max(2000).optional(),
    }),
    async handler({ engine, params, query, audit, caller, lang }) {
      const dir = mkdtempSync(join(tmpdir(), 'clientele-export-'));
      try {
        const path = join(dir, `${params.name}.${query.format}`);
        const result = await exportSegment(engine, {
          name: params.name,
          format: query.format,
          channel: query.channel,
          path,
          pseudonymise: query.pseudonymise === 'true',
          ...(query.header === 'labels' ? { headerLabels: lang } : {}),
          fields: query.fields,
          ...(query.with ? { with: query.with.split(',') } : {}),
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
