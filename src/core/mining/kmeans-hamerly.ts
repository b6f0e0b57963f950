import { throwIfAborted } from '../errors';
import { rowSquaredNorms } from './data-matrix';
import type { KMeansResult } from './kmeans';
import { centreShift, inertiaOf, prepareCentres, updateCentres } from './kmeans-lloyd';

/** Reusable buffers of Hamerly runs: labels, two distance bounds and ‖x‖² per row, centre state. */
export class HamerlyBuffers {
  readonly labels: Int32Array;
  /** Upper bound on the distance from each row to its assigned centre. */
  readonly upper: Float64Array;
  /** Lower bound on the distance from each row to every other centre. */
  readonly lower: Float64Array;
  /** ‖x‖² of each row (turns centre scores into distances). */
  readonly rowNorms: Float64Array;
  /** Rows whose bounds failed this iteration, measured in one batch. */
  readonly pending: Int32Array;
  readonly sums: Float64Array;
  readonly counts: Float64Array;
  /** Scratch copies of sums/counts, so empty-cluster relocation never touches the running sums. */
  readonly sumsCopy: Float64Array;
  readonly countsCopy: Float64Array;
  readonly next: Float64Array;
  readonly scaled: Float64Array;
  readonly norms: Float64Array;
  /** Half the distance from each centre to its nearest other centre. */
  readonly half: Float64Array;
  /** How far each centre moved in the last update. */
  readonly moved: Float64Array;
  constructor(data: Float64Array, n: number, d: number, k: number) {
    this.labels = new Int32Array(n);
    this.upper = new Float64Array(n);
    this.lower = new Float64Array(n);
    this.rowNorms = rowSquaredNorms(data, n, d);
    this.pending = new Int32Array(n);
    this.sums = new Float64Array(k * d);
    this.counts = new Float64Array(k);
    this.sumsCopy = new Float64Array(k * d);
    this.countsCopy = new Float64Array(k);
    this.next = new Float64Array(k * d);
    this.scaled = new Float64Array(k * d);
    this.norms = new Float64Array(k);
    this.half = new Float64Array(k);
    this.moved = new Float64Array(k);
  }
}

/**
 * Lloyd's iterations computed with Hamerly's bounds (Hamerly 2010, "Making k-means even faster"):
 * each row keeps an upper bound on the distance to its centre and a lower bound on the distance
 * to any other, loosened by how far the centres move; while they still separate, the row cannot
 * change cluster and costs no distance at all. Centre sums are kept up to date by moving only the
 * rows that change cluster, so a settled row is not even read. A row that is measured goes
 * through the same arithmetic as {@link runLloyd}'s kernel (‖c‖² − 2x·c, first minimum), so each
 * iteration assigns the labels a plain Lloyd step assigns, and iterations, stopping rule (labels
 * stable, or centre shift ≤ `tolAbs`) and result are scikit-learn's Lloyd's (centres to within
 * rounding of the running sums).
 */
export function runHamerly(
  data: Float64Array,
  n: number,
  d: number,
  k: number,
  start: Float64Array,
  maxIter: number,
  tolAbs: number,
  work: HamerlyBuffers,
  signal?: AbortSignal,
  onIteration?: (iteration: number, shift: number) => void,
): KMeansResult {
  const { labels, moved, pending } = work;
  let centers = start;
  let next = work.next;
  let strict = false;
  let converged = false;
  let iteration = 0;
  // Bounds are loosened lazily, row by row, at the next visit, by the last centre moves: `most`
  // (the largest, by centre `mostAt`) and `second`.
  let most = 0;
  let mostAt = -1;
  let second = 0;
  let tighten = true;
  labels.fill(-1);
  work.sums.fill(0);
  work.counts.fill(0);
  while (iteration < maxIter) {
    throwIfAborted(signal);
    prepareCentres(centers, k, d, work.scaled, work.norms);
    let changed: number;
    if (iteration === 0) {
      changed = scanRows(data, d, k, work, null, n);
    } else {
      const count = checkBounds(data, n, d, centers, work, most, mostAt, second, tighten);
      // While most rows fail their bounds anyway, measuring their own centre first is wasted work.
      tighten = count < n / 2;
      changed = scanRows(data, d, k, work, pending, count);
    }
    work.sumsCopy.set(work.sums);
    work.countsCopy.set(work.counts);
    updateCentres(data, n, d, k, centers, labels, work.sumsCopy, work.countsCopy, next);
    const shift = centreShift(centers, next);
    most = 0;
    mostAt = -1;
    second = 0;
    for (let c = 0; c < k; c++) {
      moved[c] = Math.sqrt(distanceTo(next, c * d, centers, c * d, d));
      if (moved[c] > most) {
        second = most;
        most = moved[c];
        mostAt = c;
      } else if (moved[c] > second) {
        second = moved[c];
      }
    }
    const swap = centers;
    centers = next;
    next = swap;
    iteration++;
    onIteration?.(iteration, shift);
    if (changed === 0) {
      strict = true;
      converged = true;
      break;
    }
    if (shift <= tolAbs) {
      converged = true;
      break;
    }
  }
  if (!strict) {
    // Relabel for the final centres, as scikit-learn does after a tolerance or max_iter stop.
    prepareCentres(centers, k, d, work.scaled, work.norms);
    scanRows(data, d, k, work, pending, checkBounds(data, n, d, centers, work, most, mostAt, second, tighten));
  }
  const inertia = inertiaOf(data, n, d, centers, labels);
  return { labels, centroids: centers.slice(), inertia, iterations: iteration, converged };
}

