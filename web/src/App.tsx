import { type ReactNode, useEffect, useMemo, useState } from 'react';
import { apiGet, captureTokenFromHash, storedToken, storeToken } from './api.js';
import { AppContext, makeState, useApp } from './context.js';
import { detectLanguage, LANGUAGE_NAMES, LANGUAGES, type Language, type MessageKey } from './i18n.js';
import { AreasPage } from './pages/Areas.js';
import { BasketsPage } from './pages/Baskets.js';
import { CampaignsPage } from './pages/Campaigns.js';
import { ClustersPage } from './pages/Clusters.js';
import { CustomerPage, CustomersPage } from './pages/Customers.js';
import { ImportsPage } from './pages/Imports.js';
import { OverviewPage } from './pages/Overview.js';
import { PricingPage } from './pages/Pricing.js';
import { RfmPage } from './pages/Rfm.js';
import { RiskPage } from './pages/Risk.js';
import { SalesPage } from './pages/Sales.js';
import { SegmentsPage } from './pages/Segments.js';
import { TextsPage } from './pages/Texts.js';
import { ValuePage } from './pages/Value.js';

/** A dashboard page: its nav key and how to render it. Pages of analytics modules register here. */
interface PageDef {
  id: string;
  nav: MessageKey;
  render(nav: Navigate): ReactNode;
}

type Navigate = (page: string, arg?: string) => void;

export const PAGES: PageDef[] = [
  { id: 'overview', nav: 'nav.overview', render: () => <OverviewPage /> },
  { id: 'segments', nav: 'nav.segments', render: () => <SegmentsPage /> },
  { id: 'rfm', nav: 'nav.rfm', render: () => <RfmPage /> },
  { id: 'clusters', nav: 'nav.clusters', render: () => <ClustersPage /> },
  { id: 'value', nav: 'nav.value', render: () => <ValuePage /> },
  { id: 'risk', nav: 'nav.risk', render: (go) => <RiskPage openCustomer={(id) => go('customer', id)} /> },
  { id: 'baskets', nav: 'nav.baskets', render: () => <BasketsPage /> },
  { id: 'sales', nav: 'nav.sales', render: () => <SalesPage /> },
  { id: 'pricing', nav: 'nav.pricing', render: () => <PricingPage /> },
  { id: 'areas', nav: 'nav.areas', render: () => <AreasPage /> },
  { id: 'campaigns', nav: 'nav.campaigns', render: () => <CampaignsPage /> },
  { id: 'texts', nav: 'nav.texts', render: (go) => <TextsPage openCustomer={(id) => go('customer', id)} /> },
  {
    id: 'customers',
    nav: 'nav.customers',
    render: (go) => <CustomersPage openCustomer={(id) => go('customer', id)} />,
  },
  { id: 'imports', nav: 'nav.imports', render: () => <ImportsPage /> },
];

function parseRoute(): { page: string; arg?: string } {
  const [page = 'overview', arg] = window.location.hash.replace(/^#\/?/, '').split('/');
  return {
    page: page.startsWith('token=') ? 'overview' : page,
    arg: arg ? decodeURIComponent(arg) : undefined,
  };
}

export function App() {
  const [lang, setLangState] = useState<Language>(
    () => (localStorage.getItem('clientele.lang') as Language | null) ?? detectLanguage(navigator.languages),
  );
  const [token, setTokenState] = useState(storedToken);
  const [route, setRoute] = useState(parseRoute);
  useEffect(() => {
    const onHash = () => {
      const linked = captureTokenFromHash();
      if (linked) setTokenState(linked);
      setRoute(parseRoute());
    };
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);
  useEffect(() => {
    document.documentElement.lang = lang;
  }, [lang]);
  // The datamart's currency (the `currency` setting) for every amount shown.
  const [currency, setCurrency] = useState('EUR');
  useEffect(() => {
    if (!token) return;
    const controller = new AbortController();
    apiGet<{ currency?: string }>('/api/me', token, controller.signal).then(
      (me) => setCurrency(me.currency ?? 'EUR'),
      () => undefined,
    );
    return () => controller.abort();
  }, [token]);
  const state = useMemo(
    () =>
      makeState(
        lang,
        (l) => {
          localStorage.setItem('clientele.lang', l);
          setLangState(l);
        },
        token,
        (t) => {
          storeToken(t);
          setTokenState(t);
        },
        currency,
      ),
    [lang, token, currency],
  );
  const go: Navigate = (page, arg) => {
    window.location.hash = `/${page}${arg ? `/${encodeURIComponent(arg)}` : ''}`;
  };
  const current = PAGES.find((p) => p.id === route.page);
  return (
    <AppContext.Provider value={state}>
      <header className="top">
        <div className="brand">
          <strong>{state.t('app.title')}</strong> <span>{state.t('app.tagline')}</span>
        </div>
        <LanguageSwitch />
      </header>
      <div className="layout">
        <nav className="side" aria-label="main">
          <ul>
            {PAGES.map((p) => (
              <li key={p.id}>
                <a href={`#/${p.id}`} aria-current={route.page === p.id ? 'page' : undefined}>
                  {state.t(p.nav)}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <main>
          {!token ? (
            <SignIn />
          ) : route.page === 'customer' && route.arg ? (
            <CustomerPage id={route.arg} back={() => go('customers')} />
          ) : (
            (current ?? PAGES[0]!).render(go)
          )}
        </main>
      </div>
    </AppContext.Provider>
  );
}

function LanguageSwitch() {
  const { lang, setLang, t } = useApp();
  return (
    <label className="lang">
      {t('common.language')}{' '}
      <select value={lang} onChange={(e) => setLang(e.target.value as Language)} data-testid="language">
        {LANGUAGES.map((l) => (
          <option key={l} value={l}>
            {LANGUAGE_NAMES[l]}
          </option>
        ))}
      </select>
    </label>
  );
}

function SignIn() {
  const { t, setToken } = useApp();
  const [value, setValue] = useState('');
  return (
    <form
      className="signin"
      onSubmit={(e) => {
        e.preventDefault();
        setToken(value.trim());
      }}
    >
      <h1>{t('common.signIn')}</h1>
      <p>{t('common.tokenHelp')}</p>
      <label>
        {t('common.token')} <input value={value} onChange={(e) => setValue(e.target.value)} />
      </label>
      <button type="submit">{t('common.signIn')}</button>
    </form>
  );
}
