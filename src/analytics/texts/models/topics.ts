/**
 * Topics of customer texts, two ways:
 * 1. user-defined keyword lists per topic and language (defaults for delivery, price, quality, service,
 *    returns and product fit ship here; stems end in `*`), matched on folded words;
 * 2. unsupervised discovery: spherical k-means (cosine distance; Dhillon & Modha 2001, "Concept
 *    decompositions for large sparse text data using clustering") on TF-IDF vectors of content words and
 *    content-word pairs, seeded by k-means++ (Arthur & Vassilvitskii 2007). Each cluster is labelled by its
 *    most distinctive terms: the largest centroid weight minus the term's mean weight over all texts.
 */
import type { Rng } from '../../shared/rng.js';
import type { DetectedLanguage, TextLanguage } from './language.js';
import { buildVocabulary, type SparseRows, vectorize } from './ngram.js';
import { foldWord } from './tokenize.js';

/** Keyword lists: topic → language → whitespace-separated words (stems end in `*`). */
export type TopicKeywords = Record<string, Partial<Record<TextLanguage, string>>>;

/** Default topics, written by hand for this project. */
export const DEFAULT_TOPICS: TopicKeywords = {
  delivery: {
    en: 'deliver* shipping shipped ship parcel package arriv* courier late delay* transit tracking postman dispatch*',
    nl: 'lever* gelever* bezorg* pakket* verzend* verzonden onderweg postbode koerier* aangekomen laat vertraag* track*',
    fr: 'livr* colis expédi* envoi* arriv* transporteur retard* facteur suivi délai*',
    de: 'liefer* geliefert versand* versendet paket* sendung zustell* angekommen unterwegs bote spät* verspät* verzöger*',
    ru: 'доставк* доставл* доставил* посылк* курьер* пришл* пришёл отправ* задерж* опоздал* почт* трек*',
    pt: 'entreg* prazo* receb* cheg* envi* correio* transportadora frete rastre* atras* demor* chegou',
  },
  price: {
    en: 'price* cheap* expensive* cost* value money overpriced bargain discount* paid pay*',
    nl: 'prijs* goedkoop* duur* kost* geld korting* betaal* waard',
    fr: 'prix cher chère chers bon marché coût* argent rapport promo* payé* réduction*',
    de: 'preis* billig* teuer* kost* geld rabatt* bezahl* günstig* preiswert*',
    ru: 'цен* дешев* дешёв* дорог* деньг* скидк* оплат* стоимост*',
    pt: 'preço* barat* car* custo* dinheiro valor* pag* desconto* promoç*',
  },
  quality: {
    en: 'quality material* broke* broken damag* defect* faulty sturdy solid cheaply flimsy torn durable',
    nl: 'kwaliteit* materiaal* kapot* beschadig* gebroken defect* stevig* degelijk*',
    fr: 'qualité* matière* matériau* cassé* abîm* endommag* défectueu* solide* fragile*',
    de: 'qualität* material* kaputt* beschädig* defekt* zerbroch* stabil* verarbeitung',
    ru: 'качеств* материал* сломал* сломан* брак* дефект* поврежд* прочн*',
    pt: 'qualidade material* quebr* defeit* danific* estrag* resistente frágil acabamento',
  },
  service: {
    en: 'service support staff answer* respon* repl* email* e-mail call* helpdesk agent* rude helpful',
    nl: 'klantenservice service reageert reactie* antwoord* mail* gebeld bellen medewerker*',
    fr: 'service client répond* réponse* mail* e-mail* appel* conseiller* sav',
    de: 'kundenservice service antwort* mail* e-mail* anruf* hotline mitarbeiter*',
    ru: 'поддержк* служб* ответ* отвечает письм* звон* оператор* менеджер*',
    pt: 'atendimento* suporte respost* respond* email* e-mail* sac contato* vendedor*',
  },
  returns: {
    en: 'refund* return* money back exchange* replacement cancel*',
    nl: 'retour* terugbetal* terugstur* teruggestuurd geld terug annul* ruil*',
    fr: 'rembours* retour* renvoy* échang* annul*',
    de: 'erstattung* rücksend* zurückgeschickt umtausch* storn* rückerstatt*',
    ru: 'возврат* верну* вернул* обмен* отмен*',
    pt: 'devolv* devoluç* reembols* troca* estorno cancel*',
  },
  fit: {
    en: 'size* fit fits colour* color* small large wrong',
    nl: 'maat pasvorm past kleur* klein groot verkeerd*',
    fr: 'taille* couleur* petit* grand* mauvais coupe',
    de: 'größe* passform passt farbe* klein* groß* falsch*',
    ru: 'размер* цвет* сидит мал* велик* не тот',
    pt: 'tamanho* cor cores pequen* grande* errad*',
  },
};

export interface CompiledTopics {
  names: string[];
  /** Per language (and `und` = all languages), exact words and stems → topic bit masks. */
  byLanguage: Map<DetectedLanguage, { exact: Map<string, number>; stems: Map<string, number> }>;
}

