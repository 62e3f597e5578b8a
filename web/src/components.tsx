import * as Plot from '@observablehq/plot';
import { type ReactNode, useEffect, useRef } from 'react';
import { ApiFailure } from './api.js';
import { type Loaded, useApp } from './context.js';

/** Renders an Observable Plot chart (axes, legends and tooltips) into a div. */
export function Chart({ options, label }: { options: Plot.PlotOptions; label: string }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const chart = Plot.plot({ width: Math.max(320, el.clientWidth || 640), height: 280, ...options });
    // Plot labels its layers with aria-label on <g>; a group role makes that label valid ARIA.
    for (const g of chart.querySelectorAll('g[aria-label]')) g.setAttribute('role', 'group');
    el.replaceChildren(chart);
    return () => chart.remove();
  }, [options]);
  return <figure className="chart" ref={ref} aria-label={label} />;
}

/** Shows a loading line, a clear error with a retry button, or the content. */
export function Async<T>({
  result,
  retry,
  children,
}: {
  result: Loaded<T>;
  retry?: () => void;
  children: (data: T) => ReactNode;
}) {
  const { t } = useApp();
  if (result.state === 'loading')
    return (
      <p className="muted" aria-busy="true">
        {t('common.loading')}
      </p>
    );
  if (result.state === 'error') {
    const e = result.error;
    const forbidden = e instanceof ApiFailure && e.status === 403;
    const missing = e instanceof ApiFailure && e.status === 404 && e.body.message.startsWith('No route');
    return (
      <div className="error" role="alert">
        <strong>
          {forbidden ? t('common.forbidden') : missing ? t('common.notAvailable') : t('common.error')}
        </strong>
        {!forbidden && !missing && <p>{e.message}</p>}
        {retry && (
          <button type="button" onClick={retry}>
            {t('common.retry')}
          </button>
        )}
      </div>
    );
  }
  return <>{children(result.data)}</>;
}

export function Kpi({ label, value, hint }: { label: string; value: string; hint?: string }) {
  return (
    <div className="kpi">
      <div className="kpi-label">{label}</div>
      <div className="kpi-value">{value}</div>
      {hint && <div className="kpi-hint">{hint}</div>}
    </div>
  );
}

export interface Column<R> {
  key: string;
  label: string;
  render?: (row: R) => ReactNode;
  numeric?: boolean;
  sortable?: boolean;
}

/** A table; when `sort` is given, clicking a sortable header asks the server to sort. */
export function Table<R extends object>({
  columns,
  rows,
  sort,
  onSort,
  onRowClick,
  caption,
}: {
  columns: Column<R>[];
  rows: R[];
  sort?: { key: string; dir: 'asc' | 'desc' };
  onSort?: (key: string) => void;
  onRowClick?: (row: R) => void;
  caption?: string;
}) {
  return (
    <table>
      {caption && <caption>{caption}</caption>}
      <thead>
        <tr>
          {columns.map((c) => (
            <th
              key={c.key}
              className={c.numeric ? 'num' : undefined}
              aria-sort={sort?.key === c.key ? (sort.dir === 'asc' ? 'ascending' : 'descending') : undefined}
            >
              {c.sortable && onSort ? (
                <button type="button" className="link" onClick={() => onSort(c.key)}>
                  {c.label}
                  {sort?.key === c.key ? (sort.dir === 'asc' ? ' ▲' : ' ▼') : ''}
                </button>
              ) : (
                c.label
              )}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((r, i) => (
          <tr
            // biome-ignore lint/suspicious/noArrayIndexKey: rows have no stable id in general
            key={i}
            className={onRowClick ? 'clickable' : undefined}
            onClick={onRowClick ? () => onRowClick(r) : undefined}
          >
            {columns.map((c) => (
              <td key={c.key} className={c.numeric ? 'num' : undefined}>
                {c.render ? c.render(r) : String((r as Record<string, unknown>)[c.key] ?? '')}
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function Pager({
  offset,
  limit,
  total,
  onChange,
}: {
  offset: number;
  limit: number;
  total: number;
  onChange: (offset: number) => void;
}) {
  const { t, num } = useApp();
  return (
    <nav className="pager" aria-label="pagination">
      <button type="button" disabled={offset === 0} onClick={() => onChange(Math.max(0, offset - limit))}>
        {t('common.previous')}
      </button>
      <span>
        {t('common.pageOf', {
          from: num(total ? offset + 1 : 0),
          to: num(Math.min(total, offset + limit)),
          total: num(total),
        })}
      </span>
      <button type="button" disabled={offset + limit >= total} onClick={() => onChange(offset + limit)}>
        {t('common.next')}
      </button>
    </nav>
  );
}
