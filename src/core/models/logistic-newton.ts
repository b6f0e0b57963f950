import { throwIfAborted } from '../errors';
import { cholesky, choleskySolve, type CholeskyFactor } from './linear-algebra';
import type { RowPasses } from './logistic-rows';

/** Result of the Newton solver: θ = [w₀ … w_{d−1}, b]. */
export interface NewtonResult {
  theta: Float64Array;
  iterations: number;
  converged: boolean;
  /** Cholesky factor of the last Hessian computed (with the ridge term), and that Hessian (p × p). */
  factor?: CholeskyFactor;
  hessian?: Float64Array;
}

/**
 * Gradient tolerance of a warm start: its optimum is off the full-data one by far more (about
 * 1/√rows), so solving it further would buy nothing.
 */
const WARM_TOLERANCE = 1e-6;

/** Largest absolute entry of the full gradient: the data term in `grad` plus the ridge on the weights. */
function gradientMax(grad: Float64Array, theta: Float64Array, ridge: number, d: number): number {
  let gmax = 0;
  for (let j = 0; j < d; j++) gmax = Math.max(gmax, Math.abs(grad[j] + ridge * theta[j]));
  return Math.max(gmax, Math.abs(grad[d]));
}

/**
 * Binary L2 logistic regression by Newton's method (iteratively reweighted least squares;
 * McCullagh & Nelder 1989, §4.4) with a backtracking line search, minimizing
 * Σᵢ (sᵢ/S)·logloss + ½·ridge·‖w‖² (b unpenalized) until the largest gradient entry is
 * ≤ `tolerance`. Each step solves H Δ = −g by Cholesky; the Hessian costs O(n·d²), so it is the
 * fast, exact choice for up to a few hundred features (sklearn's `newton-cholesky` solver, 1.2+,
 * works the same way). The row passes come from `rows` (logistic-rows.ts), on one thread or
 * several: the result does not depend on which. `signal` is checked before every pass;
 * `checkValues` (which throws naming a bad cell) is called when the first loss is not finite.
 */
