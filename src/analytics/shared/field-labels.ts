import { FIELD_TEXTS, SHARE_TEXTS } from './field-dictionary.js';

/**
 * The field dictionary: plain labels and units of the customer-view fields, in the five languages the product
 * speaks, for text the server writes (model reasons, CLI tables). A field missing here reads as its name with
 * spaces. Pure data.
 */

export const LANGUAGES = ['en', 'nl', 'fr', 'de', 'ru'] as const;
export type Language = (typeof LANGUAGES)[number];

/** The language of an Accept-Language header, a `--lang` flag or CLIENTELE_LANG value; English otherwise. */
export function parseLanguage(value: string | null | undefined): Language {
  for (const part of (value ?? '').split(',')) {
    const code = part.trim().slice(0, 2).toLowerCase();
    if ((LANGUAGES as readonly string[]).includes(code)) return code as Language;
  }
  return 'en';
}

export type FieldUnit = 'days' | 'count' | 'money' | 'share' | 'score' | 'text' | 'flag' | 'date' | 'number';

export interface FieldLabel {
  unit: FieldUnit;
  label: Record<Language, string>;
}

const f = (unit: FieldUnit, en: string, nl: string, fr: string, de: string, ru: string): FieldLabel => ({
  unit,
  label: { en, nl, fr, de, ru },
});

