import { throwIfAborted } from '../errors';

/**
 * A smooth objective: returns f(x) and writes ∇f(x) into `grad`. Must be convex for the
 * guarantees below (every model here is).
 */
export type Objective = (x: Float64Array, grad: Float64Array) => number;

/** Settings of `minimize`. */
export interface MinimizeOptions {
  /** Most quasi-Newton iterations (default 1000). */
  maxIterations?: number;
  /** Stop when the largest (pseudo-)gradient entry is at most this (default 1e-10). */
  gradientTolerance?: number;
  /** Correction pairs kept (default 10, as L-BFGS-B's m). */
  memory?: number;
  /**
   * Per-coordinate L1 strengths λ_j ≥ 0: minimizes f(x) + Σ λ_j |x_j| by OWL-QN. Omit for a
   * purely smooth problem.
   */
  l1?: Float64Array;
  signal?: AbortSignal;
}

/** Outcome of `minimize`. */
export interface MinimizeResult {
  x: Float64Array;
  /** Objective value at x (including the L1 term). */
  value: number;
  iterations: number;
  /** True when the gradient tolerance was met (or no further decrease was representable). */
  converged: boolean;
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

/** OWL-QN's pseudo-gradient: the minimum-norm subgradient of f + Σλ|x| (Andrew & Gao 2007, §3). */
function pseudoGradient(x: Float64Array, g: Float64Array, l1: Float64Array | undefined, out: Float64Array): void {
  for (let i = 0; i < x.length; i++) {
    const lam = l1 ? l1[i] : 0;
    if (lam === 0) out[i] = g[i];
    else if (x[i] > 0) out[i] = g[i] + lam;
    else if (x[i] < 0) out[i] = g[i] - lam;
    else if (g[i] + lam < 0) out[i] = g[i] + lam;
    else if (g[i] - lam > 0) out[i] = g[i] - lam;
    else out[i] = 0;
  }
}

function l1Norm(x: Float64Array, l1: Float64Array | undefined): number {
  if (!l1) return 0;
  let s = 0;
  for (let i = 0; i < x.length; i++) s += l1[i] * Math.abs(x[i]);
  return s;
}

/**
 * Limited-memory BFGS (Liu & Nocedal 1989) with a backtracking Armijo line search; with `l1`, the
 * orthant-wise variant OWL-QN (Andrew & Gao 2007) for L1-regularized problems: directions use
 * the pseudo-gradient, are restricted to its descent orthant, and steps are projected back onto
 * the orthant of the current point so coefficients land exactly on zero.
 */
export function minimize(objective: Objective, x0: Float64Array, options: MinimizeOptions = {}): MinimizeResult {
  const { maxIterations = 1000, gradientTolerance = 1e-10, memory = 10, l1, signal } = options;
  const dim = x0.length;
  let x = Float64Array.from(x0);
  let g = new Float64Array(dim);
  let f = objective(x, g) + l1Norm(x, l1);
  const pg = new Float64Array(dim);
  const dir = new Float64Array(dim);
  const orthant = new Float64Array(dim);
  let xNew = new Float64Array(dim);
  let gNew = new Float64Array(dim);
  const sList: Float64Array[] = [];
  const yList: Float64Array[] = [];
  const rho: number[] = [];
  const alpha = new Float64Array(memory);
  pseudoGradient(x, g, l1, pg);
  let iterations = 0;
  let converged = false;
  for (; iterations < maxIterations; iterations++) {
    if ((iterations & 15) === 0) throwIfAborted(signal);
    let gmax = 0;
    for (let i = 0; i < dim; i++) gmax = Math.max(gmax, Math.abs(pg[i]));
    if (gmax <= gradientTolerance) {
      converged = true;
      break;
    }
    // Two-loop recursion: dir = −H·pg.
    for (let i = 0; i < dim; i++) dir[i] = pg[i];
    for (let k = sList.length - 1; k >= 0; k--) {
      alpha[k] = rho[k] * dot(sList[k], dir);
      const y = yList[k];
      for (let i = 0; i < dim; i++) dir[i] -= alpha[k] * y[i];
    }
    if (sList.length > 0) {
      const last = sList.length - 1;
      const gamma = dot(sList[last], yList[last]) / dot(yList[last], yList[last]);
      for (let i = 0; i < dim; i++) dir[i] *= gamma;
    }
    for (let k = 0; k < sList.length; k++) {
      const beta = rho[k] * dot(yList[k], dir);
      const s = sList[k];
      for (let i = 0; i < dim; i++) dir[i] += s[i] * (alpha[k] - beta);
    }
    for (let i = 0; i < dim; i++) dir[i] = -dir[i];
    if (l1) for (let i = 0; i < dim; i++) if (l1[i] > 0 && dir[i] * pg[i] >= 0) dir[i] = 0;
    let slope = dot(dir, pg);
    if (!(slope < 0)) {
      // Not a descent direction (stale curvature): restart from steepest descent.
      sList.length = yList.length = rho.length = 0;
      for (let i = 0; i < dim; i++) dir[i] = -pg[i];
      slope = -dot(pg, pg);
    }
    if (l1) for (let i = 0; i < dim; i++) orthant[i] = x[i] !== 0 ? Math.sign(x[i]) : -Math.sign(pg[i]);
    let step = sList.length === 0 ? Math.min(1, 1 / Math.sqrt(dot(dir, dir))) : 1;
    let fNew = Infinity;
    let accepted = false;
    for (let trial = 0; trial < 60; trial++) {
      for (let i = 0; i < dim; i++) {
        let v = x[i] + step * dir[i];
        if (l1 && l1[i] > 0 && Math.sign(v) !== orthant[i]) v = 0;
        xNew[i] = v;
      }
      fNew = objective(xNew, gNew) + l1Norm(xNew, l1);
      let decrease = 0;
      for (let i = 0; i < dim; i++) decrease += pg[i] * (xNew[i] - x[i]);
      if (fNew <= f + 1e-4 * decrease) {
        accepted = true;
        break;
      }
      step *= 0.5;
    }
    if (!accepted) {
      if (sList.length > 0) {
        // The quasi-Newton model misled the search: drop it and retry along steepest descent.
        sList.length = yList.length = rho.length = 0;
        continue;
      }
      // Not even steepest descent decreases f: x is optimal to working precision.
      converged = gmax <= Math.sqrt(gradientTolerance);
      break;
    }
    const s = new Float64Array(dim);
    const y = new Float64Array(dim);
    for (let i = 0; i < dim; i++) {
      s[i] = xNew[i] - x[i];
      y[i] = gNew[i] - g[i];
    }
    const sy = dot(s, y);
    if (sy > 1e-14 * Math.sqrt(dot(s, s) * dot(y, y))) {
      if (sList.length === memory) {
        sList.shift();
        yList.shift();
        rho.shift();
      }
      sList.push(s);
      yList.push(y);
      rho.push(1 / sy);
    }
    [x, xNew] = [xNew, x];
    [g, gNew] = [gNew, g];
    const previous = f;
    f = fNew;
    pseudoGradient(x, g, l1, pg);
    if (previous === f) {
      // No change at all in the objective: nothing left to gain at double precision.
      converged = true;
      iterations++;
      break;
    }
  }
  return { x, value: f, iterations, converged };
}
