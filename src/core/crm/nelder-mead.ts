import { throwIfAborted } from '../errors';
import type { ProgressCallback } from '../progress';

/** Settings of {@link nelderMead}. */
export interface NelderMeadOptions {
  /** Most iterations (default 4000). */
  maxIterations?: number;
  /** Stop when the simplex's values differ by at most this, relative to 1 + |f| (default 1e-11). */
  fTolerance?: number;
  /** …and its vertices lie within this distance of the best, per coordinate (default 1e-7). */
  xTolerance?: number;
  /** Edge of the starting simplex around x0 (default 0.5, in the units of x). */
  step?: number;
  /** Restarts from the best point (a fresh simplex) after convergence (default 1). */
  restarts?: number;
  signal?: AbortSignal;
  onProgress?: ProgressCallback;
}

/** Outcome of {@link nelderMead}. */
export interface NelderMeadResult {
  x: Float64Array;
  value: number;
  iterations: number;
  evaluations: number;
  converged: boolean;
}

/**
 * Derivative-free minimization of f over ℝⁿ by the Nelder–Mead simplex (Nelder & Mead 1965;
 * coefficients reflection 1, expansion 2, contraction ½, shrink ½, as in Lagarias et al. 1998),
 * restarted from its best point to guard against a collapsed simplex. Non-finite values count
 * as +∞, so f may refuse infeasible points by returning NaN or Infinity. Checks `signal` every
 * iteration and reports progress at most every 25 iterations.
 */
export function nelderMead(f: (x: Float64Array) => number, x0: ArrayLike<number>, options: NelderMeadOptions = {}): NelderMeadResult {
  const { maxIterations = 4000, fTolerance = 1e-11, xTolerance = 1e-7, step = 0.5, restarts = 1, signal, onProgress } = options;
  const n = x0.length;
  const value = (x: Float64Array): number => {
    evaluations++;
    const v = f(x);
    return Number.isFinite(v) ? v : Infinity;
  };
  let evaluations = 0;
  let iterations = 0;
  let best = Float64Array.from(x0);
  let bestValue = value(best);
  let converged = false;
  for (let round = 0; round <= restarts; round++) {
    const pts: Float64Array[] = [Float64Array.from(best)];
    const vals: number[] = [bestValue];
    for (let i = 0; i < n; i++) {
      const p = Float64Array.from(best);
      p[i] += step;
      pts.push(p);
      vals.push(value(p));
    }
    converged = false;
    const centroid = new Float64Array(n);
    const along = (t: number): Float64Array => {
      const p = new Float64Array(n);
      for (let j = 0; j < n; j++) p[j] = centroid[j] + t * (pts[n][j] - centroid[j]);
      return p;
    };
    while (iterations < maxIterations) {
      throwIfAborted(signal);
      iterations++;
      const order = vals.map((_, i) => i).sort((i, j) => vals[i] - vals[j]);
      const sortedPts = order.map((i) => pts[i]);
      const sortedVals = order.map((i) => vals[i]);
      pts.splice(0, pts.length, ...sortedPts);
      vals.splice(0, vals.length, ...sortedVals);
      if (onProgress && iterations % 25 === 0) onProgress({ stage: `iteration ${iterations}`, detail: { objective: vals[0] } });
      let spread = 0;
      for (let i = 1; i <= n; i++) for (let j = 0; j < n; j++) spread = Math.max(spread, Math.abs(pts[i][j] - pts[0][j]));
      if (vals[n] - vals[0] <= fTolerance * (1 + Math.abs(vals[0])) && spread <= xTolerance) {
        converged = true;
        break;
      }
      centroid.fill(0);
      for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) centroid[j] += pts[i][j] / n;
      const reflected = along(-1);
      const fr = value(reflected);
      if (fr < vals[0]) {
        const expanded = along(-2);
        const fe = value(expanded);
        if (fe < fr) [pts[n], vals[n]] = [expanded, fe];
        else [pts[n], vals[n]] = [reflected, fr];
      } else if (fr < vals[n - 1]) {
        [pts[n], vals[n]] = [reflected, fr];
      } else {
        const outside = fr < vals[n];
        const contracted = along(outside ? -0.5 : 0.5);
        const fc = value(contracted);
        if (fc < (outside ? fr : vals[n])) [pts[n], vals[n]] = [contracted, fc];
        else {
          for (let i = 1; i <= n; i++) {
            for (let j = 0; j < n; j++) pts[i][j] = pts[0][j] + 0.5 * (pts[i][j] - pts[0][j]);
            vals[i] = value(pts[i]);
          }
        }
      }
    }
    let k = 0;
    for (let i = 1; i <= n; i++) if (vals[i] < vals[k]) k = i;
    if (vals[k] <= bestValue) {
      best = Float64Array.from(pts[k]);
      bestValue = vals[k];
    }
  }
  return { x: best, value: bestValue, iterations, evaluations, converged };
}