export function newtonBinaryLogistic(
  rows: RowPasses,
  d: number,
  ridge: number,
  fitIntercept: boolean,
  maxIterations: number,
  tolerance: number,
  signal?: AbortSignal,
  checkValues?: () => void,
  handUp = false,
): NewtonResult {
  const p = d + 1;
  // On many rows, start from the solution on every 8th row (itself started the same way): near
  // the optimum Newton converges quadratically, so a few full-data steps finish the job. The
  // result is the full-data optimum to the same tolerance. While it cuts the gradient fast
  // enough, the full-data steps borrow the subsample's Hessian (O(n·d) a step instead of O(n·d²)),
  // corrected after each step by a BFGS update (Nocedal & Wright 2006, §6.1) from the change in
  // the gradient: that learns the difference to this set's own Hessian.
  const warm = rows.warm ? newtonBinaryLogistic(rows.warm, d, ridge, fitIntercept, maxIterations, Math.max(tolerance, WARM_TOLERANCE), signal, checkValues, true) : null;
  let theta = warm?.theta ?? new Float64Array(p);
  let borrowed = warm?.hessian && warm.factor ? { matrix: Float64Array.from(warm.hessian), factor: warm.factor } : null;
  let last: { hessian: Float64Array; factor: CholeskyFactor } | null = null;
  let previousGmax = Infinity;
  const grad = new Float64Array(p);
  const trialGrad = new Float64Array(p);
  /** The gradient with the ridge term, from its data term `g` at θ. */
  const fullGradient = (g: Float64Array, th: Float64Array): Float64Array => Float64Array.from(g, (v, j) => (j < d ? v + ridge * th[j] : v));
  /** The objective at θ (margins kept), and its data-term gradient into `g`, from one pass over the rows. */
  const objective = (th: Float64Array, g: Float64Array): number => {
    throwIfAborted(signal);
    let penalty = 0;
    for (let j = 0; j < d; j++) penalty += th[j] * th[j];
    return rows.loss(th, g) + 0.5 * ridge * penalty;
  };
  let f = objective(theta, grad);
  // A value that is not finite makes this first loss or gradient NaN or infinite.
  if (!Number.isFinite(f) || grad.some((g) => !Number.isFinite(g))) checkValues?.();
  /** Backtracking (Armijo) along −step from θ; on a decrease moves θ (with its gradient) and returns true. */
  const lineSearch = (step: Float64Array, full: Float64Array): boolean => {
    let slope = 0;
    for (let j = 0; j < p; j++) slope -= full[j] * step[j];
    let t = 1;
    const next = new Float64Array(p);
    for (let trial = 0; trial < 50; trial++) {
      for (let j = 0; j < p; j++) next[j] = theta[j] - t * step[j];
      const fNext = objective(next, trialGrad);
      // Near the optimum the decrease of a full step falls below the rounding of the sum over n
      // rows: accept it then (the gradient test still decides convergence).
      if (fNext <= f + 1e-4 * t * slope || (t === 1 && fNext - f <= 1e-12 * Math.max(1, Math.abs(f)))) {
        f = fNext;
        theta = next;
        grad.set(trialGrad);
        return true;
      }
      t *= 0.5;
    }
    objective(theta, grad); // restore the margins of θ
    return false;
  };
  /** This set's own Hessian (with the ridge) at the margins of θ, and its Cholesky factor. */
  const ownHessian = (): CholeskyFactor => {
    throwIfAborted(signal);
    const hessian = new Float64Array(p * p);
    rows.hessian(hessian);
    for (let j = 0; j < d; j++) hessian[j * p + j] += ridge;
    if (!fitIntercept) hessian[d * p + d] = 1;
    last = { hessian, factor: cholesky(hessian, p, 1e-14) };
    return last.factor;
  };
  const done = (iterations: number, converged: boolean): NewtonResult => {
    // A warm start hands its own Hessian up: it has 8 times the rows of the one it borrowed, so
    // the set above converges about twice as fast a step on it, for an eighth of one of its passes.
    if (handUp && !last && warm) ownHessian();
    const handed = last ?? warm;
    return { theta, iterations, converged, factor: handed?.factor, hessian: handed?.hessian };
  };
  for (let iter = 0; iter < maxIterations; iter++) {
    const gnorm = gradientMax(grad, theta, ridge, d);
    if (gnorm <= tolerance) return done(iter, true);
    // The borrowed Hessian must cut the gradient at least fourfold a step, or exact Newton takes over.
    if (borrowed && gnorm > 0.25 * previousGmax) borrowed = null;
    else if (!borrowed && gnorm > 0.5 * previousGmax && gnorm <= Math.sqrt(tolerance)) {
      // Exact Newton no longer makes progress: the gradient is at its rounding floor.
      return done(iter, true);
    }
    previousGmax = gnorm;
    const full = fullGradient(grad, theta);
    if (borrowed) {
      const from = theta;
      if (lineSearch(choleskySolve(borrowed.factor, full), full)) {
        borrowed.factor = bfgsUpdate(borrowed.matrix, p, from, theta, full, fullGradient(grad, theta)) ?? borrowed.factor;
        continue;
      }
      borrowed = null;
    }
    if (!lineSearch(choleskySolve(ownHessian(), full), full)) {
      // No decrease representable: at the optimum to working precision.
      return done(iter + 1, gnorm <= Math.sqrt(tolerance));
    }
  }
  return done(maxIterations, false);
}

/**
 * The BFGS update of a Hessian approximation B (p × p, in place) from a step θ₀ → θ₁ and the
 * gradients at both ends: B + yyᵀ/yᵀs − Bs(Bs)ᵀ/sᵀBs. Returns its new Cholesky factor, or null
 * (B unchanged) when the curvature yᵀs is not positive.
 */
function bfgsUpdate(b: Float64Array, p: number, th0: Float64Array, th1: Float64Array, g0: Float64Array, g1: Float64Array): CholeskyFactor | null {
  const s = new Float64Array(p);
  const y = new Float64Array(p);
  for (let j = 0; j < p; j++) {
    s[j] = th1[j] - th0[j];
    y[j] = g1[j] - g0[j];
  }
  const bs = new Float64Array(p);
  let sbs = 0;
  let ys = 0;
  for (let i = 0; i < p; i++) {
    let v = 0;
    for (let j = 0; j < p; j++) v += b[i * p + j] * s[j];
    bs[i] = v;
    sbs += s[i] * v;
    ys += y[i] * s[i];
  }
  if (!(ys > 0 && sbs > 0)) return null;
  for (let i = 0; i < p; i++) for (let j = 0; j < p; j++) b[i * p + j] += (y[i] * y[j]) / ys - (bs[i] * bs[j]) / sbs;
  return cholesky(b, p, 1e-14);
}
