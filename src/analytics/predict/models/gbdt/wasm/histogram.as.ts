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
