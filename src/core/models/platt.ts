import { kFold, stratifiedKFold } from './split';
import type { Fold } from './split';

/** A fitted sigmoid P(positive | f) = 1 / (1 + exp(a·f + b)) over decision values f. */
export interface PlattSigmoid {
  a: number;
  b: number;
}

/**
 * Fits Platt's sigmoid (Platt 1998) to decision values by the Newton method with backtracking of
 * Lin, Lin & Weng (2007), "A note on Platt's probabilistic outputs for support vector machines" —
 * the algorithm of libsvm's `sigmoid_train`, including its smoothed targets
 * (n₊ + 1)/(n₊ + 2) and 1/(n₋ + 2). `positive[i]` says whether row i is of the positive class.
 */
export function fitPlattSigmoid(decisions: ArrayLike<number>, positive: ArrayLike<boolean | number>): PlattSigmoid {
  const n = decisions.length;
  let prior1 = 0;
  for (let i = 0; i < n; i++) if (positive[i]) prior1++;
  const prior0 = n - prior1;
  const hi = (prior1 + 1) / (prior1 + 2);
  const lo = 1 / (prior0 + 2);
  const t = new Float64Array(n);
  for (let i = 0; i < n; i++) t[i] = positive[i] ? hi : lo;
  let a = 0;
  let b = Math.log((prior0 + 1) / (prior1 + 1));
  const value = (aa: number, bb: number): number => {
    let f = 0;
    for (let i = 0; i < n; i++) {
      const z = decisions[i] * aa + bb;
      f += z >= 0 ? t[i] * z + Math.log1p(Math.exp(-z)) : (t[i] - 1) * z + Math.log1p(Math.exp(z));
    }
    return f;
  };
  let fval = value(a, b);
  for (let iter = 0; iter < 100; iter++) {
    let h11 = 1e-12;
    let h22 = 1e-12;
    let h21 = 0;
    let g1 = 0;
    let g2 = 0;
    for (let i = 0; i < n; i++) {
      const z = decisions[i] * a + b;
      let p: number;
      let q: number;
      if (z >= 0) {
        p = Math.exp(-z) / (1 + Math.exp(-z));
        q = 1 / (1 + Math.exp(-z));
      } else {
        p = 1 / (1 + Math.exp(z));
        q = Math.exp(z) / (1 + Math.exp(z));
      }
      const d2 = p * q;
      h11 += decisions[i] * decisions[i] * d2;
      h22 += d2;
      h21 += decisions[i] * d2;
      const d1 = t[i] - p;
      g1 += decisions[i] * d1;
      g2 += d1;
    }
    if (Math.abs(g1) < 1e-5 && Math.abs(g2) < 1e-5) break;
    const det = h11 * h22 - h21 * h21;
    const dA = -(h22 * g1 - h21 * g2) / det;
    const dB = -(-h21 * g1 + h11 * g2) / det;
    const gd = g1 * dA + g2 * dB;
    let step = 1;
    while (step >= 1e-10) {
      const na = a + step * dA;
      const nb = b + step * dB;
      const nf = value(na, nb);
      if (nf < fval + 1e-4 * step * gd) {
        a = na;
        b = nb;
        fval = nf;
        break;
      }
      step /= 2;
    }
    if (step < 1e-10) break;
  }
  return { a, b };
}

/** P(positive | decision value f) under a fitted sigmoid. */
export function plattProbability(f: number, s: PlattSigmoid): number {
  const z = f * s.a + s.b;
  return z >= 0 ? Math.exp(-z) / (1 + Math.exp(-z)) : 1 / (1 + Math.exp(z));
}

/**
 * Multi-class probabilities from pairwise ones by the coupling method 2 of Wu, Lin & Weng (2004),
 * "Probability estimates for multi-class classification by pairwise coupling" (libsvm's
 * `multiclass_probability`). `r[i*K + j]` = P(class i | class i or j). Returns K probabilities.
 */
export function pairwiseCoupling(r: Float64Array, K: number): Float64Array {
  const Q = new Float64Array(K * K);
  const p = new Float64Array(K).fill(1 / K);
  const Qp = new Float64Array(K);
  for (let t = 0; t < K; t++) {
    for (let j = 0; j < K; j++) {
      if (j === t) continue;
      Q[t * K + t] += r[j * K + t] * r[j * K + t];
      Q[t * K + j] = -r[j * K + t] * r[t * K + j];
    }
  }
  const eps = 0.005 / K;
  for (let iter = 0; iter < Math.max(100, K); iter++) {
    let pQp = 0;
    for (let t = 0; t < K; t++) {
      Qp[t] = 0;
      for (let j = 0; j < K; j++) Qp[t] += Q[t * K + j] * p[j];
      pQp += p[t] * Qp[t];
    }
    let maxError = 0;
    for (let t = 0; t < K; t++) maxError = Math.max(maxError, Math.abs(Qp[t] - pQp));
    if (maxError < eps) break;
    for (let t = 0; t < K; t++) {
      const diff = (-Qp[t] + pQp) / Q[t * K + t];
      p[t] += diff;
      pQp = (pQp + diff * (diff * Q[t * K + t] + 2 * Qp[t])) / (1 + diff) / (1 + diff);
      for (let j = 0; j < K; j++) {
        Qp[j] = (Qp[j] + diff * Q[t * K + j]) / (1 + diff);
        p[j] /= 1 + diff;
      }
    }
  }
  return p;
}

/**
 * Decision values for every row from models that did not see it (k-fold, default 5, as
 * libsvm's `svm_binary_svc_probability`): the honest input for fitting a Platt sigmoid.
 * `fitDecide(train, test)` fits on the train rows and returns decision values of the test rows.
 * Folds are stratified when each class has at least `folds` rows.
 */
export function crossValidatedDecisions(
  positive: Uint8Array,
  fitDecide: (fold: Fold) => Float64Array,
  seed = 0,
  folds = 5,
): Float64Array {
  const n = positive.length;
  let pos = 0;
  for (let i = 0; i < n; i++) pos += positive[i];
  const k = Math.min(folds, n);
  const codes = Int32Array.from(positive);
  const parts = Math.min(pos, n - pos) >= k ? stratifiedKFold(codes, { folds: k, seed }) : kFold(n, { folds: k, seed });
  const out = new Float64Array(n);
  for (const fold of parts) {
    let trainPos = 0;
    for (const i of fold.train) trainPos += positive[i];
    let values: ArrayLike<number>;
    // A training part with one class cannot be fitted; libsvm scores such folds ±1.
    if (trainPos === 0) values = new Float64Array(fold.test.length).fill(-1);
    else if (trainPos === fold.train.length) values = new Float64Array(fold.test.length).fill(1);
    else values = fitDecide(fold);
    fold.test.forEach((row, r) => (out[row] = values[r]));
  }
  return out;
}
