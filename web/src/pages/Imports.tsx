import { useState } from 'react';
import type { Page, RejectRow as RejectRowType, StatusResponse } from '../../../src/services/http/types.js';
import { uploadImport } from '../api.js';
import { Async, Table } from '../components.js';
import { useApi, useApp } from '../context.js';

type StatusData = StatusResponse;

type RejectRow = RejectRowType;

export function ImportsPage() {
  const { t, num, date, pct, token } = useApp();
  const [status, retry] = useApi<StatusData>('/api/status');
  const [rejects, retryRejects] = useApi<Page<RejectRow>>('/api/rejects?limit=50');
  const [file, setFile] = useState<File | null>(null);
  const [running, setRunning] = useState('');
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const upload = () => {
    if (!file) return;
    setMessage(null);
    setRunning(pct(0));
    uploadImport<{ loaded: number; rejected: number }>(file, token, (p) => setRunning(pct(p))).then(
      (r) => {
        setRunning('');
        setMessage({
          ok: true,
          text: t('imports.uploaded', { file: file.name, loaded: num(r.loaded), rejected: num(r.rejected) }),
        });
        retry();
        retryRejects();
      },
      (e: Error) => {
        setRunning('');
        setMessage({ ok: false, text: e.message });
      },
    );
  };
  return (
    <section>
      <h1>{t('imports.title')}</h1>
      <form
        className="toolbar"
        onSubmit={(e) => {
          e.preventDefault();
          upload();
        }}
      >
        <label>
          {t('imports.uploadFile')}{' '}
          <input
            type="file"
            data-testid="upload-file"
            accept=".csv,.tsv,.txt,.xlsx,.json,.ndjson,.parquet"
            onChange={(e) => setFile(e.target.files?.[0] ?? null)}
          />
        </label>{' '}
        <button type="submit" data-testid="upload" disabled={!file || running !== ''}>
          {running ? t('imports.uploading', { progress: running }) : t('imports.upload')}
        </button>
      </form>
      <p className="muted">{t('imports.uploadAdmin')}</p>
      {message && (
        <p className={message.ok ? 'muted' : 'error-text'} data-testid="upload-result" role="status">
          {message.text}
        </p>
      )}
      <Async result={status} retry={retry}>
        {(d) => (
          <>
            <h2>{t('imports.tables')}</h2>
            <Table
              columns={[
                { key: 'name', label: t('imports.table') },
                { key: 'rows', label: t('imports.rows'), numeric: true, render: (r) => num(r.rows) },
                { key: 'from', label: t('imports.from'), render: (r) => (r.from ? date(r.from) : '') },
                { key: 'to', label: t('imports.to'), render: (r) => (r.to ? date(r.to) : '') },
              ]}
              rows={d.tables}
            />
            <h2>{t('imports.loads')}</h2>
            <Table
              columns={[
                { key: 'source', label: t('imports.source') },
                { key: 'target', label: t('imports.table') },
                {
                  key: 'status',
                  label: t('imports.status'),
                  // A load is recorded only when it commits (a failed one rolls back): loaded, or running.
                  render: (r) =>
                    r.status === 'loaded'
                      ? t('imports.status.loaded')
                      : r.status === 'running'
                        ? t('imports.status.running')
                        : r.status,
                },
                { key: 'read', label: t('imports.read'), numeric: true, render: (r) => num(r.read) },
                { key: 'loaded', label: t('imports.loaded'), numeric: true, render: (r) => num(r.loaded) },
                {
                  key: 'rejected',
                  label: t('imports.rejected'),
                  numeric: true,
                  render: (r) => num(r.rejected),
                },
                {
                  key: 'duplicates',
                  label: t('imports.duplicates'),
                  numeric: true,
                  render: (r) => num(r.duplicates),
                },
                { key: 'startedAt', label: t('imports.started'), render: (r) => date(r.startedAt) },
                {
                  key: 'seconds',
                  label: t('imports.seconds'),
                  numeric: true,
                  render: (r) => (r.seconds === null ? '–' : num(r.seconds, 1)),
                },
              ]}
              rows={d.loads}
            />
          </>
        )}
      </Async>
      <h2>{t('imports.rejects')}</h2>
      <Async result={rejects}>
        {(d) => (
          <Table
            columns={[
              { key: 'source', label: t('imports.source') },
              { key: 'line', label: t('imports.line'), numeric: true },
              { key: 'column_name', label: t('imports.column') },
              { key: 'raw_value', label: t('imports.value') },
              { key: 'reason', label: t('imports.reason') },
            ]}
            rows={d.rows}
          />
        )}
      </Async>
    </section>
  );
}
