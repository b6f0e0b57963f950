import { AppError, throwIfAborted } from '../errors';
import { cholesky, choleskyInverse, choleskySolve } from './linear-algebra';
import { checkFeatures, checkWidth } from './matrix';
import type { FeatureMatrix } from './matrix';
import { studentTTwoSided } from './student-t';

/** A fitted linear regression (plain JSON): prediction = intercept + Σ coefficients[j] · x_j. */
export interface LinearModel {
  kind: 'ols' | 'ridge';
  /** Ridge penalty α (0 for OLS). */
  alpha: number;
  coefficients: number[];
  intercept: number;
  /** True for a column that is collinear with earlier ones (OLS only; its coefficient is 0). */
  aliased: boolean[];
  /** R² on the training rows. */
  rSquared: number;
  /** Inference for OLS (Gauss–Markov assumptions, normal errors); absent for ridge. */
  inference?: OlsInference;
}

/** Classical OLS inference, as R's `summary(lm(...))` or statsmodels' OLS. */
export interface OlsInference {
  /** Residual degrees of freedom n − rank − (1 with an intercept). */
  dof: number;
  /** Residual standard error σ̂ = √(RSS / dof), in target units. */
  sigma: number;
  /** Standard errors, t statistics and two-sided p-values of the coefficients (NaN if aliased). */
  standardErrors: number[];
  tValues: number[];
  pValues: number[];
  interceptStandardError: number;
  interceptTValue: number;
  interceptPValue: number;
}

/** Options of the linear regressions. */
export interface LinearOptions {
  /** Fit an (unpenalized) intercept (default true). */
  fitIntercept?: boolean;
  signal?: AbortSignal;
}

interface Moments {
  xMean: Float64Array;
  yMean: number;
  gram: Float64Array;
  xty: Float64Array;
}

/** Column means and the centred cross-products XcᵀXc and Xcᵀyc (two passes for accuracy). */
function moments(x: FeatureMatrix, y: Float64Array, center: boolean, signal?: AbortSignal): Moments {
  const { n, d, data } = x;
  const xMean = new Float64Array(d);
  let yMean = 0;
  if (center) {
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < d; j++) xMean[j] += data[i * d + j];
      yMean += y[i];
    }
    for (let j = 0; j < d; j++) xMean[j] /= n;
    yMean /= n;
  }
  const gram = new Float64Array(d * d);
  const xty = new Float64Array(d);
  const row = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    if ((i & 65535) === 65535) throwIfAborted(signal);
    for (let j = 0; j < d; j++) row[j] = data[i * d + j] - xMean[j];
    const yc = y[i] - yMean;
    for (let j = 0; j < d; j++) {
      const v = row[j];
      xty[j] += v * yc;
      for (let k = 0; k <= j; k++) gram[j * d + k] += v * row[k];
    }
  }
  for (let j = 0; j < d; j++) for (let k = 0; k < j; k++) gram[k * d + j] = gram[j * d + k];
  return { xMean, yMean, gram, xty };
}

function checkTarget(x: FeatureMatrix, y: Float64Array, what: string): void {
  checkFeatures(x, what, y.length);
  for (let i = 0; i < y.length; i++) {
    if (!Number.isFinite(y[i])) throw new AppError('invalid-argument', `${what}: the target on row ${i + 1} is ${y[i]}; drop or fill it.`);
  }
}

function finish(kind: 'ols' | 'ridge', alpha: number, x: FeatureMatrix, y: Float64Array, m: Moments, beta: Float64Array, aliased: Uint8Array, center: boolean): LinearModel {
  const intercept = center ? m.yMean - m.xMean.reduce((s, v, j) => s + v * beta[j], 0) : 0;
  const model: LinearModel = {
    kind, alpha, coefficients: Array.from(beta), intercept, aliased: Array.from(aliased, (a) => a === 1), rSquared: 0,
  };
  const pred = predictLinear(model, x);
  let rss = 0;
  let tss = 0;
  const yBar = y.reduce((a, b) => a + b, 0) / y.length;
  for (let i = 0; i < y.length; i++) {
    rss += (y[i] - pred[i]) ** 2;
    tss += (y[i] - yBar) ** 2;
  }
  model.rSquared = tss > 0 ? 1 - rss / tss : rss === 0 ? 1 : 0;
  return model;
}

