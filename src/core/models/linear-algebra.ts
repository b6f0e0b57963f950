/**
 * Small dense linear algebra for the linear models: symmetric positive (semi-)definite systems of
 * size d × d (d = features), stored row-major in Float64Array. Sizes here are at most a few
 * hundred, so plain O(d³) loops are the right tool.
 */

/** A Cholesky factor L (lower triangular, row-major d × d) with the columns found dependent. */
export interface CholeskyFactor {
  l: Float64Array;
  d: number;
  /** Columns that are (numerically) linear combinations of earlier ones; skipped in solves. */
  aliased: Uint8Array;
}

/**
 * Cholesky factorization A = L Lᵀ of a symmetric positive semi-definite matrix (Golub & Van Loan,
 * Matrix Computations, §4.2). A pivot below `tolerance` × its diagonal entry marks the column as
 * aliased (collinear with earlier columns), as R's `lm` does; that row and column are then left
 * out, so solves give 0 for it instead of failing.
 */
export function cholesky(a: Float64Array, d: number, tolerance = 1e-10): CholeskyFactor {
  const l = new Float64Array(d * d);
  const aliased = new Uint8Array(d);
  for (let j = 0; j < d; j++) {
    let s = a[j * d + j];
    for (let k = 0; k < j; k++) s -= l[j * d + k] * l[j * d + k];
    const diag = a[j * d + j];
    if (!(s > tolerance * Math.max(diag, Number.MIN_VALUE)) || diag <= 0) {
      aliased[j] = 1;
      continue;
    }
    const ljj = Math.sqrt(s);
    l[j * d + j] = ljj;
    for (let i = j + 1; i < d; i++) {
      let t = a[i * d + j];
      for (let k = 0; k < j; k++) t -= l[i * d + k] * l[j * d + k];
      l[i * d + j] = t / ljj;
    }
  }
  return { l, d, aliased };
}

/** Solves A x = b from A's Cholesky factor (aliased entries of x are 0). */
export function choleskySolve(factor: CholeskyFactor, b: ArrayLike<number>): Float64Array {
  const { l, d, aliased } = factor;
  const y = new Float64Array(d);
  for (let i = 0; i < d; i++) {
    if (aliased[i]) continue;
    let s = b[i];
    for (let k = 0; k < i; k++) s -= l[i * d + k] * y[k];
    y[i] = s / l[i * d + i];
  }
  const x = new Float64Array(d);
  for (let i = d - 1; i >= 0; i--) {
    if (aliased[i]) continue;
    let s = y[i];
    for (let k = i + 1; k < d; k++) s -= l[k * d + i] * x[k];
    x[i] = s / l[i * d + i];
  }
  return x;
}

/** A⁻¹ from A's Cholesky factor (rows and columns of aliased entries are 0). */
export function choleskyInverse(factor: CholeskyFactor): Float64Array {
  const { d } = factor;
  const inv = new Float64Array(d * d);
  const e = new Float64Array(d);
  for (let j = 0; j < d; j++) {
    e.fill(0);
    e[j] = 1;
    const col = choleskySolve(factor, e);
    for (let i = 0; i < d; i++) inv[i * d + j] = factor.aliased[j] ? 0 : col[i];
  }
  return inv;
}
