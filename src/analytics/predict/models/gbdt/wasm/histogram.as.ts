/**
 * Histogram kernels in AssemblyScript, compiled to WebAssembly (`npm run build:wasm` writes histogram.wasm.ts).
 * The same loops as the TypeScript kernels in ../histogram.ts, over the module's linear memory: every argument
 * named like an array is a byte address, every histogram slot is [g, h, count] as three f64 (24 bytes).
 * Each slot receives its rows in row order, as in the TypeScript kernels, so both give bit-identical sums.
 * Why WebAssembly: V8 compiles a typed-array read-modify-write to bounds-checked loads and stores; here the
 * loads are plain (out-of-range addresses trap), which makes these loops about twice as fast.
 */

/** Adds a row's gradient and hessian to the slot at address s. */
// @ts-ignore: decorator
@inline
function addGH(s: usize, g: f64, h: f64): void {
  store<f64>(s, load<f64>(s) + g);
  store<f64>(s, load<f64>(s, 8) + h, 8);
}

/** Adds a row (gradient, hessian and count) to the slot at address s. */
// @ts-ignore: decorator
@inline
function addRow(s: usize, g: f64, h: f64): void {
  addGH(s, g, h);
  store<f64>(s, load<f64>(s, 16) + 1.0, 16);
}

/** The slot of the row at byte offset r of a column starting at col, in the histogram at hist. */
// @ts-ignore: decorator
@inline
function slot(hist: usize, col: usize, r: usize): usize {
  return hist + <usize>load<u8>(col + r) * 24;
}

/** Rows from..to in natural order of one feature column (gradients and hessians; counts are set elsewhere). */
export function natural1(col: usize, from: i32, to: i32, grad: usize, hess: usize, hist: usize): void {
  for (let i = from; i < to; i++) {
    const k = <usize>i << 3;
    addGH(slot(hist, col, <usize>i), load<f64>(grad + k), load<f64>(hess + k));
  }
}

/** Rows 0..m in natural order of three feature columns (gradients and hessians). */
export function natural3(
  c0: usize,
  c1: usize,
  c2: usize,
  m: i32,
  grad: usize,
  hess: usize,
  h0: usize,
  h1: usize,
  h2: usize,
): void {
  for (let i = 0; i < m; i++) {
    const k = <usize>i << 3;
    const g = load<f64>(grad + k);
    const h = load<f64>(hess + k);
    addGH(slot(h0, c0, <usize>i), g, h);
    addGH(slot(h1, c1, <usize>i), g, h);
    addGH(slot(h2, c2, <usize>i), g, h);
  }
}

/** The m rows listed at idx (u32 row numbers) of one feature column; og/oh hold their gradients in idx order. */
export function indexed1(col: usize, idx: usize, m: i32, og: usize, oh: usize, hist: usize): void {
  for (let i = 0; i < m; i++) {
    const r = <usize>load<u32>(idx + (<usize>i << 2));
    const k = <usize>i << 3;
    addRow(slot(hist, col, r), load<f64>(og + k), load<f64>(oh + k));
  }
}

/** indexed1 for three feature columns at once: one load of the row number and gradients per row. */
export function indexed3(
  c0: usize,
  c1: usize,
  c2: usize,
  idx: usize,
  m: i32,
  og: usize,
  oh: usize,
  h0: usize,
  h1: usize,
  h2: usize,
): void {
  for (let i = 0; i < m; i++) {
    const r = <usize>load<u32>(idx + (<usize>i << 2));
    const k = <usize>i << 3;
    const g = load<f64>(og + k);
    const h = load<f64>(oh + k);
    addRow(slot(h0, c0, r), g, h);
    addRow(slot(h1, c1, r), g, h);
    addRow(slot(h2, c2, r), g, h);
  }
}

/**
 * indexed3 that reads the gradients by row from grad/hess and also writes them to og/oh in idx order
 * (the first pass over a node's rows; later passes read og/oh sequentially).
 */
export function gatherIndexed3(
  c0: usize,
  c1: usize,
  c2: usize,
  idx: usize,
  m: i32,
  grad: usize,
  hess: usize,
  og: usize,
  oh: usize,
  h0: usize,
  h1: usize,
  h2: usize,
): void {
  for (let i = 0; i < m; i++) {
    const r = <usize>load<u32>(idx + (<usize>i << 2));
    const k = <usize>i << 3;
    const g = load<f64>(grad + (r << 3));
    const h = load<f64>(hess + (r << 3));
    store<f64>(og + k, g);
    store<f64>(oh + k, h);
    addRow(slot(h0, c0, r), g, h);
    addRow(slot(h1, c1, r), g, h);
    addRow(slot(h2, c2, r), g, h);
  }
}

/** Gathers the m rows listed at idx from grad/hess into og/oh (a node with fewer than three features). */
export function gather(idx: usize, m: i32, grad: usize, hess: usize, og: usize, oh: usize): void {
  for (let i = 0; i < m; i++) {
    const r = <usize>load<u32>(idx + (<usize>i << 2)) << 3;
    const k = <usize>i << 3;
    store<f64>(og + k, load<f64>(grad + r));
    store<f64>(oh + k, load<f64>(hess + r));
  }
}

