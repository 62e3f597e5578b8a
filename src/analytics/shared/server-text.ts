/**
 * Text the server writes, in the user's language: names of RFM segments, CLV tiers and score bands (the stored
 * value stays the English key that segment expressions use; this is its label), and error messages and reject
 * reasons, translated phrase by phrase (quoted values, column names and commands are kept as they are). English
 * is returned unchanged. Pure.
 */
import type { Language } from './field-labels.js';

type L4 = Record<Exclude<Language, 'en'>, string>;
const t4 = (nl: string, fr: string, de: string, ru: string): L4 => ({ nl, fr, de, ru });

/** RFM segment names (CLASSIC_MAP of the rfm module, and its two states). */
const RFM_SEGMENTS: Readonly<Record<string, L4>> = {
  Champions: t4('Kampioenen', 'Champions', 'Champions', 'Чемпионы'),
  Loyal: t4('Trouwe klanten', 'Fidèles', 'Treue Kunden', 'Лояльные'),
  'Potential loyalists': t4(
    'Potentieel trouw',
    'Fidèles potentiels',
    'Potenziell treu',
    'Потенциально лояльные',
  ),
  New: t4('Nieuw', 'Nouveaux', 'Neu', 'Новые'),
  Promising: t4('Veelbelovend', 'Prometteurs', 'Vielversprechend', 'Перспективные'),
  'Need attention': t4('Aandacht nodig', 'À surveiller', 'Brauchen Aufmerksamkeit', 'Требуют внимания'),
  'About to sleep': t4('Dommelend', 'Sur le point de s’endormir', 'Kurz vor dem Einschlafen', 'Засыпающие'),
  "Can't lose them": t4('Niet kwijtraken', 'À ne pas perdre', 'Nicht verlieren', 'Нельзя потерять'),
  'At risk': t4('Risico', 'À risque', 'Gefährdet', 'Под угрозой'),
  Hibernating: t4('Slapend', 'En hibernation', 'Im Winterschlaf', 'Спящие'),
  Lost: t4('Verloren', 'Perdus', 'Verloren', 'Потерянные'),
  Unclassified: t4('Niet ingedeeld', 'Non classés', 'Nicht zugeordnet', 'Без сегмента'),
  'No purchase': t4('Geen aankoop', 'Aucun achat', 'Kein Kauf', 'Без покупок'),
};

/** CLV tiers (the clv module's gold, silver, bronze and standard). */
const CLV_TIERS: Readonly<Record<string, L4>> = {
  gold: t4('goud', 'or', 'Gold', 'золото'),
  silver: t4('zilver', 'argent', 'Silber', 'серебро'),
  bronze: t4('brons', 'bronze', 'Bronze', 'бронза'),
  standard: t4('standaard', 'standard', 'Standard', 'стандарт'),
};

/** Bands of a score (churn risk ≥ 0.7 high, ≥ 0.3 medium) and of lookalike similarity. */
const BANDS: Readonly<Record<string, L4>> = {
  high: t4('hoog risico', 'risque élevé', 'hohes Risiko', 'высокий риск'),
  medium: t4('gemiddeld risico', 'risque moyen', 'mittleres Risiko', 'средний риск'),
  low: t4('laag risico', 'risque faible', 'geringes Risiko', 'низкий риск'),
  'very similar': t4('zeer vergelijkbaar', 'très similaire', 'sehr ähnlich', 'очень похожи'),
  similar: t4('vergelijkbaar', 'similaire', 'ähnlich', 'похожи'),
  'somewhat similar': t4('enigszins vergelijkbaar', 'assez similaire', 'etwas ähnlich', 'отчасти похожи'),
  'not similar': t4('niet vergelijkbaar', 'pas similaire', 'nicht ähnlich', 'не похожи'),
};

const EN_BANDS: Readonly<Record<string, string>> = {
  high: 'high risk',
  medium: 'medium risk',
  low: 'low risk',
};

export type LabelKind = 'rfm_segment' | 'clv_tier' | 'band';

/** The label of a stored name (an RFM segment, a CLV tier, a band) in `lang`; unknown names stay as they are. */
export function nameLabel(kind: LabelKind, name: string, lang: Language): string {
  const table = kind === 'rfm_segment' ? RFM_SEGMENTS : kind === 'clv_tier' ? CLV_TIERS : BANDS;
  if (lang === 'en') return kind === 'band' ? (EN_BANDS[name] ?? name) : name;
  return table[name]?.[lang] ?? name;
}

