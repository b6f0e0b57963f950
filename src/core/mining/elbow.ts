import { AppError, throwIfAborted } from '../errors';
import type { ProgressCallback } from '../progress';
import { fitKMeans } from './kmeans';
import type { KMeansOptions } from './kmeans';

/** Options of {@link elbowCurve}: the k range plus the k-means options used at every k. */
export interface ElbowOptions extends Omit<KMeansOptions, 'k' | 'init'> {
  /** Largest k tried (≥ 1). */
  maxK: number;
  /** Smallest k tried (default 1). */
  minK?: number;
}

/** Inertia of the best k-means fit for each k in the range, for the elbow chart. */
export interface ElbowCurve {
  /** The k values tried, ascending. */
  ks: Int32Array;
  /** Within-cluster sum of squares at each k (squared feature units); non-increasing in practice. */
  inertias: Float64Array;
}

/**
 * The elbow method (Thorndike 1953): fits {@link fitKMeans} (k-means++, same seed) for every k
 * from `minK` to `maxK` and returns the inertias, so the analyst can see where adding clusters
 * stops paying. {@link suggestElbow} picks the bend. Progress fraction spans all k.
 */
export function elbowCurve(
  data: Float64Array,
  n: number,
  d: number,
  options: ElbowOptions,
  signal?: AbortSignal,
  onProgress?: ProgressCallback,
): ElbowCurve {
  const minK = Math.max(1, Math.floor(options.minK ?? 1));
  const maxK = Math.min(n, Math.floor(options.maxK));
  if (!(maxK >= minK)) {
    throw new AppError('invalid-argument', `elbow: maxK must be at least ${minK} and at most ${n}; got ${options.maxK}.`);
  }
  const count = maxK - minK + 1;
  const ks = new Int32Array(count);
  const inertias = new Float64Array(count);
  for (let t = 0; t < count; t++) {
    throwIfAborted(signal);
    const k = minK + t;
    const fit = fitKMeans(data, n, d, { ...options, k, init: 'k-means++' }, signal, (p) =>
      onProgress?.({ stage: `k = ${k}: ${p.stage}`, fraction: (t + (p.fraction ?? 0)) / count, detail: p.detail }),
    );
    ks[t] = k;
    inertias[t] = fit.inertia;
  }
  return { ks, inertias };
}

/**
 * The k at the bend of an elbow curve: the point farthest from the straight line joining the
 * first and last points once both axes are scaled to [0, 1] (the "kneedle" idea, Satopää et al.
 * 2011, without smoothing). Returns the first k when there are fewer than three points.
 */
export function suggestElbow(curve: ElbowCurve): number {
  const { ks, inertias } = curve;
  const m = ks.length;
  if (m < 3) return ks[0];
  const x0 = ks[0];
  const xSpan = ks[m - 1] - x0 || 1;
  const y0 = inertias[0];
  const ySpan = y0 - inertias[m - 1] || 1;
  let best = 0;
  let bestGap = -Infinity;
  for (let t = 0; t < m; t++) {
    // On the chord the scaled inertia falls linearly from 1 to 0; the gap is how far below it we are.
    const x = (ks[t] - x0) / xSpan;
    const y = (inertias[t] - inertias[m - 1]) / ySpan;
    const gap = 1 - x - y;
    if (gap > bestGap) {
      bestGap = gap;
      best = t;
    }
  }
  return ks[best];
}