/** Labels of the customer-view fields models and segments use most. */
export const FIELD_LABELS: Readonly<Record<string, FieldLabel>> = {
  recency_days: f(
    'days',
    'days since the last order',
    'dagen sinds de laatste bestelling',
    'jours depuis la dernière commande',
    'Tage seit der letzten Bestellung',
    'дней с последнего заказа',
  ),
  tenure_days: f(
    'days',
    'days since the first order',
    'dagen sinds de eerste bestelling',
    'jours depuis la première commande',
    'Tage seit der ersten Bestellung',
    'дней с первого заказа',
  ),
  active_span_days: f(
    'days',
    'days between first and last order',
    'dagen tussen eerste en laatste bestelling',
    'jours entre première et dernière commande',
    'Tage zwischen erster und letzter Bestellung',
    'дней между первым и последним заказом',
  ),
  mean_gap_days: f(
    'days',
    'average days between orders',
    'gemiddeld aantal dagen tussen bestellingen',
    'jours moyens entre commandes',
    'durchschnittliche Tage zwischen Bestellungen',
    'среднее число дней между заказами',
  ),
  last_gap_days: f(
    'days',
    'days between the last two orders',
    'dagen tussen de laatste twee bestellingen',
    'jours entre les deux dernières commandes',
    'Tage zwischen den letzten zwei Bestellungen',
    'дней между двумя последними заказами',
  ),
  orders: f('count', 'orders', 'bestellingen', 'commandes', 'Bestellungen', 'заказов'),
  order_days: f(
    'count',
    'days with an order',
    'dagen met een bestelling',
    'jours avec commande',
    'Tage mit Bestellung',
    'дней с заказом',
  ),
  repeat_order_days: f(
    'count',
    'repeat purchases',
    'herhaalaankopen',
    'achats répétés',
    'Wiederholungskäufe',
    'повторных покупок',
  ),
  orders_90d: f(
    'count',
    'orders in the last 90 days',
    'bestellingen in de laatste 90 dagen',
    'commandes des 90 derniers jours',
    'Bestellungen der letzten 90 Tage',
    'заказов за последние 90 дней',
  ),
  orders_365d: f(
    'count',
    'orders in the last year',
    'bestellingen in het laatste jaar',
    'commandes de la dernière année',
    'Bestellungen im letzten Jahr',
    'заказов за последний год',
  ),
  items: f(
    'count',
    'units bought',
    'gekochte stuks',
    'articles achetés',
    'gekaufte Stück',
    'купленных единиц',
  ),
  revenue: f(
    'money',
    'net revenue',
    'netto-omzet',
    'chiffre d’affaires net',
    'Nettoumsatz',
    'чистая выручка',
  ),
  revenue_90d: f(
    'money',
    'net revenue in the last 90 days',
    'netto-omzet in de laatste 90 dagen',
    'CA net des 90 derniers jours',
    'Nettoumsatz der letzten 90 Tage',
    'чистая выручка за 90 дней',
  ),
  revenue_365d: f(
    'money',
    'net revenue in the last year',
    'netto-omzet in het laatste jaar',
    'CA net de la dernière année',
    'Nettoumsatz im letzten Jahr',
    'чистая выручка за год',
  ),
  gross_sales: f('money', 'gross sales', 'brutoverkopen', 'ventes brutes', 'Bruttoumsatz', 'валовые продажи'),
  aov: f(
    'money',
    'average order value',
    'gemiddelde orderwaarde',
    'panier moyen',
    'durchschnittlicher Bestellwert',
    'средний чек',
  ),
  margin_rate: f('share', 'margin rate', 'margepercentage', 'taux de marge', 'Margenquote', 'доля маржи'),
  promo_share: f(
    'share',
    'share of orders with a promotion',
    'aandeel bestellingen met korting',
    'part des commandes en promotion',
    'Anteil Bestellungen mit Rabatt',
    'доля заказов со скидкой',
  ),
  return_rate: f(
    'share',
    'return rate',
    'retourpercentage',
    'taux de retour',
    'Retourenquote',
    'доля возвратов',
  ),
  email_open_rate: f(
    'share',
    'e-mail open rate',
    'openratio e-mail',
    'taux d’ouverture des e-mails',
    'E-Mail-Öffnungsrate',
    'доля открытых писем',
  ),
  email_click_rate: f(
    'share',
    'e-mail click rate',
    'klikratio e-mail',
    'taux de clic des e-mails',
    'E-Mail-Klickrate',
    'доля кликов в письмах',
  ),
  email_unsubscribes: f(
    'count',
    'e-mail unsubscribes',
    'afmeldingen e-mail',
    'désabonnements e-mail',
    'E-Mail-Abmeldungen',
    'отписок от рассылки',
  ),
  service_contacts: f(
    'count',
    'service contacts',
    'servicecontacten',
    'contacts au service client',
    'Servicekontakte',
    'обращений в поддержку',
  ),
  mean_satisfaction: f(
    'score',
    'satisfaction with service',
    'tevredenheid over service',
    'satisfaction du service',
    'Zufriedenheit mit dem Service',
    'удовлетворённость поддержкой',
  ),
  mean_rating: f(
    'score',
    'average review rating',
    'gemiddelde reviewscore',
    'note moyenne des avis',
    'durchschnittliche Bewertung',
    'средняя оценка отзывов',
  ),
  age: f('count', 'age in years', 'leeftijd in jaren', 'âge en années', 'Alter in Jahren', 'возраст, лет'),
  income_band: f(
    'text',
    'income band',
    'inkomensklasse',
    'tranche de revenu',
    'Einkommensklasse',
    'уровень дохода',
  ),
  region: f('text', 'region', 'regio', 'région', 'Region', 'регион'),
  country: f('text', 'country', 'land', 'pays', 'Land', 'страна'),
  gender: f('text', 'gender', 'geslacht', 'genre', 'Geschlecht', 'пол'),
  consent_email: f(
    'flag',
    'e-mail consent',
    'toestemming e-mail',
    'consentement e-mail',
    'E-Mail-Einwilligung',
    'согласие на e-mail',
  ),
  consent_sms: f(
    'flag',
    'SMS consent',
    'toestemming sms',
    'consentement SMS',
    'SMS-Einwilligung',
    'согласие на SMS',
  ),
  rfm_segment: f('text', 'RFM segment', 'RFM-segment', 'segment RFM', 'RFM-Segment', 'RFM-сегмент'),
  cluster_name: f('text', 'cluster', 'cluster', 'groupe', 'Cluster', 'кластер'),

  // Lookalikes and areas (issue 14): every field a statistical-twin model or an area output can use.
  occupation: f('text', 'occupation', 'beroep', 'profession', 'Beruf', 'профессия'),
  education: f('text', 'education', 'opleiding', 'formation', 'Bildung', 'образование'),
  postcode: f('text', 'postcode', 'postcode', 'code postal', 'Postleitzahl', 'почтовый индекс'),
  city: f('text', 'city', 'woonplaats', 'ville', 'Ort', 'город'),
  consent_phone: f(
    'flag',
    'phone consent',
    'toestemming telefoon',
    'consentement téléphone',
    'Telefon-Einwilligung',
    'согласие на звонки',
  ),
  consent_post: f(
    'flag',
    'post consent',
    'toestemming post',
    'consentement courrier',
    'Post-Einwilligung',
    'согласие на почту',
  ),
  account_age_days: f(
    'days',
    'days since sign-up',
    'dagen sinds aanmelding',
    'jours depuis l’inscription',
    'Tage seit der Anmeldung',
    'дней с регистрации',
  ),
  signup_source: f(
    'text',
    'sign-up source',
    'aanmeldbron',
    'source d’inscription',
    'Anmeldequelle',
    'источник регистрации',
  ),
  email_sent: f(
    'count',
    'e-mails received',
    'ontvangen e-mails',
    'e-mails reçus',
    'erhaltene E-Mails',
    'полученных писем',
  ),
  email_opened: f(
    'count',
    'e-mails opened',
    'geopende e-mails',
    'e-mails ouverts',
    'geöffnete E-Mails',
    'открытых писем',
  ),
  email_clicked: f(
    'count',
    'e-mails clicked',
    'aangeklikte e-mails',
    'e-mails cliqués',
    'angeklickte E-Mails',
    'писем с кликом',
  ),
  last_email_open: f(
    'days',
    'days since the last e-mail open',
    'dagen sinds de laatst geopende e-mail',
    'jours depuis la dernière ouverture d’e-mail',
    'Tage seit der letzten E-Mail-Öffnung',
    'дней с последнего открытия письма',
  ),
  sms_sent: f('count', 'SMS received', 'ontvangen sms’jes', 'SMS reçus', 'erhaltene SMS', 'полученных SMS'),
  campaigns_received: f(
    'count',
    'campaigns received',
    'ontvangen campagnes',
    'campagnes reçues',
    'erhaltene Kampagnen',
    'полученных кампаний',
  ),
  campaign_conversions: f(
    'count',
    'campaign conversions',
    'campagneconversies',
    'conversions de campagne',
    'Kampagnen-Conversions',
    'конверсий по кампаниям',
  ),
  service_contacts_365d: f(
    'count',
    'service contacts in the last year',
    'servicecontacten in het laatste jaar',
    'contacts au service client de la dernière année',
    'Servicekontakte im letzten Jahr',
    'обращений в поддержку за год',
  ),
  last_service_contact: f(
    'days',
    'days since the last service contact',
    'dagen sinds het laatste servicecontact',
    'jours depuis le dernier contact au service client',
    'Tage seit dem letzten Servicekontakt',
    'дней с последнего обращения в поддержку',
  ),
  reviews: f(
    'count',
    'reviews written',
    'geschreven reviews',
    'avis écrits',
    'geschriebene Bewertungen',
    'написанных отзывов',
  ),
  sentiment_mean_365d: f(
    'score',
    'average sentiment of texts in the last year',
    'gemiddeld sentiment van teksten in het laatste jaar',
    'sentiment moyen des textes de la dernière année',
    'durchschnittliche Stimmung der Texte im letzten Jahr',
    'средняя тональность текстов за год',
  ),
  negative_texts_365d: f(
    'count',
    'negative texts in the last year',
    'negatieve teksten in het laatste jaar',
    'textes négatifs de la dernière année',
    'negative Texte im letzten Jahr',
    'негативных текстов за год',
  ),
  days_since_negative_text: f(
    'days',
    'days since the last negative text',
    'dagen sinds de laatste negatieve tekst',
    'jours depuis le dernier texte négatif',
    'Tage seit dem letzten negativen Text',
    'дней с последнего негативного текста',
  ),
  area_name: f('text', 'area', 'gebied', 'zone', 'Gebiet', 'район'),
  area_population: f(
    'count',
    'population of the area',
    'inwoners van het gebied',
    'population de la zone',
    'Einwohner des Gebiets',
    'население района',
  ),
  area_households: f(
    'count',
    'households in the area',
    'huishoudens in het gebied',
    'ménages de la zone',
    'Haushalte im Gebiet',
    'домохозяйств в районе',
  ),
  area_median_income: f(
    'money',
    'median income of the area',
    'mediaan inkomen van het gebied',
    'revenu médian de la zone',
    'Medianeinkommen des Gebiets',
    'медианный доход района',
  ),
  area_purchasing_power: f(
    'score',
    'purchasing power of the area',
    'koopkracht van het gebied',
    'pouvoir d’achat de la zone',
    'Kaufkraft des Gebiets',
    'покупательная способность района',
  ),
  area_urban_share: f(
    'share',
    'urban share of the area',
    'stedelijk aandeel van het gebied',
    'part urbaine de la zone',
    'städtischer Anteil des Gebiets',
    'доля городского населения района',
  ),
  area_mean_age: f(
    'count',
    'average age in the area',
    'gemiddelde leeftijd in het gebied',
    'âge moyen de la zone',
    'Durchschnittsalter im Gebiet',
    'средний возраст в районе',
  ),
  area_latitude: f(
    'score',
    'latitude of the area',
    'breedtegraad van het gebied',
    'latitude de la zone',
    'Breitengrad des Gebiets',
    'широта района',
  ),
  area_longitude: f(
    'score',
    'longitude of the area',
    'lengtegraad van het gebied',
    'longitude de la zone',
    'Längengrad des Gebiets',
    'долгота района',
  ),
};

