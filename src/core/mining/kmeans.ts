import { AppError, throwIfAborted } from '../errors';
import type { ProgressCallback } from '../progress';
import { createRng } from '../random';
import type { Rng } from '../random';
import { checkMatrix, checkShape, columnMeans } from './data-matrix';
import { inlineBlocks, type BlockHelpers, type BlockRunner } from '../block-pool';
import { HamerlyBuffers, runHamerly } from './kmeans-hamerly';
import { allocateHamerly, blockRowsFor } from './kmeans-hamerly-memory';
import { hamerlyKernel, kernelFits } from './kmeans-kernel';
import { attachHamerlyHelpers } from './kmeans-pool';
import { kmeansPlusPlus, randomRows } from './kmeans-init';
import { assignAndSum, assignOnly, centreShift, inertiaOf, prepareCentres, updateCentres } from './kmeans-lloyd';

/** How k-means picks its starting centres: scikit-learn's two schemes, or explicit k × d centres. */
export type KMeansInit = 'k-means++' | 'random' | Float64Array;

/** Options of {@link fitKMeans}; defaults are scikit-learn 1.2's `KMeans`. */
export interface KMeansOptions {
  /** Number of clusters (≥ 1, ≤ rows). */
  k: number;
  /** Independent starts; the one with the lowest inertia wins (default 10; 1 for explicit init). */
  nInit?: number;
  /** Lloyd iterations per start (default 300). */
  maxIter?: number;
  /**
   * Relative tolerance (default 1e-4): a start stops when the summed squared centre shift is
   * ≤ tol × (mean per-feature variance of the data), scikit-learn's convention.
   */
  tol?: number;
  /** Seed for the starts (default 0); same seed, same clusters. */
  seed?: number;
  /** Seeding scheme (default 'k-means++'). */
  init?: KMeansInit;
  /**
   * How each iteration finds nearest centres (default 'hamerly'). Both run the same Lloyd
   * iterations with the same result (up to exact distance ties); 'hamerly' skips rows whose
   * distance bounds prove they keep their cluster (Hamerly 2010) at the cost of 16 bytes a row,
   * 'lloyd' measures every row against every centre each time.
   */
  algorithm?: 'lloyd' | 'hamerly';
}

/** A fitted k-means model. */
export interface KMeansResult {
  /** Cluster of each row, 0..k-1. */
  labels: Int32Array;
  /** k × d centres, row-major, in the units of the input features. */
  centroids: Float64Array;
  /** Within-cluster sum of squared distances (units of the features, squared). */
  inertia: number;
  /** Lloyd iterations run by the winning start. */
  iterations: number;
  /** Whether the winning start stopped on tolerance/stable labels rather than `maxIter`. */
  converged: boolean;
  /** Threads that ran the iterations (1 unless helper threads shared them; the result is the same). */
  threads?: number;
  /**
   * What ran the distance passes on the calling thread: the generated WebAssembly SIMD kernel
   * (kmeans-kernel.ts) or the TypeScript loops. Same result either way, to the last bit.
   */
  kernel?: 'wasm-simd' | 'typescript';
}

/**
 * k-means clustering by Lloyd's algorithm with k-means++ starts — the same procedure as
 * scikit-learn 1.2's `KMeans(algorithm='lloyd')` (Lloyd 1982; Arthur & Vassilvitskii 2007):
 * the data are centred on their column means, each of `nInit` starts runs until the labels stop
 * changing or the summed squared centre shift is ≤ `tol × mean variance`, labels are then
 * recomputed for the final centres, and the start with the lowest inertia is kept. By default the
 * iterations are computed with Hamerly's bounds (see kmeans-hamerly.ts), which skip the distance
 * work for rows that provably keep their cluster without changing what each iteration computes.
 *
 * `data` is row-major n × d and is not modified (a centred copy is made: 8·n·d bytes, plus
 * 32·n bytes of bounds for Hamerly). Reports progress per iteration; checks `signal`
 * between iterations (throws AppError 'aborted'). Runs on the calling thread; see
 * {@link fitKMeansShared} for the same fit shared with helper threads.
 */
export function fitKMeans(
  data: Float64Array,
  n: number,
  d: number,
  options: KMeansOptions,
  signal?: AbortSignal,
  onProgress?: ProgressCallback,
): KMeansResult {
  return prepareKMeans(data, n, d, options, false).fit(inlineBlocks, signal, onProgress);
}

