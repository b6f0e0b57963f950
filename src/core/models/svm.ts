import { AppError, throwIfAborted } from '../errors';
import { createRng } from '../random';
import { classWeightValues, countClasses } from './labels';
import type { ClassWeight } from './labels';
import { checkFeatures, checkWidth, takeRows } from './matrix';
import type { FeatureMatrix } from './matrix';
import { crossValidatedDecisions, fitPlattSigmoid, plattProbability } from './platt';
import type { PlattSigmoid } from './platt';

/**
 * A fitted linear SVM (plain JSON). Binary: one weight row, decision w·x + b > 0 → class 1.
 * K > 2: one row per class (one-vs-rest, as liblinear), the highest decision wins.
 */
export interface LinearSvmModel {
  nClasses: number;
  nFeatures: number;
  loss: 'hinge' | 'squared_hinge';
  C: number;
  /** Weight rows, row-major: 1 × d (binary) or K × d. */
  coefficients: number[];
  intercepts: number[];
  /** Platt sigmoids per weight row, when fitted with `probability`. */
  sigmoids?: PlattSigmoid[];
  /** Passes over the data of the slowest sub-problem, and whether all met the tolerance. */
  iterations: number;
  converged: boolean;
}

/** Settings, named and defaulted as scikit-learn's `LinearSVC`. */
export interface LinearSvmOptions {
  /** Misclassification cost C > 0 (default 1). */
  C?: number;
  /** 'squared_hinge' (default, as LinearSVC) or 'hinge'. */
  loss?: 'hinge' | 'squared_hinge';
  /** Fit an intercept (default true) — as liblinear, a constant feature of value `interceptScaling`, whose weight is penalized too. */
  fitIntercept?: boolean;
  interceptScaling?: number;
  /** Number of classes K (default the highest code + 1, at least 2). */
  nClasses?: number;
  /** Class weights: row i's cost is C × weight of its class. */
  classWeight?: ClassWeight;
  /** Stopping tolerance on the projected-gradient gap (default 1e-4, as LinearSVC's `tol`). */
  tolerance?: number;
  /** Most passes over the data (default 1000). */
  maxIterations?: number;
  /** Fit Platt sigmoids on 5-fold decision values so `predictLinearSvmProba` works (default false). */
  probability?: boolean;
  /** Seed of the coordinate order (default 0). */
  seed?: number;
  signal?: AbortSignal;
}

interface BinaryResult {
  w: Float64Array;
  iterations: number;
  converged: boolean;
}

/**
 * Dual coordinate descent for the L2-regularized hinge / squared-hinge SVM (Hsieh, Chang, Lin,
 * Keerthi & Sundararajan 2008; liblinear's `solve_l2r_l1l2_svc`, Fan et al. 2008), with its
 * shrinking heuristic and random coordinate order. `sign[i]` is ±1; `cost[i]` is row i's C.
 * Returns w of length d + 1 (the last entry multiplies the bias feature).
 */
