import { AppError, throwIfAborted } from '../errors';
import type { ProgressCallback } from '../progress';
import { checkMatrix } from './data-matrix';
import { KdTree } from './kdtree';

/** Options of {@link fitDbscan}. */
export interface DbscanOptions {
  /** Neighbourhood radius, in the (scaled) feature units; two rows are neighbours when distance ≤ eps. */
  eps: number;
  /** Rows within eps, the row itself included, that make a row a core row (default 5, as scikit-learn). */
  minSamples?: number;
}

/** A DBSCAN clustering. */
export interface DbscanResult {
  /** Cluster of each row, 0..clusters-1, or −1 for noise. */
  labels: Int32Array;
  /** 1 for core rows (≥ minSamples rows within eps), 0 otherwise. */
  coreMask: Uint8Array;
  /** Number of clusters found. */
  clusters: number;
  /** Number of noise rows. */
  noise: number;
}

/**
 * DBSCAN (Ester, Kriegel, Sander & Xu 1996) with exactly scikit-learn 1.2's semantics
 * (`sklearn.cluster.DBSCAN`, Euclidean): a row is core when at least `minSamples` rows — itself
 * included — lie at distance ≤ `eps`; clusters are the connected components of core rows plus
 * the non-core rows within eps of one of them; everything else is noise (−1).
 *
 * Cluster numbers follow scikit-learn's `dbscan_inner`: rows are scanned in order and each
 * unlabelled core row starts the next cluster, which is grown depth-first through core rows before
 * the scan moves on. A border row within eps of cores of several clusters therefore belongs to
 * the cluster whose lowest-numbered core row comes first — the same labels as scikit-learn, not
 * merely the same partition.
 *
 * Neighbourhoods come from a {@link KdTree}, so low-dimensional data costs about O(n log n) plus
 * the size of the neighbourhoods, and nothing of size O(n × neighbours) is stored: each row's
 * neighbourhood is counted once (stopping at minSamples) and listed once if it is core.
 */
export function fitDbscan(
  data: Float64Array,
  n: number,
  d: number,
  options: DbscanOptions,
  signal?: AbortSignal,
  onProgress?: ProgressCallback,
): DbscanResult {
  checkMatrix(data, n, d, 'DBSCAN');
  const { eps } = options;
  const minSamples = options.minSamples ?? 5;
  if (!(eps > 0) || !Number.isFinite(eps)) {
    throw new AppError('invalid-argument', `DBSCAN: eps must be a positive number; got ${eps}.`);
  }
  if (!Number.isInteger(minSamples) || minSamples < 1) {
    throw new AppError('invalid-argument', `DBSCAN: minSamples must be a whole number ≥ 1; got ${minSamples}.`);
  }
  const r2 = eps * eps;
  const tree = new KdTree(data, n, d);
  const coreMask = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    if ((i & 1023) === 0) {
      throwIfAborted(signal);
      onProgress?.({ stage: 'finding core rows', fraction: (0.5 * i) / n });
    }
    if (tree.radius(data, i * d, r2, minSamples, false) >= minSamples) coreMask[i] = 1;
  }

  const labels = new Int32Array(n).fill(-1);
  const stack = new Int32Array(n);
  let clusters = 0;
  let visited = 0;
  for (let i = 0; i < n; i++) {
    if (labels[i] !== -1 || coreMask[i] === 0) continue;
    // A row is labelled when pushed, so it is pushed once; whole components finish before the
    // scan goes on, which is all that scikit-learn's label order depends on.
    const label = clusters++;
    let top = 0;
    labels[i] = label;
    stack[top++] = i;
    while (top > 0) {
      const row = stack[--top];
      if (coreMask[row] === 0) continue;
      if ((++visited & 1023) === 0) {
        throwIfAborted(signal);
        onProgress?.({ stage: 'growing clusters', fraction: 0.5 + (0.5 * visited) / n, detail: { clusters } });
      }
      const count = tree.radius(data, row * d, r2);
      const found = tree.result;
      for (let t = 0; t < count; t++) {
        const v = found[t];
        if (labels[v] === -1) {
          labels[v] = label;
          stack[top++] = v;
        }
      }
    }
  }
  let noise = 0;
  for (let i = 0; i < n; i++) if (labels[i] === -1) noise++;
  onProgress?.({ stage: 'done', fraction: 1, detail: { clusters, noise } });
  return { labels, coreMask, clusters, noise };
}

/**
 * Distance from every row to its k-th nearest row, counting the row itself as the first
 * (scikit-learn's `NearestNeighbors(n_neighbors=k).kneighbors(X)[0][:, -1]`). With k =
 * minSamples this is the smallest eps that makes each row core; sorted descending it is the
 * k-distance chart whose knee suggests eps (Ester et al. 1996, §4.2). Units: feature units.
 */
export function kDistances(
  data: Float64Array,
  n: number,
  d: number,
  k: number,
  signal?: AbortSignal,
  onProgress?: ProgressCallback,
): Float64Array {
  checkMatrix(data, n, d, 'k-distance');
  if (!Number.isInteger(k) || k < 1 || k > n) {
    throw new AppError('invalid-argument', `k-distance: k must be a whole number from 1 to ${n}; got ${k}.`);
  }
  const tree = new KdTree(data, n, d);
  const best = new Float64Array(k);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    if ((i & 1023) === 0) {
      throwIfAborted(signal);
      onProgress?.({ stage: 'measuring neighbour distances', fraction: i / n });
    }
    out[i] = Math.sqrt(tree.kthNearest(data, i * d, k, best));
  }
  onProgress?.({ stage: 'done', fraction: 1 });
  return out;
}
