import { AppError } from '../errors';
import { checkFinite } from '../finite';

/**
 * A dense feature matrix as the predictive models take it: `n` rows (customers) of `d` features,
 * stored row-major in one typed array (`data[i * d + j]` is feature j of row i). The shape is the
 * same as the mining side's `DataMatrix`, so one matrix can go to either without copying.
 */
export interface FeatureMatrix {
  data: Float64Array;
  n: number;
  d: number;
}

/** A matrix of `n × d` zeros. */
export function zerosMatrix(n: number, d: number): FeatureMatrix {
  return { data: new Float64Array(n * d), n, d };
}

/** A matrix from an array of equal-length rows (handy in tests and for small inputs). */
export function matrixFromRows(rows: ArrayLike<number>[]): FeatureMatrix {
  const n = rows.length;
  const d = n > 0 ? rows[0].length : 0;
  const data = new Float64Array(n * d);
  for (let i = 0; i < n; i++) {
    if (rows[i].length !== d) {
      throw new AppError('invalid-argument', `row ${i + 1} has ${rows[i].length} values; expected ${d}.`);
    }
    for (let j = 0; j < d; j++) data[i * d + j] = rows[i][j];
  }
  return { data, n, d };
}

/** The rows listed in `rows`, in that order, as a new matrix (e.g. the training part of a split). */
export function takeRows(x: FeatureMatrix, rows: ArrayLike<number>): FeatureMatrix {
  const { d } = x;
  const out = new Float64Array(rows.length * d);
  for (let r = 0; r < rows.length; r++) {
    const base = rows[r] * d;
    out.set(x.data.subarray(base, base + d), r * d);
  }
  return { data: out, n: rows.length, d };
}

/** The entries of a vector at the listed positions (labels or targets of a split part). */
export function takeValues<T extends Float64Array | Int32Array>(values: T, rows: ArrayLike<number>): T {
  const out = new (values.constructor as { new (n: number): T })(rows.length);
  for (let r = 0; r < rows.length; r++) out[r] = values[rows[r]];
  return out;
}

/** Column `j` of the matrix as a new array. */
export function matrixColumn(x: FeatureMatrix, j: number): Float64Array {
  const out = new Float64Array(x.n);
  for (let i = 0, p = j; i < x.n; i++, p += x.d) out[i] = x.data[p];
  return out;
}

/**
 * Checks that `x` is a well-formed matrix of finite numbers with `expectRows` rows (when given);
 * throws AppError 'invalid-argument' naming the first bad cell. `what` names the model in the
 * message ("decision tree", "logistic regression").
 */
export function checkFeatures(x: FeatureMatrix, what: string, expectRows?: number): void {
  checkShape(x, what, expectRows);
  checkFinite(x.data, x.d, what, 'impute or drop missing values before fitting (the preprocessing step does this).');
}

/**
 * The shape half of {@link checkFeatures}: at least one row and feature, n × d numbers, and
 * `expectRows` rows when given (a solver that scans the values anyway may check those itself).
 */
export function checkShape(x: FeatureMatrix, what: string, expectRows?: number): void {
  const { n, d, data } = x;
  if (!Number.isInteger(n) || n < 1 || !Number.isInteger(d) || d < 1) {
    throw new AppError('invalid-argument', `${what} needs at least one row and one feature; got ${n} × ${d}.`);
  }
  if (data.length !== n * d) {
    throw new AppError('invalid-argument', `${what}: the matrix holds ${data.length} numbers, not ${n} × ${d}.`);
  }
  if (expectRows !== undefined && expectRows !== n) {
    throw new AppError('invalid-argument', `${what}: ${n} feature rows but ${expectRows} targets; they must match.`);
  }
}

/** Checks a model's feature count against a matrix it is asked to score. */
export function checkWidth(x: FeatureMatrix, d: number, what: string): void {
  if (x.d !== d) {
    throw new AppError('invalid-argument', `${what} was fitted on ${d} features but got ${x.d}; transform the rows with the same preprocessing.`);
  }
}

/** Dot product of row `i` of `x` with `w` (first `x.d` entries), plus `offset`. */
export function rowDot(x: FeatureMatrix, i: number, w: ArrayLike<number>, offset = 0): number {
  const { d, data } = x;
  let s = offset;
  for (let j = 0, p = i * d; j < d; j++, p++) s += data[p] * w[j];
  return s;
}
