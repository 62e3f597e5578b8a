/**
 * The WebAssembly histogram loops (histogram.as.ts, compiled into histogram.wasm.ts) and the memory they work
 * on. WebAssembly reads only its own linear memory, so a fit that uses these loops allocates the arrays they
 * read (bins, gradients, row indices, histograms) from one `Arena` over that memory, sized up front.
 */
import type { HistogramLoops } from '../histogram.js';
import { HISTOGRAM_WASM } from './histogram.wasm.js';

/** Typed arrays for one fit: on the JavaScript heap, or carved out of a WebAssembly memory. */
export interface Arena {
  u8(length: number): Uint8Array;
  u32(length: number): Uint32Array;
  f64(length: number): Float64Array;
}

export const heapArena: Arena = {
  u8: (n) => new Uint8Array(n),
  u32: (n) => new Uint32Array(n),
  f64: (n) => new Float64Array(n),
};

/** A request for `length` elements of `bytes` bytes each, for sizing an arena before allocating from it. */
export function arenaBytes(...parts: [length: number, bytes: number][]): number {
  let total = 0;
  for (const [length, bytes] of parts) total += align(length * bytes);
  return total;
}

const PAGE = 65_536;
/** wasm32 addresses 4 GiB; above that a fit uses the TypeScript loops. */
const MAX_PAGES = 65_536;

/** The module's exports: every argument a byte address or a count (see histogram.as.ts). */
type KernelExports = Record<
  | 'natural1'
  | 'natural3'
  | 'indexed1'
  | 'indexed3'
  | 'gatherIndexed3'
  | 'gather'
  | 'gradients'
  | 'addLeafGradients',
  (...args: number[]) => void
>;

/** The part of the WebAssembly JavaScript API used here (Node's type definitions do not declare it). */
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: Record<string, Record<string, unknown>>) => { exports: unknown };
  Memory: new (descriptor: { initial: number; maximum: number }) => { buffer: ArrayBuffer };
}

let compiled: { api: WasmApi; module: object } | null | undefined;

/** The compiled module, or null where WebAssembly is unavailable (e.g. `node --jitless`). */
function kernelModule(): { api: WasmApi; module: object } | null {
  if (compiled === undefined) {
    const api = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;
    compiled = api
      ? { api, module: new api.Module(Uint8Array.from(atob(HISTOGRAM_WASM), (c) => c.charCodeAt(0))) }
      : null;
  }
  return compiled;
}

/** The kernels' e^x (a port of V8's Math.exp), for tests; null where WebAssembly is unavailable. */
export function wasmExp(): ((x: number) => number) | null {
  const wasm = kernelModule();
  if (!wasm) return null;
  const memory = new wasm.api.Memory({ initial: 1, maximum: 1 });
  const k = new wasm.api.Instance(wasm.module, { env: { memory } }).exports as { exp(x: number): number };
  return (x) => k.exp(x);
}

/**
 * WebAssembly loops over a fresh memory of at least `bytes` bytes, with the arena that allocates from it;
 * null where WebAssembly is unavailable or `bytes` exceeds what wasm32 can address.
 */
export function wasmHistogramLoops(bytes: number): { loops: HistogramLoops; arena: Arena } | null {
  const wasm = kernelModule();
  const pages = Math.ceil(Math.max(bytes, 1) / PAGE);
  if (!wasm || pages > MAX_PAGES) return null;
  const memory = new wasm.api.Memory({ initial: pages, maximum: pages });
  const k = new wasm.api.Instance(wasm.module, { env: { memory } }).exports as KernelExports;
  const buffer = memory.buffer;
  let next = 0;
  const take = (length: number, size: number): number => {
    const at = next;
    next += align(length * size);
    if (next > buffer.byteLength)
      throw new Error(`GBDT arena: ${next} bytes requested of ${buffer.byteLength} reserved (a sizing bug).`);
    return at;
  };
  const arena: Arena = {
    u8: (n) => new Uint8Array(buffer, take(n, 1), n),
    u32: (n) => new Uint32Array(buffer, take(n, 4), n),
    f64: (n) => new Float64Array(buffer, take(n, 8), n),
  };
  // Byte address of an arena array (bins: 1 byte per element, idx: 4, f64 arrays: 8). The loops are called
  // for every three features of every node, so the check that an array lives in this memory (a `.buffer`
  // read) is made once per array: the arrays of a fit (bins, row indices, gradients) are few and fixed, and
  // the histograms are a pool of maxLeaves + 1; a small identity cache holds their addresses.
  const known: (Uint8Array | Uint32Array | Float64Array)[] = [];
  const knownAt: number[] = [];
  const at = (a: Uint8Array | Uint32Array | Float64Array): number => {
    for (let i = 0; i < known.length; i++) if (known[i] === a) return knownAt[i] as number;
    if (a.buffer !== buffer)
      throw new Error('GBDT: an array outside the WebAssembly arena reached its loops.');
    if (known.length < 64) {
      known.push(a);
      knownAt.push(a.byteOffset);
    }
    return a.byteOffset;
  };
  const loops: HistogramLoops = {
    natural3(bins, b0, b1, b2, m, grad, hess, hist, o0, o1, o2) {
      const c = at(bins);
      const h = at(hist);
      k.natural3(c + b0, c + b1, c + b2, m, at(grad), at(hess), h + o0 * 8, h + o1 * 8, h + o2 * 8);
    },
    natural1(bins, base, from, to, grad, hess, hist, o) {
      k.natural1(at(bins) + base, from, to, at(grad), at(hess), at(hist) + o * 8);
    },
    indexed3(bins, b0, b1, b2, idx, start, m, og, oh, hist, o0, o1, o2) {
      const c = at(bins);
      const i = at(idx) + start * 4;
      const h = at(hist);
      k.indexed3(c + b0, c + b1, c + b2, i, m, at(og), at(oh), h + o0 * 8, h + o1 * 8, h + o2 * 8);
    },
    gatherIndexed3(bins, b0, b1, b2, idx, start, m, grad, hess, og, oh, hist, o0, o1, o2) {
      const c = at(bins);
      const i = at(idx) + start * 4;
      const h = at(hist);
      k.gatherIndexed3(
        c + b0,
        c + b1,
        c + b2,
        i,
        m,
        at(grad),
        at(hess),
        at(og),
        at(oh),
        h + o0 * 8,
        h + o1 * 8,
        h + o2 * 8,
      );
    },
    indexed1(bins, base, idx, start, m, og, oh, hist, o) {
      k.indexed1(at(bins) + base, at(idx) + start * 4, m, at(og), at(oh), at(hist) + o * 8);
    },
    gather(idx, start, m, grad, hess, og, oh) {
      k.gather(at(idx) + start * 4, m, at(grad), at(hess), at(og), at(oh));
    },
    gradients(n, raw, y, grad, hess) {
      k.gradients(n, at(raw), at(y), at(grad), at(hess));
    },
    addLeafGradients(idx, start, m, v, raw, y, grad, hess) {
      k.addLeafGradients(at(idx) + start * 4, m, v, at(raw), at(y), at(grad), at(hess));
    },
  };
  return { loops, arena };
}

/** Allocations start on 16-byte boundaries. */
function align(bytes: number): number {
  return Math.ceil(bytes / 16) * 16;
}
