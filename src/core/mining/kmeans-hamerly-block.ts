/**
 * One block of rows of a Hamerly k-means pass, over memory that several threads can share. The
 * rows are cut into blocks whose size depends on n only; each block keeps its own partial centre
 * sums, so whichever thread runs a block, and in whatever order, the totals (added up in block
 * order by the caller) and therefore the whole run are the same to the last bit.
 */

/** Scalars of a pass, in `HamerlyViews.params`. */
export const P = { mode: 0, most: 1, mostAt: 2, second: 3, tighten: 4, maxNorm: 5 } as const;
const PARAMS = 8;

/** Rows per block: a function of n only (about 64 blocks, at least 4,096 rows each). */
export function blockRowsFor(n: number): number {
  return Math.max(4096, Math.ceil(n / 64));
}

/**
 * The buffers of a Hamerly run, as posted to pool threads: plain ArrayBuffers for a run on one
 * thread, SharedArrayBuffers for a pool. `data` is the (centred) n × d matrix.
 */
export interface HamerlyMemory {
  n: number;
  d: number;
  k: number;
  data: ArrayBufferLike;
  /** Int32: labels (n), pending rows (n), per-block changed (blocks) and pending counts (blocks). */
  ints: ArrayBufferLike;
  /** Float64: upper bounds (n), lower bounds (n), ‖x‖² (n), block sums (blocks·k·d), block counts (blocks·k). */
  floats: ArrayBufferLike;
  /** Float64: pass scalars, centres (k·d), −2·centres (k·d), ‖c‖² (k), half gaps (k), moves (k). */
  centres: ArrayBufferLike;
  /** Int32 slots that pool threads synchronize on (see kmeans-pool.ts). */
  control: ArrayBufferLike;
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
  control: Int32Array;
}

/**
 * Allocates the memory of a run with `alloc` (ArrayBuffer or SharedArrayBuffer) over `data`
 * (n × d, which must fill its own buffer, allocated the same way), and fills ‖x‖² of every row.
 */
export function allocateHamerly(data: Float64Array, n: number, d: number, k: number, alloc: (bytes: number) => ArrayBufferLike): HamerlyMemory {
  const blocks = Math.ceil(n / blockRowsFor(n));
  const memory: HamerlyMemory = {
    n, d, k,
    data: data.buffer,
    ints: alloc(4 * (2 * n + 2 * blocks)),
    floats: alloc(8 * (3 * n + blocks * k * d + blocks * k)),
    centres: alloc(8 * (PARAMS + 2 * k * d + 3 * k)),
    control: alloc(4 * 8),
  };
  const v = hamerlyViews(memory);
  for (let i = 0, base = 0; i < n; i++, base += d) {
    let s = 0;
    for (let j = 0; j < d; j++) s += v.data[base + j] * v.data[base + j];
    v.rowNorms[i] = s;
  }
  return memory;
}

/** Typed views over a memory (on any thread). */
export function hamerlyViews(m: HamerlyMemory): HamerlyViews {
  const { n, d, k } = m;
  const blockRows = blockRowsFor(n);
  const blocks = Math.ceil(n / blockRows);
  const kd = k * d;
  return {
    n, d, k, blocks, blockRows,
    data: new Float64Array(m.data, 0, n * d),
    labels: new Int32Array(m.ints, 0, n),
    pending: new Int32Array(m.ints, 4 * n, n),
    blockChanged: new Int32Array(m.ints, 8 * n, blocks),
    blockPending: new Int32Array(m.ints, 8 * n + 4 * blocks, blocks),
    upper: new Float64Array(m.floats, 0, n),
    lower: new Float64Array(m.floats, 8 * n, n),
    rowNorms: new Float64Array(m.floats, 16 * n, n),
    blockSums: new Float64Array(m.floats, 24 * n, blocks * kd),
    blockCounts: new Float64Array(m.floats, 24 * n + 8 * blocks * kd, blocks * k),
    params: new Float64Array(m.centres, 0, PARAMS),
    centers: new Float64Array(m.centres, 8 * PARAMS, kd),
    scaled: new Float64Array(m.centres, 8 * (PARAMS + kd), kd),
    norms: new Float64Array(m.centres, 8 * (PARAMS + 2 * kd), k),
    half: new Float64Array(m.centres, 8 * (PARAMS + 2 * kd + k), k),
    moved: new Float64Array(m.centres, 8 * (PARAMS + 2 * kd + 2 * k), k),
    control: new Int32Array(m.control),
  };
}

/**
 * Runs block `b` of the pass described by `v.params`: mode 0 measures every row of the block
 * (the first iteration); mode 1 loosens the bounds by the last centre moves and measures only the
 * rows whose bounds fail. Writes the block's rows, partial sums, changed and pending counts.
 */
