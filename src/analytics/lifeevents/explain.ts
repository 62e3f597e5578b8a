import type { Language } from '../shared/field-labels.js';
import { renderText, type TextTemplates, translateText } from '../shared/templates.js';
import type { BreakEvent, DetectedEvent } from './core.js';

type L5 = Record<Language, string>;
const t5 = (en: string, nl: string, fr: string, de: string, ru: string): L5 => ({ en, nl, fr, de, ru });

/**
 * The evidence sentences in five languages. English is what `life_events.evidence` stores; `translateText`
 * turns a stored sentence into another language (the numbers and dates are read back from it).
 */
export const LIFE_EVENT_TEXTS: TextTemplates = {
  'label.new_baby': t5(
    'baby products',
    'babyproducten',
    'produits pour bébé',
    'Babyartikeln',
    'детских товаров',
  ),
  'label.moving': t5(
    'furnishing a home',
    'inrichting van een woning',
    'l’aménagement d’un logement',
    'Wohnungseinrichtung',
    'обустройства жилья',
  ),
  'label.wedding': t5(
    'wedding products',
    'huwelijksproducten',
    'produits de mariage',
    'Hochzeitsartikeln',
    'свадебных товаров',
  ),
  'first.first': t5('First purchase', 'Eerste aankoop', 'Premier achat', 'Erster Kauf', 'Первая покупка'),
  'first.burst': t5(
    'Burst of purchases',
    'Golf van aankopen',
    'Vague d’achats',
    'Häufung von Käufen',
    'Всплеск покупок',
  ),
  channel: t5(
    'From {date} on, {k} of {m} orders were placed by {channel}, against {h} of {n} earlier {orderWord} since {first} (about {expected} expected; p = {p}).',
    'Vanaf {date} werden {k} van {m} bestellingen via {channel} geplaatst, tegen {h} van de {n} eerdere bestellingen sinds {first} (ongeveer {expected} verwacht; p = {p}).',
    'À partir du {date}, {k} commandes sur {m} ont été passées par {channel}, contre {h} sur {n} commandes antérieures depuis le {first} (environ {expected} attendues ; p = {p}).',
    'Ab {date} wurden {k} von {m} Bestellungen über {channel} aufgegeben, gegenüber {h} von {n} früheren Bestellungen seit {first} (etwa {expected} erwartet; p = {p}).',
    'С {date} {k} из {m} заказов оформлены через {channel}, против {h} из {n} прежних заказов с {first} (ожидалось около {expected}; p = {p}).',
  ),
  category: t5(
    '{first} in {what} on {date}: {k} of {m} items in {kOrders} orders over the next {days} days, against {h} of {items} items in {n} earlier {orderWord} since {first0} (about {expected} expected; p = {p}).',
    '{first} in {what} op {date}: {k} van {m} artikelen in {kOrders} bestellingen in de {days} dagen daarna, tegen {h} van {items} artikelen in {n} eerdere bestellingen sinds {first0} (ongeveer {expected} verwacht; p = {p}).',
    '{first} dans la catégorie {what} le {date} : {k} articles sur {m} dans {kOrders} commandes au cours des {days} jours suivants, contre {h} sur {items} articles dans {n} commandes antérieures depuis le {first0} (environ {expected} attendus ; p = {p}).',
    '{first} bei {what} am {date}: {k} von {m} Artikeln in {kOrders} Bestellungen in den {days} Tagen danach, gegenüber {h} von {items} Artikeln in {n} früheren Bestellungen seit {first0} (etwa {expected} erwartet; p = {p}).',
    '{first} в категории {what} {date}: {k} из {m} позиций в {kOrders} заказах за следующие {days} дн., против {h} из {items} позиций в {n} прежних заказах с {first0} (ожидалось около {expected}; p = {p}).',
  ),
  frequency: t5(
    'From {date} on, {after} orders a year against {before} before ({nb} orders since {first}, {na} from then on; p = {p}).',
    'Vanaf {date} {after} bestellingen per jaar, tegen {before} daarvoor ({nb} bestellingen sinds {first}, {na} vanaf dan; p = {p}).',
    'À partir du {date}, {after} commandes par an contre {before} auparavant ({nb} commandes depuis le {first}, {na} depuis ; p = {p}).',
    'Ab {date} {after} Bestellungen pro Jahr gegenüber {before} vorher ({nb} Bestellungen seit {first}, {na} seitdem; p = {p}).',
    'С {date} {after} заказа в год против {before} ранее ({nb} заказов с {first}, {na} после; p = {p}).',
  ),
  spend: t5(
    'From {date} on, a typical order day spends {after} against {before} before ({nb} orders before, {na} after; p = {p}).',
    'Vanaf {date} wordt op een gewone besteldag {after} besteed, tegen {before} daarvoor ({nb} bestellingen ervoor, {na} erna; p = {p}).',
    'À partir du {date}, un jour de commande typique dépense {after} contre {before} auparavant ({nb} commandes avant, {na} après ; p = {p}).',
    'Ab {date} gibt ein typischer Bestelltag {after} aus, gegenüber {before} vorher ({nb} Bestellungen davor, {na} danach; p = {p}).',
    'С {date} в типичный день заказа тратится {after} против {before} ранее ({nb} заказов до, {na} после; p = {p}).',
  ),
};

