import { throwIfAborted } from '../errors';
import type { ProgressCallback } from '../progress';
import { createRng } from '../random';
import { checkMatrix } from './data-matrix';
import { checkK } from './kmeans';
import type { KMeansResult } from './kmeans';
import { kmeansPlusPlus } from './kmeans-init';
import { assignOnly, inertiaOf, nearestCentre, prepareCentres } from './kmeans-lloyd';

/** Options of {@link fitMiniBatchKMeans}; defaults follow scikit-learn 1.2's `MiniBatchKMeans`. */
export interface MiniBatchKMeansOptions {
  /** Number of clusters (≥ 1, ≤ rows). */
  k: number;
  /** Rows per mini-batch (default 1024). */
  batchSize?: number;
  /** Passes over the data, in epochs: the run takes `maxIter × n / batchSize` steps (default 100). */
  maxIter?: number;
  /** k-means++ starts, each on the same random subsample of `initSize` rows (default 3). */
  nInit?: number;
  /** Rows in the seeding subsample (default 3 × batchSize, at least 3k, at most n). */
  initSize?: number;
  /**
   * Stop after this many steps without improvement of the smoothed batch inertia (default 10),
   * scikit-learn's `max_no_improvement`.
   */
  maxNoImprovement?: number;
  /** Seed for the subsample, starts and batches (default 0). */
  seed?: number;
}

/**
 * Mini-batch k-means (Sculley 2010, "Web-scale k-means clustering"), the variant of scikit-learn
 * 1.2's `MiniBatchKMeans`: k-means++ on a subsample (best of `nInit`), then steps that draw
 * `batchSize` rows with replacement and move each centre toward the mean of its batch rows with a
 * per-centre learning rate 1 / (rows it has seen). Stops early when the exponentially weighted
 * batch inertia has not improved for `maxNoImprovement` steps. Labels and inertia are then
 * computed exactly over all rows. Unlike scikit-learn it does not randomly reassign small centres.
 *
 * For large n (≳ 100 000 rows) where full Lloyd iterations are too slow; inertia is typically
 * within a few percent of {@link fitKMeans}.
 */
export function fitMiniBatchKMeans(
  data: Float64Array,
  n: number,
  d: number,
  options: MiniBatchKMeansOptions,
  signal?: AbortSignal,
  onProgress?: ProgressCallback,
): KMeansResult {
  checkMatrix(data, n, d, 'mini-batch k-means');
  const k = options.k;
  checkK(k, n);
  const batchSize = Math.max(1, Math.min(n, Math.floor(options.batchSize ?? 1024)));
  const maxIter = Math.max(1, options.maxIter ?? 100);
  const nInit = Math.max(1, Math.floor(options.nInit ?? 3));
  const initSize = Math.min(n, Math.max(3 * k, Math.floor(options.initSize ?? 3 * batchSize)));
  const maxNoImprovement = Math.max(1, Math.floor(options.maxNoImprovement ?? 10));
  const rng = createRng(options.seed ?? 0);

  // Seeding subsample (with replacement, like scikit-learn's `randint`), reused to pick the start.
  const sample = new Float64Array(initSize * d);
  for (let r = 0; r < initSize; r++) {
    const row = rng.int(n);
    sample.set(data.subarray(row * d, row * d + d), r * d);
  }
  const sampleLabels = new Int32Array(initSize);
  const scaled = new Float64Array(k * d);
  const norms = new Float64Array(k);
  let centers: Float64Array = new Float64Array(0);
  let bestInertia = Infinity;
  for (let s = 0; s < nInit; s++) {
    throwIfAborted(signal);
    const start = kmeansPlusPlus(sample, initSize, d, k, rng, undefined, signal).centers;
    prepareCentres(start, k, d, scaled, norms);
    sampleLabels.fill(-1);
    assignOnly(sample, d, scaled, norms, k, sampleLabels, 0, initSize);
    const inertia = inertiaOf(sample, initSize, d, start, sampleLabels);
    if (inertia < bestInertia) {
      bestInertia = inertia;
      centers = start;
    }
  }

  const steps = Math.max(1, Math.floor((maxIter * n) / batchSize));
  const seen = new Float64Array(k);
  const batchSums = new Float64Array(k * d);
  const batchCounts = new Float64Array(k);
  const alpha = Math.min(1, (2 * batchSize) / (n + 1));
  let ewa = NaN;
  let bestEwa = Infinity;
  let sinceImprovement = 0;
  let step = 0;
  for (; step < steps; step++) {
    if ((step & 15) === 0) {
      throwIfAborted(signal);
      onProgress?.({ stage: `mini-batch ${step + 1} of ${steps}`, fraction: step / steps });
    }
    prepareCentres(centers, k, d, scaled, norms);
    batchSums.fill(0);
    batchCounts.fill(0);
    let batchInertia = 0;
    for (let b = 0; b < batchSize; b++) {
      const row = rng.int(n);
      const c = nearestCentre(data, row * d, d, scaled, norms, k);
      batchCounts[c] += 1;
      for (let j = 0; j < d; j++) {
        const v = data[row * d + j];
        batchSums[c * d + j] += v;
        const diff = v - centers[c * d + j];
        batchInertia += diff * diff;
      }
    }
    for (let c = 0; c < k; c++) {
      if (batchCounts[c] === 0) continue;
      const total = seen[c] + batchCounts[c];
      for (let j = 0; j < d; j++) {
        const at = c * d + j;
        centers[at] = (centers[at] * seen[c] + batchSums[at]) / total;
      }
      seen[c] = total;
    }
    // Early stopping on the smoothed mean batch inertia, as scikit-learn's `_mini_batch_convergence`.
    const meanInertia = batchInertia / batchSize;
    ewa = Number.isNaN(ewa) ? meanInertia : ewa * (1 - alpha) + meanInertia * alpha;
    if (ewa < bestEwa) {
      bestEwa = ewa;
      sinceImprovement = 0;
    } else if (++sinceImprovement >= maxNoImprovement) {
      step++;
      break;
    }
  }

  throwIfAborted(signal);
  const labels = new Int32Array(n).fill(-1);
  prepareCentres(centers, k, d, scaled, norms);
  assignOnly(data, d, scaled, norms, k, labels, 0, n);
  const inertia = inertiaOf(data, n, d, centers, labels);
  onProgress?.({ stage: 'done', fraction: 1, detail: { inertia } });
  return { labels, centroids: centers, inertia, iterations: step, converged: step < steps };
}
