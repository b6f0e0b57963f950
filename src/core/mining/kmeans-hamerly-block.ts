/**
 * One block of rows of a Hamerly k-means pass, over memory that several threads can share. The
 * rows are cut into blocks whose size depends on n only; each block keeps its own partial centre
 * sums, so whichever thread runs a block, and in whatever order, the totals (added up in block
 * order by the caller) and therefore the whole run are the same to the last bit.
 */

import { P, type HamerlyViews } from './kmeans-hamerly-memory';

/**
 * Runs block `b` of the pass described by `v.params`: mode 0 measures every row of the block
 * (the first iteration); mode 1 loosens the bounds by the last centre moves and measures only the
 * rows whose bounds fail. Writes the block's rows, partial sums, changed and pending counts.
 */
export function hamerlyBlock(v: HamerlyViews, b: number): void {
  if (v.kernel) {
    v.kernel(b);
    return;
  }
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
