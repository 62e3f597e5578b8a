/**
 * Shape of a hand-written sentiment lexicon. Entries are whitespace-separated `word:valence` pairs with
 * valence from −3 (very negative) to +3 (very positive); a trailing `*` makes the entry a stem that matches
 * every word starting with it (`decepcion*` matches decepcionado, decepcionou, decepcionante). Words are
 * written with their accents and folded (lower case, no accents) when the lexicon is compiled, so "nao"
 * and "não" match the same entry.
 */
export interface LexiconSource {
  /** `word:valence` entries, stems end in `*`. */
  words: string;
  /** Words that flip the valence of the sentiment words after them (within four words, same clause). */
  negators: string;
  /** `word:factor` pairs: factor > 1 strengthens the next sentiment word, < 1 weakens it. */
  intensifiers: string;
  /** Words that shift the weight to the clause after them ("but"): before × 0.5, after × 1.5. */
  contrast: string;
  /**
   * Negators that may follow the word they negate at the end of a clause (German "gefällt mir nicht",
   * Dutch "het werkt niet"), and the particles allowed after them ("nicht mehr", "niet aan").
   */
  trailingNegators?: string;
  trailingParticles?: string;
  /**
   * Words that open a request when a clause starts with them ("Please solve this quickly", "Graag een snelle
   * oplossing"); `_` joins a phrase ("merci_de"). A request says what the writer wants, not how it went, so its
   * positive words do not count ("quickly" in a complaint ticket is no praise).
   */
  requests?: string;
}