export function hamerlyBlock(v: HamerlyViews, b: number): void {
  const from = b * v.blockRows;
  const to = Math.min(v.n, from + v.blockRows);
  let changed: number;
  if (v.params[P.mode] === 0) {
    v.blockPending[b] = to - from;
    changed = scanRows(v, b, -1, from, to);
  } else {
    const count = checkBounds(v, from, to);
    v.blockPending[b] = count;
    changed = scanRows(v, b, from, 0, count);
  }
  v.blockChanged[b] = changed;
}

/**
 * Loosens the bounds of rows `from`..`to` by the last centre moves and lists in `v.pending`
 * (from index `from` on) the rows whose bounds no longer prove their cluster, even after measuring
 * the distance to their own centre (when tightening). Returns how many were listed.
 */
function checkBounds(v: HamerlyViews, from: number, to: number): number {
  const { data, d, labels, upper, lower, half, moved, pending, centers, params } = v;
  const most = params[P.most];
  const mostAt = params[P.mostAt];
  const second = params[P.second];
  const tighten = params[P.tighten] === 1;
  let count = 0;
  for (let i = from, base = from * d; i < to; i++, base += d) {
    const own = labels[i];
    const u = upper[i] + moved[own];
    const l = lower[i] - (own === mostAt ? second : most);
    upper[i] = u;
    lower[i] = l;
    const bound = half[own] > l ? half[own] : l;
    if (u <= bound) continue;
    if (!tighten) {
      pending[from + count++] = i;
      continue;
    }
    let s = 0;
    for (let j = 0, cb = own * d; j < d; j++) {
      const x = data[base + j] - centers[cb + j];
      s += x * x;
    }
    const exact = Math.sqrt(s);
    upper[i] = exact;
    if (exact > bound) pending[from + count++] = i;
  }
  return count;
}

/**
 * Measures rows against every centre with the Lloyd kernel: `pending[listAt + t]` for t in
 * [first, last) or, when `listAt` < 0, rows first..last-1. Resets their bounds from the nearest
 * and second-nearest scores (padded by the rounding slack of ‖x‖² + ‖c‖² − 2x·c, 1e-12 relative)
 * and moves each row that changes cluster between block `b`'s partial sums. Returns how many
 * rows changed cluster.
 */
function scanRows(v: HamerlyViews, b: number, listAt: number, first: number, last: number): number {
  const { data, d, k, labels, upper, lower, rowNorms, scaled, norms, pending } = v;
  const sums = v.blockSums;
  const counts = v.blockCounts;
  const sumsAt = b * k * d;
  const countsAt = b * k;
  const pad0 = 1e-12 * v.params[P.maxNorm];
  const k4 = k & ~3;
  let changed = 0;
  for (let t = first; t < last; t++) {
    const i = listAt < 0 ? t : pending[listAt + t];
    const base = i * d;
    let best = 0;
    let top = Infinity;
    let runnerUp = Infinity;
    let c = 0;
    let cb = 0;
    for (; c < k4; c += 4, cb += 4 * d) {
      let a0 = norms[c];
      let a1 = norms[c + 1];
      let a2 = norms[c + 2];
      let a3 = norms[c + 3];
      const cb1 = cb + d;
      const cb2 = cb1 + d;
      const cb3 = cb2 + d;
      for (let j = 0; j < d; j++) {
        const x = data[base + j];
        a0 += x * scaled[cb + j];
        a1 += x * scaled[cb1 + j];
        a2 += x * scaled[cb2 + j];
        a3 += x * scaled[cb3 + j];
      }
      if (a0 < runnerUp) { if (a0 < top) { runnerUp = top; top = a0; best = c; } else runnerUp = a0; }
      if (a1 < runnerUp) { if (a1 < top) { runnerUp = top; top = a1; best = c + 1; } else runnerUp = a1; }
      if (a2 < runnerUp) { if (a2 < top) { runnerUp = top; top = a2; best = c + 2; } else runnerUp = a2; }
      if (a3 < runnerUp) { if (a3 < top) { runnerUp = top; top = a3; best = c + 3; } else runnerUp = a3; }
    }
    for (; c < k; c++, cb += d) {
      let a = norms[c];
      for (let j = 0; j < d; j++) a += data[base + j] * scaled[cb + j];
      if (a < runnerUp) { if (a < top) { runnerUp = top; top = a; best = c; } else runnerUp = a; }
    }
    const xx = rowNorms[i];
    const pad = 1e-12 * xx + pad0;
    upper[i] = Math.sqrt(Math.max(0, xx + top) + pad);
    lower[i] = Math.sqrt(Math.max(0, xx + runnerUp - pad));
    const old = labels[i];
    if (old === best) continue;
    labels[i] = best;
    changed++;
    counts[countsAt + best] += 1;
    const nb = sumsAt + best * d;
    if (old < 0) {
      for (let j = 0; j < d; j++) sums[nb + j] += data[base + j];
    } else {
      counts[countsAt + old] -= 1;
      const ob = sumsAt + old * d;
      for (let j = 0; j < d; j++) {
        const x = data[base + j];
        sums[ob + j] -= x;
        sums[nb + j] += x;
      }
    }
  }
  return changed;
}