/** Folds and indexes keyword lists. At most 31 topics (a bit mask per text). */
export function compileTopics(topics: TopicKeywords): CompiledTopics {
  const names = Object.keys(topics).slice(0, 31);
  const byLanguage: CompiledTopics['byLanguage'] = new Map();
  const add = (lang: DetectedLanguage, word: string, bit: number) => {
    let entry = byLanguage.get(lang);
    if (!entry) {
      entry = { exact: new Map(), stems: new Map() };
      byLanguage.set(lang, entry);
    }
    const stem = word.endsWith('*');
    const key = foldWord(stem ? word.slice(0, -1) : word);
    const map = stem ? entry.stems : entry.exact;
    map.set(key, (map.get(key) ?? 0) | bit);
  };
  names.forEach((name, t) => {
    for (const [lang, list] of Object.entries(topics[name] ?? {})) {
      for (const word of (list ?? '').split(/\s+/).filter(Boolean)) {
        add(lang as TextLanguage, word, 1 << t);
        add('und', word, 1 << t);
      }
    }
  });
  return { names, byLanguage };
}

/** Bit mask of the keyword topics a tokenised text mentions. */
export function matchTopics(
  words: readonly string[],
  language: DetectedLanguage,
  topics: CompiledTopics,
): number {
  const entry = topics.byLanguage.get(language) ?? topics.byLanguage.get('und');
  if (!entry) return 0;
  let mask = 0;
  for (const w of words) {
    mask |= entry.exact.get(w) ?? 0;
    for (let len = Math.min(w.length, 12); len >= 3; len--) {
      const bits = entry.stems.get(len === w.length ? w : w.slice(0, len));
      if (bits !== undefined) {
        mask |= bits;
        break;
      }
    }
  }
  return mask;
}

/** Topic names of a bit mask. */
export function topicNames(mask: number, topics: CompiledTopics): string[] {
  return topics.names.filter((_, t) => (mask & (1 << t)) !== 0);
}

export interface DiscoveryOptions {
  /** Number of clusters (fewer when there are few texts: at most one per 20 texts). */
  clusters: number;
  minCount: number;
  maxTerms: number;
  iterations: number;
  /** Terms in a label. */
  labelTerms: number;
}

export const DISCOVERY_DEFAULTS: Readonly<DiscoveryOptions> = {
  clusters: 8,
  minCount: 3,
  maxTerms: 5_000,
  iterations: 25,
  labelTerms: 3,
};

export interface DiscoveredTopics {
  /** Readable label per cluster: its most distinctive terms joined by " · ". */
  labels: string[];
  /** Distinctive terms per cluster (longest list, for explanations). */
  terms: string[][];
  /** Texts per cluster in the fitting set. */
  sizes: number[];
  /** Cluster per fitted text, −1 when it has no known term. */
  assignment: Int32Array;
  /** Vocabulary and centroids, to assign new texts. */
  vocabulary: { terms: string[]; idf: number[]; ngram: number };
  centroids: number[][];
}

/** Content words only: drops function words and tokens of one letter or only digits. */
export function contentWords(words: readonly string[], stopWords: ReadonlySet<string>): string[] {
  return words.filter((w) => w.length > 2 && !stopWords.has(w) && !/^\d+$/.test(w));
}

function dot(x: SparseRows, i: number, c: Float64Array): number {
  let s = 0;
  for (let k = x.ptr[i] as number; k < (x.ptr[i + 1] as number); k++)
    s += (x.val[k] as number) * (c[x.col[k] as number] as number);
  return s;
}

function nearest(x: SparseRows, i: number, centroids: readonly Float64Array[]): number {
  if (x.ptr[i] === x.ptr[i + 1]) return -1;
  let best = -1;
  let bestSim = Number.NEGATIVE_INFINITY;
  centroids.forEach((c, j) => {
    const s = dot(x, i, c);
    if (s > bestSim) {
      bestSim = s;
      best = j;
    }
  });
  return best;
}

