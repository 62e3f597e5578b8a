/**
 * Every word the report prints, in the five languages the product speaks, and the number and date formats of
 * each language. Pure data and formatting; no I/O. A test renders the report in every language and checks that
 * no English text is left in the others.
 */
import type { Language } from '../../analytics/shared/field-labels.js';
import { nameLabel } from '../../analytics/shared/server-text.js';

/** BCP-47 locale for numbers, dates and currency per language (the dashboard's own). */
export const LOCALES: Record<Language, string> = {
  en: 'en-GB',
  nl: 'nl-NL',
  fr: 'fr-FR',
  de: 'de-DE',
  ru: 'ru-RU',
};

type Text = Record<Language, string>;
const t = (en: string, nl: string, fr: string, de: string, ru: string): Text => ({ en, nl, fr, de, ru });

/** The report's phrases; `{name}` marks a value filled in by the renderer. */
export const TEXT = {
  'title.overview': t(
    'Customer report',
    'Klantenrapport',
    'Rapport clients',
    'Kundenbericht',
    'Отчёт о клиентах',
  ),
  'title.campaign': t(
    'Campaign evaluation: {name}',
    'Campagne-evaluatie: {name}',
    'Évaluation de campagne : {name}',
    'Kampagnenauswertung: {name}',
    'Оценка кампании: {name}',
  ),
  'campaign.against': t(
    '{rate} ordered against {controlRate} in the holdout group',
    '{rate} bestelde tegen {controlRate} in de controlegroep',
    '{rate} ont commandé contre {controlRate} dans le groupe témoin',
    '{rate} bestellten gegenüber {controlRate} in der Kontrollgruppe',
    'заказали {rate} против {controlRate} в контрольной группе',
  ),
  'col.holdoutRate': t(
    'Holdout ordered',
    'Controlegroep besteld',
    'Témoins ayant commandé',
    'Kontrollgruppe bestellt',
    'Заказали в контроле',
  ),
  'meta.asOf': t(
    'Figures up to {date}',
    'Cijfers tot en met {date}',
    'Chiffres jusqu’au {date}',
    'Zahlen bis {date}',
    'Данные по {date}',
  ),
  'meta.currency': t(
    'amounts in {currency}',
    'bedragen in {currency}',
    'montants en {currency}',
    'Beträge in {currency}',
    'суммы в {currency}',
  ),
  'section.summary': t('At a glance', 'In één oogopslag', 'En bref', 'Auf einen Blick', 'Коротко'),
  'section.recommendations': t(
    'Recommendations',
    'Aanbevelingen',
    'Recommandations',
    'Empfehlungen',
    'Рекомендации',
  ),
  'section.overview': t('Overview', 'Overzicht', 'Vue d’ensemble', 'Überblick', 'Обзор'),
  'section.segments': t('Segments', 'Segmenten', 'Segments', 'Segmente', 'Сегменты'),
  'section.value': t('Customer value', 'Klantwaarde', 'Valeur client', 'Kundenwert', 'Ценность клиентов'),
  'section.risk': t('Churn risk', 'Vertrekrisico', 'Risque de départ', 'Abwanderungsrisiko', 'Риск ухода'),
  'section.campaigns': t('Campaigns', 'Campagnes', 'Campagnes', 'Kampagnen', 'Кампании'),
  'section.bySegment': t(
    'Effect by group',
    'Effect per groep',
    'Effet par groupe',
    'Wirkung nach Gruppe',
    'Эффект по группам',
  ),
  'kpi.customers': t('Customers', 'Klanten', 'Clients', 'Kunden', 'Клиенты'),
  'kpi.customers.base': t(
    'customer records, prospects not counted',
    'klantrecords, prospects niet meegeteld',
    'fiches clients, prospects exclus',
    'Kundendatensätze ohne Interessenten',
    'карточки клиентов без потенциальных',
  ),
  'kpi.buyers': t('Buyers', 'Kopers', 'Acheteurs', 'Käufer', 'Покупатели'),
  'kpi.buyers.base': t(
    'customers with at least one order',
    'klanten met minstens één bestelling',
    'clients ayant au moins une commande',
    'Kunden mit mindestens einer Bestellung',
    'клиенты хотя бы с одним заказом',
  ),
  'kpi.active': t(
    'Active buyers',
    'Actieve kopers',
    'Acheteurs actifs',
    'Aktive Käufer',
    'Активные покупатели',
  ),
  'kpi.active.base': t(
    'ordered in the last {days} days',
    'bestelden in de laatste {days} dagen',
    'ont commandé dans les {days} derniers jours',
    'haben in den letzten {days} Tagen bestellt',
    'заказывали за последние {days} дн.',
  ),
  'kpi.revenue': t('Net revenue', 'Netto-omzet', 'Chiffre d’affaires net', 'Nettoumsatz', 'Чистая выручка'),
  'kpi.revenue.base': t(
    'all orders up to {date}, after discounts and returns',
    'alle bestellingen tot en met {date}, na kortingen en retouren',
    'toutes les commandes jusqu’au {date}, après remises et retours',
    'alle Bestellungen bis {date}, nach Rabatten und Retouren',
    'все заказы по {date}, за вычетом скидок и возвратов',
  ),
  'kpi.gross': t(
    'gross sales {amount}',
    'brutoverkopen {amount}',
    'ventes brutes {amount}',
    'Bruttoumsatz {amount}',
    'валовые продажи {amount}',
  ),
  'kpi.orders': t('Orders', 'Bestellingen', 'Commandes', 'Bestellungen', 'Заказы'),
  'kpi.orders.base': t(
    'cancelled orders not counted',
    'geannuleerde bestellingen niet meegeteld',
    'commandes annulées exclues',
    'ohne stornierte Bestellungen',
    'без отменённых заказов',
  ),
  'overview.trend': t(
    'Net revenue per month',
    'Netto-omzet per maand',
    'Chiffre d’affaires net par mois',
    'Nettoumsatz pro Monat',
    'Чистая выручка по месяцам',
  ),
  'overview.trendLine': t(
    'Net revenue in the last 12 full months: {amount} ({change} against the 12 months before).',
    'Netto-omzet in de laatste 12 volle maanden: {amount} ({change} ten opzichte van de 12 maanden ervoor).',
    'Chiffre d’affaires net des 12 derniers mois complets : {amount} ({change} par rapport aux 12 mois précédents).',
    'Nettoumsatz der letzten 12 vollen Monate: {amount} ({change} gegenüber den 12 Monaten davor).',
    'Чистая выручка за последние 12 полных месяцев: {amount} ({change} к 12 месяцам до этого).',
  ),
  'overview.partialMonth': t(
    'The last bar is a month still in progress.',
    'De laatste staaf is een maand die nog loopt.',
    'La dernière barre est un mois encore en cours.',
    'Der letzte Balken ist ein noch laufender Monat.',
    'Последний столбец — ещё не закончившийся месяц.',
  ),
  'segments.intro': t(
    'Buyers grouped by how recently and how often they ordered (RFM, as of {date}); share of net revenue to date.',
    'Kopers ingedeeld naar hoe recent en hoe vaak ze bestelden (RFM, per {date}); aandeel in de netto-omzet tot nu toe.',
    'Acheteurs regroupés selon la récence et la fréquence de leurs commandes (RFM, au {date}) ; part du chiffre d’affaires net à ce jour.',
    'Käufer nach Aktualität und Häufigkeit ihrer Bestellungen gruppiert (RFM, Stand {date}); Anteil am bisherigen Nettoumsatz.',
    'Покупатели по давности и частоте заказов (RFM, на {date}); доля чистой выручки за всё время.',
  ),
  'segments.chart': t(
    'Share of buyers and of net revenue per segment',
    'Aandeel kopers en netto-omzet per segment',
    'Part des acheteurs et du chiffre d’affaires net par segment',
    'Anteil an Käufern und Nettoumsatz je Segment',
    'Доля покупателей и чистой выручки по сегментам',
  ),
  'segments.none': t(
    'No RFM scores yet: run clientele features build, then this report again.',
    'Nog geen RFM-scores: voer clientele features build uit en maak dit rapport opnieuw.',
    'Pas encore de scores RFM : lancez clientele features build, puis refaites ce rapport.',
    'Noch keine RFM-Werte: führen Sie clientele features build aus und erstellen Sie den Bericht erneut.',
    'RFM-оценок пока нет: выполните clientele features build и создайте отчёт снова.',
  ),
  'legend.buyers': t('buyers', 'kopers', 'acheteurs', 'Käufer', 'покупатели'),
  'legend.revenue': t('net revenue', 'netto-omzet', 'CA net', 'Nettoumsatz', 'чистая выручка'),
  'col.segment': t('Segment', 'Segment', 'Segment', 'Segment', 'Сегмент'),
  'col.customers': t('Customers', 'Klanten', 'Clients', 'Kunden', 'Клиенты'),
  'col.shareBuyers': t(
    'Share of buyers',
    'Aandeel kopers',
    'Part des acheteurs',
    'Anteil Käufer',
    'Доля покупателей',
  ),
  'col.shareRevenue': t(
    'Share of net revenue',
    'Aandeel netto-omzet',
    'Part du CA net',
    'Anteil Nettoumsatz',
    'Доля чистой выручки',
  ),
  'col.meanValue': t(
    'Net revenue per customer',
    'Netto-omzet per klant',
    'CA net par client',
    'Nettoumsatz je Kunde',
    'Чистая выручка на клиента',
  ),
  'col.recency': t(
    'Days since last order',
    'Dagen sinds laatste bestelling',
    'Jours depuis la dernière commande',
    'Tage seit letzter Bestellung',
    'Дней с последнего заказа',
  ),
  'value.intro': t(
    'Predicted value of each buyer over the next year: expected orders × expected spend × margin, discounted (CLV model of {date}).',
    'Verwachte waarde van elke koper in het komende jaar: verwachte bestellingen × verwachte besteding × marge, verdisconteerd (CLV-model van {date}).',
    'Valeur prévue de chaque acheteur sur l’année à venir : commandes attendues × dépense attendue × marge, actualisée (modèle CLV du {date}).',
    'Erwarteter Wert jedes Käufers im kommenden Jahr: erwartete Bestellungen × erwartete Ausgaben × Marge, abgezinst (CLV-Modell vom {date}).',
    'Прогноз ценности каждого покупателя на год вперёд: ожидаемые заказы × ожидаемый чек × маржа, с дисконтированием (модель CLV от {date}).',
  ),
  'value.chart': t(
    'Predicted value per tier',
    'Verwachte waarde per niveau',
    'Valeur prévue par niveau',
    'Erwarteter Wert je Stufe',
    'Прогноз ценности по уровням',
  ),
  'value.gold': t(
    '{customers} gold customers ({share} of the customers scored) hold {valueShare} of the predicted value.',
    '{customers} goudklanten ({share} van de gescoorde klanten) hebben {valueShare} van de verwachte waarde.',
    '{customers} clients or ({share} des clients évalués) représentent {valueShare} de la valeur prévue.',
    '{customers} Gold-Kunden ({share} der bewerteten Kunden) stehen für {valueShare} des erwarteten Werts.',
    '{customers} золотых клиентов ({share} оценённых) дают {valueShare} прогнозной ценности.',
  ),
  'value.negative': t(
    '{customers} customers have a negative predicted value ({amount} together): they buy below cost after discounts. Kept as they are, not rounded up to 0.',
    '{customers} klanten hebben een negatieve verwachte waarde (samen {amount}): ze kopen na kortingen onder de kostprijs. Zo gelaten, niet naar 0 afgerond.',
    '{customers} clients ont une valeur prévue négative ({amount} au total) : après remises, ils achètent sous le coût. Conservés tels quels, non arrondis à 0.',
    '{customers} Kunden haben einen negativen erwarteten Wert (zusammen {amount}): Sie kaufen nach Rabatten unter Kosten. So belassen, nicht auf 0 gerundet.',
    'У {customers} клиентов прогнозная ценность отрицательна (всего {amount}): после скидок они покупают ниже себестоимости. Оставлено как есть, без округления до 0.',
  ),
  'value.none': t(
    'No CLV scores yet: run clientele clv predict, then this report again.',
    'Nog geen CLV-scores: voer clientele clv predict uit en maak dit rapport opnieuw.',
    'Pas encore de scores CLV : lancez clientele clv predict, puis refaites ce rapport.',
    'Noch keine CLV-Werte: führen Sie clientele clv predict aus und erstellen Sie den Bericht erneut.',
    'Оценок CLV пока нет: выполните clientele clv predict и создайте отчёт снова.',
  ),
  'col.tier': t('Tier', 'Niveau', 'Niveau', 'Stufe', 'Уровень'),
  'col.value': t(
    'Predicted value',
    'Verwachte waarde',
    'Valeur prévue',
    'Erwarteter Wert',
    'Прогноз ценности',
  ),
  'col.from': t('From', 'Vanaf', 'À partir de', 'Ab', 'От'),
  'col.alive': t(
    'Chance still a customer',
    'Kans nog klant',
    'Probabilité d’être encore client',
    'Wahrscheinlichkeit noch Kunde',
    'Вероятность остаться клиентом',
  ),
  'risk.intro': t(
    'Chance that a buyer stops ordering, from the churn model, scored on every buyer as of {date}. The model ranks well (AUC {auc}; {gain} over the best single indicator).',
    'Kans dat een koper afhaakt, volgens het vertrekmodel, berekend voor elke koper per {date}. Het model rangschikt goed (AUC {auc}; {gain} boven de beste losse indicator).',
    'Probabilité qu’un acheteur cesse de commander, selon le modèle de départ, calculée pour chaque acheteur au {date}. Le modèle classe bien (AUC {auc} ; {gain} de plus que le meilleur indicateur seul).',
    'Wahrscheinlichkeit, dass ein Käufer nicht mehr bestellt, laut Abwanderungsmodell, für jeden Käufer zum {date} berechnet. Das Modell ordnet gut (AUC {auc}; {gain} über dem besten Einzelmerkmal).',
    'Вероятность, что покупатель перестанет заказывать, по модели ухода, для каждого покупателя на {date}. Модель хорошо ранжирует (AUC {auc}; на {gain} лучше лучшего отдельного признака).',
  ),
  'risk.weak': t(
    'Careful: this model barely beats its best single indicator (AUC {auc} against {baseline}); use the bands as a rough guide only.',
    'Let op: dit model is nauwelijks beter dan de beste losse indicator (AUC {auc} tegen {baseline}); gebruik de klassen alleen als ruwe leidraad.',
    'Attention : ce modèle fait à peine mieux que le meilleur indicateur seul (AUC {auc} contre {baseline}) ; ne prenez les classes que comme repère grossier.',
    'Vorsicht: Dieses Modell ist kaum besser als das beste Einzelmerkmal (AUC {auc} gegenüber {baseline}); die Klassen nur als grobe Orientierung nutzen.',
    'Осторожно: модель едва лучше лучшего отдельного признака (AUC {auc} против {baseline}); используйте группы лишь как грубый ориентир.',
  ),
  'risk.chart': t(
    'Buyers per risk band',
    'Kopers per risicoklasse',
    'Acheteurs par classe de risque',
    'Käufer je Risikoklasse',
    'Покупатели по группам риска',
  ),
  'risk.top': t(
    'Highest risks and why',
    'Hoogste risico’s en waarom',
    'Risques les plus élevés et pourquoi',
    'Höchste Risiken und warum',
    'Наибольший риск и почему',
  ),
  'risk.valuable': t(
    'Most valuable customers at risk',
    'Waardevolste klanten met risico',
    'Clients les plus précieux à risque',
    'Wertvollste gefährdete Kunden',
    'Самые ценные клиенты под угрозой',
  ),
  'risk.valuableIntro': t(
    'Among the riskiest tenth of the buyers ({customers}, risk {score} or more), the ones who brought the most net revenue: the first to call.',
    'Uit het riskantste tiende van de kopers ({customers}, risico {score} of meer) degenen met de meeste netto-omzet: de eersten om te bellen.',
    'Parmi le dixième des acheteurs le plus à risque ({customers}, risque de {score} ou plus), ceux qui ont apporté le plus de chiffre d’affaires net : les premiers à appeler.',
    'Aus dem riskantesten Zehntel der Käufer ({customers}, Risiko ab {score}) die mit dem meisten Nettoumsatz: die Ersten für einen Anruf.',
    'Из десятой части покупателей с наибольшим риском ({customers}, от {score}) — те, кто принёс больше всего чистой выручки: им звонить первыми.',
  ),
  'risk.none': t(
    'No churn model yet: train one with clientele predict train (label churn), then this report again.',
    'Nog geen vertrekmodel: train er een met clientele predict train (label churn) en maak dit rapport opnieuw.',
    'Pas encore de modèle de départ : entraînez-en un avec clientele predict train (label churn), puis refaites ce rapport.',
    'Noch kein Abwanderungsmodell: trainieren Sie eines mit clientele predict train (Label churn) und erstellen Sie den Bericht erneut.',
    'Модели ухода пока нет: обучите её через clientele predict train (метка churn) и создайте отчёт снова.',
  ),
  'band.high': t(
    'high (70% and above)',
    'hoog (70% en meer)',
    'élevé (70 % et plus)',
    'hoch (ab 70 %)',
    'высокий (от 70 %)',
  ),
  'band.medium': t(
    'medium (30–70%)',
    'middel (30–70%)',
    'moyen (30–70 %)',
    'mittel (30–70 %)',
    'средний (30–70 %)',
  ),
  'band.low': t(
    'low (below 30%)',
    'laag (onder 30%)',
    'faible (moins de 30 %)',
    'niedrig (unter 30 %)',
    'низкий (ниже 30 %)',
  ),
  'col.band': t('Risk band', 'Risicoklasse', 'Classe de risque', 'Risikoklasse', 'Группа риска'),
  'col.revenueToDate': t(
    'Net revenue to date',
    'Netto-omzet tot nu toe',
    'CA net à ce jour',
    'Bisheriger Nettoumsatz',
    'Чистая выручка за всё время',
  ),
  'col.customer': t('Customer', 'Klant', 'Client', 'Kunde', 'Клиент'),
  'col.risk': t('Risk', 'Risico', 'Risque', 'Risiko', 'Риск'),
  'col.why': t('Why', 'Waarom', 'Pourquoi', 'Warum', 'Почему'),
  'campaigns.intro': t(
    'Share of contacts who ordered within {days} days of the send, against a random holdout group that got nothing; lift in percentage points with its 95% interval. Latest {count} of {total} campaigns.',
    'Aandeel contacten dat binnen {days} dagen na verzending bestelde, tegenover een willekeurige controlegroep die niets kreeg; effect in procentpunten met het 95%-interval. Laatste {count} van {total} campagnes.',
    'Part des contacts ayant commandé dans les {days} jours suivant l’envoi, face à un groupe témoin tiré au sort qui n’a rien reçu ; effet en points avec son intervalle à 95 %. Les {count} dernières de {total} campagnes.',
    'Anteil der Kontakte, die innerhalb von {days} Tagen nach dem Versand bestellten, gegenüber einer zufälligen Kontrollgruppe ohne Versand; Effekt in Prozentpunkten mit 95-%-Intervall. Die letzten {count} von {total} Kampagnen.',
    'Доля получателей, заказавших в течение {days} дн. после отправки, против случайной контрольной группы без рассылки; эффект в процентных пунктах с 95-% интервалом. Последние {count} из {total} кампаний.',
  ),
  'campaigns.chart': t(
    'Lift per campaign with its 95% interval (percentage points)',
    'Effect per campagne met 95%-interval (procentpunten)',
    'Effet par campagne avec son intervalle à 95 % (points)',
    'Effekt je Kampagne mit 95-%-Intervall (Prozentpunkte)',
    'Эффект каждой кампании с 95-% интервалом (п. п.)',
  ),
  'campaigns.none': t(
    'No campaign with a holdout group yet: import campaign_events with sent and holdout events.',
    'Nog geen campagne met een controlegroep: importeer campaign_events met sent- en holdout-gebeurtenissen.',
    'Pas encore de campagne avec groupe témoin : importez campaign_events avec des événements sent et holdout.',
    'Noch keine Kampagne mit Kontrollgruppe: importieren Sie campaign_events mit sent- und holdout-Ereignissen.',
    'Кампаний с контрольной группой пока нет: импортируйте campaign_events с событиями sent и holdout.',
  ),
  'col.campaign': t('Campaign', 'Campagne', 'Campagne', 'Kampagne', 'Кампания'),
  'col.date': t('Start', 'Start', 'Début', 'Start', 'Начало'),
  'col.sent': t('Sent', 'Verzonden', 'Envoyés', 'Versendet', 'Отправлено'),
  'col.holdout': t('Holdout', 'Controlegroep', 'Groupe témoin', 'Kontrollgruppe', 'Контроль'),
  'col.rate': t('Ordered', 'Besteld', 'Ont commandé', 'Bestellt', 'Заказали'),
  'col.lift': t('Lift', 'Effect', 'Effet', 'Effekt', 'Эффект'),
  'col.interval': t('95% interval', '95%-interval', 'Intervalle à 95 %', '95-%-Intervall', '95-% интервал'),
  'col.incremental': t(
    'Extra revenue',
    'Extra omzet',
    'CA supplémentaire',
    'Zusätzlicher Umsatz',
    'Доп. выручка',
  ),
  'col.verdict': t('Verdict', 'Oordeel', 'Verdict', 'Urteil', 'Вывод'),
  'verdict.works': t('works', 'werkt', 'efficace', 'wirkt', 'работает'),
  'verdict.unclear': t(
    'no clear effect',
    'geen duidelijk effect',
    'pas d’effet net',
    'kein klarer Effekt',
    'эффект неясен',
  ),
  'verdict.hurts': t('does harm', 'schaadt', 'nuisible', 'schadet', 'вредит'),
  'verdict.noHoldout': t(
    'no holdout group',
    'geen controlegroep',
    'pas de groupe témoin',
    'keine Kontrollgruppe',
    'нет контрольной группы',
  ),
  'campaign.summary': t(
    '{sent} customers got “{name}” ({channel}, from {date}); {control} were held out at random. Within {days} days, {rate} of them ordered against {controlRate} of the holdout group.',
    '{sent} klanten kregen „{name}” ({channel}, vanaf {date}); {control} werden willekeurig achtergehouden. Binnen {days} dagen bestelde {rate} van hen tegen {controlRate} van de controlegroep.',
    '{sent} clients ont reçu « {name} » ({channel}, à partir du {date}) ; {control} ont été tenus à l’écart au hasard. En {days} jours, {rate} d’entre eux ont commandé contre {controlRate} du groupe témoin.',
    '{sent} Kunden erhielten „{name}“ ({channel}, ab {date}); {control} wurden zufällig zurückgehalten. Innerhalb von {days} Tagen bestellten {rate} von ihnen gegenüber {controlRate} der Kontrollgruppe.',
    '{sent} клиентов получили «{name}» ({channel}, с {date}); {control} случайно оставлены без рассылки. За {days} дн. заказали {rate} из них против {controlRate} в контрольной группе.',
  ),
  'campaign.lift': t('Lift', 'Effect', 'Effet', 'Effekt', 'Эффект'),
  'campaign.interval': t(
    '95% interval',
    '95%-interval',
    'Intervalle à 95 %',
    '95-%-Intervall',
    '95-% интервал',
  ),
  'campaign.incremental': t(
    'Extra revenue',
    'Extra omzet',
    'CA supplémentaire',
    'Zusätzlicher Umsatz',
    'Доп. выручка',
  ),
  'campaign.revenueInterval': t(
    'revenue per contact {lift} (95% interval {low} to {high})',
    'omzet per contact {lift} (95%-interval {low} tot {high})',
    'CA par contact {lift} (intervalle à 95 % de {low} à {high})',
    'Umsatz je Kontakt {lift} (95-%-Intervall {low} bis {high})',
    'выручка на контакт {lift} (95-% интервал от {low} до {high})',
  ),
  'campaign.roi': t(
    'cost {cost}, return {roi}',
    'kosten {cost}, rendement {roi}',
    'coût {cost}, rendement {roi}',
    'Kosten {cost}, Rendite {roi}',
    'затраты {cost}, окупаемость {roi}',
  ),
  'campaign.points': t('{value} pt', '{value} pp', '{value} pt', '{value} PP', '{value} п. п.'),
  'campaign.bySegmentIntro': t(
    'The same comparison within each {field}: where the campaign worked. Small groups have wide intervals.',
    'Dezelfde vergelijking binnen elk(e) {field}: waar de campagne werkte. Kleine groepen hebben brede intervallen.',
    'La même comparaison pour chaque valeur de « {field} » : là où la campagne a marché. Les petits groupes ont des intervalles larges.',
    'Derselbe Vergleich je {field}: wo die Kampagne wirkte. Kleine Gruppen haben breite Intervalle.',
    'То же сравнение внутри каждой группы «{field}»: где кампания сработала. У малых групп интервалы широкие.',
  ),
  'campaign.notFound': t(
    'Campaign {id}: no sent or holdout contacts found.',
    'Campagne {id}: geen verzonden of achtergehouden contacten gevonden.',
    'Campagne {id} : aucun contact envoyé ou témoin trouvé.',
    'Kampagne {id}: keine versendeten oder zurückgehaltenen Kontakte gefunden.',
    'Кампания {id}: нет получателей и контрольной группы.',
  ),
  'rec.intro': t(
    'What to do next, each with the figures behind it.',
    'Wat nu te doen, elk met de cijfers erachter.',
    'Que faire ensuite, chaque fois avec les chiffres qui le justifient.',
    'Was als Nächstes zu tun ist, jeweils mit den Zahlen dahinter.',
    'Что делать дальше — с цифрами, на которых это основано.',
  ),
  'rec.evidence': t('Evidence', 'Onderbouwing', 'Éléments', 'Belege', 'Основание'),
  'rec.none': t(
    'No recommendation: the report found nothing that stands out.',
    'Geen aanbeveling: het rapport vond niets dat eruit springt.',
    'Aucune recommandation : le rapport n’a rien trouvé de marquant.',
    'Keine Empfehlung: Der Bericht fand nichts Auffälliges.',
    'Рекомендаций нет: ничего заметного не найдено.',
  ),
  'rec.winBack.title': t(
    'Win back the {customers} “{segment}” customers',
    'Win de {customers} klanten in „{segment}” terug',
    'Reconquérir les {customers} clients « {segment} »',
    'Die {customers} Kunden in „{segment}“ zurückgewinnen',
    'Вернуть {customers} клиентов сегмента «{segment}»',
  ),
  'rec.winBack.evidence': t(
    'They brought {revenueShare} of net revenue to date ({meanValue} per customer) but last ordered {recency} days ago on average.',
    'Ze brachten {revenueShare} van de netto-omzet tot nu toe ({meanValue} per klant), maar bestelden gemiddeld {recency} dagen geleden voor het laatst.',
    'Ils ont apporté {revenueShare} du chiffre d’affaires net à ce jour ({meanValue} par client), mais leur dernière commande date en moyenne de {recency} jours.',
    'Sie brachten {revenueShare} des bisherigen Nettoumsatzes ({meanValue} je Kunde), bestellten aber im Schnitt zuletzt vor {recency} Tagen.',
    'Они принесли {revenueShare} чистой выручки за всё время ({meanValue} на клиента), но в среднем не заказывали уже {recency} дн.',
  ),
  'rec.winBack.risk': t(
    '{share} of them are in the high churn-risk band.',
    '{share} van hen zit in de hoogste risicoklasse.',
    '{share} d’entre eux sont dans la classe de risque élevé.',
    '{share} von ihnen sind in der hohen Risikoklasse.',
    '{share} из них — в группе высокого риска ухода.',
  ),
  'rec.winBack.meanRisk': t(
    'Their average churn risk is {risk}, against {all} for all buyers.',
    'Hun gemiddelde vertrekrisico is {risk}, tegen {all} voor alle kopers.',
    'Leur risque de départ moyen est de {risk}, contre {all} pour l’ensemble des acheteurs.',
    'Ihr durchschnittliches Abwanderungsrisiko liegt bei {risk}, gegenüber {all} bei allen Käufern.',
    'Их средний риск ухода — {risk} против {all} у всех покупателей.',
  ),
  'rec.protect.title': t(
    'Look after the {customers} gold customers',
    'Koester de {customers} goudklanten',
    'Choyer les {customers} clients or',
    'Die {customers} Gold-Kunden pflegen',
    'Удержать {customers} золотых клиентов',
  ),
  'rec.protect.evidence': t(
    'They are {share} of the customers scored but hold {valueShare} of the value predicted for the next year ({amount}).',
    'Ze zijn {share} van de gescoorde klanten maar hebben {valueShare} van de verwachte waarde voor het komende jaar ({amount}).',
    'Ils sont {share} des clients évalués mais portent {valueShare} de la valeur prévue pour l’année à venir ({amount}).',
    'Sie sind {share} der bewerteten Kunden, stehen aber für {valueShare} des für das kommende Jahr erwarteten Werts ({amount}).',
    'Это {share} оценённых клиентов, но на них приходится {valueShare} прогнозной ценности на год ({amount}).',
  ),
  'rec.highRisk.title': t(
    'Contact the {customers} buyers at high churn risk',
    'Benader de {customers} kopers met een hoog vertrekrisico',
    'Contacter les {customers} acheteurs à risque de départ élevé',
    'Die {customers} Käufer mit hohem Abwanderungsrisiko ansprechen',
    'Связаться с {customers} покупателями с высоким риском ухода',
  ),
  'rec.highRisk.evidence': t(
    'They brought {amount} of net revenue to date ({share} of the total). Most frequent reason: {reason}.',
    'Ze brachten {amount} netto-omzet tot nu toe ({share} van het totaal). Meest voorkomende reden: {reason}.',
    'Ils ont apporté {amount} de chiffre d’affaires net à ce jour ({share} du total). Raison la plus fréquente : {reason}.',
    'Sie brachten bisher {amount} Nettoumsatz ({share} des Gesamtwerts). Häufigster Grund: {reason}.',
    'Они принесли {amount} чистой выручки за всё время ({share} от общей). Самая частая причина: {reason}.',
  ),
  'rec.topRisk.title': t(
    'Contact the {customers} buyers with the highest churn risk',
    'Benader de {customers} kopers met het hoogste vertrekrisico',
    'Contacter les {customers} acheteurs au risque de départ le plus élevé',
    'Die {customers} Käufer mit dem höchsten Abwanderungsrisiko ansprechen',
    'Связаться с {customers} покупателями с наибольшим риском ухода',
  ),
  'rec.topRisk.evidence': t(
    'They are the riskiest tenth of the buyers (risk {score} or more) and brought {amount} of net revenue to date ({share} of the total). Most frequent reason: {reason}.',
    'Ze zijn het riskantste tiende van de kopers (risico {score} of meer) en brachten {amount} netto-omzet tot nu toe ({share} van het totaal). Meest voorkomende reden: {reason}.',
    'Ils forment le dixième des acheteurs le plus à risque (risque de {score} ou plus) et ont apporté {amount} de chiffre d’affaires net à ce jour ({share} du total). Raison la plus fréquente : {reason}.',
    'Sie sind das riskanteste Zehntel der Käufer (Risiko ab {score}) und brachten bisher {amount} Nettoumsatz ({share} des Gesamtwerts). Häufigster Grund: {reason}.',
    'Это десятая часть покупателей с наибольшим риском (от {score}); они принесли {amount} чистой выручки за всё время ({share} от общей). Самая частая причина: {reason}.',
  ),
  'risk.broad': t(
    '{share} of the buyers are in the high band: most customers order rarely, so rank them by risk rather than reading the band alone.',
    '{share} van de kopers zit in de hoge klasse: de meeste klanten bestellen zelden, dus rangschik op risico in plaats van alleen naar de klasse te kijken.',
    '{share} des acheteurs sont dans la classe élevée : la plupart des clients commandent rarement, classez-les donc par risque plutôt que par classe.',
    '{share} der Käufer sind in der hohen Klasse: Die meisten Kunden bestellen selten, ordnen Sie daher nach Risiko statt nur nach Klasse.',
    '{share} покупателей — в группе высокого риска: большинство клиентов заказывает редко, поэтому ранжируйте по риску, а не только по группе.',
  ),
  'rec.repeat.title': t(
    'Repeat campaigns like “{name}”',
    'Herhaal campagnes zoals „{name}”',
    'Refaire des campagnes comme « {name} »',
    'Kampagnen wie „{name}“ wiederholen',
    'Повторять кампании вроде «{name}»',
  ),
  'rec.repeat.evidence': t(
    'It raised the share who ordered by {lift} (95% interval {low} to {high}) and brought about {amount} of extra revenue.',
    'Het aandeel dat bestelde steeg met {lift} (95%-interval {low} tot {high}), goed voor ongeveer {amount} extra omzet.',
    'La part de clients ayant commandé a augmenté de {lift} (intervalle à 95 % de {low} à {high}), soit environ {amount} de CA supplémentaire.',
    'Der Anteil der Besteller stieg um {lift} (95-%-Intervall {low} bis {high}) und brachte etwa {amount} zusätzlichen Umsatz.',
    'Доля заказавших выросла на {lift} (95-% интервал от {low} до {high}), около {amount} дополнительной выручки.',
  ),
  'rec.review.title': t(
    'Rethink campaigns like “{name}”',
    'Heroverweeg campagnes zoals „{name}”',
    'Repenser les campagnes comme « {name} »',
    'Kampagnen wie „{name}“ überdenken',
    'Пересмотреть кампании вроде «{name}»',
  ),
  'rec.review.evidence': t(
    'No measurable effect: lift {lift}, and its 95% interval ({low} to {high}) includes zero; {sent} contacts.',
    'Geen meetbaar effect: effect {lift}, en het 95%-interval ({low} tot {high}) bevat nul; {sent} contacten.',
    'Aucun effet mesurable : effet {lift}, et son intervalle à 95 % ({low} à {high}) contient zéro ; {sent} contacts.',
    'Keine messbare Wirkung: Effekt {lift}, und das 95-%-Intervall ({low} bis {high}) enthält null; {sent} Kontakte.',
    'Измеримого эффекта нет: эффект {lift}, 95-% интервал ({low} до {high}) включает ноль; {sent} контактов.',
  ),
  'rec.nurture.title': t(
    'Bring the {customers} new buyers back for a second order',
    'Laat de {customers} nieuwe kopers een tweede keer bestellen',
    'Faire revenir les {customers} nouveaux acheteurs pour une deuxième commande',
    'Die {customers} Neukunden zu einer zweiten Bestellung bringen',
    'Привести {customers} новых покупателей ко второму заказу',
  ),
  'rec.nurture.evidence': t(
    'They ordered once, {recency} days ago on average; a second order is the step that keeps buyers.',
    'Ze bestelden één keer, gemiddeld {recency} dagen geleden; een tweede bestelling is de stap die kopers houdt.',
    'Ils ont commandé une fois, il y a {recency} jours en moyenne ; la deuxième commande est l’étape qui fidélise.',
    'Sie bestellten einmal, im Schnitt vor {recency} Tagen; die zweite Bestellung ist der Schritt, der Käufer hält.',
    'Они заказали один раз, в среднем {recency} дн. назад; второй заказ — шаг, который удерживает покупателя.',
  ),
  'rec.scale.title': t(
    'Roll out “{name}” to more customers',
    'Zet „{name}” breder in',
    'Étendre « {name} » à plus de clients',
    '„{name}“ auf mehr Kunden ausweiten',
    'Расширить «{name}» на больше клиентов',
  ),
  'rec.stop.title': t(
    'Do not repeat “{name}” in this form',
    'Herhaal „{name}” niet in deze vorm',
    'Ne pas refaire « {name} » sous cette forme',
    '„{name}“ nicht in dieser Form wiederholen',
    'Не повторять «{name}» в таком виде',
  ),
  'rec.bestGroup.title': t(
    'Aim the next send at {field} {group}',
    'Richt de volgende verzending op {field} {group}',
    'Cibler le prochain envoi sur le groupe {field} {group}',
    'Den nächsten Versand auf {field} {group} ausrichten',
    'Направить следующую рассылку на группу {field} {group}',
  ),
  'rec.bestGroup.evidence': t(
    'The lift was largest there: {lift} (95% interval {low} to {high}) on {sent} contacts.',
    'Het effect was daar het grootst: {lift} (95%-interval {low} tot {high}) bij {sent} contacten.',
    'L’effet y était le plus fort : {lift} (intervalle à 95 % de {low} à {high}) sur {sent} contacts.',
    'Dort war der Effekt am größten: {lift} (95-%-Intervall {low} bis {high}) bei {sent} Kontakten.',
    'Там эффект был наибольшим: {lift} (95-% интервал от {low} до {high}) на {sent} контактах.',
  ),
  'footer.rule': t(
    'Net revenue is gross sales minus discounts and returns; cancelled orders and shipping fees are not counted. The same figures as the Clientele dashboard and API for this datamart.',
    'Netto-omzet is brutoverkopen min kortingen en retouren; geannuleerde bestellingen en verzendkosten tellen niet mee. Dezelfde cijfers als het Clientele-dashboard en de API voor deze datamart.',
    'Le chiffre d’affaires net correspond aux ventes brutes moins les remises et les retours ; commandes annulées et frais de port exclus. Les mêmes chiffres que le tableau de bord et l’API Clientele pour ce datamart.',
    'Nettoumsatz ist Bruttoumsatz abzüglich Rabatten und Retouren; stornierte Bestellungen und Versandgebühren zählen nicht. Dieselben Zahlen wie im Clientele-Dashboard und in der API für diesen Datamart.',
    'Чистая выручка — валовые продажи минус скидки и возвраты; отменённые заказы и доставка не учитываются. Те же цифры, что в панели и API Clientele для этой витрины данных.',
  ),
  'footer.made': t(
    'Made with Clientele',
    'Gemaakt met Clientele',
    'Réalisé avec Clientele',
    'Erstellt mit Clientele',
    'Создано в Clientele',
  ),
} as const satisfies Record<string, Text>;

