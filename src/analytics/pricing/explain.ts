import type { Language } from '../shared/field-labels.js';
import { type TextTemplates, translateText } from '../shared/templates.js';
import type { CategoryFit, ProductFit, WhatIfFigures } from './core.js';

const pct = (x: number, digits = 1) => `${x >= 0 ? '+' : ''}${(x * 100).toFixed(digits)} %`;

/** One sentence on an elasticity in plain words (English; `pricingText` gives other languages). */
export function describeElasticity(e: CategoryFit | ProductFit, level: number): string {
  const name = 'sku' in e ? e.sku : e.category;
  if ('supported' in e && !e.supported) return `${name}: no answer: ${e.reason}.`;
  return `${name}: a 1 % higher price changes units by ${e.elasticity.toFixed(2)} % (${Math.round(level * 100)} % interval ${e.lower.toFixed(2)} … ${e.upper.toFixed(2)}).`;
}

/** The what-if result in one sentence. */
export function describeWhatIf(
  name: string,
  priceChange: number,
  base: { units: number; revenue: number },
  f: WhatIfFigures,
): string {
  return `${name}: a price change of ${pct(priceChange, 0)} moves units by ${pct(f.units.value / base.units - 1)} (${pct(f.units.lower / base.units - 1)} … ${pct(f.units.upper / base.units - 1)}) and net revenue by ${pct(f.revenue.value / base.revenue - 1)} (${pct(f.revenue.lower / base.revenue - 1)} … ${pct(f.revenue.upper / base.revenue - 1)}).`;
}

type L5 = Record<Language, string>;
const t5 = (en: string, nl: string, fr: string, de: string, ru: string): L5 => ({ en, nl, fr, de, ru });

/**
 * The sentences above and the reasons and warnings of `elasticities` / `whatIf`, in five languages. The
 * library writes English; `localizeElasticities` and `localizeWhatIf` give the caller's language.
 */