/** A field's label in `lang`: the dictionary's, else its name with spaces. */
export function fieldLabel(field: string, lang: Language): string {
  return fieldEntry(field, lang)?.label ?? field.replaceAll('_', ' ');
}

/** The words for each unit, in the five languages (what a table header or tooltip says after the label). */
export const UNIT_LABELS: Readonly<Record<FieldUnit, Record<Language, string>>> = {
  days: { en: 'days', nl: 'dagen', fr: 'jours', de: 'Tage', ru: 'дни' },
  count: { en: 'number', nl: 'aantal', fr: 'nombre', de: 'Anzahl', ru: 'количество' },
  money: { en: 'amount', nl: 'bedrag', fr: 'montant', de: 'Betrag', ru: 'сумма' },
  share: { en: 'share (0–1)', nl: 'aandeel (0–1)', fr: 'part (0–1)', de: 'Anteil (0–1)', ru: 'доля (0–1)' },
  score: { en: 'score', nl: 'score', fr: 'score', de: 'Score', ru: 'оценка' },
  text: { en: 'text', nl: 'tekst', fr: 'texte', de: 'Text', ru: 'текст' },
  flag: { en: 'yes/no', nl: 'ja/nee', fr: 'oui/non', de: 'ja/nein', ru: 'да/нет' },
  date: { en: 'date', nl: 'datum', fr: 'date', de: 'Datum', ru: 'дата' },
  number: { en: 'number', nl: 'getal', fr: 'nombre', de: 'Zahl', ru: 'число' },
};

