import type { LifeEventEntry } from '../../../src/services/http/types.js';
import { Async } from '../components.js';
import { useApi, useApp } from '../context.js';
import type { MessageKey } from '../i18n.js';

const KNOWN = new Set(['new_baby', 'moving', 'wedding', 'channel_switch']);

/** Customer 360 panel: the life events and behaviour changes detected for this customer, with evidence. */
export function CustomerLifeEvents({ id }: { id: string }) {
  const { t, date } = useApp();
  const [result, retry] = useApi<{ events: LifeEventEntry[] }>(
    `/api/customers/${encodeURIComponent(id)}/life-events`,
  );
  return (
    <>
      <h2>{t('lifeEvents.title')}</h2>
      <Async result={result} retry={retry}>
        {(d) =>
          d.events.length === 0 ? (
            <p className="muted">{t('lifeEvents.none')}</p>
          ) : (
            <ul data-testid="life-events">
              {d.events.map((e) => (
                <li key={`${e.type}-${e.date}`}>
                  <strong>{KNOWN.has(e.type) ? t(`lifeEvents.type.${e.type}` as MessageKey) : e.type}</strong>{' '}
                  <time>{date(e.date)}</time>
                  <br />
                  <span className="muted">{e.evidence}</span>
                </li>
              ))}
            </ul>
          )
        }
      </Async>
    </>
  );
}
