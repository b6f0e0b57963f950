import { AppError } from '../errors';
import { countClasses, rowWeights } from './labels';
import type { ClassWeight } from './labels';
import { checkFeatures, checkShape, checkWidth } from './matrix';
import type { FeatureMatrix } from './matrix';
import type { BlockJob } from '../block-jobs';
import { attachBlockHelpers, inlineBlocks, type BlockHelpers, type BlockRunner } from '../block-pool';
import { newtonBinaryLogistic } from './logistic-newton';
import { blockRowsFor } from './logistic-blocks';
import { allocateLogistic, logisticPasses } from './logistic-rows';
import { minimize } from './optimize';

/**
 * A fitted logistic regression (plain JSON). Binary: one weight row, P(class 1) = σ(w·x + b).
 * Multinomial (K > 2): K weight rows, P(class k) = softmax_k(W x + b), as scikit-learn's
 * `multi_class='multinomial'` (all K rows kept and penalized symmetrically).
 */
export interface LogisticModel {
  nClasses: number;
  nFeatures: number;
  penalty: 'l2' | 'l1' | 'none';
  C: number;
  /** Weight rows, row-major: 1 × d (binary) or K × d (multinomial). */
  coefficients: number[];
  /** One intercept per weight row. */
  intercepts: number[];
  iterations: number;
  converged: boolean;
}

/** Settings, named as scikit-learn's `LogisticRegression`. */
export interface LogisticOptions {
  /** Inverse regularization strength C > 0 (default 1): loss = C·Σ logloss + penalty. */
  C?: number;
  /** 'l2' (½‖w‖², default), 'l1' (‖w‖₁) or 'none'. The intercept is never penalized. */
  penalty?: 'l2' | 'l1' | 'none';
  /** Fit intercepts (default true). */
  fitIntercept?: boolean;
  /** Number of classes K (default the highest code + 1, at least 2). */
  nClasses?: number;
  classWeight?: ClassWeight;
  sampleWeight?: ArrayLike<number>;
  /**
   * 'newton' (binary L2 or no penalty; exact and fast up to a few hundred features), 'lbfgs'
   * (L-BFGS / OWL-QN, any case), or 'auto' (default): Newton when it applies and d ≤ 300.
   */
  solver?: 'auto' | 'newton' | 'lbfgs';
  /** Most iterations (default 2000). */
  maxIterations?: number;
  /** Gradient tolerance on the loss averaged per unit weight (default 1e-10). */
  tolerance?: number;
  signal?: AbortSignal;
}

/** Numerically stable log(1 + e^z). */
function softplus(z: number): number {
  return z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z));
}

/**
 * Fits a logistic regression by minimizing C·Σᵢ sᵢ·logloss + ½‖W‖² (L2) or C·Σᵢ sᵢ·logloss + ‖W‖₁
 * (L1), with sᵢ the row weight (class weight × sample weight) and intercepts unpenalized — the
 * objective of scikit-learn's `LogisticRegression` (lbfgs / saga). Solved to a tight tolerance
 * by Newton's method (binary, L2), L-BFGS (Liu & Nocedal 1989; multinomial or many features)
 * or OWL-QN (L1; Andrew & Gao 2007), so the coefficients
 * agree with sklearn's to the precision sklearn itself is run at. The objective is divided by
 * C·Σsᵢ internally, which moves no minimizer.
 */
export function fitLogisticRegression(x: FeatureMatrix, codes: Int32Array, options: LogisticOptions = {}): LogisticModel {
  const fit = prepareLogistic(x, codes, options);
  return fit.newton ? fit.finish(fit.newton(inlineBlocks)) : fit.finish(fit.lbfgs());
}

/**
 * {@link fitLogisticRegression} with the Newton solver's row passes shared between this thread and
 * `helpers` (threads the caller started, serving logistic-rows.ts serveLogisticBlocks) over
 * SharedArrayBuffers: the same model to the last bit, as the rows are cut into blocks by their
 * count alone and partial sums are added in block order. Runs on this thread alone when the
 * Newton solver does not apply, the rows fit in one block, there is no SharedArrayBuffer, or the
 * helpers do not pick the run up within 5 s. Asynchronous only while handing the run to the
 * helpers (a blocked thread cannot pass them messages in a browser). `threads`: how many ran it.
 */
