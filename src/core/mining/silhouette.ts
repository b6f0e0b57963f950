import { AppError, throwIfAborted } from '../errors';
import { createRng } from '../random';
import { checkMatrix, sampleRows } from './data-matrix';

/** Rows used by {@link silhouetteScore} when no sample size is given and n is larger. */
export const DEFAULT_SILHOUETTE_SAMPLE = 10_000;

/**
 * Mean silhouette coefficient (Rousseeuw 1987), as scikit-learn's `silhouette_score` with the
 * Euclidean metric: for each row, a = mean distance to the other rows of its cluster, b = the
 * smallest mean distance to the rows of another cluster, s = (b − a) / max(a, b), and s = 0 for a
 * row alone in its cluster. The score is the mean of s, in [−1, 1] (higher: tighter, better
 * separated clusters).
 *
 * Cost is O(m² d) for m scored rows, so when `sampleSize` is given (or n exceeds
 * {@link DEFAULT_SILHOUETTE_SAMPLE} and none is given) the score is computed on a seeded random
 * sample of rows, like scikit-learn's `sample_size`. Every distinct label counts as a cluster,
 * including −1 (DBSCAN noise): drop noise rows first if it should not count.
 */
export function silhouetteScore(
  data: Float64Array,
  n: number,
  d: number,
  labels: Int32Array,
  sampleSize?: number,
  seed = 0,
  signal?: AbortSignal,
): number {
  checkMatrix(data, n, d, 'silhouette');
  if (labels.length !== n) {
    throw new AppError('invalid-argument', `silhouette: ${labels.length} labels for ${n} rows.`);
  }
  const m = Math.min(n, Math.max(2, Math.floor(sampleSize ?? (n > DEFAULT_SILHOUETTE_SAMPLE ? DEFAULT_SILHOUETTE_SAMPLE : n))));
  const rows = pickRows(n, m, seed);

  // Map labels of the scored rows to 0..K-1.
  const codeOf = new Map<number, number>();
  const code = new Int32Array(m);
  for (let r = 0; r < m; r++) {
    const label = labels[rows[r]];
    let c = codeOf.get(label);
    if (c === undefined) {
      c = codeOf.size;
      codeOf.set(label, c);
    }
    code[r] = c;
  }
  const K = codeOf.size;
  if (K < 2 || K > m - 1) {
    throw new AppError(
      'invalid-argument',
      `silhouette needs between 2 and ${m - 1} clusters among the ${m} rows scored; found ${K}.`,
    );
  }
  const sizes = new Float64Array(K);
  for (let r = 0; r < m; r++) sizes[code[r]] += 1;

  // Each pair is measured once and added to both rows' per-cluster distance sums.
  const points = new Float64Array(m * d);
  for (let r = 0; r < m; r++) points.set(data.subarray(rows[r] * d, rows[r] * d + d), r * d);
  const sums = new Float64Array(m * K);
  for (let r = 0; r < m; r++) {
    if ((r & 63) === 0) throwIfAborted(signal);
    const rb = r * d;
    const rc = code[r];
    for (let q = r + 1; q < m; q++) {
      const qb = q * d;
      let s = 0;
      for (let j = 0; j < d; j++) {
        const v = points[rb + j] - points[qb + j];
        s += v * v;
      }
      const dist = Math.sqrt(s);
      sums[r * K + code[q]] += dist;
      sums[q * K + rc] += dist;
    }
  }
  let total = 0;
  for (let r = 0; r < m; r++) {
    const own = code[r];
    if (sizes[own] <= 1) continue;
    const a = sums[r * K + own] / (sizes[own] - 1);
    let b = Infinity;
    for (let c = 0; c < K; c++) if (c !== own) b = Math.min(b, sums[r * K + c] / sizes[c]);
    const denom = Math.max(a, b);
    total += denom > 0 ? (b - a) / denom : 0;
  }
  return total / m;
}

/** All rows in order when m = n; otherwise a seeded random sample of m rows. */
function pickRows(n: number, m: number, seed: number): Int32Array {
  if (m < n) return sampleRows(n, m, createRng(seed));
  const rows = new Int32Array(n);
  for (let i = 0; i < n; i++) rows[i] = i;
  return rows;
}
