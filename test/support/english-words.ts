/**
 * Words of the server's English sentences (life-event evidence, pricing answers) that have no look-alike in
 * Dutch, French, German or Russian: a translated sentence that still holds one was not (fully) translated.
 */
const ENGLISH = [
  'orders',
  'against',
  'expected',
  'items',
  'earlier',
  'since',
  'placed',
  'purchase',
  'purchases',
  'products',
  'furnishing',
  'wedding',
  'price',
  'units',
  'revenue',
  'answer',
  'weeks',
  'sales',
  'moves',
  'higher',
  'the',
  'from',
  'next',
  'days',
  'year',
  'before',
  'after',
  'typical',
  'spends',
  'cannot',
  'only',
  'needed',
  'least',
  'estimate',
  'uncertain',
  'some',
  'margin',
  'outside',
  'hardly',
  'converge',
];
const PATTERN = new RegExp(`(?<![\\p{L}])(${ENGLISH.join('|')})(?![\\p{L}])`, 'giu');

/** The English words left in `text` (empty when none). */
export function englishWordsIn(text: string): string[] {
  return [...text.matchAll(PATTERN)].map((m) => m[1]!);
}
