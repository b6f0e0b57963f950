import { throwIfAborted } from '../errors';

/**
 * Kernel columns of a training problem: `column(i)[t]` = K(x_i, x_t) for the problem's rows,
 * in single precision as libsvm's cache (`Qfloat`), which halves the memory per cached column.
 */
export interface KernelColumns {
  size: number;
  column(i: number): Float32Array;
  /** K(x_i, x_i). */
  diagonal(i: number): number;
}

/** Solution of the C-SVC dual: α (0 ≤ αᵢ ≤ Cᵢ) and the offset ρ (decision = Σ αᵢyᵢK(xᵢ, x) − ρ). */
export interface SmoSolution {
  alpha: Float64Array;
  rho: number;
  iterations: number;
  converged: boolean;
}

const TAU = 1e-12;

/**
 * Sequential minimal optimization for the C-SVC dual
 *   min ½ αᵀQα − eᵀα  s.t. yᵀα = 0, 0 ≤ αᵢ ≤ Cᵢ,  Q_it = yᵢ y_t K(xᵢ, x_t),
 * as libsvm's `Solver` (Chang & Lin 2011): working pairs chosen by the second-order rule of
 * Fan, Chen & Lin (2005, "Working set selection using second order information"), analytic
 * two-variable updates with clipping, stop when the maximal KKT violation m(α) − M(α) < `eps`,
 * and ρ the mean of yᵢ∇ᵢ over free αᵢ. No shrinking (it only saves time; the solution is the
 * same to the tolerance).
 */
export function solveSmo(
  kernel: KernelColumns,
  y: Int8Array,
  cost: Float64Array,
  eps = 1e-3,
  maxIterations = 10_000_000,
  signal?: AbortSignal,
): SmoSolution {
  const n = kernel.size;
  const alpha = new Float64Array(n);
  const G = new Float64Array(n).fill(-1);
  const qd = new Float64Array(n);
  for (let i = 0; i < n; i++) qd[i] = kernel.diagonal(i);
  const isUpper = (t: number) => alpha[t] >= cost[t];
  const isLower = (t: number) => alpha[t] <= 0;
  let iter = 0;
  let converged = false;
  const limit = Math.max(maxIterations, 0);
  while (iter < limit) {
    if ((iter & 1023) === 0) throwIfAborted(signal);
    // Working set: i maximizes −y_t∇_t over I_up; j minimizes the second-order objective.
    let gmax = -Infinity;
    let gmax2 = -Infinity;
    let i = -1;
    for (let t = 0; t < n; t++) {
      if (y[t] === 1) {
        if (!isUpper(t) && -G[t] >= gmax) {
          gmax = -G[t];
          i = t;
        }
      } else if (!isLower(t) && G[t] >= gmax) {
        gmax = G[t];
        i = t;
      }
    }
    if (i < 0) {
      converged = true;
      break;
    }
    const Ki = kernel.column(i);
    let j = -1;
    let objMin = Infinity;
    for (let t = 0; t < n; t++) {
      if (y[t] === 1) {
        if (!isLower(t)) {
          const gradDiff = gmax + G[t];
          if (G[t] >= gmax2) gmax2 = G[t];
          if (gradDiff > 0) {
            const quad = qd[i] + qd[t] - 2 * Ki[t];
            const obj = -(gradDiff * gradDiff) / (quad > 0 ? quad : TAU);
            if (obj <= objMin) {
              j = t;
              objMin = obj;
            }
          }
        }
      } else if (!isUpper(t)) {
        const gradDiff = gmax - G[t];
        if (-G[t] >= gmax2) gmax2 = -G[t];
        if (gradDiff > 0) {
          const quad = qd[i] + qd[t] - 2 * Ki[t];
          const obj = -(gradDiff * gradDiff) / (quad > 0 ? quad : TAU);
          if (obj <= objMin) {
            j = t;
            objMin = obj;
          }
        }
      }
    }
    if (gmax + gmax2 < eps || j < 0) {
      converged = true;
      break;
    }
    iter++;
    const Kj = kernel.column(j);
    const Ci = cost[i];
    const Cj = cost[j];
    const oldI = alpha[i];
    const oldJ = alpha[j];
    // Q_ij = y_i y_j K_ij.
    const Qij = y[i] * y[j] * Ki[j];
    if (y[i] !== y[j]) {
      let quad = qd[i] + qd[j] + 2 * Qij;
      if (quad <= 0) quad = TAU;
      const delta = (-G[i] - G[j]) / quad;
      const diff = alpha[i] - alpha[j];
      alpha[i] += delta;
      alpha[j] += delta;
      if (diff > 0) {
        if (alpha[j] < 0) {
          alpha[j] = 0;
          alpha[i] = diff;
        }
      } else if (alpha[i] < 0) {
        alpha[i] = 0;
        alpha[j] = -diff;
      }
      if (diff > Ci - Cj) {
        if (alpha[i] > Ci) {
          alpha[i] = Ci;
          alpha[j] = Ci - diff;
        }
      } else if (alpha[j] > Cj) {
        alpha[j] = Cj;
        alpha[i] = Cj + diff;
      }
    } else {
      let quad = qd[i] + qd[j] - 2 * Qij;
      if (quad <= 0) quad = TAU;
      const delta = (G[i] - G[j]) / quad;
      const sum = alpha[i] + alpha[j];
      alpha[i] -= delta;
      alpha[j] += delta;
      if (sum > Ci) {
        if (alpha[i] > Ci) {
          alpha[i] = Ci;
          alpha[j] = sum - Ci;
        }
      } else if (alpha[j] < 0) {
        alpha[j] = 0;
        alpha[i] = sum;
      }
      if (sum > Cj) {
        if (alpha[j] > Cj) {
          alpha[j] = Cj;
          alpha[i] = sum - Cj;
        }
      } else if (alpha[i] < 0) {
        alpha[i] = 0;
        alpha[j] = sum;
      }
    }
    const dI = (alpha[i] - oldI) * y[i];
    const dJ = (alpha[j] - oldJ) * y[j];
    for (let t = 0; t < n; t++) G[t] += y[t] * (Ki[t] * dI + Kj[t] * dJ);
  }
  // ρ: mean of y∇ over free α; else the midpoint of the feasible interval.
  let ub = Infinity;
  let lb = -Infinity;
  let free = 0;
  let sumFree = 0;
  for (let t = 0; t < n; t++) {
    const yG = y[t] * G[t];
    if (isUpper(t)) {
      if (y[t] === -1) ub = Math.min(ub, yG);
      else lb = Math.max(lb, yG);
    } else if (isLower(t)) {
      if (y[t] === 1) ub = Math.min(ub, yG);
      else lb = Math.max(lb, yG);
    } else {
      free++;
      sumFree += yG;
    }
  }
  const rho = free > 0 ? sumFree / free : (ub + lb) / 2;
  return { alpha, rho, iterations: iter, converged };
}
