import { getCountries } from 'libphonenumber-js';

/**
 * Value synonyms the loader normalises, in English, Dutch, French, German and Russian.
 * Keys are compared after `lookupKey()` (trimmed, lower-case, accents stripped, dots removed);
 * a key mapped to `null` means "no value" (e.g. gender "unknown") and is not a reject.
 */
export type SynonymKind = 'gender' | 'channel' | 'event_type' | 'text_kind' | 'order_status' | 'country';

/** The same folding DuckDB applies in `lookupKeySql`: lower-case, no accents, no dots, single spaces. */
export function lookupKey(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replaceAll('.', '')
    .replace(/\s+/g, ' ')
    .trim();
}

function table(groups: Record<string, readonly string[]>): Map<string, string | null> {
  const map = new Map<string, string | null>();
  for (const [value, names] of Object.entries(groups)) {
    for (const name of [value, ...names]) map.set(lookupKey(name), value === '' ? null : value);
  }
  return map;
}

const GENDER = table({
  f: [
    'female',
    'woman',
    'women',
    'w',
    'weiblich',
    'frau',
    'v',
    'vrouw',
    'vrouwelijk',
    'femme',
    'feminin',
    'féminin',
    'mrs',
    'ms',
    'miss',
    'mevrouw',
    'mme',
    'madame',
    'ж',
    'жен',
    'женский',
    'женщина',
  ],
  m: [
    'male',
    'man',
    'men',
    'männlich',
    'maennlich',
    'mann',
    'herr',
    'mannelijk',
    'dhr',
    'meneer',
    'h',
    'homme',
    'masculin',
    'mr',
    'monsieur',
    'м',
    'муж',
    'мужской',
    'мужчина',
  ],
  x: [
    'other',
    'divers',
    'diverse',
    'd',
    'non-binary',
    'nonbinary',
    'non binary',
    'nb',
    'anders',
    'overig',
    'autre',
    'другой',
    'иное',
  ],
  '': [
    'u',
    'unknown',
    'n/a',
    'na',
    'onbekend',
    'inconnu',
    'unbekannt',
    'keine angabe',
    'неизвестно',
    '?',
    '-',
  ],
});

const CHANNEL = table({
  email: [
    'e-mail',
    'mail',
    'emailing',
    'newsletter',
    'courriel',
    'electronic mail',
    'эл почта',
    'электронная почта',
    'имейл',
  ],
  sms: ['text', 'text message', 'sms/text', 'mobile', 'смс'],
  phone: [
    'telephone',
    'tel',
    'call',
    'call center',
    'callcenter',
    'telefoon',
    'telefon',
    'téléphone',
    'anruf',
    'телефон',
    'звонок',
  ],
  post: ['mail post', 'letter', 'direct mail', 'dm', 'brief', 'courrier', 'postal', 'почта', 'письмо'],
  push: ['push notification', 'app push', 'notification', 'пуш'],
  web: [
    'online',
    'website',
    'webshop',
    'internet',
    'e-commerce',
    'ecommerce',
    'site',
    'site web',
    'webseite',
    'onlineshop',
    'online shop',
    'app',
    'mobile app',
    'сайт',
    'интернет',
    'онлайн',
  ],
  store: [
    'shop',
    'retail',
    'in-store',
    'instore',
    'offline',
    'pos',
    'winkel',
    'filiaal',
    'magasin',
    'boutique',
    'geschäft',
    'geschaeft',
    'filiale',
    'laden',
    'магазин',
    'розница',
  ],
  chat: ['live chat', 'livechat', 'messenger', 'whatsapp', 'чат'],
});

const EVENT_TYPE = table({
  holdout: [
    'control',
    'control group',
    'controlegroep',
    'controle',
    'témoin',
    'groupe témoin',
    'kontrollgruppe',
    'kontrolle',
    'контроль',
    'контрольная группа',
  ],
  sent: [
    'send',
    'sends',
    'verzonden',
    'verstuurd',
    'envoyé',
    'envoi',
    'gesendet',
    'versendet',
    'versand',
    'отправлено',
    'отправка',
  ],
  delivered: [
    'delivery',
    'afgeleverd',
    'bezorgd',
    'délivré',
    'livré',
    'zugestellt',
    'доставлено',
    'доставка',
  ],
  open: ['opened', 'opens', 'geopend', 'ouvert', 'ouverture', 'geöffnet', 'öffnung', 'открыто', 'открытие'],
  click: ['clicked', 'clicks', 'geklikt', 'klik', 'cliqué', 'clic', 'geklickt', 'klick', 'клик', 'переход'],
  bounce: [
    'bounced',
    'hard bounce',
    'soft bounce',
    'gebounced',
    'rebond',
    'rebondi',
    'unzustellbar',
    'отказ',
  ],
  unsubscribe: [
    'unsubscribed',
    'opt-out',
    'optout',
    'opt out',
    'afgemeld',
    'uitschrijving',
    'désabonné',
    'désinscription',
    'abgemeldet',
    'abmeldung',
    'отписка',
    'отписался',
  ],
  conversion: [
    'converted',
    'purchase',
    'order',
    'sale',
    'conversie',
    'aankoop',
    'achat',
    'commande',
    'kauf',
    'bestellung',
    'покупка',
    'конверсия',
    'заказ',
  ],
});