function solveDualCd(
  x: FeatureMatrix, sign: Int8Array, cost: Float64Array, loss: 'hinge' | 'squared_hinge',
  bias: number, tolerance: number, maxIterations: number, seed: number, signal?: AbortSignal,
): BinaryResult {
  const { n, d, data } = x;
  const w = new Float64Array(d + 1);
  const alpha = new Float64Array(n);
  const qd = new Float64Array(n);
  const diag = new Float64Array(n);
  const upper = new Float64Array(n);
  const index = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    diag[i] = loss === 'squared_hinge' ? 0.5 / cost[i] : 0;
    upper[i] = loss === 'squared_hinge' ? Infinity : cost[i];
    let s = bias * bias + diag[i];
    for (let j = 0; j < d; j++) s += data[i * d + j] ** 2;
    qd[i] = s;
    index[i] = i;
  }
  const rng = createRng(seed);
  let active = n;
  let pgMaxOld = Infinity;
  let pgMinOld = -Infinity;
  let iter = 0;
  let converged = false;
  while (iter < maxIterations) {
    if ((iter & 7) === 0) throwIfAborted(signal);
    let pgMaxNew = -Infinity;
    let pgMinNew = Infinity;
    for (let i = 0; i < active; i++) {
      const j = i + rng.int(active - i);
      const t = index[i];
      index[i] = index[j];
      index[j] = t;
    }
    for (let s = 0; s < active; s++) {
      const i = index[s];
      const yi = sign[i];
      const base = i * d;
      let wx = w[d] * bias;
      for (let j = 0; j < d; j++) wx += w[j] * data[base + j];
      const G = yi * wx - 1 + alpha[i] * diag[i];
      const C = upper[i];
      let pg = 0;
      if (alpha[i] === 0) {
        if (G > pgMaxOld) {
          active--;
          index[s] = index[active];
          index[active] = i;
          s--;
          continue;
        } else if (G < 0) pg = G;
      } else if (alpha[i] === C) {
        if (G < pgMinOld) {
          active--;
          index[s] = index[active];
          index[active] = i;
          s--;
          continue;
        } else if (G > 0) pg = G;
      } else pg = G;
      if (pg > pgMaxNew) pgMaxNew = pg;
      if (pg < pgMinNew) pgMinNew = pg;
      if (Math.abs(pg) > 1e-12) {
        const old = alpha[i];
        alpha[i] = Math.min(Math.max(old - G / qd[i], 0), C);
        const delta = (alpha[i] - old) * yi;
        for (let j = 0; j < d; j++) w[j] += delta * data[base + j];
        w[d] += delta * bias;
      }
    }
    iter++;
    if (pgMaxNew - pgMinNew <= tolerance) {
      if (active === n) {
        converged = true;
        break;
      }
      active = n;
      pgMaxOld = Infinity;
      pgMinOld = -Infinity;
      continue;
    }
    pgMaxOld = pgMaxNew <= 0 ? Infinity : pgMaxNew;
    pgMinOld = pgMinNew >= 0 ? -Infinity : pgMinNew;
  }
  return { w, iterations: iter, converged };
}

/**
 * Fits a linear SVM by liblinear's dual coordinate descent (Fan et al. 2008), minimizing
 * ½‖w‖² + C Σ ξᵢ (hinge) or ½‖w‖² + C Σ ξᵢ² (squared hinge) — the problem scikit-learn's
 * `LinearSVC` solves, bias included as a penalized constant feature. Multi-class is
 * one-vs-rest. With `probability`, Platt sigmoids (Platt 1998) are fitted on 5-fold decisions.
 */