/**
 * e^x exactly as V8 computes Math.exp (src/base/ieee754.cc: FreeBSD msun's e_exp.c, with exp(1) = E), so the
 * gradient kernels below give the bits the TypeScript loop gives with Math.exp. Checked against Math.exp
 * on tens of millions of arguments in kernels.test.ts (and on every gradient of the fingerprint fits).
 * Method (fdlibm): x = k·ln2 + r, |r| ≤ ln2/2; e^r from a degree-5 rational approximation; scale by 2^k.
 */
// @ts-ignore: decorator
@inline
function expV8(x0: f64): f64 {
  let x = x0;
  const bits = reinterpret<u64>(x);
  let hx = <u32>(bits >> 32);
  const xsb = (hx >> 31) & 1;
  hx &= 0x7fffffff;
  if (hx >= 0x40862e42) {
    if (hx >= 0x7ff00000) {
      if (((hx & 0xfffff) | <u32>bits) != 0) return x + x;
      return xsb == 0 ? x : 0.0;
    }
    if (x > 7.09782712893383973096e2) return 1.0e300 * 1.0e300;
    if (x < -7.45133219101941108420e2) return 9.33263618503218878990e-302 * 9.33263618503218878990e-302;
  }
  let hi: f64 = 0.0;
  let lo: f64 = 0.0;
  let k: i32 = 0;
  if (hx > 0x3fd62e42) {
    if (hx < 0x3ff0a2b2) {
      if (x == 1.0) return 2.718281828459045;
      if (xsb == 0) {
        hi = x - 6.93147180369123816490e-1;
        lo = 1.90821492927058770002e-10;
        k = 1;
      } else {
        hi = x + 6.93147180369123816490e-1;
        lo = -1.90821492927058770002e-10;
        k = -1;
      }
    } else {
      k = <i32>(1.44269504088896338700 * x + (xsb == 0 ? 0.5 : -0.5));
      const t = <f64>k;
      hi = x - t * 6.93147180369123816490e-1;
      lo = t * 1.90821492927058770002e-10;
    }
    x = hi - lo;
  } else if (hx < 0x3e300000) {
    if (1.0e300 + x > 1.0) return 1.0 + x;
  } else {
    k = 0;
  }
  const t = x * x;
  let twopk: f64;
  if (k >= -1021) twopk = reinterpret<f64>(<u64>(<u32>(0x3ff00000 + (<u32>k << 20))) << 32);
  else twopk = reinterpret<f64>(<u64>(<u32>(0x3ff00000 + (<u32>(k + 1000) << 20))) << 32);
  const c =
    x -
    t *
      (1.66666666666666019037e-1 +
        t *
          (-2.77777777770155933842e-3 +
            t * (6.61375632143793436117e-5 + t * (-1.65339022054652515390e-6 + t * 4.13813679705723846039e-8))));
  if (k == 0) return 1.0 - ((x * c) / (c - 2.0) - x);
  const y = 1.0 - (lo - (x * c) / (2.0 - c) - hi);
  if (k >= -1021) {
    if (k == 1024) return y * 2.0 * 8.988465674311579539e307;
    return y * twopk;
  }
  return y * twopk * 9.33263618503218878990e-302;
}

/** e^x for tests (the V8-exact port above). */
export function exp(x: f64): f64 {
  return expV8(x);
}

/** The log-loss gradient and hessian of a row with margin m and label yv, into grad/hess at byte offset k. */
// @ts-ignore: decorator
@inline
function gradientAt(m: f64, yv: f64, grad: usize, hess: usize, k: usize): void {
  const prob = 1.0 / (1.0 + expV8(-m));
  store<f64>(grad + k, prob - yv);
  store<f64>(hess + k, max<f64>(prob * (1.0 - prob), 1e-16));
}

/** Gradients and hessians of rows 0..n from their margins (raw) and labels (y). */
export function gradients(n: i32, raw: usize, y: usize, grad: usize, hess: usize): void {
  for (let i = 0; i < n; i++) {
    const k = <usize>i << 3;
    gradientAt(load<f64>(raw + k), load<f64>(y + k), grad, hess, k);
  }
}

/**
 * Adds a leaf's value v to the margins of its m rows listed at idx, and computes their new gradients and
 * hessians (the next tree's), in one pass.
 */
export function addLeafGradients(
  idx: usize,
  m: i32,
  v: f64,
  raw: usize,
  y: usize,
  grad: usize,
  hess: usize,
): void {
  for (let i = 0; i < m; i++) {
    const k = <usize>load<u32>(idx + (<usize>i << 2)) << 3;
    const margin = load<f64>(raw + k) + v;
    store<f64>(raw + k, margin);
    gradientAt(margin, load<f64>(y + k), grad, hess, k);
  }
}
