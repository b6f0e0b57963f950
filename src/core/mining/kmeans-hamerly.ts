import { inlineBlocks, type BlockRunner } from '../block-pool';
import { throwIfAborted } from '../errors';
import type { KMeansResult } from './kmeans';
import { centreShift, inertiaOf, prepareCentres, updateCentres } from './kmeans-lloyd';
import { hamerlyBlock } from './kmeans-hamerly-block';
import { hamerlyViews, packCentrePairs, type HamerlyMemory, type HamerlyViews, P } from './kmeans-hamerly-memory';

export { blockRowsFor, type HamerlyMemory } from './kmeans-hamerly-memory';

/**
 * Reusable state of Hamerly runs: the per-row bounds and labels and the per-block partial sums
 * live in {@link HamerlyMemory} (SharedArrayBuffers when `shared`, so pool threads can work on
 * them); the centre totals and the next centres stay with the caller.
 */
export class HamerlyBuffers {
  readonly views: HamerlyViews;
  readonly sums: Float64Array;
  readonly counts: Float64Array;
  readonly next: Float64Array;
  constructor(readonly memory: HamerlyMemory) {
    this.views = hamerlyViews(memory);
    const { k, d } = memory;
    this.sums = new Float64Array(k * d);
    this.counts = new Float64Array(k);
    this.next = new Float64Array(k * d);
  }
}

/**
 * Lloyd's iterations computed with Hamerly's bounds (Hamerly 2010, "Making k-means even faster"):
 * each row keeps an upper bound on the distance to its centre and a lower bound on the distance
 * to any other, loosened by how far the centres move; while they still separate, the row cannot
 * change cluster and costs no distance at all. Centre sums are kept up to date by moving only the
 * rows that change cluster (per block of rows, added up in block order), so a settled row is not
 * even read. A row that is measured goes through the same arithmetic as {@link runLloyd}'s kernel
 * (‖c‖² − 2x·c, first minimum), so each iteration assigns the labels a plain Lloyd step assigns,
 * and iterations, stopping rule (labels stable, or centre shift ≤ `tolAbs`) and result are
 * scikit-learn's Lloyd's (centres to within rounding of the running sums). `runner` decides where
 * the blocks run (this thread, or a pool of threads over shared memory): same result either way.
 */
export function runHamerly(
  start: Float64Array,
  maxIter: number,
  tolAbs: number,
  work: HamerlyBuffers,
  runner: BlockRunner = inlineBlocks,
  signal?: AbortSignal,
  onIteration?: (iteration: number, shift: number) => void,
): KMeansResult {
  const v = work.views;
  const { n, d, k } = v;
  const { labels, moved, params } = v;
  let centers = start;
  let next = work.next;
  let strict = false;
  let converged = false;
  let iteration = 0;
  labels.fill(-1);
  v.blockSums.fill(0);
  v.blockCounts.fill(0);
  // Bounds are loosened lazily, row by row, at the next visit, by the last centre moves: the
  // largest (by centre `mostAt`) and the second largest.
  params[P.tighten] = 1;
  const pass = (mode: 0 | 1): { changed: number; pending: number } => {
    v.centers.set(centers);
    prepareCentres(centers, k, d, v.scaled, v.norms);
    packCentrePairs(v);
    let maxNorm = 0;
    for (let c = 0; c < k; c++) if (v.norms[c] > maxNorm) maxNorm = v.norms[c];
    params[P.maxNorm] = maxNorm;
    params[P.mode] = mode;
    if (mode === 1) halfGaps(centers, k, d, v.half);
    runner.run(v.blocks, (b) => hamerlyBlock(v, b));
    let changed = 0;
    let pending = 0;
    for (let b = 0; b < v.blocks; b++) {
      changed += v.blockChanged[b];
      pending += v.blockPending[b];
    }
    // While most rows fail their bounds anyway, measuring their own centre first is wasted work.
    params[P.tighten] = pending < n / 2 ? 1 : 0;
    return { changed, pending };
  };
  while (iteration < maxIter) {
    throwIfAborted(signal);
    const { changed } = pass(iteration === 0 ? 0 : 1);
    totalSums(v, work.sums, work.counts);
    updateCentres(v.data, n, d, k, centers, labels, work.sums, work.counts, next);
    const shift = centreShift(centers, next);
    let most = 0;
    let mostAt = -1;
    let second = 0;
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
    params[P.most] = most;
    params[P.mostAt] = mostAt;
    params[P.second] = second;
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
  // Relabel for the final centres, as scikit-learn does after a tolerance or max_iter stop.
  if (!strict) pass(1);
  const inertia = inertiaOf(v.data, n, d, centers, labels);
  return { labels, centroids: centers.slice(), inertia, iterations: iteration, converged };
}

/** Centre sums and counts: the blocks' partial sums added in block order (the same order on any runner). */
function totalSums(v: HamerlyViews, sums: Float64Array, counts: Float64Array): void {
  const kd = v.k * v.d;
  sums.fill(0);
  counts.fill(0);
  for (let b = 0; b < v.blocks; b++) {
    for (let t = 0, o = b * kd; t < kd; t++) sums[t] += v.blockSums[o + t];
    for (let c = 0, o = b * v.k; c < v.k; c++) counts[c] += v.blockCounts[o + c];
  }
}

function distanceTo(a: Float64Array, ab: number, b: Float64Array, bb: number, d: number): number {
  let s = 0;
  for (let j = 0; j < d; j++) {
    const x = a[ab + j] - b[bb + j];
    s += x * x;
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
