import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { refreshSalesAggregatesIfStale } from '../../../analytics/sales/index.js';
import { recordSegmentSizes } from '../../../analytics/segments/index.js';
import { InputError } from '../../../errors.js';
import { importSource, parseRawTableName } from '../../../ingest/index.js';
import { CANONICAL_TABLES, type CanonicalTable } from '../../../store/index.js';
import { defineRoute } from '../route.js';

/**
 * File upload → the same import path as `clientele import` (same validation, rejects and reconciliation).
 * A dry run answers at once with the mapping and a preview; a real load runs as a background job.
 */
export const importUploadRoutes = [
  defineRoute({
    method: 'post',
    path: '/api/imports',
    summary: 'Upload a file and import it (multipart: file, target?, as?, dryRun?); a job unless dryRun',
    tag: 'imports',
    role: 'admin',
    upload: true,
    async handler({ engine, raw, jobs, audit, caller }) {
      const form = await raw.req.parseBody();
      const file = form.file;
      if (!(file instanceof File)) {
        throw new InputError('Upload: expected a multipart field "file" holding the file, found none.', {
          fields: ['body.file'],
        });
      }
      const target = typeof form.target === 'string' && form.target ? form.target : undefined;
      if (target && !(CANONICAL_TABLES as readonly string[]).includes(target)) {
        throw new InputError(`target: expected one of ${CANONICAL_TABLES.join(', ')}, got "${target}".`, {
          fields: ['body.target'],
        });
      }
      const as = typeof form.as === 'string' && form.as ? form.as : undefined;
      // Checked before any job starts: a system table (audit_log, api_tokens …) is never an import's target.
      if (as !== undefined) parseRawTableName(as);
      const dryRun = form.dryRun === 'true' || form.dryRun === '1';
      const dir = mkdtempSync(join(tmpdir(), 'clientele-upload-'));
      const path = join(dir, basename(file.name || 'upload.csv'));
      writeFileSync(path, Buffer.from(await file.arrayBuffer()));
      const spec = { path, target: target as CanonicalTable | undefined, as };
      if (dryRun) {
        try {
          return await importSource(engine, spec, { dryRun: true });
        } finally {
          rmSync(dir, { recursive: true, force: true });
        }
      }
      await audit.record(caller, 'import', file.name, { target, as, bytes: file.size });
      return jobs.start('import', async (control) => {
        try {
          const result = await importSource(engine, spec, {
            onProgress: (p) => control.progress(p.total ? p.done / p.total : 0, `${p.phase} ${p.step}`),
          });
          // The sales cube's daily pre-aggregate follows the data (the cube falls back to the lines without it).
          await refreshSalesAggregatesIfStale(engine).catch(() => null);
          // Each stored segment's size after the import joins its history: a point per import, changed or not.
          await recordSegmentSizes(engine, { now: new Date(), everyHours: 0 }).catch(() => null);
          return result;
        } finally {
          rmSync(dir, { recursive: true, force: true });
        }
      });
    },
  }),
];
