import { z } from 'zod';
import { analyzeTable, customerVoice, voiceOfCustomer } from '../../../analytics/texts/index.js';
import { allows } from '../auth.js';
import { defineRoute } from '../route.js';
import type { CustomerVoiceResponse, TextsAnalyzeResult, VoiceResponse } from '../types.js';
import { isoDate } from './overview.js';

export const textsRoutes = [
  defineRoute({
    method: 'get',
    path: '/api/texts',
    summary:
      'Voice of the customer: sentiment per language and month, topics with example texts, sentiment per segment, alerts (customer details for analysts only)',
    tag: 'texts',
    role: 'viewer',
    query: z.object({
      asOf: isoDate.optional(),
      alertDays: z.coerce.number().int().min(1).max(3650).default(30),
      valuablePercentile: z.coerce.number().min(0).max(1).default(0.8),
    }),
    async handler({ engine, query, caller }): Promise<VoiceResponse> {
      const v = await voiceOfCustomer(engine, query);
      if (allows(caller.role, 'analyst')) return v;
      // Viewers see aggregates and texts, not who wrote them.
      const anonymous = (t: (typeof v.keywordTopics)[number]) => ({
        ...t,
        examples: t.examples.map((e) => ({ ...e, customerId: null })),
      });
      return {
        ...v,
        keywordTopics: v.keywordTopics.map(anonymous),
        discoveredTopics: v.discoveredTopics.map(anonymous),
        alerts: [],
      };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/api/texts/customers/:id',
    summary: 'One customer’s voice: texts, mean sentiment, share negative, trend and top topics',
    tag: 'texts',
    role: 'analyst',
    params: z.object({ id: z.string().min(1).max(200) }),
    query: z.object({ asOf: isoDate.optional() }),
    async handler({ engine, params, query }): Promise<CustomerVoiceResponse> {
      return customerVoice(engine, params.id, query.asOf);
    },
  }),
  defineRoute({
    method: 'post',
    path: '/api/texts/analyze',
    summary: 'Analyse customer_texts (language, sentiment, topics) into text_sentiment, as a background job',
    tag: 'texts',
    role: 'analyst',
    body: z.object({
      trainOn: z
        .string()
        .regex(/^[A-Za-z_][A-Za-z0-9_]*$/)
        .optional(),
      clusters: z.number().int().min(0).max(50).optional(),
    }),
    async handler({ engine, body, jobs }) {
      return jobs.start('texts.analyze', async (control): Promise<TextsAnalyzeResult> => {
        const steps = ['read', 'topics', 'train', 'score', 'write'];
        const r = await analyzeTable(engine, {
          ...body,
          onProgress: (step) => control.progress((steps.indexOf(step) + 1) / (steps.length + 1), step),
        });
        return {
          rows: r.rows,
          written: r.written,
          languages: r.languages,
          validation: r.validation,
          warnings: r.warnings,
        };
      });
    },
  }),
];