export const PRICING_TEXTS: TextTemplates = {
  elasticity: t5(
    '{name}: a 1 % higher price changes units by {e} % ({level} % interval {lo} … {hi}).',
    '{name}: een 1 % hogere prijs verandert de afzet met {e} % ({level} %-interval {lo} … {hi}).',
    '{name} : un prix plus élevé de 1 % change les unités vendues de {e} % (intervalle à {level} % {lo} … {hi}).',
    '{name}: ein um 1 % höherer Preis ändert den Absatz um {e} % ({level}-%-Intervall {lo} … {hi}).',
    '{name}: цена на 1 % выше меняет продажи в штуках на {e} % ({level} % интервал {lo} … {hi}).',
  ),
  noAnswer: t5(
    '{name}: no answer: {reason}.',
    '{name}: geen antwoord: {reason}.',
    '{name} : pas de réponse : {reason}.',
    '{name}: keine Antwort: {reason}.',
    '{name}: ответа нет: {reason}.',
  ),
  whatIf: t5(
    '{name}: a price change of {change} moves units by {u} ({ulo} … {uhi}) and net revenue by {r} ({rlo} … {rhi}).',
    '{name}: een prijswijziging van {change} verandert de afzet met {u} ({ulo} … {uhi}) en de netto-omzet met {r} ({rlo} … {rhi}).',
    '{name} : une variation de prix de {change} change les unités de {u} ({ulo} … {uhi}) et le chiffre d’affaires net de {r} ({rlo} … {rhi}).',
    '{name}: eine Preisänderung um {change} ändert den Absatz um {u} ({ulo} … {uhi}) und den Nettoumsatz um {r} ({rlo} … {rhi}).',
    '{name}: изменение цены на {change} меняет продажи в штуках на {u} ({ulo} … {uhi}) и чистую выручку на {r} ({rlo} … {rhi}).',
  ),
  cannotSupport: t5(
    '{name}: the data cannot support an answer: {reason}.',
    '{name}: de gegevens kunnen geen antwoord onderbouwen: {reason}.',
    '{name} : les données ne permettent pas de répondre : {reason}.',
    '{name}: die Daten tragen keine Antwort: {reason}.',
    '{name}: данных недостаточно для ответа: {reason}.',
  ),
  fewWeeks: t5(
    'only {weeks} weeks with sales; at least {min} are needed to separate price from season',
    'slechts {weeks} weken met verkopen; er zijn er minstens {min} nodig om prijs en seizoen te scheiden',
    'seulement {weeks} semaines avec des ventes ; il en faut au moins {min} pour séparer le prix de la saison',
    'nur {weeks} Wochen mit Verkäufen; mindestens {min} sind nötig, um Preis und Saison zu trennen',
    'только {weeks} нед. с продажами; нужно не меньше {min}, чтобы отделить цену от сезона',
  ),
  flatPrices: t5(
    'prices hardly moved (within-product variation {v} %, at least {min} % is needed): nothing to learn the price response from',
    'de prijzen bewogen nauwelijks (variatie binnen producten {v} %, minstens {min} % nodig): er valt geen prijsreactie uit te leren',
    'les prix ont à peine bougé (variation par produit {v} %, au moins {min} % nécessaire) : rien pour apprendre la réaction au prix',
    'die Preise haben sich kaum bewegt (Variation je Produkt {v} %, mindestens {min} % nötig): nichts, woraus sich die Preisreaktion lernen ließe',
    'цены почти не менялись (разброс внутри товаров {v} %, нужно не меньше {min} %): реакцию на цену не из чего оценить',
  ),
  singular: t5(
    'the price, promotion and season effects cannot be told apart in this data (singular model)',
    'de effecten van prijs, promotie en seizoen zijn in deze gegevens niet te scheiden (singulier model)',
    'les effets du prix, des promotions et de la saison ne peuvent pas être distingués dans ces données (modèle singulier)',
    'Preis-, Aktions- und Saisoneffekte lassen sich in diesen Daten nicht trennen (singuläres Modell)',
    'влияние цены, акций и сезона в этих данных не разделить (вырожденная модель)',
  ),
  notConverged: t5(
    'the model did not converge in {n} iterations',
    'het model convergeerde niet in {n} iteraties',
    'le modèle n’a pas convergé en {n} itérations',
    'das Modell konvergierte nicht in {n} Iterationen',
    'модель не сошлась за {n} итераций',
  ),
  uncertain: t5(
    'the estimate is too uncertain (standard error {se}, at most {max} is useful): more weeks or more price changes are needed',
    'de schatting is te onzeker (standaardfout {se}, hoogstens {max} is bruikbaar): er zijn meer weken of meer prijswijzigingen nodig',
    'l’estimation est trop incertaine (erreur type {se}, au plus {max} est utile) : il faut plus de semaines ou plus de changements de prix',
    'die Schätzung ist zu unsicher (Standardfehler {se}, höchstens {max} ist brauchbar): mehr Wochen oder mehr Preisänderungen sind nötig',
    'оценка слишком неточна (стандартная ошибка {se}, полезно не больше {max}): нужно больше недель или больше изменений цены',
  ),
  noPricedSales: t5(
    'no priced sales',
    'geen verkopen met een prijs',
    'aucune vente avec un prix',
    'keine Verkäufe mit Preis',
    'нет продаж с ценой',
  ),
  noBaseSales: t5(
    'no sales in the last {weeks} weeks to apply the change to',
    'geen verkopen in de laatste {weeks} weken om de wijziging op toe te passen',
    'aucune vente au cours des {weeks} dernières semaines à laquelle appliquer le changement',
    'keine Verkäufe in den letzten {weeks} Wochen, auf die sich die Änderung anwenden ließe',
    'нет продаж за последние {weeks} нед., к которым можно применить изменение',
  ),
  noLines: t5(
    'no order lines with a price between {from} and {to}',
    'geen orderregels met een prijs tussen {from} en {to}',
    'aucune ligne de commande avec un prix entre le {from} et le {to}',
    'keine Bestellzeilen mit Preis zwischen {from} und {to}',
    'нет строк заказов с ценой между {from} и {to}',
  ),
  categoryUsed: t5(
    "{product} has too few selling weeks or price moves for its own estimate: the category's elasticity ({cat}) is used",
    '{product} heeft te weinig verkoopweken of prijswijzigingen voor een eigen schatting: de elasticiteit van de categorie ({cat}) wordt gebruikt',
    '{product} a trop peu de semaines de vente ou de changements de prix pour sa propre estimation : l’élasticité de la catégorie ({cat}) est utilisée',
    '{product} hat zu wenige Verkaufswochen oder Preisänderungen für eine eigene Schätzung: die Elastizität der Kategorie ({cat}) wird verwendet',
    'у {product} слишком мало недель продаж или изменений цены для собственной оценки: используется эластичность категории ({cat})',
  ),
  extrapolation: t5(
    'a change of {change} % is outside the price moves seen in {cat} ({lo} % … +{hi} %): the answer is an extrapolation',
    'een wijziging van {change} % ligt buiten de prijsbewegingen in {cat} ({lo} % … +{hi} %): het antwoord is een extrapolatie',
    'un changement de {change} % sort des variations de prix observées dans {cat} ({lo} % … +{hi} %) : la réponse est une extrapolation',
    'eine Änderung um {change} % liegt außerhalb der in {cat} gesehenen Preisbewegungen ({lo} % … +{hi} %): die Antwort ist eine Extrapolation',
    'изменение на {change} % выходит за пределы колебаний цен в {cat} ({lo} % … +{hi} %): ответ — экстраполяция',
  ),
  noCost: t5(
    'some products have no unit cost: margin is not shown',
    'sommige producten hebben geen kostprijs: de marge wordt niet getoond',
    'certains produits n’ont pas de coût unitaire : la marge n’est pas affichée',
    'einige Produkte haben keinen Stückpreis im Einkauf: die Marge wird nicht gezeigt',
    'у некоторых товаров нет себестоимости: маржа не показана',
  ),
  /** Kept last in matching (the least literal text): a product or category name and a reason. */
  nameReason: t5(
    '{name}: {reason}.',
    '{name}: {reason}.',
    '{name} : {reason}.',
    '{name}: {reason}.',
    '{name}: {reason}.',
  ),
};

/** A pricing sentence (summary, reason, warning) in `lang`. */
export function pricingText(text: string, lang: Language): string {
  return translateText(PRICING_TEXTS, text, lang);
}
