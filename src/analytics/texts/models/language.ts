/**
 * Language identification for short customer texts, from two kinds of evidence written here by hand:
 * 1. function words (articles, pronouns, prepositions, auxiliaries), the most frequent words of each
 *    language, which almost every sentence contains; a word shared by several languages counts for each;
 * 2. letters and letter groups typical of one language (Cyrillic → Russian; ã õ ção → Portuguese;
 *    ß ä ö ü sch → German; ij → Dutch; è ê eau → French; th wh → English), which decide short texts
 *    without function words ("Enttäuscht", "Teleurgesteld").
 * The scores are summed per language; the best wins when it leads by a margin, else the text is
 * undetermined (`und`). This is the classic "stop-word profile" method (Grefenstette 1995, "Comparing two
 * language identification schemes") plus a character-cue prior, sized for reviews and tickets.
 */
import { foldWord } from './tokenize.js';

/** Languages the text module reads. `und` = undetermined (too short, another language or mixed). */
export const LANGUAGES = ['en', 'nl', 'fr', 'de', 'ru', 'pt'] as const;
export type TextLanguage = (typeof LANGUAGES)[number];
export type DetectedLanguage = TextLanguage | 'und';

/** Function words per language, folded (lower case, no accents). */
const FUNCTION_WORDS: Record<TextLanguage, string> = {
  en: `the a an and or but is are was were be been it this that these those i you he she we they my your his her
    our their of to in on at for with from by not no very have has had do does did will would can could
    should what which who when where there here all just so too after before because about it's don't i'm
    me them than then its one after into only also`,
  nl: `de het een en of maar is zijn was waren ben bent wordt worden dit dat deze die ik je jij u hij zij ze we
    wij mijn jouw uw zijn haar ons onze hun van naar in op aan voor met uit door niet geen heel erg zeer heb
    hebt heeft had hadden doe doet deed zal zou kan kon moet moest wat welke wie wanneer waar daar hier alle
    al nog ook toch wel veel meer dan na omdat bij over te er om zo echt tot`,
  fr: `le la les un une des et ou mais est sont etait etaient etre ete ce cet cette ces je tu il elle nous vous
    ils elles mon ma mes ton ta tes son sa ses notre votre leur leurs de du au aux en dans sur pour avec par
    ne pas plus tres ai as avons avez ont fait faire sera serait peut qui que quoi quand ou y tout tous
    toute toutes deja encore aussi bien trop apres avant parce chez sans c'est j'ai qu'il n'est d'un`,
  de: `der die das den dem des ein eine einen einem einer und oder aber ist sind war waren sein gewesen dieser
    diese dieses ich du er sie es wir ihr mein meine dein deine sein seine unser euer von zu im in an auf fur
    mit aus bei nach nicht kein keine keinen sehr habe hast hat hatte hatten tun tut wird wurde kann konnte
    muss musste was welche wer wann wo da hier alle schon noch auch doch gar viel mehr als weil uber ohne
    nur mir mich sich ganz immer`,
  ru: `и в во не на я он она оно они мы вы ты что это как но а с со по к у за из от до для о об же ли бы уже
    ещё еще так очень был была было были есть мой моя мое мои его ее их наш ваш все всё весь вся при без
    только тоже когда где там тут этот эта эти то чтобы если или нет мне меня нам вам`,
  pt: `o a os as um uma uns umas e ou mas e foi era eram ser sido este esta isto esse essa isso aquele eu tu
    ele ela nos vos eles elas meu minha meus minhas seu sua seus suas nosso nossa de do da dos das no na nos
    nas em por para pelo pela com sem nao muito mais tenho tem tinha fiz faz vai vou pode que quem quando
    onde aqui la todo toda todos todas ja ainda tambem bem ate depois antes porque ao aos me`,
};