/**
 * {@link fitKMeans} with its Hamerly passes shared between this thread and `helpers` (threads
 * started by the caller, see block-pool.ts and kmeans-pool.ts) over SharedArrayBuffers: labels, centres, inertia
 * and iterations are the same as on one thread, to the last bit. Falls back to this thread alone
 * when there is no SharedArrayBuffer, the table fits in one block of rows, the algorithm is
 * 'lloyd', or the helpers do not pick the run up within 5 s. Asynchronous only while handing the
 * run to the helpers (a blocked thread cannot pass them messages in a browser); the iterations
 * themselves run synchronously, the threads meeting through Atomics.
 */
export async function fitKMeansShared(
  data: Float64Array,
  n: number,
  d: number,
  options: KMeansOptions,
  helpers: BlockHelpers,
  signal?: AbortSignal,
  onProgress?: ProgressCallback,
): Promise<KMeansResult> {
  const worth = helpers.size > 0 && (options.algorithm ?? 'hamerly') === 'hamerly' && n > blockRowsFor(n) && typeof SharedArrayBuffer !== 'undefined';
  const run = prepareKMeans(data, n, d, options, worth);
  if (!worth || !run.hamerly) return run.fit(inlineBlocks, signal, onProgress);
  let runner: Awaited<ReturnType<typeof attachHamerlyHelpers>>;
  try {
    runner = await attachHamerlyHelpers(helpers, run.hamerly.memory);
  } catch {
    // Helpers that did not start leave the run to this thread: same result, only slower.
    return run.fit(inlineBlocks, signal, onProgress);
  }
  try {
    return run.fit(runner, signal, onProgress);
  } finally {
    runner.close();
  }
}

/** A k-means fit ready to run: options checked, data centred, buffers allocated (shared or not). */
interface PreparedKMeans {
  hamerly: HamerlyBuffers | null;
  fit(runner: BlockRunner, signal?: AbortSignal, onProgress?: ProgressCallback): KMeansResult;
}

function prepareKMeans(data: Float64Array, n: number, d: number, options: KMeansOptions, shared: boolean): PreparedKMeans {
  checkShape(data, n, d, 'k-means');
  // A missing or infinite value makes its column's sum non-finite: only then look for the cell.
  const mean = columnMeans(data, n, d);
  if (!mean.every(Number.isFinite)) checkMatrix(data, n, d, 'k-means');
  const k = options.k;
  checkK(k, n);
  const init = options.init ?? 'k-means++';
  const explicit = init instanceof Float64Array;
  if (explicit && init.length !== k * d) {
    throw new AppError('invalid-argument', `k-means: initial centres hold ${init.length} numbers; k × d is ${k * d}.`);
  }
  const nInit = explicit ? 1 : Math.max(1, Math.floor(options.nInit ?? 10));
  const maxIter = Math.max(1, Math.floor(options.maxIter ?? 300));
  const rng = createRng(options.seed ?? 0);
  const algorithm = options.algorithm ?? 'hamerly';
  if (algorithm !== 'lloyd' && algorithm !== 'hamerly') {
    throw new AppError('invalid-argument', `k-means: unknown algorithm "${String(algorithm)}"; use 'lloyd' or 'hamerly'.`);
  }
  const lloyd = algorithm === 'lloyd' ? new LloydBuffers(n, d, k) : null;
  const hamerly = algorithm === 'hamerly'
    ? new HamerlyBuffers(allocateHamerly(n, d, k, shared, kernelFits(d, k) ? hamerlyKernel : undefined))
    : null;
  // Centring (as scikit-learn does) keeps ‖c‖² − 2x·c accurate when features sit far from zero.
  // One pass also gives ‖x‖² of each row and the tolerance's scale: the mean column variance
  // (numpy's np.mean(np.var(X, 0)), summed in the order data-matrix.ts's meanColumnVariance does).
  const centred = hamerly ? hamerly.views.data : new Float64Array(data.length);
  const rowNorms = hamerly?.views.rowNorms;
  let squares = 0;
  for (let i = 0, base = 0; i < n; i++, base += d) {
    let s = 0;
    for (let j = 0; j < d; j++) {
      const v = data[base + j] - mean[j];
      centred[base + j] = v;
      s += v * v;
      squares += v * v;
    }
    if (rowNorms) rowNorms[i] = s;
  }
  const tol = (options.tol ?? 1e-4) * (squares / (n * d));
  const fit = (runner: BlockRunner, signal?: AbortSignal, onProgress?: ProgressCallback): KMeansResult => {
    let best: KMeansResult | null = null;
    for (let run = 0; run < nInit; run++) {
      throwIfAborted(signal);
      const start = explicit ? centreInit(init, mean, k, d) : seedCentres(centred, n, d, k, init, rng, signal);
      const report = (iteration: number, shift: number): void =>
        onProgress?.({
          stage: `start ${run + 1} of ${nInit}, iteration ${iteration}`,
          fraction: (run + Math.min(1, iteration / maxIter)) / nInit,
          detail: { start: run + 1, iteration, shift },
        });
      const result = hamerly
        ? runHamerly(start, maxIter, tol, hamerly, runner, signal, report)
        : runLloyd(centred, n, d, k, start, maxIter, tol, lloyd as LloydBuffers, signal, report);
      // Copied out of shared memory: the labels returned are the caller's own, transferable array.
      if (best === null || result.inertia < best.inertia) best = { ...result, labels: Int32Array.from(result.labels) };
    }
    const winner = best as KMeansResult;
    winner.threads = runner.threads;
    winner.kernel = hamerly?.views.kernel ? 'wasm-simd' : 'typescript';
    for (let c = 0; c < k; c++) for (let j = 0; j < d; j++) winner.centroids[c * d + j] += mean[j];
    onProgress?.({ stage: 'done', fraction: 1, detail: { inertia: winner.inertia } });
    return winner;
  };
  return { hamerly, fit };
}

