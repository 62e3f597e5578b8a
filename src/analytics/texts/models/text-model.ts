/**
 * A sentiment model learned from the user's own labels (stars, a satisfaction score, a ticket outcome):
 * TF-IDF word unigrams and bigrams, plus the lexicon score as one extra column when asked, into an
 * L2-penalised logistic regression. Bigrams keep function words so "not good" and "não gostei" are terms.
 */
import { buildVocabulary, type Vocabulary, vectorize } from './ngram.js';
import { fitSparseLogistic, type SparseLogisticState, sparseLogisticMargin } from './sparse-logistic.js';

export interface TextModelOptions {
  /** 1 = words, 2 = words and word pairs. */
  ngram: number;
  /** A term must occur in at least this many training texts. */
  minCount: number;
  maxTerms: number;
  /** L2 penalty λ (per-row scale). */
  lambda: number;
  /** Add the lexicon score as a column (the model then refines the lexicon instead of replacing it). */
  useLexicon: boolean;
}

export const TEXT_MODEL_DEFAULTS: Readonly<TextModelOptions> = {
  ngram: 2,
  minCount: 2,
  maxTerms: 50_000,
  lambda: 1e-3,
  useLexicon: true,
};

export interface TextModelState {
  vocabulary: Vocabulary;
  logistic: SparseLogisticState;
  useLexicon: boolean;
}

export interface TextModelFit {
  state: TextModelState;
  iterations: number;
  converged: boolean;
  message: string;
}

function extraColumns(useLexicon: boolean, lexicon: ArrayLike<number> | null, rows: number): Float64Array[] {
  if (!useLexicon) return [];
  const col = new Float64Array(rows);
  if (lexicon) for (let i = 0; i < rows; i++) col[i] = lexicon[i] as number;
  return [col];
}

/** Fits the model on tokenised texts with 0/1 labels. Deterministic. */
export function fitTextModel(
  docs: readonly (readonly string[])[],
  lexicon: ArrayLike<number> | null,
  y: ArrayLike<number>,
  options: TextModelOptions = TEXT_MODEL_DEFAULTS,
): TextModelFit {
  const vocabulary = buildVocabulary(docs, options);
  const x = vectorize(docs, vocabulary);
  const fit = fitSparseLogistic(x, extraColumns(options.useLexicon, lexicon, docs.length), y, options.lambda);
  return {
    state: { vocabulary, logistic: fit.state, useLexicon: options.useLexicon },
    iterations: fit.iterations,
    converged: fit.converged,
    message: fit.message,
  };
}

/** Log-odds of the positive label per text. */
export function textModelMargin(
  state: TextModelState,
  docs: readonly (readonly string[])[],
  lexicon: ArrayLike<number> | null,
): Float64Array {
  const x = vectorize(docs, state.vocabulary);
  return sparseLogisticMargin(state.logistic, x, extraColumns(state.useLexicon, lexicon, docs.length));
}

/**
 * Out-of-fold log-odds: for each fold, the vocabulary and weights are learned on the other folds only
 * (so no term statistics leak from the held-out texts).
 * @param folds fold number per text, 0..k−1
 */
export function crossValidatedMargins(
  docs: readonly (readonly string[])[],
  lexicon: ArrayLike<number> | null,
  y: ArrayLike<number>,
  folds: ArrayLike<number>,
  options: TextModelOptions = TEXT_MODEL_DEFAULTS,
): Float64Array {
  const k = Math.max(...Array.from(folds)) + 1;
  const out = new Float64Array(docs.length);
  for (let f = 0; f < k; f++) {
    const train: number[] = [];
    const test: number[] = [];
    for (let i = 0; i < docs.length; i++) (folds[i] === f ? test : train).push(i);
    const pick = <T>(rows: number[], a: ArrayLike<T>) => rows.map((i) => a[i] as T);
    const fit = fitTextModel(
      pick(train, docs),
      lexicon ? pick(train, lexicon) : null,
      pick(train, y),
      options,
    );
    const m = textModelMargin(fit.state, pick(test, docs), lexicon ? pick(test, lexicon) : null);
    test.forEach((row, j) => {
      out[row] = m[j] as number;
    });
  }
  return out;
}
