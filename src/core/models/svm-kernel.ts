import { AppError } from '../errors';
import { classWeightValues, countClasses } from './labels';
import type { ClassWeight } from './labels';
import { checkFeatures, checkWidth } from './matrix';
import type { FeatureMatrix } from './matrix';
import { crossValidatedDecisions, fitPlattSigmoid, pairwiseCoupling, plattProbability } from './platt';
import type { PlattSigmoid } from './platt';
import { solveSmo } from './smo';
import type { KernelColumns } from './smo';

/** One binary machine of a (one-vs-one) kernel SVM: class `b` (+1) against class `a` (−1). */
export interface KernelSvmMachine {
  a: number;
  b: number;
  /** Indices into the model's support vectors, and their dual coefficients αᵢyᵢ. */
  support: number[];
  dualCoef: number[];
  /** decision(x) = Σ dualCoef · K(sv, x) − rho; > 0 votes for class b. */
  rho: number;
  sigmoid?: PlattSigmoid;
}

/** A fitted kernel SVM (plain JSON). */
export interface KernelSvmModel {
  nClasses: number;
  nFeatures: number;
  kernel: 'rbf' | 'linear';
  /** RBF width γ in K(x, z) = exp(−γ‖x − z‖²). */
  gamma: number;
  C: number;
  /** Support vectors, row-major (count × nFeatures). */
  supportVectors: number[];
  machines: KernelSvmMachine[];
  converged: boolean;
}

/** Settings, named and defaulted as scikit-learn's `SVC`. */
export interface KernelSvmOptions {
  C?: number;
  kernel?: 'rbf' | 'linear';
  /** γ, or 'scale' = 1 / (d · Var(X)) over all entries (default), or 'auto' = 1 / d. */
  gamma?: number | 'scale' | 'auto';
  nClasses?: number;
  classWeight?: ClassWeight;
  /** KKT tolerance (default 1e-3, as SVC's `tol`). */
  tolerance?: number;
  maxIterations?: number;
  /** Fit Platt sigmoids on internal 5-fold decisions (as libsvm's `-b 1`) so probabilities work. */
  probability?: boolean;
  /** Seed of the probability folds (default 0). */
  seed?: number;
  /** Memory for cached kernel columns, in MB (default 200, as SVC's `cache_size`). */
  cacheMegabytes?: number;
  signal?: AbortSignal;
}

/** K(u, v) for u = a[p … p+d), v = b[q … q+d). */
function kernelValue(a: Float64Array, p: number, b: Float64Array, q: number, d: number, kernel: 'rbf' | 'linear', gamma: number): number {
  let s = 0;
  if (kernel === 'linear') {
    for (let j = 0; j < d; j++) s += a[p + j] * b[q + j];
    return s;
  }
  for (let j = 0; j < d; j++) {
    const t = a[p + j] - b[q + j];
    s += t * t;
  }
  return Math.exp(-gamma * s);
}

/** Kernel columns over a subset of rows, with a least-recently-used cache of `bytes`. */
function cachedKernel(x: FeatureMatrix, rows: Int32Array, kernel: 'rbf' | 'linear', gamma: number, bytes: number): KernelColumns {
  const m = rows.length;
  const { d, data } = x;
  const capacity = Math.max(2, Math.floor(bytes / (4 * m)));
  const cache = new Map<number, Float32Array>();
  return {
    size: m,
    diagonal: (i) => kernelValue(data, rows[i] * d, data, rows[i] * d, d, kernel, gamma),
    column(i) {
      const hit = cache.get(i);
      if (hit) {
        if (capacity < m) {
          cache.delete(i);
          cache.set(i, hit);
        }
        return hit;
      }
      const col = new Float32Array(m);
      const p = rows[i] * d;
      for (let t = 0; t < m; t++) col[t] = kernelValue(data, p, data, rows[t] * d, d, kernel, gamma);
      if (cache.size >= capacity) cache.delete(cache.keys().next().value as number);
      cache.set(i, col);
      return col;
    },
  };
}

