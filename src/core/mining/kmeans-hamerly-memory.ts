/**
 * The memory of a Hamerly k-means run: one buffer holding the data, the per-row bounds and labels,
 * the per-block partial sums and the centres of the current pass, laid out the same way on every
 * thread, so that pool threads (SharedArrayBuffer) and the WebAssembly kernel (whose memory it is)
 * work on it in place.
 */

/** Scalars of a pass, in `HamerlyViews.params`. */
export const P = { mode: 0, most: 1, mostAt: 2, second: 3, tighten: 4, maxNorm: 5, sink: 6 } as const;
const PARAMS = 8;

/** Rows per block: a function of n only (about 64 blocks, at least 4,096 rows each). */
export function blockRowsFor(n: number): number {
  return Math.max(4096, Math.ceil(n / 64));
}

/**
 * Byte offsets of a run's arrays in its one buffer (a function of n, d and k only, so every thread
 * derives the same layout). `pairs`/`pairNorms` hold −2·c and ‖c‖² two centres side by side per
 * feature, for the SIMD kernel (the pad lane of an odd k scores +∞).
 */
export interface HamerlyLayout {
  n: number;
  d: number;
  k: number;
  blocks: number;
  blockRows: number;
  bytes: number;
  data: number;
  labels: number;
  pending: number;
  blockChanged: number;
  blockPending: number;
  upper: number;
  lower: number;
  rowNorms: number;
  blockSums: number;
  blockCounts: number;
  params: number;
  centers: number;
  scaled: number;
  norms: number;
  half: number;
  moved: number;
  pairs: number;
  pairNorms: number;
}

/** The layout of a run of n rows, d features, k clusters (regions 16-byte aligned). */
export function hamerlyLayout(n: number, d: number, k: number): HamerlyLayout {
  const blockRows = blockRowsFor(n);
  const blocks = Math.ceil(n / blockRows);
  const pairs = Math.ceil(k / 2);
  let at = 0;
  const take = (bytes: number): number => {
    const start = at;
    at += Math.ceil(bytes / 16) * 16;
    return start;
  };
  return {
    n, d, k, blocks, blockRows,
    data: take(8 * n * d),
    upper: take(8 * n),
    lower: take(8 * n),
    rowNorms: take(8 * n),
    blockSums: take(8 * blocks * k * d),
    blockCounts: take(8 * blocks * k),
    params: take(8 * PARAMS),
    centers: take(8 * k * d),
    scaled: take(8 * k * d),
    norms: take(8 * k),
    half: take(8 * k),
    moved: take(8 * k),
    pairs: take(16 * pairs * d),
    pairNorms: take(16 * pairs),
    labels: take(4 * n),
    pending: take(4 * n),
    blockChanged: take(4 * blocks),
    blockPending: take(4 * blocks),
    get bytes() {
      return at;
    },
  };
}

/**
 * The memory of a Hamerly run, as posted to pool threads: one buffer laid out by
 * {@link hamerlyLayout} (a SharedArrayBuffer for a pool) and the pool's control slots. With
 * `wasm`, the buffer is that WebAssembly memory's and every thread runs the SIMD kernel compiled
 * from `bytes` (kmeans-kernel.ts); a thread that cannot compile it runs the TypeScript, which
 * computes the same bits.
 */
export interface HamerlyMemory {
  n: number;
  d: number;
  k: number;
  buffer: ArrayBufferLike;
  /** Int32 slots that pool threads synchronize on (see src/core/block-pool.ts). */
  control: ArrayBufferLike;
  wasm?: { memory: WebAssembly.Memory; bytes: Uint8Array<ArrayBuffer> };
}

/** Typed views of a {@link HamerlyMemory}. */
export interface HamerlyViews {
  n: number;
  d: number;
  k: number;
  blocks: number;
  blockRows: number;
  data: Float64Array;
  labels: Int32Array;
  pending: Int32Array;
  blockChanged: Int32Array;
  blockPending: Int32Array;
  upper: Float64Array;
  lower: Float64Array;
  rowNorms: Float64Array;
  blockSums: Float64Array;
  blockCounts: Float64Array;
  params: Float64Array;
  centers: Float64Array;
  scaled: Float64Array;
  norms: Float64Array;
  half: Float64Array;
  moved: Float64Array;
  pairs: Float64Array;
  pairNorms: Float64Array;
  control: Int32Array;
  /** The SIMD kernel's `block(b)` on this thread, when compiled. */
  kernel?: (b: number) => void;
}

/** Largest memory (bytes) a run asks of WebAssembly: beyond it, plain buffers and the TypeScript passes. */
const WASM_MAX_BYTES = 2 ** 31;

