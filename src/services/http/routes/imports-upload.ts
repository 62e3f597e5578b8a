import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { refreshSalesAggregatesIfStale } from '../../../analytics/sales/index.js';
import { recordSegmentSizes } from '../../../analytics/segments/index.js';
import { InputError } from '../../../errors.js';
import { importSource, parseRawTableName } from '../../../ingest/index.js';
import { CANONICAL_TABLES, type CanonicalTable } from '../../../store/index.js';
import { chunksOf, receiveUpload } from '../multipart.js';
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
      // The body streams to a temporary file as it arrives (never held whole in memory); removed afterwards.
      const dir = mkdtempSync(join(tmpdir(), 'clientele-upload-'));
      let file: { name: string; size: number; path: string };
      let target: string | undefined;
      let as: string | undefined;
      let dryRun: boolean;
      try {
        const form = await receiveUpload(chunksOf(raw.req.raw.body), raw.req.header('content-type'), { dir });
        if (!form.file) {
          throw new InputError('Upload: expected a multipart field "file" holding the file, found none.', {
            fields: ['body.file'],
          });
        }
        file = form.file;
        const { fields } = form;
        target = fields.target ? fields.target : undefined;
        if (target && !(CANONICAL_TABLES as readonly string[]).includes(target)) {
          throw new InputError(`target: expected one of ${CANONICAL_TABLES.join(', ')}, got "${target}".`, {
            fields: ['body.target'],
          });
        }
        as = fields.as ? fields.as : undefined;
        // Checked before any job starts: a system table (audit_log, api_tokens …) is never an import's target.
        if (as !== undefined) parseRawTableName(as);
        dryRun = fields.dryRun === 'true' || fields.dryRun === '1';
      } catch (error) {
        rmSync(dir, { recursive: true, force: true });
        throw error;
      }
      const path = file.path;
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
