import { z } from 'zod';
import { buildReport } from '../../report/index.js';
import { defineRoute } from '../route.js';

export const reportRoutes = [
  defineRoute({
    method: 'get',
    path: '/api/report',
    summary:
      'The report for marketing experts as one self-contained HTML page (the same as clientele report), in ?lang= or Accept-Language',
    tag: 'report',
    role: 'analyst',
    // The top-risk list names customers by id.
    personal: true,
    query: z.object({
      lang: z.enum(['en', 'nl', 'fr', 'de', 'ru']).optional(),
      kind: z.enum(['overview', 'campaign']).default('overview'),
      campaign: z.string().min(1).max(200).optional(),
      by: z
        .string()
        .regex(/^[a-z_][a-z0-9_]*$/)
        .max(64)
        .optional(),
      horizonDays: z.coerce.number().int().min(1).max(365).optional(),
    }),
    async handler({ engine, query, lang, raw }) {
      const { html } = await buildReport(engine, {
        kind: query.kind,
        lang,
        ...(query.campaign ? { campaign: query.campaign } : {}),
        ...(query.by ? { by: query.by } : {}),
        ...(query.horizonDays ? { horizonDays: query.horizonDays } : {}),
      });
      const name =
        query.kind === 'campaign' ? `clientele-campaign-${lang}.html` : `clientele-report-${lang}.html`;
      return raw.body(html, 200, {
        'content-type': 'text/html; charset=utf-8',
        'content-disposition': `inline; filename="${name}"`,
        'cache-control': 'no-store',
      });
    },
  }),
];