/** Reusable buffers of one Lloyd run (no allocation per iteration). */
export class LloydBuffers {
  readonly labels: Int32Array;
  readonly sums: Float64Array;
  readonly counts: Float64Array;
  readonly norms: Float64Array;
  readonly scaled: Float64Array;
  readonly next: Float64Array;
  constructor(n: number, d: number, k: number) {
    this.labels = new Int32Array(n);
    this.sums = new Float64Array(k * d);
    this.counts = new Float64Array(k);
    this.norms = new Float64Array(k);
    this.scaled = new Float64Array(k * d);
    this.next = new Float64Array(k * d);
  }
}

/**
 * One Lloyd run from `start` (k × d, consumed): scikit-learn's `_kmeans_single_lloyd`. Iterates
 * assign + update; stops on identical labels ("strict convergence") or shift ≤ `tolAbs`
 * (absolute, already scaled); relabels for the final centres when it did not converge strictly.
 * The returned `labels` array is `work.labels` (copy it before the next run).
 */
export function runLloyd(
  data: Float64Array,
  n: number,
  d: number,
  k: number,
  start: Float64Array,
  maxIter: number,
  tolAbs: number,
  work: LloydBuffers,
  signal?: AbortSignal,
  onIteration?: (iteration: number, shift: number) => void,
): KMeansResult {
  const { labels, sums, counts, norms, scaled } = work;
  let centers = start;
  let next = work.next;
  labels.fill(-1);
  let strict = false;
  let converged = false;
  let iteration = 0;
  while (iteration < maxIter) {
    throwIfAborted(signal);
    prepareCentres(centers, k, d, scaled, norms);
    sums.fill(0);
    counts.fill(0);
    const changed = assignAndSum(data, d, scaled, norms, k, labels, sums, counts, 0, n);
    updateCentres(data, n, d, k, centers, labels, sums, counts, next);
    const shift = centreShift(centers, next);
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
    prepareCentres(centers, k, d, scaled, norms);
    assignOnly(data, d, scaled, norms, k, labels, 0, n);
  }
  const inertia = inertiaOf(data, n, d, centers, labels);
  return { labels, centroids: centers.slice(), inertia, iterations: iteration, converged };
}

function seedCentres(
  data: Float64Array,
  n: number,
  d: number,
  k: number,
  init: 'k-means++' | 'random',
  rng: Rng,
  signal?: AbortSignal,
): Float64Array {
  if (init === 'random') return randomRows(data, n, d, k, rng).centers;
  if (init !== 'k-means++') throw new AppError('invalid-argument', `k-means: unknown init "${String(init)}".`);
  return kmeansPlusPlus(data, n, d, k, rng, undefined, signal).centers;
}

function centreInit(init: Float64Array, mean: Float64Array, k: number, d: number): Float64Array {
  const out = new Float64Array(k * d);
  for (let c = 0; c < k; c++) for (let j = 0; j < d; j++) out[c * d + j] = init[c * d + j] - mean[j];
  return out;
}

/** Throws AppError 'invalid-argument' unless 1 ≤ k ≤ n. */
export function checkK(k: number, n: number): void {
  if (!Number.isInteger(k) || k < 1 || k > n) {
    throw new AppError(
      'invalid-argument',
      `k-means: the number of clusters must be a whole number from 1 to ${n} (the number of rows); got ${k}.`,
    );
  }
}
