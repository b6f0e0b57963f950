import { AppError } from '../errors';
import { checkMatrix } from './data-matrix';

/** A fitted principal component analysis. */
export interface PcaModel {
  /** Column means subtracted before projecting (length d). */
  mean: Float64Array;
  /** Components × d, row-major: unit vectors, largest variance first. */
  components: Float64Array;
  /** Number of components kept. */
  count: number;
  /** Variance along each component (squared feature units; divisor n − 1, as scikit-learn). */
  explainedVariance: Float64Array;
  /** Each component's share of the total variance, in [0, 1]. */
  explainedVarianceRatio: Float64Array;
}

/**
 * Principal component analysis (Pearson 1901; Hotelling 1933) of an n × d row-major matrix: the
 * eigenvectors of the sample covariance matrix, found by cyclic Jacobi rotations, sorted by
 * eigenvalue. Matches scikit-learn's `PCA(n_components=count)` (`explained_variance_`,
 * `explained_variance_ratio_`; component signs may differ). Cost O(n·d² + d³): meant for the
 * few features of a segmentation, not for thousands of columns.
 */
export function fitPca(data: Float64Array, n: number, d: number, count = 2): PcaModel {
  checkMatrix(data, n, d, 'PCA');
  if (n < 2) throw new AppError('invalid-argument', `PCA needs at least 2 rows; got ${n}.`);
  const k = Math.min(count, d);
  const mean = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) mean[j] += data[i * d + j];
  for (let j = 0; j < d; j++) mean[j] /= n;
  const cov = new Float64Array(d * d);
  const row = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < d; j++) row[j] = data[i * d + j] - mean[j];
    for (let a = 0; a < d; a++) for (let b = a; b < d; b++) cov[a * d + b] += row[a] * row[b];
  }
  for (let a = 0; a < d; a++) for (let b = a; b < d; b++) cov[b * d + a] = cov[a * d + b] /= n - 1;
  const { values, vectors } = symmetricEigen(cov, d);
  const order = Array.from(values.keys()).sort((x, y) => values[y] - values[x]);
  let total = 0;
  for (const v of values) total += Math.max(0, v);
  const components = new Float64Array(k * d);
  const explainedVariance = new Float64Array(k);
  const explainedVarianceRatio = new Float64Array(k);
  for (let c = 0; c < k; c++) {
    const e = order[c];
    for (let j = 0; j < d; j++) components[c * d + j] = vectors[j * d + e];
    explainedVariance[c] = Math.max(0, values[e]);
    explainedVarianceRatio[c] = total > 0 ? explainedVariance[c] / total : 0;
  }
  return { mean, components, count: k, explainedVariance, explainedVarianceRatio };
}

/** Coordinates of rows on the components: `rows` (default all) × count, row-major. */
export function projectPca(model: PcaModel, data: Float64Array, d: number, rows: ArrayLike<number>): Float64Array {
  const k = model.count;
  const out = new Float64Array(rows.length * k);
  for (let r = 0; r < rows.length; r++) {
    const base = rows[r] * d;
    for (let c = 0; c < k; c++) {
      let s = 0;
      for (let j = 0; j < d; j++) s += (data[base + j] - model.mean[j]) * model.components[c * d + j];
      out[r * k + c] = s;
    }
  }
  return out;
}

/** Eigenvalues and eigenvectors (columns of `vectors`, d × d row-major) of a symmetric matrix, by cyclic Jacobi. */
function symmetricEigen(matrix: Float64Array, d: number): { values: Float64Array; vectors: Float64Array } {
  const a = Float64Array.from(matrix);
  const v = new Float64Array(d * d);
  for (let j = 0; j < d; j++) v[j * d + j] = 1;
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let p = 0; p < d; p++) for (let q = p + 1; q < d; q++) off += a[p * d + q] ** 2;
    if (off < 1e-30) break;
    for (let p = 0; p < d; p++) {
      for (let q = p + 1; q < d; q++) {
        const apq = a[p * d + q];
        if (Math.abs(apq) < 1e-300) continue;
        const theta = (a[q * d + q] - a[p * d + p]) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let r = 0; r < d; r++) {
          const arp = a[r * d + p];
          const arq = a[r * d + q];
          a[r * d + p] = c * arp - s * arq;
          a[r * d + q] = s * arp + c * arq;
        }
        for (let r = 0; r < d; r++) {
          const apr = a[p * d + r];
          const aqr = a[q * d + r];
          a[p * d + r] = c * apr - s * aqr;
          a[q * d + r] = s * apr + c * aqr;
        }
        for (let r = 0; r < d; r++) {
          const vrp = v[r * d + p];
          const vrq = v[r * d + q];
          v[r * d + p] = c * vrp - s * vrq;
          v[r * d + q] = s * vrp + c * vrq;
        }
      }
    }
  }
  const values = new Float64Array(d);
  for (let j = 0; j < d; j++) values[j] = a[j * d + j];
  return { values, vectors: v };
}