/**
 * Allocates the memory of a run of n × d rows and k clusters: a WebAssembly memory with the
 * generated kernel when `kernel` says the shape fits it (kmeans-kernel.ts), else a plain
 * buffer; shared between threads when `shared`. The caller writes the data into
 * `hamerlyViews(memory).data` and then calls {@link fillRowNorms}.
 */
export function allocateHamerly(
  n: number,
  d: number,
  k: number,
  shared: boolean,
  kernel?: (layout: HamerlyLayout, pages: number, shared: boolean) => Uint8Array<ArrayBuffer> | null,
): HamerlyMemory {
  const layout = hamerlyLayout(n, d, k);
  const control = shared ? new SharedArrayBuffer(4 * 8) : new ArrayBuffer(4 * 8);
  const pages = Math.ceil(layout.bytes / 65536);
  if (kernel && layout.bytes <= WASM_MAX_BYTES) {
    const bytes = kernel(layout, pages, shared);
    if (bytes) {
      try {
        const memory = new WebAssembly.Memory({ initial: pages, maximum: pages, shared });
        return { n, d, k, buffer: memory.buffer, control, wasm: { memory, bytes } };
      } catch {
        // No room for one contiguous memory of this size: plain buffers and the TypeScript passes.
      }
    }
  }
  const buffer = shared ? new SharedArrayBuffer(layout.bytes) : new ArrayBuffer(layout.bytes);
  return { n, d, k, buffer, control };
}

/** ‖x‖² of every row of `v.data` (once per run, after the data are written). */
export function fillRowNorms(v: HamerlyViews): void {
  const { n, d, data, rowNorms } = v;
  for (let i = 0, base = 0; i < n; i++, base += d) {
    let s = 0;
    for (let j = 0; j < d; j++) s += data[base + j] * data[base + j];
    rowNorms[i] = s;
  }
}

/** Typed views over a memory (on any thread), with the kernel compiled when the memory has one. */
export function hamerlyViews(m: HamerlyMemory): HamerlyViews {
  const { n, d, k } = m;
  const L = hamerlyLayout(n, d, k);
  const buf = m.wasm ? m.wasm.memory.buffer : m.buffer;
  const f64 = (at: number, length: number) => new Float64Array(buf, at, length);
  const i32 = (at: number, length: number) => new Int32Array(buf, at, length);
  const kd = k * d;
  const pairs = Math.ceil(k / 2);
  const views: HamerlyViews = {
    n, d, k, blocks: L.blocks, blockRows: L.blockRows,
    data: f64(L.data, n * d),
    labels: i32(L.labels, n),
    pending: i32(L.pending, n),
    blockChanged: i32(L.blockChanged, L.blocks),
    blockPending: i32(L.blockPending, L.blocks),
    upper: f64(L.upper, n),
    lower: f64(L.lower, n),
    rowNorms: f64(L.rowNorms, n),
    blockSums: f64(L.blockSums, L.blocks * kd),
    blockCounts: f64(L.blockCounts, L.blocks * k),
    params: f64(L.params, PARAMS),
    centers: f64(L.centers, kd),
    scaled: f64(L.scaled, kd),
    norms: f64(L.norms, k),
    half: f64(L.half, k),
    moved: f64(L.moved, k),
    pairs: f64(L.pairs, 2 * pairs * d),
    pairNorms: f64(L.pairNorms, 2 * pairs),
    control: new Int32Array(m.control),
  };
  if (m.wasm) views.kernel = compileKernel(m.wasm);
  return views;
}

function compileKernel(wasm: { memory: WebAssembly.Memory; bytes: Uint8Array<ArrayBuffer> }): ((b: number) => void) | undefined {
  try {
    // Synchronous compile: fine in workers and Node (a browser's main thread refuses modules
    // over 4 KB this way, and then runs the TypeScript passes, which give the same result).
    const instance = new WebAssembly.Instance(new WebAssembly.Module(wasm.bytes), { env: { memory: wasm.memory } });
    return instance.exports.block as (b: number) => void;
  } catch {
    return undefined;
  }
}

/**
 * Copies the pass's −2·c and ‖c‖² (`v.scaled`, `v.norms`) into the kernel's pair layout:
 * feature j of centres 2p and 2p+1 side by side; the pad centre of an odd k scores +∞.
 */
export function packCentrePairs(v: HamerlyViews): void {
  const { d, k, scaled, norms, pairs, pairNorms } = v;
  for (let c = 0; c < 2 * Math.ceil(k / 2); c++) {
    const p = c >> 1;
    const lane = c & 1;
    pairNorms[2 * p + lane] = c < k ? norms[c] : Infinity;
    for (let j = 0; j < d; j++) pairs[2 * (p * d + j) + lane] = c < k ? scaled[c * d + j] : 0;
  }
}