/** The band of a probability score: high ≥ 0.7, medium ≥ 0.3, else low (the Risk page's segment bands). */
export function scoreBand(score: number): 'high' | 'medium' | 'low' {
  return score >= 0.7 ? 'high' : score >= 0.3 ? 'medium' : 'low';
}

/**
 * English phrases of errors and reject reasons and their translations, longest first where one holds another.
 * `{n}` stands for digits.
 */
const PHRASES: readonly [string, L4][] = [
  // Authentication and routing.
  [
    'No token: send "Authorization: Bearer <token>" (create one with `clientele token create`).',
    t4(
      'Geen token: stuur "Authorization: Bearer <token>" (maak er een met `clientele token create`).',
      'Aucun jeton : envoyez "Authorization: Bearer <token>" (créez-en un avec `clientele token create`).',
      'Kein Token: senden Sie "Authorization: Bearer <token>" (erstellen mit `clientele token create`).',
      'Нет токена: отправьте "Authorization: Bearer <token>" (создайте его командой `clientele token create`).',
    ),
  ],
  [
    'Unknown or revoked token. Create a new one with `clientele token create`.',
    t4(
      'Onbekend of ingetrokken token. Maak een nieuw met `clientele token create`.',
      'Jeton inconnu ou révoqué. Créez-en un nouveau avec `clientele token create`.',
      'Unbekanntes oder widerrufenes Token. Erstellen Sie ein neues mit `clientele token create`.',
      'Неизвестный или отозванный токен. Создайте новый командой `clientele token create`.',
    ),
  ],
  [
    'The customer feature table has not been built. Run `clientele features build` first.',
    t4(
      'De klantkenmerkentabel is nog niet gebouwd. Voer eerst `clientele features build` uit.',
      'La table des caractéristiques clients n’a pas été construite. Lancez d’abord `clientele features build`.',
      'Die Kundenmerkmalstabelle wurde noch nicht erstellt. Führen Sie zuerst `clientele features build` aus.',
      'Таблица признаков клиентов ещё не построена. Сначала выполните `clientele features build`.',
    ),
  ],
  // Issue 18: more of the messages an analyst meets in the dashboard and the CLI.
  [
    'The customer feature table has not been built (or is empty). Run `clientele features build --as-of YYYY-MM-DD` first.',
    t4(
      'De klantkenmerkentabel is nog niet gebouwd (of is leeg). Voer eerst `clientele features build --as-of YYYY-MM-DD` uit.',
      'La table des caractéristiques clients n’a pas été construite (ou est vide). Lancez d’abord `clientele features build --as-of YYYY-MM-DD`.',
      'Die Kundenmerkmalstabelle wurde noch nicht erstellt (oder ist leer). Führen Sie zuerst `clientele features build --as-of YYYY-MM-DD` aus.',
      'Таблица признаков клиентов ещё не построена (или пуста). Сначала выполните `clientele features build --as-of YYYY-MM-DD`.',
    ),
  ],
  [
    'No orders yet: import orders first (`clientele import`).',
    t4(
      'Nog geen bestellingen: importeer eerst bestellingen (`clientele import`).',
      'Pas encore de commandes : importez d’abord les commandes (`clientele import`).',
      'Noch keine Bestellungen: importieren Sie zuerst Bestellungen (`clientele import`).',
      'Заказов пока нет: сначала импортируйте заказы (`clientele import`).',
    ),
  ],
  [
    'does not exist. Known segments:',
    t4(
      'bestaat niet. Bekende segmenten:',
      'n’existe pas. Segments connus :',
      'existiert nicht. Bekannte Segmente:',
      'не существует. Известные сегменты:',
    ),
  ],
  [
    'Create it with',
    t4('Maak het aan met', 'Créez-le avec', 'Erstellen Sie es mit', 'Создайте его командой'),
  ],
  [
    'No customer with id',
    t4('Geen klant met id', 'Aucun client avec l’id', 'Kein Kunde mit der ID', 'Нет клиента с id'),
  ],
  [
    'No job with id',
    t4('Geen taak met id', 'Aucune tâche avec l’id', 'Kein Auftrag mit der ID', 'Нет задания с id'),
  ],
  [
    'List jobs with',
    t4('Toon de taken met', 'Listez les tâches avec', 'Aufträge auflisten mit', 'Список заданий:'),
  ],
  ['No model "', t4('Geen model "', 'Aucun modèle "', 'Kein Modell "', 'Нет модели "')],
  ['Known models:', t4('Bekende modellen:', 'Modèles connus :', 'Bekannte Modelle:', 'Известные модели:')],
  [
    'Train one with clientele predict train.',
    t4(
      'Train er een met clientele predict train.',
      'Entraînez-en un avec clientele predict train.',
      'Trainieren Sie eines mit clientele predict train.',
      'Обучите модель командой clientele predict train.',
    ),
  ],
  ...(['viewer', 'analyst', 'admin'] as const).map((role): [string, L4] => [
    `This needs the ${role} role; your token "`,
    t4(
      `Hiervoor is de rol ${role} nodig; uw token "`,
      `Il faut le rôle ${role} ; votre jeton "`,
      `Dafür ist die Rolle ${role} nötig; Ihr Token "`,
      `Нужна роль ${role}; ваш токен "`,
    ),
  ]),
  ...(['viewer', 'analyst', 'admin'] as const).map((role): [string, L4] => [
    `" is ${role}.`,
    t4(
      `" heeft de rol ${role}.`,
      `" a le rôle ${role}.`,
      `" hat die Rolle ${role}.`,
      `" имеет роль ${role}.`,
    ),
  ]),
  [
    'The request took longer than',
    t4(
      'Het verzoek duurde langer dan',
      'La requête a pris plus de',
      'Die Anfrage dauerte länger als',
      'Запрос выполнялся дольше',
    ),
  ],
  [
    ' ms and was stopped. Narrow it (a stricter filter, a higher minSupport) or ask an admin to raise request_timeout_ms.',
    t4(
      ' ms en is gestopt. Beperk het (een strenger filter, een hogere minSupport) of vraag een beheerder request_timeout_ms te verhogen.',
      ' ms et a été arrêtée. Restreignez-la (un filtre plus strict, un minSupport plus élevé) ou demandez à un administrateur d’augmenter request_timeout_ms.',
      ' ms und wurde abgebrochen. Schränken Sie sie ein (ein strengerer Filter, ein höherer minSupport) oder bitten Sie einen Admin, request_timeout_ms zu erhöhen.',
      ' мс и был остановлен. Сузьте его (более строгий фильтр, больший minSupport) или попросите администратора увеличить request_timeout_ms.',
    ),
  ],
  [
    'Request body: expected at most',
    t4(
      'Verzoek: verwacht ten hoogste',
      'Corps de la requête : attendu au plus',
      'Anfrage: erwartet höchstens',
      'Тело запроса: ожидалось не более',
    ),
  ],
  [
    " bytes, got more. Split the upload or raise the server's limit (docs/security.md).",
    t4(
      ' bytes, maar het was meer. Splits de upload of verhoog de limiet van de server (docs/security.md).',
      ' octets, reçu davantage. Découpez l’envoi ou augmentez la limite du serveur (docs/security.md).',
      ' Bytes, erhalten mehr. Teilen Sie den Upload auf oder erhöhen Sie das Limit des Servers (docs/security.md).',
      ' байт, получено больше. Разделите загрузку или увеличьте лимит сервера (docs/security.md).',
    ),
  ],
  [
    'a three-letter ISO 4217 currency code such as EUR, USD, GBP or CHF',
    t4(
      'een ISO 4217-valutacode van drie letters, zoals EUR, USD, GBP of CHF',
      'un code de devise ISO 4217 à trois lettres, comme EUR, USD, GBP ou CHF',
      'einen dreistelligen ISO-4217-Währungscode wie EUR, USD, GBP oder CHF',
      'трёхбуквенный код валюты ISO 4217, например EUR, USD, GBP или CHF',
    ),
  ],
  [', got "', t4(', gekregen "', ', reçu "', ', erhalten "', ', получено "')],
  ['No route', t4('Geen route', 'Aucune route', 'Keine Route', 'Нет маршрута')],
  [
    'Internal error; quote request id',
    t4(
      'Interne fout; noem verzoek-id',
      'Erreur interne ; citez l’identifiant de requête',
      'Interner Fehler; nennen Sie die Anfrage-ID',
      'Внутренняя ошибка; укажите идентификатор запроса',
    ),
  ],
  [
    'when reporting it.',
    t4('bij het melden.', 'en la signalant.', 'bei der Meldung.', 'при сообщении о ней.'),
  ],
  // Segment expressions.
  [
    'The segment expression cannot be used:',
    t4(
      'De segmentexpressie kan niet worden gebruikt:',
      'L’expression de segment ne peut pas être utilisée :',
      'Der Segmentausdruck kann nicht verwendet werden:',
      'Выражение сегмента нельзя использовать:',
    ),
  ],
  [
    'See docs/segments.md for the column list.',
    t4(
      'Zie docs/segments.md voor de lijst met kolommen.',
      'Voir docs/segments.md pour la liste des colonnes.',
      'Siehe docs/segments.md für die Spaltenliste.',
      'Список столбцов — в docs/segments.md.',
    ),
  ],
  ['Did you mean', t4('Bedoelde u', 'Vouliez-vous dire', 'Meinten Sie', 'Возможно, вы имели в виду')],
  [
    'expected a known column',
    t4(
      'verwacht een bekende kolom',
      'attendu une colonne connue',
      'erwartet eine bekannte Spalte',
      'ожидался известный столбец',
    ),
  ],
  [
    'Segment expression',
    t4('Segmentexpressie', 'Expression de segment', 'Segmentausdruck', 'Выражение сегмента'),
  ],
  [
    'expected an operator',
    t4('verwacht een operator', 'attendu un opérateur', 'erwartet einen Operator', 'ожидался оператор'),
  ],
  ['position', t4('positie', 'position', 'Position', 'позиция')],
  // Request validation.
  ['Invalid query:', t4('Ongeldige query:', 'Requête invalide :', 'Ungültige Abfrage:', 'Неверный запрос:')],
  [
    'Invalid body:',
    t4('Ongeldige inhoud:', 'Corps invalide :', 'Ungültiger Inhalt:', 'Неверное тело запроса:'),
  ],
  [
    'Invalid params:',
    t4('Ongeldige parameters:', 'Paramètres invalides :', 'Ungültige Parameter:', 'Неверные параметры:'),
  ],
  // Reject reasons of imports.
  [
    'which wins (the last occurrence of a key in a file is loaded)',
    t4(
      'die voorgaat (de laatste keer dat een sleutel in een bestand voorkomt, wordt geladen)',
      'qui l’emporte (la dernière occurrence d’une clé dans un fichier est chargée)',
      'die gilt (das letzte Vorkommen eines Schlüssels in einer Datei wird geladen)',
      'она и загружается (загружается последнее вхождение ключа в файле)',
    ),
  ],
  [
    'same key as line',
    t4(
      'zelfde sleutel als regel',
      'même clé que la ligne',
      'gleicher Schlüssel wie Zeile',
      'тот же ключ, что в строке',
    ),
  ],
  [
    'expected a known order (import orders first, or import a flat order-lines file with customer and date)',
    t4(
      'verwacht een bekende bestelling (importeer eerst bestellingen, of een plat orderregelbestand met klant en datum)',
      'attendu une commande connue (importez d’abord les commandes, ou un fichier plat de lignes avec client et date)',
      'erwartet eine bekannte Bestellung (zuerst Bestellungen importieren oder eine flache Positionsdatei mit Kunde und Datum)',
      'ожидался известный заказ (сначала импортируйте заказы или плоский файл строк заказов с клиентом и датой)',
    ),
  ],
  [
    'expected a known customer: an id of this source, a customer_id, or another source’s id of one customer (import the customers file first, with its --source)',
    t4(
      'verwacht een bekende klant: een id van deze bron, een customer_id of een id van een andere bron voor één klant (importeer eerst het klantenbestand, met zijn --source)',
      'attendu un client connu : un id de cette source, un customer_id ou l’id d’une autre source pour un client (importez d’abord le fichier clients, avec son --source)',
      'erwartet einen bekannten Kunden: eine ID dieser Quelle, eine customer_id oder die ID einer anderen Quelle für einen Kunden (zuerst die Kundendatei importieren, mit ihrer --source)',
      'ожидался известный клиент: id этого источника, customer_id или id другого источника для одного клиента (сначала импортируйте файл клиентов с его --source)',
    ),
  ],
  [
    'a value is required, found none',
    t4(
      'een waarde is verplicht, geen gevonden',
      'une valeur est requise, aucune trouvée',
      'ein Wert ist erforderlich, keiner gefunden',
      'значение обязательно, но не найдено',
    ),
  ],
  [
    'expected an e-mail address like name@example.com',
    t4(
      'verwacht een e-mailadres zoals name@example.com',
      'attendu une adresse e-mail comme name@example.com',
      'erwartet eine E-Mail-Adresse wie name@example.com',
      'ожидался адрес e-mail вида name@example.com',
    ),
  ],
  ['expected a date', t4('verwacht een datum', 'attendu une date', 'erwartet ein Datum', 'ожидалась дата')],
  [
    'expected a timestamp',
    t4(
      'verwacht een tijdstip',
      'attendu un horodatage',
      'erwartet einen Zeitstempel',
      'ожидалась отметка времени',
    ),
  ],
  [
    'expected an integer',
    t4('verwacht een geheel getal', 'attendu un entier', 'erwartet eine ganze Zahl', 'ожидалось целое число'),
  ],
  [
    'expected a number',
    t4('verwacht een getal', 'attendu un nombre', 'erwartet eine Zahl', 'ожидалось число'),
  ],
  [
    'expected a yes/no value',
    t4('verwacht ja/nee', 'attendu oui/non', 'erwartet ja/nein', 'ожидалось да/нет'),
  ],
  ['expected', t4('verwacht', 'attendu', 'erwartet', 'ожидалось')],
  [', found', t4(', gevonden', ', trouvé', ', gefunden', ', найдено')],
  ['column "', t4('kolom "', 'colonne "', 'Spalte "', 'столбец "')],
];