export async function fitLogisticRegressionShared(
  x: FeatureMatrix,
  codes: Int32Array,
  options: LogisticOptions,
  helpers: BlockHelpers,
): Promise<{ model: LogisticModel; threads: number }> {
  const fit = prepareLogistic(x, codes, options);
  if (!fit.newton) return { model: fit.finish(fit.lbfgs()), threads: 1 };
  if (helpers.size === 0 || x.n <= blockRowsFor(x.n) || typeof SharedArrayBuffer === 'undefined') {
    return { model: fit.finish(fit.newton(inlineBlocks)), threads: 1 };
  }
  const memory = fit.memory(true);
  let runner: Awaited<ReturnType<typeof attachBlockHelpers>>;
  try {
    runner = await attachBlockHelpers(helpers, { kind: 'logistic', memory } satisfies BlockJob, memory.control);
  } catch {
    // Helpers that did not start leave the fit to this thread: the same model, only slower.
    return { model: fit.finish(fit.newton(inlineBlocks)), threads: 1 };
  }
  try {
    return { model: fit.finish(fit.newton(runner, memory)), threads: runner.threads };
  } finally {
    runner.close();
  }
}

interface SolverResult {
  x: Float64Array;
  iterations: number;
  converged: boolean;
}

/** A logistic fit with its options checked, ready to be solved by Newton (when it applies) or L-BFGS. */
function prepareLogistic(x: FeatureMatrix, codes: Int32Array, options: LogisticOptions) {
  checkShape(x, 'logistic regression', codes.length);
  // Newton's first pass reads every value anyway: it asks for the scan only when its loss is not
  // finite (the scan then names the bad cell), which saves a pass over the rows.
  const checkValues = () => checkFeatures(x, 'logistic regression', codes.length);
  const { C = 1, penalty = 'l2', fitIntercept = true, maxIterations = 2000, tolerance = 1e-10 } = options;
  if (!(C > 0)) throw new AppError('invalid-argument', `C must be positive; got ${C}.`);
  const nClasses = Math.max(options.nClasses ?? 0, countClasses(codes), 2);
  const { n, d, data } = x;
  const weights = rowWeights(codes, nClasses, options.classWeight, options.sampleWeight);
  let totalWeight = 0;
  for (let i = 0; i < n; i++) totalWeight += weights ? weights[i] : 1;
  const rowsOut = nClasses === 2 ? 1 : nClasses;
  const stride = d + 1;
  const dim = rowsOut * stride;
  const ridge = penalty === 'l2' ? 1 / (C * totalWeight) : 0;
  let l1: Float64Array | undefined;
  if (penalty === 'l1') {
    l1 = new Float64Array(dim);
    for (let r = 0; r < rowsOut; r++) for (let j = 0; j < d; j++) l1[r * stride + j] = 1 / (C * totalWeight);
  }
  const z = new Float64Array(rowsOut);
  const objective = (theta: Float64Array, grad: Float64Array): number => {
    grad.fill(0);
    let loss = 0;
    for (let i = 0; i < n; i++) {
      const base = i * d;
      const wi = (weights ? weights[i] : 1) / totalWeight;
      for (let r = 0; r < rowsOut; r++) {
        const off = r * stride;
        let s = fitIntercept ? theta[off + d] : 0;
        for (let j = 0; j < d; j++) s += data[base + j] * theta[off + j];
        z[r] = s;
      }
      if (rowsOut === 1) {
        const y = codes[i];
        loss += wi * (softplus(z[0]) - y * z[0]);
        const p = z[0] >= 0 ? 1 / (1 + Math.exp(-z[0])) : Math.exp(z[0]) / (1 + Math.exp(z[0]));
        z[0] = wi * (p - y);
      } else {
        let max = -Infinity;
        for (let r = 0; r < rowsOut; r++) if (z[r] > max) max = z[r];
        let sum = 0;
        for (let r = 0; r < rowsOut; r++) sum += Math.exp(z[r] - max);
        const lse = max + Math.log(sum);
        loss += wi * (lse - z[codes[i]]);
        for (let r = 0; r < rowsOut; r++) z[r] = wi * (Math.exp(z[r] - lse) - (r === codes[i] ? 1 : 0));
      }
      for (let r = 0; r < rowsOut; r++) {
        const off = r * stride;
        const e = z[r];
        if (e === 0) continue;
        for (let j = 0; j < d; j++) grad[off + j] += e * data[base + j];
        if (fitIntercept) grad[off + d] += e;
      }
    }
    if (ridge > 0) {
      for (let r = 0; r < rowsOut; r++) {
        for (let j = 0; j < d; j++) {
          const v = theta[r * stride + j];
          loss += 0.5 * ridge * v * v;
          grad[r * stride + j] += ridge * v;
        }
      }
    }
    return loss;
  };
  const newtonFits = rowsOut === 1 && penalty !== 'l1';
  const solver = options.solver ?? 'auto';
  if (solver === 'newton' && !newtonFits) {
    throw new AppError('invalid-argument', "the Newton solver handles binary L2 (or unpenalized) logistic regression; use 'lbfgs'.");
  }
  const memory = (shared: boolean) => allocateLogistic(x, codes, weights, totalWeight, fitIntercept, shared);
  const newton = (runner: BlockRunner, rows = memory(false)): SolverResult => {
    const r = newtonBinaryLogistic(logisticPasses(rows, runner), d, ridge, fitIntercept, maxIterations, tolerance, options.signal, checkValues);
    return { x: r.theta, iterations: r.iterations, converged: r.converged };
  };
  const finish = (result: SolverResult): LogisticModel => {
    const coefficients: number[] = [];
    const intercepts: number[] = [];
    for (let r = 0; r < rowsOut; r++) {
      for (let j = 0; j < d; j++) coefficients.push(result.x[r * stride + j]);
      intercepts.push(fitIntercept ? result.x[r * stride + d] : 0);
    }
    return {
      nClasses, nFeatures: d, penalty, C, coefficients, intercepts,
      iterations: result.iterations, converged: result.converged,
    };
  };
  return {
    memory,
    finish,
    newton: solver === 'newton' || (solver === 'auto' && newtonFits && d <= 300) ? newton : null,
    lbfgs: (): SolverResult => {
      checkValues();
      return minimize(objective, new Float64Array(dim), { maxIterations, gradientTolerance: tolerance, l1, signal: options.signal });
    },
  };
}

