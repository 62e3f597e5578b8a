import type { Page, RejectRow as RejectRowType, StatusResponse } from '../../../src/services/http/types.js';
import { Async, Table } from '../components.js';
import { useApi, useApp } from '../context.js';

type StatusData = StatusResponse;

type RejectRow = RejectRowType;

export function ImportsPage() {
  const { t, num, date } = useApp();
  const [status, retry] = useApi<StatusData>('/api/status');
  const [rejects] = useApi<Page<RejectRow>>('/api/rejects?limit=50');
  return (
    <section>
      <h1>{t('imports.title')}</h1>
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
                { key: 'status', label: t('imports.status') },
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