/** Finds topic clusters in tokenised content words (see `contentWords`). Deterministic for a given rng seed. */
export function discoverTopics(
  docs: readonly (readonly string[])[],
  rng: Rng,
  options: DiscoveryOptions = DISCOVERY_DEFAULTS,
): DiscoveredTopics {
  const vocabulary = buildVocabulary(docs, {
    ngram: 2,
    minCount: options.minCount,
    maxTerms: options.maxTerms,
  });
  const x = vectorize(docs, vocabulary);
  const p = vocabulary.terms.length;
  const usable: number[] = [];
  for (let i = 0; i < x.rows; i++) if ((x.ptr[i + 1] as number) > (x.ptr[i] as number)) usable.push(i);
  const k = Math.max(0, Math.min(options.clusters, Math.floor(usable.length / 20)));
  const empty: DiscoveredTopics = {
    labels: [],
    terms: [],
    sizes: [],
    assignment: new Int32Array(x.rows).fill(-1),
    vocabulary,
    centroids: [],
  };
  if (k < 1 || p === 0) return empty;
  const dense = (i: number) => {
    const c = new Float64Array(p);
    for (let q = x.ptr[i] as number; q < (x.ptr[i + 1] as number); q++)
      c[x.col[q] as number] = x.val[q] as number;
    return c;
  };
  // k-means++ seeding on cosine distance 1 − similarity.
  let centroids: Float64Array[] = [dense(usable[Math.floor(rng.next() * usable.length)] as number)];
  const dist = new Float64Array(usable.length).fill(Number.POSITIVE_INFINITY);
  while (centroids.length < k) {
    const last = centroids[centroids.length - 1] as Float64Array;
    let total = 0;
    usable.forEach((i, u) => {
      const d = Math.max(0, 1 - dot(x, i, last));
      if (d < (dist[u] as number)) dist[u] = d;
      total += (dist[u] as number) ** 2;
    });
    if (total <= 0) break;
    let r = rng.next() * total;
    let pick = usable.length - 1;
    for (let u = 0; u < usable.length; u++) {
      r -= (dist[u] as number) ** 2;
      if (r <= 0) {
        pick = u;
        break;
      }
    }
    centroids.push(dense(usable[pick] as number));
  }
  const assignment = new Int32Array(x.rows).fill(-1);
  for (let it = 0; it < options.iterations; it++) {
    let changed = 0;
    for (const i of usable) {
      const c = nearest(x, i, centroids);
      if (c !== assignment[i]) changed++;
      assignment[i] = c;
    }
    const next = centroids.map(() => new Float64Array(p));
    for (const i of usable) {
      const c = next[assignment[i] as number] as Float64Array;
      for (let q = x.ptr[i] as number; q < (x.ptr[i + 1] as number); q++)
        c[x.col[q] as number] = (c[x.col[q] as number] as number) + (x.val[q] as number);
    }
    // Spherical k-means: centroids are renormalised to unit length; an emptied cluster keeps its old centre.
    centroids = next.map((c, j) => {
      let norm = 0;
      for (let t = 0; t < p; t++) norm += (c[t] as number) ** 2;
      if (norm === 0) return centroids[j] as Float64Array;
      norm = Math.sqrt(norm);
      for (let t = 0; t < p; t++) c[t] = (c[t] as number) / norm;
      return c;
    });
    if (changed === 0 && it > 0) break;
  }
  const mean = new Float64Array(p);
  for (const i of usable)
    for (let q = x.ptr[i] as number; q < (x.ptr[i + 1] as number); q++)
      mean[x.col[q] as number] = (mean[x.col[q] as number] as number) + (x.val[q] as number) / usable.length;
  const sizes = centroids.map(() => 0);
  for (const i of usable) sizes[assignment[i] as number] = (sizes[assignment[i] as number] as number) + 1;
  const terms = centroids.map((c) => {
    let norm = 0;
    for (let t = 0; t < p; t++) norm += (mean[t] as number) ** 2;
    const scale = 1 / (Math.sqrt(norm) || 1);
    const order = Array.from({ length: p }, (_, t) => t);
    const lift = (t: number) => (c[t] as number) - (mean[t] as number) * scale;
    order.sort((a, b) => lift(b) - lift(a) || a - b);
    const picked: string[] = [];
    const used = new Set<string>();
    for (const t of order) {
      const term = vocabulary.terms[t] as string;
      // A term repeating a word of an earlier pick adds nothing to a label ("gostei · gostei produto").
      const parts = term.split(' ');
      if (parts.some((w) => used.has(w))) continue;
      picked.push(term);
      for (const w of parts) used.add(w);
      if (picked.length >= 8) break;
    }
    return picked;
  });
  return {
    labels: terms.map((t) => t.slice(0, options.labelTerms).join(' · ')),
    terms,
    sizes,
    assignment,
    vocabulary,
    centroids: centroids.map((c) => Array.from(c, (v) => Math.round(v * 1e6) / 1e6)),
  };
}

/** Assigns new tokenised content words to discovered clusters (−1: no known term). */
export function assignTopics(topics: DiscoveredTopics, docs: readonly (readonly string[])[]): Int32Array {
  const x = vectorize(docs, topics.vocabulary);
  const centroids = topics.centroids.map((c) => Float64Array.from(c));
  const out = new Int32Array(docs.length);
  for (let i = 0; i < docs.length; i++) out[i] = centroids.length ? nearest(x, i, centroids) : -1;
  return out;
}

/**
 * A fast assigner for discovered topics: builds the term index and centroids once, then maps one text's
 * content words to its cluster (−1: no known term). Same result as `assignTopics` on that text.
 */
export function createTopicAssigner(topics: DiscoveredTopics): (words: readonly string[]) => number {
  const vocab = topics.vocabulary;
  const index = new Map<string, number>(vocab.terms.map((t, i) => [t, i]));
  const centroids = topics.centroids.map((c) => Float64Array.from(c));
  return (words) => {
    if (centroids.length === 0) return -1;
    const x = vectorize([words], vocab, undefined, index);
    return nearest(x, 0, centroids);
  };
}
