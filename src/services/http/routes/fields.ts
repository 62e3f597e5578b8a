import { z } from 'zod';
import { segmentColumns } from '../../../analytics/segments/index.js';
import { FIELD_TEXTS } from '../../../analytics/shared/field-dictionary.js';
import { FIELD_LABELS, fieldEntry } from '../../../analytics/shared/field-labels.js';
import { isPersonalField } from '../../../analytics/shared/privacy.js';
import { defineRoute } from '../route.js';
import type { FieldsResponse } from '../types.js';

const fieldsQuery = z.object({ lang: z.string().optional() });

/** The field dictionary: label, unit and description of every field, in the caller's language. */
export const fieldRoutes = [
  defineRoute({
    method: 'get',
    path: '/api/fields',
    summary: 'The field dictionary (label, unit, description) in ?lang= or the Accept-Language language',
    tag: 'system',
    role: 'viewer',
    query: fieldsQuery,
    async handler({ engine, caller, lang }): Promise<FieldsResponse> {
      // Every field the dictionary knows, and the built tables' own (share columns, model scores).
      const names = new Set([...Object.keys(FIELD_LABELS), ...Object.keys(FIELD_TEXTS)]);
      for (const name of (await segmentColumns(engine)).keys()) names.add(name);
      const fields: FieldsResponse['fields'] = [];
      for (const name of [...names].sort()) {
        if (caller.role === 'viewer' && isPersonalField(name)) continue;
        const entry = fieldEntry(name, lang);
        if (entry) fields.push(entry);
      }
      return { lang, fields };
    },
  }),
];
