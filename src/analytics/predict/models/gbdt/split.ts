/**
 * Best split of one node from its histogram. Numeric features: every bin boundary, with missing values sent
 * left and right in turn (the default direction is learned). Categorical features: categories sorted by
 * gradient / (hessian + smoothing), then every prefix of that order is a candidate left set (Fisher 1958;
 * the same approach as LightGBM and scikit-learn), with missing values as a category of their own.
 * Gain is the second-order loss reduction G_L²/(H_L+λ) + G_R²/(H_R+λ) − G²/(H+λ).
 */
import type { BinnedData } from './binning.js';

export interface SplitRules {
  l2: number;
  minSamplesLeaf: number;
  minChildWeight: number;
  minGainToSplit: number;
  catSmooth: number;
}

export interface SplitCandidate {
  gain: number;
  feature: number;
  /** Numeric: rows with bin ≤ bin go left. */
  bin: number;
  missingLeft: boolean;
  /** Categorical: membership per bin (1 = left), else null. */
  catLeft: Uint8Array | null;
  gLeft: number;
  hLeft: number;
  cLeft: number;
}

/** The best split over `features`, or null when no split beats `minGainToSplit` under the constraints. */
export function findBestSplit(
  data: BinnedData,
  hist: Float64Array,
  features: Int32Array,
  g: number,
  h: number,
  c: number,
  rules: SplitRules,
): SplitCandidate | null {
  const { l2, minSamplesLeaf, minChildWeight } = rules;
  const parentScore = (g * g) / (h + l2);
  let best: SplitCandidate | null = null;
  let bestGain = rules.minGainToSplit;
  for (let k = 0; k < features.length; k++) {
    const f = features[k] as number;
    const info = data.info[f];
    if (!info) continue;
    const o = (data.offsets[f] as number) * 3;
    const mb = info.missingBin;
    const gm = hist[o + mb * 3] as number;
    const hm = hist[o + mb * 3 + 1] as number;
    const cm = hist[o + mb * 3 + 2] as number;
    if (info.kind === 'numeric') {
      const last = info.valueBins - 1;
      for (let pass = 0; pass < 2; pass++) {
        if (pass === 1 && cm === 0) break;
        let gl = pass === 1 ? gm : 0;
        let hl = pass === 1 ? hm : 0;
        let cl = pass === 1 ? cm : 0;
        for (let b = 0; b < last; b++) {
          const s = o + b * 3;
          gl += hist[s] as number;
          hl += hist[s + 1] as number;
          cl += hist[s + 2] as number;
          if (cl < minSamplesLeaf || hl < minChildWeight) continue;
          const cr = c - cl;
          const hr = h - hl;
          if (cr < minSamplesLeaf) break;
          if (hr < minChildWeight) continue;
          const gr = g - gl;
          const gain = (gl * gl) / (hl + l2) + (gr * gr) / (hr + l2) - parentScore;
          if (gain > bestGain) {
            bestGain = gain;
            // With no missing values in the node, unseen missing values follow the larger child.
            const missingLeft = pass === 1 || (cm === 0 && cl >= cr);
            best = { gain, feature: f, bin: b, missingLeft, catLeft: null, gLeft: gl, hLeft: hl, cLeft: cl };
          }
        }
      }
    } else {
      const slots = mb + 1;
      const cats: number[] = [];
      for (let b = 0; b < slots; b++) if ((hist[o + b * 3 + 2] as number) > 0) cats.push(b);
      if (cats.length < 2) continue;
      const smooth = rules.catSmooth;
      const key = new Float64Array(slots);
      for (const b of cats) key[b] = (hist[o + b * 3] as number) / ((hist[o + b * 3 + 1] as number) + smooth);
      cats.sort((a, b) => (key[a] as number) - (key[b] as number) || a - b);
      let gl = 0;
      let hl = 0;
      let cl = 0;
      let bestPrefix = -1;
      let localBest = bestGain;
      for (let j = 0; j < cats.length - 1; j++) {
        const s = o + (cats[j] as number) * 3;
        gl += hist[s] as number;
        hl += hist[s + 1] as number;
        cl += hist[s + 2] as number;
        const cr = c - cl;
        const hr = h - hl;
        if (cl < minSamplesLeaf || hl < minChildWeight || cr < minSamplesLeaf || hr < minChildWeight)
          continue;
        const gr = g - gl;
        const gain = (gl * gl) / (hl + l2) + (gr * gr) / (hr + l2) - parentScore;
        if (gain > localBest) {
          localBest = gain;
          bestPrefix = j;
        }
      }
      if (bestPrefix >= 0) {
        const catLeft = new Uint8Array(256);
        let sg = 0;
        let sh = 0;
        let sc = 0;
        for (let j = 0; j <= bestPrefix; j++) {
          const b = cats[j] as number;
          catLeft[b] = 1;
          sg += hist[o + b * 3] as number;
          sh += hist[o + b * 3 + 1] as number;
          sc += hist[o + b * 3 + 2] as number;
        }
        bestGain = localBest;
        best = {
          gain: localBest,
          feature: f,
          bin: -1,
          missingLeft: catLeft[mb] === 1,
          catLeft,
          gLeft: sg,
          hLeft: sh,
          cLeft: sc,
        };
      }
    }
  }
  return best;
}