const TEXT_KIND = table({
  review: ['reviews', 'rating', 'recensie', 'beoordeling', 'avis', 'bewertung', 'rezension', 'отзыв'],
  post: [
    'social',
    'social post',
    'comment',
    'bericht',
    'commentaire',
    'beitrag',
    'kommentar',
    'пост',
    'комментарий',
  ],
  ticket: [
    'support ticket',
    'complaint',
    'klacht',
    'plainte',
    'réclamation',
    'beschwerde',
    'жалоба',
    'обращение',
    'тикет',
  ],
  survey: ['nps', 'questionnaire', 'enquête', 'enquete', 'umfrage', 'опрос'],
  email: ['e-mail', 'mail', 'courriel', 'письмо'],
  chat: ['live chat', 'чат'],
  other: ['misc', 'overig', 'autre', 'sonstiges', 'другое'],
});

const ORDER_STATUS = table({
  completed: [
    'complete',
    'done',
    'closed',
    'delivered',
    'shipped',
    'paid',
    'invoiced',
    'voltooid',
    'afgerond',
    'geleverd',
    'terminé',
    'livré',
    'abgeschlossen',
    'geliefert',
    'выполнен',
    'доставлен',
  ],
  refund: [
    'refunded',
    'credit',
    'credit note',
    'credited',
    'creditnota',
    'terugbetaald',
    'avoir',
    'remboursé',
    'remboursement',
    'gutschrift',
    'erstattet',
    'возврат средств',
    'кредит-нота',
  ],
  pending: [
    'new',
    'open',
    'processing',
    'pending_payment',
    'holded',
    'on hold',
    'in behandeling',
    'en cours',
    'en attente',
    'offen',
    'in bearbeitung',
    'в обработке',
    'новый',
  ],
  cancelled: [
    'canceled',
    'cancel',
    'void',
    'geannuleerd',
    'annulé',
    'storniert',
    'abgebrochen',
    'отменен',
    'отменён',
  ],
  returned: [
    'refunded',
    'refund',
    'return',
    'closed_refund',
    'retour',
    'geretourneerd',
    'remboursé',
    'retourné',
    'erstattet',
    'zurückgesendet',
    'возврат',
    'возвращен',
  ],
});

const COUNTRY_ALIASES: Record<string, readonly string[]> = {
  US: [
    'usa',
    'united states of america',
    'america',
    'us of a',
    'сша',
    'états-unis',
    'vs',
    'verenigde staten',
  ],
  GB: [
    'uk',
    'gbr',
    'united kingdom',
    'great britain',
    'britain',
    'england',
    'scotland',
    'wales',
    'northern ireland',
    'verenigd koninkrijk',
    'groot-brittannië',
    'engeland',
    'grande-bretagne',
    'angleterre',
    'großbritannien',
    'england',
    'великобритания',
    'англия',
  ],
  NL: ['nld', 'holland', 'the netherlands', 'nederland', 'pays-bas', 'niederlande', 'голландия'],
  DE: ['deu', 'ger', 'germany', 'deutschland', 'brd'],
  FR: ['fra'],
  BE: ['bel', 'belgië', 'belgie', 'belgique', 'belgien'],
  LU: ['lux'],
  AT: ['aut', 'österreich', 'oesterreich'],
  CH: ['che', 'schweiz', 'suisse', 'svizzera'],
  RU: ['rus', 'russian federation', 'россия', 'рф'],
  ES: ['esp'],
  IT: ['ita'],
  PL: ['pol'],
  SE: ['swe'],
  DK: ['dnk'],
  NO: ['nor'],
  FI: ['fin'],
  IE: ['irl'],
  PT: ['prt'],
  CZ: ['cze', 'czechia'],
  BR: ['bra'],
  CA: ['can'],
  AU: ['aus'],
  CN: ['chn'],
  JP: ['jpn'],
  IN: ['ind'],
  UA: ['ukr'],
  BY: ['blr'],
  KZ: ['kaz'],
};

let countryTable: Map<string, string | null> | undefined;

/** ISO 3166-1 alpha-2 codes with their names in the five languages (from Node's ICU) plus common aliases. */
function countries(): Map<string, string | null> {
  if (countryTable) return countryTable;
  const map = new Map<string, string | null>();
  const codes = getCountries() as string[];
  const names = ['en', 'nl', 'fr', 'de', 'ru'].map((l) => new Intl.DisplayNames([l], { type: 'region' }));
  for (const code of codes) {
    map.set(lookupKey(code), code);
    for (const dn of names) {
      const name = dn.of(code);
      if (name && name !== code) map.set(lookupKey(name), code);
    }
  }
  for (const [code, aliases] of Object.entries(COUNTRY_ALIASES)) {
    for (const a of aliases) map.set(lookupKey(a), code);
  }
  countryTable = map;
  return map;
}

/** The synonym table of one kind: folded name → canonical value (or null for "unknown"). */
export function synonyms(kind: SynonymKind): ReadonlyMap<string, string | null> {
  switch (kind) {
    case 'gender':
      return GENDER;
    case 'channel':
      return CHANNEL;
    case 'event_type':
      return EVENT_TYPE;
    case 'text_kind':
      return TEXT_KIND;
    case 'order_status':
      return ORDER_STATUS;
    case 'country':
      return countries();
  }
}
