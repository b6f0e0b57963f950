import { AppError } from '../errors';
import { checkFinite } from '../finite';
import type { Rng } from '../random';

/**
 * A dense numeric matrix as the mining algorithms take it: `n` rows (customers, points) of `d`
 * features each, stored row-major in one typed array (`data[i * d + j]` is feature j of row i).
 * Row-major keeps a row's features together, which is what the distance loops read.
 */
export interface DataMatrix {
  data: Float64Array;
  n: number;
  d: number;
}

/**
 * Checks that `data` holds exactly `n × d` finite numbers; throws AppError 'invalid-argument'
 * naming the first bad cell otherwise. `what` names the job in the message ("k-means", "DBSCAN").
 */
export function checkMatrix(data: Float64Array, n: number, d: number, what: string): void {
  checkShape(data, n, d, what);
  checkFinite(data, d, what, 'fill or drop missing and infinite values before clustering.');
}

/** The size checks of {@link checkMatrix} alone: at least one row and feature, and exactly n × d numbers. */
export function checkShape(data: Float64Array, n: number, d: number, what: string): void {
  if (!Number.isInteger(n) || n < 1 || !Number.isInteger(d) || d < 1) {
    throw new AppError(
      'invalid-argument',
      `${what} needs at least one row and one feature; got ${n} rows × ${d} features.`,
    );
  }
  if (data.length !== n * d) {
    throw new AppError(
      'invalid-argument',
      `${what}: the data holds ${data.length} numbers but ${n} rows × ${d} features need ${n * d}.`,
    );
  }
}

/** Squared Euclidean norm of every row (length n). */
export function rowSquaredNorms(data: Float64Array, n: number, d: number): Float64Array {
  const out = new Float64Array(n);
  for (let i = 0, base = 0; i < n; i++, base += d) {
    let s = 0;
    for (let j = 0; j < d; j++) {
      const v = data[base + j];
      s += v * v;
    }
    out[i] = s;
  }
  return out;
}

/** Mean of every column (length d). */
export function columnMeans(data: Float64Array, n: number, d: number): Float64Array {
  const mean = new Float64Array(d);
  for (let base = 0; base < n * d; base += d) {
    for (let j = 0; j < d; j++) mean[j] += data[base + j];
  }
  for (let j = 0; j < d; j++) mean[j] /= n;
  return mean;
}

/**
 * Mean over columns of the population variance (ddof = 0), as numpy's `np.mean(np.var(X, 0))`;
 * scikit-learn scales the k-means tolerance by it.
 */
export function meanColumnVariance(data: Float64Array, n: number, d: number): number {
  const mean = columnMeans(data, n, d);
  let total = 0;
  for (let base = 0; base < n * d; base += d) {
    for (let j = 0; j < d; j++) {
      const v = data[base + j] - mean[j];
      total += v * v;
    }
  }
  return total / (n * d);
}

/** Squared Euclidean distance between row `i` of `a` and row `j` of `b` (both with `d` columns). */
export function squaredDistance(
  a: Float64Array,
  i: number,
  b: Float64Array,
  j: number,
  d: number,
): number {
  let s = 0;
  const ai = i * d;
  const bj = j * d;
  for (let t = 0; t < d; t++) {
    const v = a[ai + t] - b[bj + t];
    s += v * v;
  }
  return s;
}

/**
 * `m` distinct row indices out of `n`, uniformly at random: the first m of a seeded Fisher–Yates
 * permutation, kept sparse so it costs O(m) memory even for millions of rows.
 */
export function sampleRows(n: number, m: number, rng: Rng): Int32Array {
  const rows = new Int32Array(m);
  const swapped = new Map<number, number>();
  for (let c = 0; c < m; c++) {
    const j = c + rng.int(n - c);
    rows[c] = swapped.get(j) ?? j;
    swapped.set(j, swapped.get(c) ?? c);
  }
  return rows;
}
