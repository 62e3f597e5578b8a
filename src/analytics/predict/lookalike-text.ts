/**
 * The lookalike drivers as sentences in the user's language, naming each field by its plain label from the field
 * dictionary (never a column key such as `income_band`). Pure.
 */
import { fieldLabel, type Language } from '../shared/field-labels.js';

type Sentences = {
  level: (label: string, level: string, ratio: string, seed: string, others: string) => string;
  more: (label: string, more: boolean, seed: string, others: string) => string;
  higher: (label: string, higher: boolean, seed: string, others: string) => string;
  noLevel: (label: string) => string;
  tooFew: (label: string) => string;
  far: string;
};

const SENTENCES: Record<Language, Sentences> = {
  en: {
    level: (l, v, r, s, o) =>
      `${l} "${v}" is ${r} as common in the seed: ${s} of the seed vs ${o} of everybody else`,
    more: (l, m, s, o) =>
      `${l} is ${m ? 'more' : 'less'} common in the seed: ${s} of the seed vs ${o} of everybody else`,
    higher: (l, h, s, o) =>
      `${l} is ${h ? 'higher' : 'lower'} in the seed: ${s} on average vs ${o} for everybody else`,
    noLevel: (l) => `${l}: no value stands out in the seed`,
    tooFew: (l) => `${l}: not enough values to compare with the seed`,
    far: 'far',
  },
  nl: {
    level: (l, v, r, s, o) =>
      `${l} "${v}" komt ${r} zo vaak voor in de seed: ${s} van de seed tegen ${o} van alle anderen`,
    more: (l, m, s, o) =>
      `${l} komt ${m ? 'vaker' : 'minder vaak'} voor in de seed: ${s} van de seed tegen ${o} van alle anderen`,
    higher: (l, h, s, o) =>
      `${l} is ${h ? 'hoger' : 'lager'} in de seed: gemiddeld ${s} tegen ${o} bij alle anderen`,
    noLevel: (l) => `${l}: geen waarde valt op in de seed`,
    tooFew: (l) => `${l}: te weinig waarden om met de seed te vergelijken`,
    far: 'veel',
  },
  fr: {
    level: (l, v, r, s, o) =>
      `${l} « ${v} » est ${r} plus fréquent dans la base de départ : ${s} de la base contre ${o} des autres`,
    more: (l, m, s, o) =>
      `${l} est ${m ? 'plus' : 'moins'} fréquent dans la base de départ : ${s} de la base contre ${o} des autres`,
    higher: (l, h, s, o) =>
      `${l} est ${h ? 'plus élevé' : 'plus bas'} dans la base de départ : ${s} en moyenne contre ${o} pour les autres`,
    noLevel: (l) => `${l} : aucune valeur ne ressort dans la base de départ`,
    tooFew: (l) => `${l} : trop peu de valeurs pour comparer avec la base de départ`,
    far: 'bien',
  },
  de: {
    level: (l, v, r, s, o) =>
      `${l} „${v}“ ist in der Ausgangsgruppe ${r} so häufig: ${s} der Ausgangsgruppe gegenüber ${o} aller anderen`,
    more: (l, m, s, o) =>
      `${l} ist in der Ausgangsgruppe ${m ? 'häufiger' : 'seltener'}: ${s} der Ausgangsgruppe gegenüber ${o} aller anderen`,
    higher: (l, h, s, o) =>
      `${l} ist in der Ausgangsgruppe ${h ? 'höher' : 'niedriger'}: durchschnittlich ${s} gegenüber ${o} bei allen anderen`,
    noLevel: (l) => `${l}: kein Wert fällt in der Ausgangsgruppe auf`,
    tooFew: (l) => `${l}: zu wenige Werte für einen Vergleich mit der Ausgangsgruppe`,
    far: 'weit',
  },
  ru: {
    level: (l, v, r, s, o) =>
      `${l} «${v}» встречается в исходной группе в ${r} чаще: ${s} исходной группы против ${o} остальных`,
    more: (l, m, s, o) =>
      `${l} встречается в исходной группе ${m ? 'чаще' : 'реже'}: ${s} исходной группы против ${o} остальных`,
    higher: (l, h, s, o) =>
      `${l} в исходной группе ${h ? 'выше' : 'ниже'}: в среднем ${s} против ${o} у остальных`,
    noLevel: (l) => `${l}: ни одно значение не выделяется в исходной группе`,
    tooFew: (l) => `${l}: слишком мало значений для сравнения с исходной группой`,
    far: 'намного',
  },
};

const pct = (x: number) => `${(100 * x).toFixed(x < 0.1 ? 1 : 0)}%`;
const num = (x: number) =>
  Math.abs(x) >= 100 ? x.toFixed(0) : Math.abs(x) >= 10 ? x.toFixed(1) : x.toFixed(2);

/** What one lookalike driver says, before it is put in words. */
export type DriverFact =
  | { kind: 'level'; level: string; seedShare: number; populationShare: number }
  | { kind: 'yes/no' | 'mean'; seedMean: number; populationMean: number }
  | { kind: 'no level' | 'too few' };

/** One driver as a sentence in `lang`, naming the field by its label. */
export function driverSentence(feature: string, fact: DriverFact, lang: Language): string {
  const w = SENTENCES[lang];
  const label = fieldLabel(feature, lang);
  const sentence = (() => {
    switch (fact.kind) {
      case 'level':
        return w.level(
          label,
          fact.level,
          fact.populationShare > 0 ? `${(fact.seedShare / fact.populationShare).toFixed(1)}×` : w.far,
          pct(fact.seedShare),
          pct(fact.populationShare),
        );
      case 'yes/no':
        return w.more(
          label,
          fact.seedMean >= fact.populationMean,
          pct(fact.seedMean),
          pct(fact.populationMean),
        );
      case 'mean':
        return w.higher(
          label,
          fact.seedMean >= fact.populationMean,
          num(fact.seedMean),
          num(fact.populationMean),
        );
      case 'no level':
        return w.noLevel(label);
      default:
        return w.tooFew(label);
    }
  })();
  return sentence.charAt(0).toUpperCase() + sentence.slice(1);
}