/**
 * Ordinary least squares by the normal equations on centred data, solved with a Cholesky
 * factorization of XcᵀXc (coefficients equal scikit-learn's `LinearRegression` for full-rank X).
 * Collinear columns are marked aliased and get coefficient 0, as R's `lm` (sklearn instead
 * returns the minimum-norm solution). Adds standard errors, t statistics and p-values from
 * σ̂²(XcᵀXc)⁻¹ (intercept: σ̂²(1/n + x̄ᵀ(XcᵀXc)⁻¹x̄)).
 */
export function fitLinearRegression(x: FeatureMatrix, y: Float64Array, options: LinearOptions = {}): LinearModel {
  checkTarget(x, y, 'linear regression');
  const center = options.fitIntercept ?? true;
  const m = moments(x, y, center, options.signal);
  const { d, n } = x;
  const factor = cholesky(m.gram, d);
  const beta = choleskySolve(factor, m.xty);
  const model = finish('ols', 0, x, y, m, beta, factor.aliased, center);
  const rank = d - factor.aliased.reduce((a, b) => a + b, 0);
  const dof = n - rank - (center ? 1 : 0);
  const pred = predictLinear(model, x);
  let rss = 0;
  for (let i = 0; i < n; i++) rss += (y[i] - pred[i]) ** 2;
  const sigma2 = dof > 0 ? rss / dof : NaN;
  const inv = choleskyInverse(factor);
  const standardErrors: number[] = [];
  const tValues: number[] = [];
  const pValues: number[] = [];
  for (let j = 0; j < d; j++) {
    const se = factor.aliased[j] ? NaN : Math.sqrt(sigma2 * inv[j * d + j]);
    const t = beta[j] / se;
    standardErrors.push(se);
    tValues.push(t);
    pValues.push(Number.isNaN(t) ? NaN : studentTTwoSided(t, dof));
  }
  let q = 0;
  if (center) for (let j = 0; j < d; j++) for (let k = 0; k < d; k++) q += m.xMean[j] * inv[j * d + k] * m.xMean[k];
  const interceptStandardError = center ? Math.sqrt(sigma2 * (1 / n + q)) : NaN;
  const interceptTValue = model.intercept / interceptStandardError;
  model.inference = {
    dof, sigma: Math.sqrt(sigma2), standardErrors, tValues, pValues, interceptStandardError, interceptTValue,
    interceptPValue: center ? studentTTwoSided(interceptTValue, dof) : NaN,
  };
  return model;
}

/**
 * Ridge regression (Hoerl & Kennard 1970): minimizes ‖y − Xw − b‖² + α‖w‖² with the intercept b
 * unpenalized (fitted by centring), as scikit-learn's `Ridge(alpha)`; solved by Cholesky on
 * XcᵀXc + αI. No standard errors (the estimator is biased).
 */
export function fitRidge(x: FeatureMatrix, y: Float64Array, options: LinearOptions & { alpha?: number } = {}): LinearModel {
  checkTarget(x, y, 'ridge regression');
  const alpha = options.alpha ?? 1;
  if (!(alpha >= 0)) throw new AppError('invalid-argument', `ridge α must be ≥ 0; got ${alpha}.`);
  const center = options.fitIntercept ?? true;
  const m = moments(x, y, center, options.signal);
  const { d } = x;
  for (let j = 0; j < d; j++) m.gram[j * d + j] += alpha;
  const factor = cholesky(m.gram, d);
  const beta = choleskySolve(factor, m.xty);
  return finish('ridge', alpha, x, y, m, beta, factor.aliased, center);
}

/** Predicted targets for the rows of `x` (length n, target units). */
export function predictLinear(model: LinearModel, x: FeatureMatrix): Float64Array {
  checkWidth(x, model.coefficients.length, 'the linear model');
  const { n, d, data } = x;
  const out = new Float64Array(n);
  const w = model.coefficients;
  for (let i = 0; i < n; i++) {
    let s = model.intercept;
    for (let j = 0; j < d; j++) s += data[i * d + j] * w[j];
    out[i] = s;
  }
  return out;
}