export type TextKey = keyof typeof TEXT;

/** Channel names of campaigns, in every language (segment and tier names come from the server's labels). */
export const NAMES: Readonly<Record<string, Text>> = {
  email: t('e-mail', 'e-mail', 'e-mail', 'E-Mail', 'e-mail'),
  sms: t('SMS', 'sms', 'SMS', 'SMS', 'SMS'),
  post: t('post', 'post', 'courrier', 'Post', 'почта'),
  phone: t('phone', 'telefoon', 'téléphone', 'Telefon', 'телефон'),
};

/** A phrase with its `{placeholders}` filled in. */
export function text(lang: Language, key: TextKey, values: Record<string, string | number> = {}): string {
  return TEXT[key][lang].replace(/\{(\w+)\}/g, (whole, name: string) =>
    name in values ? String(values[name]) : whole,
  );
}

/**
 * A segment, tier or channel name in `lang`: RFM segments and CLV tiers with the same labels as the API and the
 * dashboard (`nameLabel`); names no dictionary knows (a custom segment map, a country code) stay as they are.
 */
export function nameOf(lang: Language, name: string): string {
  const channel = NAMES[name]?.[lang];
  if (channel) return channel;
  const segment = nameLabel('rfm_segment', name, lang);
  return segment !== name ? segment : nameLabel('clv_tier', name, lang);
}

