import { useState } from 'react';
import type {
  Customer360Response,
  CustomerOffersResponse,
  CustomerRow as CustomerRowType,
  FieldsResponse,
  Page,
} from '../../../src/services/http/types.js';
import { Async, type Column, Pager, Table } from '../components.js';
import { useApi, useApp } from '../context.js';
import type { MessageKey } from '../i18n.js';
import { CustomerCampaigns } from './Campaigns.js';
import { CustomerLifeEvents } from './LifeEvents.js';
import { CustomerScores } from './Risk.js';

type CustomerRow = CustomerRowType;

export function CustomersPage({ openCustomer }: { openCustomer: (id: string) => void }) {
  const { t, num, money, date } = useApp();
  const [q, setQ] = useState('');
  const [sort, setSort] = useState<{ key: string; dir: 'asc' | 'desc' }>({ key: 'revenue', dir: 'desc' });
  const [offset, setOffset] = useState(0);
  const limit = 25;
  const params = new URLSearchParams({
    q,
    sort: sort.key,
    dir: sort.dir,
    offset: String(offset),
    limit: String(limit),
  });
  const [result, retry] = useApi<Page<CustomerRow>>(`/api/customers?${params}`);
  const columns: Column<CustomerRow>[] = [
    { key: 'customer_id', label: t('customers.id'), sortable: true },
    {
      key: 'last_name',
      label: t('customers.name'),
      sortable: true,
      render: (r) => [r.first_name, r.last_name].filter(Boolean).join(' '),
    },
    { key: 'email', label: t('customers.email') },
    { key: 'city', label: t('customers.city'), sortable: true },
    { key: 'country', label: t('customers.country'), sortable: true },
    {
      key: 'orders',
      label: t('customers.orders'),
      numeric: true,
      sortable: true,
      render: (r) => num(r.orders),
    },
    {
      key: 'revenue',
      label: t('customers.revenue'),
      numeric: true,
      sortable: true,
      render: (r) => money(r.revenue),
    },
    {
      key: 'last_order',
      label: t('customers.lastOrder'),
      sortable: true,
      render: (r) => (r.last_order ? date(r.last_order) : ''),
    },
  ];
  return (
    <section>
      <h1>{t('customers.title')}</h1>
      <label className="search">
        {t('common.search')}{' '}
        <input
          type="search"
          value={q}
          onChange={(e) => {
            setQ(e.target.value);
            setOffset(0);
          }}
        />
      </label>
      <Async result={result} retry={retry}>
        {(d) => (
          <>
            <Table
              columns={columns}
              rows={d.rows}
              sort={sort}
              onSort={(key) =>
                setSort((s) => ({ key, dir: s.key === key && s.dir === 'desc' ? 'asc' : 'desc' }))
              }
              onRowClick={(r) => openCustomer(r.customer_id)}
            />
            <Pager offset={offset} limit={limit} total={d.total} onChange={setOffset} />
          </>
        )}
      </Async>
    </section>
  );
}

type Customer360 = Customer360Response;

const PROFILE_FIELDS = [
  'customer_id',
  'first_name',
  'last_name',
  'email',
  'phone',
  'gender',
  'birth_date',
  'income_band',
  'city',
  'postcode',
  'country',
  'consent_email',
  'consent_sms',
];

export function CustomerPage({
  id,
  back,
  extras,
}: {
  id: string;
  back: () => void;
  extras?: (id: string) => React.ReactNode;
}) {
  const { t, date } = useApp();
  const [result, retry] = useApi<Customer360>(`/api/customers/${encodeURIComponent(id)}`);
  // Plain labels of the profile's fields in the page's language (the field dictionary).
  const [fields] = useApi<FieldsResponse>('/api/fields');
  const labels = new Map(fields.state === 'ready' ? fields.data.fields.map((f) => [f.name, f] as const) : []);
  return (
    <section>
      <button type="button" className="link" onClick={back}>
        ← {t('customer.back')}
      </button>
      <Async result={result} retry={retry}>
        {(d) => (
          <>
            <h1>
              {[d.profile.first_name, d.profile.last_name].filter(Boolean).join(' ') || id}{' '}
              <span className="muted">#{id}</span>
            </h1>
            <div className="two-col">
              <div>
                <h2>{t('customer.profile')}</h2>
                <dl className="profile">
                  {PROFILE_FIELDS.filter((f) => d.profile[f] !== null && d.profile[f] !== undefined).map(
                    (f) => (
                      <div key={f}>
                        <dt title={labels.get(f)?.description ?? f} data-field={f}>
                          {labels.get(f)?.label ?? f}
                        </dt>
                        <dd>{String(d.profile[f])}</dd>
                      </div>
                    ),
                  )}
                </dl>
                <CustomerScores id={id} />
                <Offers id={id} />
                <CustomerCampaigns id={id} />
                <CustomerLifeEvents id={id} />
                {extras?.(id)}
              </div>
              <div>
                <h2>{t('customer.timeline')}</h2>
                <ol className="timeline">
                  {d.timeline.slice(0, 100).map((e, i) => (
                    // biome-ignore lint/suspicious/noArrayIndexKey: timeline entries are display-only
                    <li key={i} className={`tl-${e.kind}`}>
                      <time>{date(e.at)}</time> <strong>{t(`customer.kind.${e.kind}` as MessageKey)}</strong>{' '}
                      {e.label}
                    </li>
                  ))}
                </ol>
              </div>
            </div>
          </>
        )}
      </Async>
    </section>
  );
}

type OfferList = CustomerOffersResponse;

function Offers({ id }: { id: string }) {
  const { t, pct } = useApp();
  const [result] = useApi<OfferList>(`/api/customers/${encodeURIComponent(id)}/offers`);
  return (
    <>
      <h2>{t('customer.offers')}</h2>
      <Async result={result}>
        {(d) =>
          d.offers.length === 0 ? (
            <p className="muted">{t('customer.noOffers')}</p>
          ) : (
            <ol className="offers">
              {d.offers.map((o) => (
                <li key={o.item}>
                  <strong>{o.label}</strong> <span className="muted">{pct(o.probability)}</span>
                  <div className="small">{o.reason}</div>
                </li>
              ))}
            </ol>
          )
        }
      </Async>
    </>
  );
}