/** What a message of each error code is about, said before an English message no phrase translates. */
const CODE_SUMMARIES: Readonly<Record<string, L4>> = {
  INVALID_INPUT: t4('Ongeldige invoer', 'Saisie invalide', 'Ungültige Eingabe', 'Неверный ввод'),
  INVALID_ARGUMENT: t4('Ongeldige invoer', 'Saisie invalide', 'Ungültige Eingabe', 'Неверный ввод'),
  NOT_FOUND: t4('Niet gevonden', 'Introuvable', 'Nicht gefunden', 'Не найдено'),
  UNAUTHORIZED: t4('Niet aangemeld', 'Non authentifié', 'Nicht angemeldet', 'Нет входа'),
  FORBIDDEN: t4('Niet toegestaan', 'Non autorisé', 'Nicht erlaubt', 'Запрещено'),
  QUERY_TIMEOUT: t4('Te traag', 'Trop lent', 'Zu langsam', 'Слишком долго'),
  LIMIT_EXCEEDED: t4('Te groot', 'Trop volumineux', 'Zu groß', 'Слишком большой объём'),
  MODEL_MISMATCH: t4('Model past niet', 'Modèle incompatible', 'Modell passt nicht', 'Модель не подходит'),
  INTERNAL: t4('Interne fout', 'Erreur interne', 'Interner Fehler', 'Внутренняя ошибка'),
};
const GENERIC_SUMMARY = t4('Fout', 'Erreur', 'Fehler', 'Ошибка');

/** Replaces the known phrases, in table order (a phrase that holds another comes before it). */
function translatePhrases(text: string, lang: Exclude<Language, 'en'>): string {
  let out = text;
  for (const [en, words] of PHRASES) out = out.split(en).join(words[lang]);
  return out;
}

/** A reject reason of an import in `lang` (phrase by phrase; values, columns and formats as they are). */
export function translateReason(reason: string, lang: Language): string {
  if (lang === 'en' || !reason) return reason;
  return translatePhrases(reason, lang);
}

/**
 * An error message in `lang`: known phrases translated; one no phrase reaches keeps its English words after
 * a summary of its code in `lang` ("Niet gevonden — …"), so the user learns at least what went wrong.
 */
export function translateError(code: string, message: string, lang: Language): string {
  if (lang === 'en' || !message) return message;
  const translated = translatePhrases(message, lang);
  if (translated !== message) return translated;
  const summary = (CODE_SUMMARIES[code] ?? GENERIC_SUMMARY)[lang];
  return `${summary} — ${message}`;
}