/**
 * Linear scores: binary → length n (log-odds of class 1); multinomial → n × K row-major
 * (pre-softmax). As sklearn's `decision_function`.
 */
export function logisticDecision(model: LogisticModel, x: FeatureMatrix): Float64Array {
  checkWidth(x, model.nFeatures, 'the logistic model');
  const { n, d, data } = x;
  const rowsOut = model.intercepts.length;
  const out = new Float64Array(n * rowsOut);
  for (let i = 0; i < n; i++) {
    for (let r = 0; r < rowsOut; r++) {
      let s = model.intercepts[r];
      for (let j = 0; j < d; j++) s += data[i * d + j] * model.coefficients[r * d + j];
      out[i * rowsOut + r] = s;
    }
  }
  return out;
}

/** Class probabilities, `n × K` row-major (binary: [1 − p, p]). */
export function predictLogisticProba(model: LogisticModel, x: FeatureMatrix): FeatureMatrix {
  const scores = logisticDecision(model, x);
  const K = model.nClasses;
  const out = new Float64Array(x.n * K);
  if (model.intercepts.length === 1) {
    for (let i = 0; i < x.n; i++) {
      const zi = scores[i];
      const p = zi >= 0 ? 1 / (1 + Math.exp(-zi)) : Math.exp(zi) / (1 + Math.exp(zi));
      out[i * 2] = 1 - p;
      out[i * 2 + 1] = p;
    }
  } else {
    for (let i = 0; i < x.n; i++) {
      let max = -Infinity;
      for (let k = 0; k < K; k++) max = Math.max(max, scores[i * K + k]);
      let sum = 0;
      for (let k = 0; k < K; k++) sum += out[i * K + k] = Math.exp(scores[i * K + k] - max);
      for (let k = 0; k < K; k++) out[i * K + k] /= sum;
    }
  }
  return { data: out, n: x.n, d: K };
}

/** Most probable class code per row. */
export function predictLogistic(model: LogisticModel, x: FeatureMatrix): Int32Array {
  const proba = predictLogisticProba(model, x);
  const K = proba.d;
  const out = new Int32Array(x.n);
  for (let i = 0; i < x.n; i++) {
    let best = 0;
    for (let k = 1; k < K; k++) if (proba.data[i * K + k] > proba.data[i * K + best]) best = k;
    out[i] = best;
  }
  return out;
}
