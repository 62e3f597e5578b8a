import { useEffect, useMemo, useRef, useState } from 'react';
import type {
  SegmentColumnsResponse,
  SegmentCountResponse,
  SegmentListResponse,
  SegmentPreviewResponse,
  SegmentProfileResponse,
} from '../../../src/services/http/types.js';
import { ApiFailure, apiDelete, apiDownload, apiPost } from '../api.js';
import { Async, Table } from '../components.js';
import { useApi, useApp } from '../context.js';

type Count = SegmentCountResponse;
type Profile = SegmentProfileResponse;

const KEYWORDS = ['and', 'or', 'not', 'in', 'between', 'today', 'true', 'false'];

/** The word being typed at the caret, and where it starts. */
function wordAt(text: string, caret: number): { word: string; start: number } {
  let start = caret;
  while (start > 0 && /[A-Za-z0-9_]/.test(text[start - 1] ?? '')) start--;
  return { word: text.slice(start, caret), start };
}

/** The expression of a `#/segments/<expression>` link, if the address holds one. */
function linkedExpression(): string | null {
  const [, page, arg] = window.location.hash.replace(/^#\/?/, '').match(/^([^/]*)\/(.+)$/) ?? [];
  return page === 'segments' && arg ? decodeURIComponent(arg) : null;
}

/** A small line chart of a segment's recorded sizes (oldest first); a dot when there is one. */
function SizeChart({ points, label }: { points: { at: string; size: number | null }[]; label: string }) {
  const known = points.flatMap((p) => (p.size === null ? [] : [{ at: p.at, size: p.size }]));
  const sizes = known.map((p) => p.size);
  if (sizes.length === 0) return null;
  const w = 96;
  const h = 24;
  const max = Math.max(...sizes);
  const min = Math.min(...sizes);
  const y = (v: number) => (max === min ? h / 2 : h - 2 - ((v - min) / (max - min)) * (h - 4));
  const x = (i: number) => (sizes.length === 1 ? w / 2 : 2 + (i / (sizes.length - 1)) * (w - 4));
  const path = sizes.map((v, i) => `${i ? 'L' : 'M'}${x(i).toFixed(1)},${y(v).toFixed(1)}`).join(' ');
  return (
    <svg
      width={w}
      height={h}
      viewBox={`0 0 ${w} ${h}`}
      role="img"
      aria-label={label}
      data-testid="segment-size-chart"
      data-points={sizes.length}
    >
      <title>{label}</title>
      <path d={path} fill="none" stroke="currentColor" strokeWidth="1.5" />
      {known.map((p) => (
        <circle key={p.at} cx={x(known.indexOf(p))} cy={y(p.size)} r="2" fill="currentColor" />
      ))}
    </svg>
  );
}

/** The address of the segment builder opened on `expression`. */
export function segmentLink(expression: string): string {
  return `#/segments/${encodeURIComponent(expression)}`;
}

export function SegmentsPage() {
  const { t, token, lang, num, pct, money } = useApp();
  // `#/segments/<expression>` opens the builder on that expression (links from RFM, Value and other pages).
  const [expression, setExpression] = useState(
    () => linkedExpression() ?? 'orders >= 2 and recency_days <= 365',
  );
  const [count, setCount] = useState<Count | null>(null);
  const [members, setMembers] = useState<SegmentPreviewResponse['members'] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [caret, setCaret] = useState(0);
  const [profile, setProfile] = useState<Profile | null>(null);
  const [name, setName] = useState('');
  const [saved, setSaved] = useState<string | null>(null);
  const [deleted, setDeleted] = useState<string | null>(null);
  const [exported, setExported] = useState<string | null>(null);
  const [channel, setChannel] = useState('email');
  const [labelHeaders, setLabelHeaders] = useState(false);
  const [columnsResult] = useApi<SegmentColumnsResponse>('/api/segments/columns');
  const [stored, reloadStored] = useApi<SegmentListResponse>('/api/segments');
  const area = useRef<HTMLTextAreaElement>(null);

  // Count as you type: debounce, and drop answers to stale expressions; again when the language changes
  // (the server's messages follow it).
  useEffect(() => {
    let stale = false;
    const timer = setTimeout(() => {
      apiPost<Count>('/api/segments/count', token, { expression }, lang).then(
        (c) => {
          if (stale) return;
          setCount(c);
          setError(null);
          // Who the count counts (analysts only: a viewer's 403 just leaves the preview out).
          apiPost<SegmentPreviewResponse>('/api/segments/preview', token, { expression }, lang).then(
            (p) => {
              if (!stale) setMembers(p.members);
            },
            () => {
              if (!stale) setMembers(null);
            },
          );
        },
        (e: Error) => {
          if (!stale) setError(e instanceof ApiFailure ? e.body.message : e.message);
        },
      );
    }, 120);
    return () => {
      stale = true;
      clearTimeout(timer);
    };
  }, [expression, token, lang]);

  const suggestions = useMemo(() => {
    if (columnsResult.state !== 'ready') return [];
    const { word } = wordAt(expression, caret);
    if (word.length < 1) return [];
    // Fields by their key or their label (in the page's language); keywords by themselves.
    const w = word.toLowerCase();
    const fields = columnsResult.data.columns
      .filter((c) => c.name !== word && (c.name.startsWith(w) || c.label.toLowerCase().includes(w)))
      .map((c) => ({ name: c.name, label: c.label, description: c.description }));
    const keywords = KEYWORDS.filter((n) => n.startsWith(w) && n !== word).map((n) => ({
      name: n,
      label: n,
      description: null as string | null,
    }));
    return [...fields, ...keywords].slice(0, 8);
  }, [columnsResult, expression, caret]);

  /** Inserts a field's key at the caret (the field picker). */
  const insertField = (field: string) => {
    const at = area.current?.selectionStart ?? expression.length;
    const before = expression.slice(0, at);
    const next = `${before}${before && !before.endsWith(' ') ? ' ' : ''}${field} ${expression.slice(at)}`;
    setExpression(next);
    const pos = next.length - expression.slice(at).length;
    setCaret(pos);
    requestAnimationFrame(() => area.current?.setSelectionRange(pos, pos));
    area.current?.focus();
  };

  const complete = (s: string) => {
    const { start } = wordAt(expression, caret);
    const next = `${expression.slice(0, start)}${s} ${expression.slice(caret)}`;
    setExpression(next);
    const pos = start + s.length + 1;
    setCaret(pos);
    requestAnimationFrame(() => area.current?.setSelectionRange(pos, pos));
    area.current?.focus();
  };

  return (
    <section>
      <h1>{t('segments.title')}</h1>
      <label htmlFor="segment-expression">{t('segments.expression')}</label>
      <textarea
        id="segment-expression"
        ref={area}
        rows={3}
        value={expression}
        spellCheck={false}
        onChange={(e) => {
          setExpression(e.target.value);
          setCaret(e.target.selectionStart);
        }}
        onKeyUp={(e) => setCaret(e.currentTarget.selectionStart)}
        onClick={(e) => setCaret(e.currentTarget.selectionStart)}
        onKeyDown={(e) => {
          if (e.key === 'Tab' && suggestions[0]) {
            e.preventDefault();
            complete(suggestions[0].name);
          }
        }}
        aria-describedby="segment-count"
      />
      {suggestions.length > 0 && (
        <ul className="suggestions" aria-label={t('segments.suggestions')}>
          {suggestions.map((s) => (
            <li key={s.name}>
              <button
                type="button"
                className="chip"
                title={s.description ? `${s.name}: ${s.description}` : s.name}
                data-field={s.name}
                onClick={() => complete(s.name)}
              >
                {s.label}
              </button>
            </li>
          ))}
        </ul>
      )}
      {columnsResult.state === 'ready' && (
        <label className="field-picker">
          {t('segments.addField')}{' '}
          <select
            value=""
            data-testid="segment-field-picker"
            onChange={(e) => {
              if (e.target.value) insertField(e.target.value);
            }}
          >
            <option value="">…</option>
            {[...columnsResult.data.columns]
              .sort((a, b) => a.label.localeCompare(b.label))
              .map((c) => (
                <option key={c.name} value={c.name} title={c.description ?? c.name}>
                  {c.label}
                </option>
              ))}
          </select>
        </label>
      )}
      <div id="segment-count" aria-live="polite" className="count-line">
        {error ? (
          <span className="error-text" data-testid="segment-error">
            {error}
          </span>
        ) : count?.suppressed || (count && count.count === null) ? (
          <span className="muted" data-testid="segment-suppressed">
            {t('segments.suppressed', { k: num(count.minCellSize ?? 10), total: num(count.total) })}
          </span>
        ) : count && count.count !== null ? (
          <>
            <span className="count" data-testid="segment-count">
              {num(count.count)}
            </span>{' '}
            {t('segments.ofTotal', { total: num(count.total), share: pct(count.share ?? 0) })}
          </>
        ) : (
          t('common.loading')
        )}
      </div>
      {members && members.length > 0 && !error && (
        <Table
          caption={t('segments.preview')}
          columns={[
            { key: 'customerId', label: t('customers.id') },
            { key: 'name', label: t('customers.name') },
            { key: 'city', label: t('customers.city') },
            { key: 'orders', label: t('customers.orders'), numeric: true, render: (r) => num(r.orders) },
            { key: 'revenue', label: t('overview.revenue'), numeric: true, render: (r) => money(r.revenue) },
          ]}
          rows={members}
        />
      )}
      {count?.unknownValues?.map((u) => (
        <p key={u.column} className="warning-text" data-testid="segment-warning">
          {t('segments.unknownValues', {
            column: u.column,
            values: u.values.map((v) => `'${v}'`).join(', '),
            known: u.known.map((v) => `'${v}'`).join(', '),
          })}
        </p>
      ))}
      <div className="actions">
        <button
          type="button"
          onClick={() =>
            apiPost<Profile>('/api/segments/profile', token, { expression }).then(setProfile, (e: Error) =>
              setError(e.message),
            )
          }
        >
          {t('segments.profile')}
        </button>
        <label>
          {t('segments.name')}{' '}
          <input value={name} onChange={(e) => setName(e.target.value)} data-testid="segment-name" />
        </label>
        <button
          type="button"
          disabled={!name}
          onClick={() =>
            apiPost('/api/segments', token, { name, expression }).then(
              () => {
                setSaved(name);
                reloadStored();
              },
              (e: Error) => setError(e.message),
            )
          }
        >
          {t('segments.save')}
        </button>
        {saved && <span className="muted">{t('segments.saved', { name: saved })}</span>}
      </div>
      {profile && (
        <div className="profile-box">
          <h2>{t('segments.profileTitle')}</h2>
          <p>
            {profile.size === null || profile.suppressed
              ? t('segments.suppressed', { k: num(profile.minCellSize ?? 10), total: num(profile.total) })
              : t('segments.profileLine', {
                  size: num(profile.size),
                  share: pct(profile.share ?? 0),
                  revenue: pct(profile.revenueShare ?? 0),
                  margin: profile.marginShare === null ? '–' : pct(profile.marginShare),
                })}
          </p>
          <Table
            caption={t('segments.averages')}
            columns={[
              {
                key: 'column',
                label: t('segments.attribute'),
                // The attribute's plain label in the page's language (the key on hover).
                render: (r) => (
                  <span title={r.column} data-field={r.column}>
                    {(columnsResult.state === 'ready'
                      ? columnsResult.data.columns.find((c) => c.name === r.column)?.label
                      : undefined) ?? r.column}
                  </span>
                ),
              },
              {
                key: 'segment',
                label: t('segments.segmentValue'),
                numeric: true,
                render: (r) => (r.segment === null ? '' : num(r.segment, 2)),
              },
              {
                key: 'base',
                label: t('segments.baseValue'),
                numeric: true,
                render: (r) => (r.base === null ? '' : num(r.base, 2)),
              },
              {
                key: 'lift',
                label: t('segments.lift'),
                numeric: true,
                render: (r) => (r.lift === null ? '' : num(r.lift, 2)),
              },
            ]}
            rows={profile.averages.slice(0, 12)}
          />
        </div>
      )}
      <h2>{t('segments.stored')}</h2>
      <label>
        {t('segments.channel')}{' '}
        <select value={channel} onChange={(e) => setChannel(e.target.value)}>
          {['email', 'sms', 'phone', 'post'].map((c) => (
            <option key={c} value={c}>
              {c}
            </option>
          ))}
        </select>
      </label>{' '}
      <label>
        <input
          type="checkbox"
          checked={labelHeaders}
          onChange={(e) => setLabelHeaders(e.target.checked)}
          data-testid="segment-header-labels"
        />{' '}
        {t('segments.headerLabels')}
      </label>
      {exported && (
        <p className="muted" data-testid="segment-exported" role="status">
          {exported}
        </p>
      )}
      {deleted && (
        <p className="muted" data-testid="segment-deleted">
          {t('segments.deleted', { name: deleted })}
        </p>
      )}
      <Async result={stored} retry={reloadStored}>
        {(d) => (
          <Table
            columns={[
              { key: 'name', label: t('segments.name') },
              { key: 'definition', label: t('segments.expression') },
              {
                key: 'lastSize',
                label: t('segments.size'),
                numeric: true,
                render: (r) => (r.lastSize === null ? '' : num(r.lastSize)),
              },
              {
                key: 'history',
                label: t('segments.history'),
                render: (r) => (
                  <SizeChart
                    points={r.history.map((h) => ({ at: h.measuredAt, size: h.size }))}
                    label={t('segments.historyLabel', {
                      sizes: r.history
                        .map((h) => (h.size === null ? '–' : `${h.asOf}: ${num(h.size)}`))
                        .join(', '),
                    })}
                  />
                ),
              },
              {
                key: 'export',
                label: t('common.export'),
                render: (r) => (
                  <span className="row-actions">
                    {(['csv', 'xlsx'] as const).map((format) => (
                      <button
                        key={format}
                        type="button"
                        className="small"
                        onClick={() =>
                          apiDownload(
                            `/api/segments/${encodeURIComponent(r.name)}/export?format=${format}&channel=${channel}${labelHeaders ? '&header=labels' : ''}`,
                            token,
                            `${r.name}.${format}`,
                          ).then(
                            // How many were written and who was left out, and why.
                            (c) =>
                              setExported(
                                c
                                  ? t('segments.exported', {
                                      name: r.name,
                                      exported: num(c.exported),
                                      size: num(c.size),
                                      noConsent: num(c.excluded.noConsent),
                                      noAddress: num(c.excluded.noAddress),
                                      unsubscribed: num(c.excluded.unsubscribed),
                                    })
                                  : null,
                              ),
                            (e: Error) => setError(e.message),
                          )
                        }
                      >
                        {format.toUpperCase()}
                      </button>
                    ))}
                    <button
                      type="button"
                      className="small danger"
                      data-testid="segment-delete"
                      onClick={() => {
                        if (!window.confirm(t('segments.confirmDelete', { name: r.name }))) return;
                        apiDelete(`/api/segments/${encodeURIComponent(r.name)}`, token).then(
                          () => {
                            setSaved(null);
                            setDeleted(r.name);
                            reloadStored();
                          },
                          (e: Error) => setError(e.message),
                        );
                      }}
                    >
                      {t('segments.delete')}
                    </button>
                  </span>
                ),
              },
            ]}
            rows={d.segments}
          />
        )}
      </Async>
      <p className="muted small">{t('segments.help')}</p>
    </section>
  );
}