/** Letter groups typical of a language, searched in the lower-cased text (accents kept). Weight per hit. */
const CUES: Record<TextLanguage, readonly [RegExp, number][]> = {
  en: [
    [/\bth/g, 0.5],
    [/\bwh/g, 0.5],
    [/ing\b/g, 0.5],
    [/ly\b/g, 0.3],
  ],
  nl: [
    [/ij/g, 0.8],
    [/oe/g, 0.4],
    [/aa|uu/g, 0.5],
    [/ee/g, 0.3],
    [/\bge\p{L}{3,}d\b/gu, 0.6],
  ],
  fr: [
    [/[èêëàâîïôûœç]/g, 0.6],
    [/é/g, 0.3],
    [/eau|aux\b|oi/g, 0.5],
    [/\b[cdjlmnst]['’]/g, 0.8],
  ],
  de: [
    [/[ßäöü]/g, 1.0],
    [/sch/g, 0.4],
    [/cht|tz|ung\b/g, 0.5],
    [/ei/g, 0.2],
  ],
  ru: [[/[\u0400-\u04ff]/g, 0.4]],
  pt: [
    [/[ãõ]/g, 1.2],
    [/ção|ções/g, 1.0],
    [/[ç]/g, 0.3],
    [/nh|lh/g, 0.6],
    [/[áú]/g, 0.3],
  ],
};

const WORD_SETS: Map<string, Uint8Array> = (() => {
  const map = new Map<string, Uint8Array>();
  LANGUAGES.forEach((lang, li) => {
    for (const w of FUNCTION_WORDS[lang].split(/\s+/)) {
      if (!w) continue;
      const key = foldWord(w);
      let langs = map.get(key);
      if (!langs) {
        langs = new Uint8Array(LANGUAGES.length);
        map.set(key, langs);
      }
      langs[li] = 1;
    }
  });
  return map;
})();

export interface LanguageGuess {
  language: DetectedLanguage;
  /** Share of the evidence for the chosen language, 0–1 (0 when undetermined). */
  confidence: number;
  /** Raw evidence per language, in `LANGUAGES` order. */
  scores: Float64Array;
}

/**
 * Detects the language of a text from its folded words (see `tokenize`) and its raw letters.
 * @param minScore evidence needed to decide (default 1: one function word or a few letter cues)
 */
export function detectLanguage(text: string, folded: readonly string[], minScore = 1): LanguageGuess {
  const scores = new Float64Array(LANGUAGES.length);
  for (const w of folded) {
    const langs = WORD_SETS.get(w);
    if (!langs) continue;
    // A word shared by k languages is weaker evidence for each: 1/k.
    let k = 0;
    for (let i = 0; i < langs.length; i++) k += langs[i] as number;
    for (let i = 0; i < langs.length; i++) if (langs[i]) scores[i] = (scores[i] as number) + 1 / k;
  }
  // Letter cues cost a regex pass per language: skip them when function words already decide clearly.
  const sorted = Array.from(scores).sort((a, b) => b - a);
  if ((sorted[0] as number) >= 3 && (sorted[0] as number) - (sorted[1] as number) >= 2)
    return decide(scores, minScore);
  const lower = text.toLowerCase();
  LANGUAGES.forEach((lang, li) => {
    for (const [re, weight] of CUES[lang]) {
      re.lastIndex = 0;
      const hits = lower.match(re)?.length ?? 0;
      scores[li] = (scores[li] as number) + Math.min(hits, 6) * weight;
    }
  });
  return decide(scores, minScore);
}

function decide(scores: Float64Array, minScore: number): LanguageGuess {
  let best = 0;
  let second = -1;
  let total = 0;
  for (let i = 0; i < scores.length; i++) {
    total += scores[i] as number;
    if (i === 0) continue;
    if ((scores[i] as number) > (scores[best] as number)) {
      second = best;
      best = i;
    } else if (second < 0 || (scores[i] as number) > (scores[second] as number)) second = i;
  }
  const top = scores[best] as number;
  const runnerUp = second >= 0 ? (scores[second] as number) : 0;
  if (top < minScore || top - runnerUp < 0.25 * minScore) return { language: 'und', confidence: 0, scores };
  return { language: LANGUAGES[best] as TextLanguage, confidence: top / total, scores };
}

const STOP_WORDS = new Map<string, Set<string>>();

/** Function words of a language (folded), for topic discovery; `und` gets all languages'. */
export function stopWordsFor(language: DetectedLanguage): ReadonlySet<string> {
  let set = STOP_WORDS.get(language);
  if (!set) {
    const langs = language === 'und' ? LANGUAGES : [language];
    set = new Set(langs.flatMap((l) => FUNCTION_WORDS[l].split(/\s+/).filter(Boolean).map(foldWord)));
    STOP_WORDS.set(language, set);
  }
  return set;
}