const fmtP = (p: number) => (p < 1e-6 ? '< 0.000001' : p.toPrecision(2));

/**
 * The evidence of an event in plain words, in `lang` (default English: what `life_events` stores; readers
 * translate it with `evidenceIn`).
 */
export function evidenceText(
  e: DetectedEvent,
  date: (day: number) => string,
  windowDays: number | null,
  lang: Language = 'en',
): string {
  const common = {
    k: e.k,
    m: e.m,
    h: e.hBefore,
    n: e.ordersBefore,
    orderWord: e.ordersBefore === 1 ? 'order' : 'orders',
    expected: (e.expectedShare * e.m).toFixed(1),
    p: fmtP(e.pValue),
  };
  if (e.type === 'channel_switch')
    return renderText(
      LIFE_EVENT_TEXTS,
      'channel',
      { ...common, date: date(e.day), channel: e.channel ?? '', first: date(e.firstDay) },
      lang,
    );
  const label = LIFE_EVENT_TEXTS[`label.${e.type}`];
  const what = label ? label[lang] : e.type.replaceAll('_', ' ');
  const first = LIFE_EVENT_TEXTS[e.hBefore === 0 ? 'first.first' : 'first.burst']![lang];
  return renderText(
    LIFE_EVENT_TEXTS,
    'category',
    {
      ...common,
      first,
      what,
      date: date(e.day),
      kOrders: e.kOrders,
      days: windowDays ?? '?',
      items: e.nBefore,
      first0: date(e.firstDay),
    },
    lang,
  );
}

/** The evidence of a frequency or spend break in plain words, in `lang`. */
export function breakEvidenceText(
  e: BreakEvent,
  date: (day: number) => string,
  lang: Language = 'en',
): string {
  const slots = {
    date: date(e.day),
    first: date(e.firstDay),
    nb: e.nBefore,
    na: e.nAfter,
    p: fmtP(e.pValue),
  };
  if (e.type === 'frequency_up' || e.type === 'frequency_down')
    return renderText(
      LIFE_EVENT_TEXTS,
      'frequency',
      { ...slots, after: e.after.toFixed(1), before: e.before.toFixed(1) },
      lang,
    );
  return renderText(
    LIFE_EVENT_TEXTS,
    'spend',
    { ...slots, after: e.after.toFixed(2), before: e.before.toFixed(2) },
    lang,
  );
}

/** Stored (English) evidence in `lang`; a sentence from elsewhere is returned as it is. */
export function evidenceIn(evidence: string, lang: Language): string {
  return translateText(LIFE_EVENT_TEXTS, evidence, lang);
}
