import { throwIfAborted } from '../errors';
import { cholesky, choleskySolve, type CholeskyFactor } from './linear-algebra';
import type { FeatureMatrix } from './matrix';
import { BLOCK, DenseBlock, density, gradientMax, gradientNorm, lossAndGradient } from './logistic-kernels';

/** Result of the Newton solver: θ = [w₀ … w_{d−1}, b]. */
export interface NewtonResult {
  theta: Float64Array;
  iterations: number;
  converged: boolean;
  /** Cholesky factor of the last Hessian computed (with the ridge term). */
  factor?: CholeskyFactor;
}

/**
 * Binary L2 logistic regression by Newton's method (iteratively reweighted least squares;
 * McCullagh & Nelder 1989, §4.4) with a backtracking line search, minimizing
 * Σᵢ (sᵢ/S)·logloss + ½·ridge·‖w‖² (b unpenalized). Each step solves H Δ = −g by Cholesky; the
 * Hessian costs O(n·d²), so it is the fast, exact choice for up to a few hundred features
 * (sklearn's `newton-cholesky` solver, 1.2+, works the same way).
 */
export function newtonBinaryLogistic(
  x: FeatureMatrix,
  codes: Int32Array,
  weights: Float64Array | undefined,
  totalWeight: number,
  ridge: number,
  fitIntercept: boolean,
  maxIterations: number,
  tolerance: number,
  signal?: AbortSignal,
): NewtonResult {
  const { n, d, data } = x;
  const p = d + 1;
  // On many rows, start from the solution on every WARM_STRIDE-th row (itself started the same
  // way): near the optimum Newton converges quadratically, so two or three full-data steps finish
  // the job instead of five or six. The result is the full-data optimum to the same tolerance.
  // Until it stops paying, the full-data steps reuse the subsample's Hessian (O(n·d) a step).
  const warm = n >= WARM_ROWS ? warmStart(x, codes, weights, ridge, fitIntercept, maxIterations, tolerance, signal) : null;
  let theta = warm?.theta ?? new Float64Array(p);
  let fixed = warm?.factor ?? null;
  let lastFactor: CholeskyFactor | undefined = warm?.factor;
  let previousGmax = Infinity;
  const grad = new Float64Array(p);
  const hess = new Float64Array(p * p);
  const margin = new Float64Array(n);
  /** The loss at θ (margins kept); with `gOut`, also its data-term gradient, from the same pass over the rows. */
  const objective = (th: Float64Array, gOut?: Float64Array): number =>
    lossAndGradient(x, codes, weights, totalWeight, ridge, fitIntercept, th, margin, gOut ?? null);
  /** Data-term gradient at θ when the last accepted trial computed it (saves a pass). */
  let gradReady = false;
  const trialGrad = new Float64Array(p);
  let f = objective(theta);
  /** Backtracking (Armijo) along −step from θ; moves θ and returns true on a decrease. */
  const lineSearch = (step: Float64Array): boolean => {
    let slope = 0;
    for (let j = 0; j < p; j++) slope -= grad[j] * step[j];
    let t = 1;
    const next = new Float64Array(p);
    for (let trial = 0; trial < 50; trial++) {
      for (let j = 0; j < p; j++) next[j] = theta[j] - t * step[j];
      const fNext = objective(next, trialGrad);
      // Near the optimum the decrease of a full step falls below the rounding of the sum over n
      // rows: accept it then (the gradient test above still decides convergence).
      if (fNext <= f + 1e-4 * t * slope || (t === 1 && fNext - f <= 1e-12 * Math.max(1, Math.abs(f)))) {
        f = fNext;
        theta = next;
        grad.set(trialGrad);
        gradReady = true;
        return true;
      }
      t *= 0.5;
    }
    objective(theta); // restore the margins of θ
    return false;
  };
  const dense = density(data) > 0.5;
  const block = dense ? new DenseBlock(p) : null;
  const row = new Float64Array(p);
  for (let iter = 0; iter < maxIterations; iter++) {
    throwIfAborted(signal);
    // The gradient alone first (O(n·d)): at the optimum the O(n·d²) Hessian is not needed.
    const gnorm = gradReady ? gradientMax(grad, theta, ridge, d) : gradientNorm(x, margin, codes, weights, totalWeight, ridge, theta, fitIntercept, grad);
    gradReady = false;
    if (gnorm <= tolerance) return { theta, iterations: iter, converged: true, factor: lastFactor };
    // The subsample's Hessian must cut the gradient at least fourfold a step, or exact Newton takes over.
    if (fixed && gnorm > 0.25 * previousGmax) fixed = null;
    else if (!fixed && gnorm > 0.5 * previousGmax && gnorm <= Math.sqrt(tolerance)) {
      // Exact Newton no longer makes progress: the gradient is at its rounding floor.
      return { theta, iterations: iter, converged: true, factor: lastFactor };
    }
    previousGmax = gnorm;
    if (fixed) {
      for (let j = 0; j < d; j++) grad[j] += ridge * theta[j];
      const step = choleskySolve(fixed, grad);
      const accepted = lineSearch(step);
      if (accepted) continue;
      fixed = null;
    }
    grad.fill(0);
    hess.fill(0);
    if (block) {
      for (let i0 = 0; i0 < n; i0 += BLOCK) {
        const rows = Math.min(BLOCK, n - i0);
        block.load(x, i0, rows, fitIntercept, margin, codes, weights, totalWeight);
        block.accumulate(rows, grad, hess);
      }
    } else {
      for (let i = 0; i < n; i++) {
        const z = margin[i];
        const prob = z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
        const wi = (weights ? weights[i] : 1) / totalWeight;
        const r = wi * (prob - codes[i]);
        const h = wi * prob * (1 - prob);
        for (let j = 0; j < d; j++) row[j] = data[i * d + j];
        row[d] = fitIntercept ? 1 : 0;
        for (let j = 0; j < p; j++) {
          const v = row[j];
          // One-hot columns are mostly zero: skipping them makes the Hessian cost O(n·nnz²).
          if (v === 0) continue;
          grad[j] += r * v;
          const hv = h * v;
          for (let k = 0; k <= j; k++) hess[j * p + k] += hv * row[k];
        }
      }
    }
    for (let j = 0; j < d; j++) {
      grad[j] += ridge * theta[j];
      hess[j * p + j] += ridge;
    }
    if (!fitIntercept) hess[d * p + d] = 1;
    let gmax = 0;
    for (let j = 0; j < p; j++) gmax = Math.max(gmax, Math.abs(grad[j]));
    if (gmax <= tolerance) return { theta, iterations: iter, converged: true };
    for (let j = 0; j < p; j++) for (let k = 0; k < j; k++) hess[k * p + j] = hess[j * p + k];
    lastFactor = cholesky(hess, p, 1e-14);
    const step = choleskySolve(lastFactor, grad);
    if (!lineSearch(step)) {
      // No decrease representable: at the optimum to working precision.
      return { theta, iterations: iter + 1, converged: gmax <= Math.sqrt(tolerance), factor: lastFactor };
    }
  }
  return { theta, iterations: maxIterations, converged: false, factor: lastFactor };
}

/** Rows from which the solver warm-starts on a subsample, and the subsample's stride. */
const WARM_ROWS = 100_000;
const WARM_STRIDE = 8;

function warmStart(
  x: FeatureMatrix,
  codes: Int32Array,
  weights: Float64Array | undefined,
  ridge: number,
  fitIntercept: boolean,
  maxIterations: number,
  tolerance: number,
  signal?: AbortSignal,
): NewtonResult {
  const { n, d, data } = x;
  const m = Math.ceil(n / WARM_STRIDE);
  const sub = new Float64Array(m * d);
  const subCodes = new Int32Array(m);
  const subWeights = weights ? new Float64Array(m) : undefined;
  let total = 0;
  for (let s = 0, i = 0; i < n; s++, i += WARM_STRIDE) {
    sub.set(data.subarray(i * d, (i + 1) * d), s * d);
    subCodes[s] = codes[i];
    if (subWeights && weights) subWeights[s] = weights[i];
    total += weights ? weights[i] : 1;
  }
  return newtonBinaryLogistic({ data: sub, n: m, d }, subCodes, subWeights, total, ridge, fitIntercept, maxIterations, Math.max(tolerance, 1e-8), signal);
}