export function fitLinearSvm(x: FeatureMatrix, codes: Int32Array, options: LinearSvmOptions = {}): LinearSvmModel {
  checkFeatures(x, 'linear SVM', codes.length);
  const { C = 1, loss = 'squared_hinge', fitIntercept = true, interceptScaling = 1 } = options;
  const { tolerance = 1e-4, maxIterations = 1000, seed = 0, signal } = options;
  if (!(C > 0)) throw new AppError('invalid-argument', `C must be positive; got ${C}.`);
  const nClasses = Math.max(options.nClasses ?? 0, countClasses(codes), 2);
  const perClass = classWeightValues(codes, nClasses, options.classWeight);
  const cost = new Float64Array(x.n);
  for (let i = 0; i < x.n; i++) cost[i] = C * perClass[codes[i]];
  const bias = fitIntercept ? interceptScaling : 0;
  const rowsOut = nClasses === 2 ? 1 : nClasses;
  const solve = (m: FeatureMatrix, rowCodes: Int32Array, rowCost: Float64Array, positive: number): BinaryResult => {
    const sign = new Int8Array(m.n);
    for (let i = 0; i < m.n; i++) sign[i] = rowCodes[i] === positive ? 1 : -1;
    return solveDualCd(m, sign, rowCost, loss, bias, tolerance, maxIterations, seed, signal);
  };
  const model: LinearSvmModel = {
    nClasses, nFeatures: x.d, loss, C, coefficients: [], intercepts: [], iterations: 0, converged: true,
  };
  const sigmoids: PlattSigmoid[] = [];
  for (let r = 0; r < rowsOut; r++) {
    const positive = rowsOut === 1 ? 1 : r;
    const res = solve(x, codes, cost, positive);
    for (let j = 0; j < x.d; j++) model.coefficients.push(res.w[j]);
    model.intercepts.push(res.w[x.d] * bias);
    model.iterations = Math.max(model.iterations, res.iterations);
    model.converged &&= res.converged;
    if (options.probability) {
      const isPos = Uint8Array.from(codes, (c) => (c === positive ? 1 : 0));
      const dec = crossValidatedDecisions(isPos, (fold) => {
        const sub = takeRows(x, fold.train);
        const sc = Int32Array.from(fold.train, (i) => codes[i]);
        const w = solve(sub, sc, Float64Array.from(fold.train, (i) => cost[i]), positive).w;
        return Float64Array.from(fold.test, (i) => {
          let s = w[x.d] * bias;
          for (let j = 0; j < x.d; j++) s += w[j] * x.data[i * x.d + j];
          return s;
        });
      }, seed);
      sigmoids.push(fitPlattSigmoid(dec, isPos));
    }
  }
  if (options.probability) model.sigmoids = sigmoids;
  return model;
}

/** Decision values: binary → length n; K > 2 → n × K row-major (one-vs-rest). */
export function linearSvmDecision(model: LinearSvmModel, x: FeatureMatrix): Float64Array {
  checkWidth(x, model.nFeatures, 'the linear SVM');
  const { n, d, data } = x;
  const rows = model.intercepts.length;
  const out = new Float64Array(n * rows);
  for (let i = 0; i < n; i++) {
    for (let r = 0; r < rows; r++) {
      let s = model.intercepts[r];
      for (let j = 0; j < d; j++) s += data[i * d + j] * model.coefficients[r * d + j];
      out[i * rows + r] = s;
    }
  }
  return out;
}

/** Predicted class codes (sign of the decision, or the highest one-vs-rest decision). */
export function predictLinearSvm(model: LinearSvmModel, x: FeatureMatrix): Int32Array {
  const dec = linearSvmDecision(model, x);
  const rows = model.intercepts.length;
  const out = new Int32Array(x.n);
  for (let i = 0; i < x.n; i++) {
    if (rows === 1) out[i] = dec[i] > 0 ? 1 : 0;
    else {
      let best = 0;
      for (let r = 1; r < rows; r++) if (dec[i * rows + r] > dec[i * rows + best]) best = r;
      out[i] = best;
    }
  }
  return out;
}

/**
 * Calibrated class probabilities (`n × K`): Platt sigmoids on the decision values; one-vs-rest
 * probabilities are normalized to sum 1, as scikit-learn's `CalibratedClassifierCV`.
 */
export function predictLinearSvmProba(model: LinearSvmModel, x: FeatureMatrix): FeatureMatrix {
  if (!model.sigmoids) throw new AppError('invalid-argument', 'this SVM was fitted without probability; refit it with probability on.');
  const dec = linearSvmDecision(model, x);
  const K = model.nClasses;
  const rows = model.intercepts.length;
  const out = new Float64Array(x.n * K);
  for (let i = 0; i < x.n; i++) {
    if (rows === 1) {
      const p = plattProbability(dec[i], model.sigmoids[0]);
      out[i * 2] = 1 - p;
      out[i * 2 + 1] = p;
      continue;
    }
    let sum = 0;
    for (let k = 0; k < K; k++) sum += out[i * K + k] = plattProbability(dec[i * K + k], model.sigmoids[k]);
    for (let k = 0; k < K; k++) out[i * K + k] = sum > 0 ? out[i * K + k] / sum : 1 / K;
  }
  return { data: out, n: x.n, d: K };
}