/** γ = 1 / (d · Var(X)) over all entries of X (population variance), as sklearn's gamma='scale'. */
export function scaleGamma(x: FeatureMatrix): number {
  const { data } = x;
  let mean = 0;
  for (let i = 0; i < data.length; i++) mean += data[i];
  mean /= data.length;
  let v = 0;
  for (let i = 0; i < data.length; i++) v += (data[i] - mean) ** 2;
  v /= data.length;
  return v > 0 ? 1 / (x.d * v) : 1;
}

/**
 * Fits a kernel SVM (C-SVC; Cortes & Vapnik 1995) by SMO as libsvm (Chang & Lin 2011) — the
 * model of scikit-learn's `SVC`: RBF kernel, γ='scale', one-vs-one for K > 2 with voting. With
 * `probability`, each machine gets a Platt sigmoid fitted on 5-fold decision values (Platt
 * 1998; Lin, Lin & Weng 2007) and K > 2 classes are coupled as Wu, Lin & Weng (2004).
 */
export function fitKernelSvm(x: FeatureMatrix, codes: Int32Array, options: KernelSvmOptions = {}): KernelSvmModel {
  checkFeatures(x, 'kernel SVM', codes.length);
  const { C = 1, kernel = 'rbf', tolerance = 1e-3, seed = 0, cacheMegabytes = 200, signal } = options;
  if (!(C > 0)) throw new AppError('invalid-argument', `C must be positive; got ${C}.`);
  const g = options.gamma ?? 'scale';
  const gamma = g === 'scale' ? scaleGamma(x) : g === 'auto' ? 1 / x.d : g;
  if (!(gamma > 0)) throw new AppError('invalid-argument', `gamma must be positive; got ${gamma}.`);
  const nClasses = Math.max(options.nClasses ?? 0, countClasses(codes), 2);
  const perClass = classWeightValues(codes, nClasses, options.classWeight);
  const maxIterations = options.maxIterations ?? Math.max(10_000_000, 100 * x.n);
  const bytes = cacheMegabytes * 1024 * 1024;
  const model: KernelSvmModel = {
    nClasses, nFeatures: x.d, kernel, gamma, C, supportVectors: [], machines: [], converged: true,
  };
  const svIndex = new Map<number, number>();
  const solvePair = (rows: Int32Array, a: number, b: number) => {
    const y = Int8Array.from(rows, (r) => (codes[r] === b ? 1 : -1));
    const cost = Float64Array.from(rows, (r) => C * perClass[codes[r]]);
    return solveSmo(cachedKernel(x, rows, kernel, gamma, bytes), y, cost, tolerance, maxIterations, signal);
  };
  for (let a = 0; a < nClasses; a++) {
    for (let b = a + 1; b < nClasses; b++) {
      const list: number[] = [];
      for (let i = 0; i < x.n; i++) if (codes[i] === a || codes[i] === b) list.push(i);
      const rows = Int32Array.from(list);
      const machine: KernelSvmMachine = { a, b, support: [], dualCoef: [], rho: 0 };
      const hasBoth = list.some((r) => codes[r] === a) && list.some((r) => codes[r] === b);
      if (hasBoth) {
        const sol = solvePair(rows, a, b);
        model.converged &&= sol.converged;
        machine.rho = sol.rho;
        for (let t = 0; t < rows.length; t++) {
          if (sol.alpha[t] <= 0) continue;
          const row = rows[t];
          let id = svIndex.get(row);
          if (id === undefined) {
            id = svIndex.size;
            svIndex.set(row, id);
            for (let j = 0; j < x.d; j++) model.supportVectors.push(x.data[row * x.d + j]);
          }
          machine.support.push(id);
          machine.dualCoef.push(sol.alpha[t] * (codes[row] === b ? 1 : -1));
        }
      } else machine.rho = list.some((r) => codes[r] === b) ? -1 : 1;
      if (options.probability && hasBoth) {
        const positive = Uint8Array.from(rows, (r) => (codes[r] === b ? 1 : 0));
        const dec = crossValidatedDecisions(positive, (fold) => {
          const trainRows = Int32Array.from(fold.train, (t) => rows[t]);
          const sol = solvePair(trainRows, a, b);
          const out = new Float64Array(fold.test.length);
          fold.test.forEach((t, r) => {
            let s = -sol.rho;
            for (let u = 0; u < trainRows.length; u++) {
              if (sol.alpha[u] > 0) {
                const sign = codes[trainRows[u]] === b ? 1 : -1;
                s += sol.alpha[u] * sign * kernelValue(x.data, trainRows[u] * x.d, x.data, rows[t] * x.d, x.d, kernel, gamma);
              }
            }
            out[r] = s;
          });
          return out;
        }, seed);
        machine.sigmoid = fitPlattSigmoid(dec, positive);
      }
      model.machines.push(machine);
    }
  }
  return model;
}

