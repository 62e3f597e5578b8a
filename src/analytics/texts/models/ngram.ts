/**
 * Word n-gram features on sparse rows: a vocabulary of unigrams and bigrams seen in at least `minCount`
 * documents, TF-IDF weights (sublinear tf 1 + ln tf, smooth idf ln((1 + n)/(1 + df)) + 1, rows scaled to unit
 * length: the scikit-learn `TfidfVectorizer(sublinear_tf=True)` recipe), held in CSR arrays.
 */

export interface Vocabulary {
  /** Terms in column order ("word" or "word word"). */
  terms: string[];
  /** Inverse document frequency per term. */
  idf: number[];
  /** Longest n-gram (1 or 2). */
  ngram: number;
}

/** Compressed sparse rows: row i holds columns col[ptr[i]..ptr[i+1]). */
export interface SparseRows {
  rows: number;
  columns: number;
  ptr: Int32Array;
  col: Int32Array;
  val: Float32Array;
}

export interface VocabularyOptions {
  ngram: number;
  /** Minimum documents a term must appear in. */
  minCount: number;
  /** Keep at most this many terms (most frequent first, ties by term). */
  maxTerms: number;
  /** Words never used as unigrams (function words); bigrams keep them ("not good"). */
  stopWords?: ReadonlySet<string>;
}

/** The n-grams of one tokenised document (unigrams, then bigrams). */
export function ngramsOf(words: readonly string[], ngram: number, stopWords?: ReadonlySet<string>): string[] {
  const out: string[] = [];
  for (let i = 0; i < words.length; i++) {
    const w = words[i] as string;
    if (!stopWords?.has(w) && w.length > 1) out.push(w);
    if (ngram >= 2 && i + 1 < words.length) out.push(`${w} ${words[i + 1]}`);
  }
  return out;
}

/** Builds a vocabulary from tokenised documents. Deterministic (ties broken by the term itself). */
export function buildVocabulary(
  docs: readonly (readonly string[])[],
  options: VocabularyOptions,
): Vocabulary {
  const df = new Map<string, number>();
  for (const words of docs) {
    for (const g of new Set(ngramsOf(words, options.ngram, options.stopWords)))
      df.set(g, (df.get(g) ?? 0) + 1);
  }
  const kept = [...df.entries()].filter(([, c]) => c >= options.minCount);
  kept.sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const top = kept.slice(0, options.maxTerms);
  top.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const n = docs.length;
  return {
    terms: top.map(([t]) => t),
    idf: top.map(([, c]) => Math.log((1 + n) / (1 + c)) + 1),
    ngram: options.ngram,
  };
}

/** TF-IDF rows for tokenised documents over a fixed vocabulary; unknown terms are ignored. */
export function vectorize(
  docs: readonly (readonly string[])[],
  vocab: Vocabulary,
  stopWords?: ReadonlySet<string>,
  /** The term → column index of `vocab`, when the caller already built it (repeated calls). */
  prebuilt?: ReadonlyMap<string, number>,
): SparseRows {
  const index = prebuilt ?? new Map<string, number>(vocab.terms.map((t, i) => [t, i]));
  const ptr = new Int32Array(docs.length + 1);
  const cols: number[] = [];
  const vals: number[] = [];
  docs.forEach((words, r) => {
    const tf = new Map<number, number>();
    for (const g of ngramsOf(words, vocab.ngram, stopWords)) {
      const j = index.get(g);
      if (j !== undefined) tf.set(j, (tf.get(j) ?? 0) + 1);
    }
    const entries = [...tf.entries()].sort((a, b) => a[0] - b[0]);
    let norm = 0;
    const weights = entries.map(([j, c]) => {
      const w = (1 + Math.log(c)) * (vocab.idf[j] as number);
      norm += w * w;
      return w;
    });
    norm = Math.sqrt(norm) || 1;
    entries.forEach(([j], k) => {
      cols.push(j);
      vals.push((weights[k] as number) / norm);
    });
    ptr[r + 1] = cols.length;
  });
  return {
    rows: docs.length,
    columns: vocab.terms.length,
    ptr,
    col: Int32Array.from(cols),
    val: Float32Array.from(vals),
  };
}