/** One field as the dictionary describes it in one language. */
export interface FieldEntry {
  name: string;
  label: string;
  unit: FieldUnit;
  unitLabel: string;
  description: string;
}

/**
 * A field's label, unit and description in `lang`, or null when the dictionary does not know it. Labels of
 * FIELD_LABELS win over those of FIELD_TEXTS; share columns (`share_cat_shoes`) get the pattern's words.
 */
export function fieldEntry(field: string, lang: Language): FieldEntry | null {
  const known = FIELD_LABELS[field];
  const text = FIELD_TEXTS[field];
  let label = known?.label[lang] ?? text?.label?.[lang];
  let description = text?.description[lang];
  let unit: FieldUnit | undefined = known?.unit ?? text?.unit;
  for (const prefix of ['share_cat_', 'share_channel_'] as const) {
    if (label || !field.startsWith(prefix)) continue;
    const value = field.slice(prefix.length).replaceAll('_', ' ');
    label = SHARE_TEXTS[prefix].label[lang].replace('{x}', value);
    description = SHARE_TEXTS[prefix].description[lang].replace('{x}', value);
    unit = 'share';
  }
  if (!label || !unit) return null;
  return {
    name: field,
    label,
    unit,
    unitLabel: UNIT_LABELS[unit][lang],
    description: description ?? label,
  };
}