/** Number, money, share and date formats of one language. */
export interface Formats {
  lang: Language;
  count(n: number): string;
  number(n: number, digits?: number): string;
  money(n: number, digits?: number): string;
  /** A share 0–1 as a percentage. */
  percent(share: number, digits?: number): string;
  /** A difference of shares (0–1) in percentage points, signed. */
  points(diff: number): string;
  /** A signed relative change (0.12 → +12%). */
  change(ratio: number): string;
  date(iso: string): string;
  /** A date in a table cell (numeric, short). */
  shortDate(iso: string): string;
  month(iso: string): string;
}

/** The formats of `lang`, with money in `currency` (ISO 4217). */
export function formats(lang: Language, currency = 'EUR'): Formats {
  const locale = LOCALES[lang];
  const nf = (opts: Intl.NumberFormatOptions) => new Intl.NumberFormat(locale, opts);
  const count = nf({ maximumFractionDigits: 0 });
  const moneyCache = new Map<number, Intl.NumberFormat>();
  const dateFormat = new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeZone: 'UTC' });
  const shortFormat = new Intl.DateTimeFormat(locale, { dateStyle: 'short', timeZone: 'UTC' });
  const monthFormat = new Intl.DateTimeFormat(locale, { month: 'short', year: '2-digit', timeZone: 'UTC' });
  const asDate = (iso: string) => new Date(`${iso.slice(0, 10)}T00:00:00Z`);
  return {
    lang,
    count: (n) => count.format(Math.round(n)),
    number: (n, digits = 1) => nf({ minimumFractionDigits: digits, maximumFractionDigits: digits }).format(n),
    money: (n, digits = 0) => {
      let f = moneyCache.get(digits);
      if (!f) {
        f = nf({ style: 'currency', currency, minimumFractionDigits: digits, maximumFractionDigits: digits });
        moneyCache.set(digits, f);
      }
      // To the cent first: the engine sums in parallel, so a total of whole cents may come back as x.4999…
      // one time and x.5 the next; rounded to cents, both print the same.
      return f.format(Math.round(n * 100) / 100);
    },
    percent: (share, digits = 1) =>
      nf({ style: 'percent', minimumFractionDigits: digits, maximumFractionDigits: digits }).format(share),
    points: (diff) =>
      text(lang, 'campaign.points', {
        value: nf({ minimumFractionDigits: 1, maximumFractionDigits: 1, signDisplay: 'always' }).format(
          diff * 100,
        ),
      }),
    change: (ratio) =>
      nf({ style: 'percent', maximumFractionDigits: 0, signDisplay: 'always' }).format(ratio),
    date: (iso) => dateFormat.format(asDate(iso)),
    shortDate: (iso) => shortFormat.format(asDate(iso)),
    month: (iso) => monthFormat.format(asDate(iso)),
  };
}