/**
 * Loosens every row's bounds by the last centre moves and lists in `work.pending` the rows whose
 * bounds no longer prove their cluster, even after measuring the distance to their own centre
 * (when `tighten`). Returns how many were listed.
 */
function checkBounds(
  data: Float64Array,
  n: number,
  d: number,
  centers: Float64Array,
  work: HamerlyBuffers,
  most: number,
  mostAt: number,
  second: number,
  tighten: boolean,
): number {
  const { labels, upper, lower, half, moved, pending } = work;
  halfGaps(centers, moved.length, d, half);
  let count = 0;
  for (let i = 0, base = 0; i < n; i++, base += d) {
    const own = labels[i];
    const u = upper[i] + moved[own];
    const l = lower[i] - (own === mostAt ? second : most);
    upper[i] = u;
    lower[i] = l;
    const bound = half[own] > l ? half[own] : l;
    if (u <= bound) continue;
    if (!tighten) {
      pending[count++] = i;
      continue;
    }
    let s = 0;
    for (let j = 0, cb = own * d; j < d; j++) {
      const v = data[base + j] - centers[cb + j];
      s += v * v;
    }
    const exact = Math.sqrt(s);
    upper[i] = exact;
    if (exact > bound) pending[count++] = i;
  }
  return count;
}

/**
 * Measures rows (`rows[0..count)`, or rows 0..count-1 when `rows` is null) against every centre
 * with the Lloyd kernel, resets their bounds from the nearest and second-nearest scores (padded by
 * the rounding slack of ‖x‖² + ‖c‖² − 2x·c, 1e-12 relative), and moves each row that changes
 * cluster between the running sums. Returns how many rows changed cluster.
 */
function scanRows(data: Float64Array, d: number, k: number, work: HamerlyBuffers, rows: Int32Array | null, count: number): number {
  const { labels, upper, lower, rowNorms, sums, counts, scaled, norms } = work;
  let maxNorm = 0;
  for (let c = 0; c < k; c++) if (norms[c] > maxNorm) maxNorm = norms[c];
  const k4 = k & ~3;
  let changed = 0;
  for (let t = 0; t < count; t++) {
    const i = rows === null ? t : rows[t];
    const base = i * d;
    let best = 0;
    let first = Infinity;
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
      if (a0 < runnerUp) { if (a0 < first) { runnerUp = first; first = a0; best = c; } else runnerUp = a0; }
      if (a1 < runnerUp) { if (a1 < first) { runnerUp = first; first = a1; best = c + 1; } else runnerUp = a1; }
      if (a2 < runnerUp) { if (a2 < first) { runnerUp = first; first = a2; best = c + 2; } else runnerUp = a2; }
      if (a3 < runnerUp) { if (a3 < first) { runnerUp = first; first = a3; best = c + 3; } else runnerUp = a3; }
    }
    for (; c < k; c++, cb += d) {
      let a = norms[c];
      for (let j = 0; j < d; j++) a += data[base + j] * scaled[cb + j];
      if (a < runnerUp) { if (a < first) { runnerUp = first; first = a; best = c; } else runnerUp = a; }
    }
    const xx = rowNorms[i];
    const pad = 1e-12 * (xx + maxNorm);
    upper[i] = Math.sqrt(Math.max(0, xx + first) + pad);
    lower[i] = Math.sqrt(Math.max(0, xx + runnerUp - pad));
    const old = labels[i];
    if (old === best) continue;
    labels[i] = best;
    changed++;
    counts[best] += 1;
    const nb = best * d;
    if (old < 0) {
      for (let j = 0; j < d; j++) sums[nb + j] += data[base + j];
    } else {
      counts[old] -= 1;
      const ob = old * d;
      for (let j = 0; j < d; j++) {
        const v = data[base + j];
        sums[ob + j] -= v;
        sums[nb + j] += v;
      }
    }
  }
  return changed;
}

function distanceTo(a: Float64Array, ab: number, b: Float64Array, bb: number, d: number): number {
  let s = 0;
  for (let j = 0; j < d; j++) {
    const v = a[ab + j] - b[bb + j];
    s += v * v;
  }
  return s;
}

/** Half the distance from each centre to its nearest other centre (Infinity when k = 1). */
function halfGaps(centers: Float64Array, k: number, d: number, half: Float64Array): void {
  half.fill(Infinity);
  for (let a = 0; a < k; a++) {
    for (let b = a + 1; b < k; b++) {
      const gap = 0.5 * Math.sqrt(distanceTo(centers, a * d, centers, b * d, d));
      if (gap < half[a]) half[a] = gap;
      if (gap < half[b]) half[b] = gap;
    }
  }
}