/**
 * Decision values: binary → length n (> 0 means class 1); K > 2 → n × machines row-major,
 * one column per one-vs-one machine in `model.machines` order.
 */
export function kernelSvmDecision(model: KernelSvmModel, x: FeatureMatrix): Float64Array {
  checkWidth(x, model.nFeatures, 'the kernel SVM');
  const { n, d, data } = x;
  const nsv = model.supportVectors.length / d;
  const sv = Float64Array.from(model.supportVectors);
  const m = model.machines.length;
  const out = new Float64Array(n * m);
  const k = new Float64Array(nsv);
  for (let i = 0; i < n; i++) {
    for (let s = 0; s < nsv; s++) k[s] = kernelValue(data, i * d, sv, s * d, d, model.kernel, model.gamma);
    model.machines.forEach((mc, c) => {
      let s = -mc.rho;
      for (let u = 0; u < mc.support.length; u++) s += mc.dualCoef[u] * k[mc.support[u]];
      out[i * m + c] = s;
    });
  }
  return out;
}

/** Predicted class codes: the sign (binary) or one-vs-one votes, ties to the lower class (libsvm). */
export function predictKernelSvm(model: KernelSvmModel, x: FeatureMatrix): Int32Array {
  const dec = kernelSvmDecision(model, x);
  const m = model.machines.length;
  const votes = new Int32Array(model.nClasses);
  const out = new Int32Array(x.n);
  for (let i = 0; i < x.n; i++) {
    votes.fill(0);
    model.machines.forEach((mc, c) => votes[dec[i * m + c] > 0 ? mc.b : mc.a]++);
    let best = 0;
    for (let k = 1; k < votes.length; k++) if (votes[k] > votes[best]) best = k;
    out[i] = best;
  }
  return out;
}

/** Class probabilities (`n × K`) from the Platt sigmoids; needs `probability` at fit time. */
export function predictKernelSvmProba(model: KernelSvmModel, x: FeatureMatrix): FeatureMatrix {
  if (model.machines.some((mc) => !mc.sigmoid)) {
    throw new AppError('invalid-argument', 'this SVM was fitted without probability; refit it with probability on.');
  }
  const dec = kernelSvmDecision(model, x);
  const K = model.nClasses;
  const m = model.machines.length;
  const out = new Float64Array(x.n * K);
  const r = new Float64Array(K * K);
  for (let i = 0; i < x.n; i++) {
    model.machines.forEach((mc, c) => {
      const p = Math.min(Math.max(plattProbability(dec[i * m + c], mc.sigmoid!), 1e-7), 1 - 1e-7);
      r[mc.b * K + mc.a] = p;
      r[mc.a * K + mc.b] = 1 - p;
    });
    if (K === 2) {
      out[i * 2] = r[0 * K + 1];
      out[i * 2 + 1] = r[1 * K + 0];
    } else out.set(pairwiseCoupling(r, K), i * K);
  }
  return { data: out, n: x.n, d: K };
}
