// SVMs against scikit-learn 1.2's SVC (libsvm) and LinearSVC (liblinear), solved to tight
// tolerances on both sides (tests/fixtures/models/make-svm.py).
import { describe, expect, it } from 'vitest';
import { matrixFromRows } from '../../../src/core/models/matrix';
import { rocAuc } from '../../../src/core/models/metrics-curves';
import { fitPlattSigmoid, pairwiseCoupling } from '../../../src/core/models/platt';
import { fitLinearSvm, linearSvmDecision, predictLinearSvm, predictLinearSvmProba } from '../../../src/core/models/svm';
import {
  fitKernelSvm, kernelSvmDecision, predictKernelSvm, predictKernelSvmProba, scaleGamma,
} from '../../../src/core/models/svm-kernel';
import { fixtureJson } from './fixtures';

const ref = fixtureJson('svm.json');
const x = matrixFromRows(ref.X);
const xNew = matrixFromRows(ref.xNew);
const y = Int32Array.from(ref.y as number[]);
const yLinear = Int32Array.from(ref.yLinear as number[]);
const y3 = Int32Array.from(ref.y3 as number[]);

function expectWithin(actual: ArrayLike<number>, expected: number[], tol: number): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) expect(Math.abs(actual[i] - expected[i])).toBeLessThan(tol);
}

function supportRows(model: ReturnType<typeof fitKernelSvm>): number[] {
  // Support vectors are stored by value; find their row numbers in X.
  const d = model.nFeatures;
  const rows: number[] = [];
  for (let s = 0; s < model.supportVectors.length / d; s++) {
    const sv = model.supportVectors.slice(s * d, s * d + d);
    rows.push((ref.X as number[][]).findIndex((r) => r.every((v, j) => v === sv[j])));
  }
  return rows.sort((a, b) => a - b);
}

describe('RBF SVM equals sklearn SVC', () => {
  it("gamma='scale' is 1 / (d · Var(X))", () => {
    expect(scaleGamma(x)).toBeCloseTo(ref.gammaScale, 14);
  });

  it('C = 1: same support vectors, intercept and decision values', () => {
    const model = fitKernelSvm(x, y, { tolerance: 1e-9 });
    expect(model.converged).toBe(true);
    expect(supportRows(model)).toEqual(ref.rbf.support);
    expect(-model.machines[0].rho).toBeCloseTo(ref.rbf.intercept, 6);
    expectWithin(kernelSvmDecision(model, x), ref.rbf.decisionTrain, 1e-6);
    expectWithin(kernelSvmDecision(model, xNew), ref.rbf.decisionNew, 1e-6);
  });

  it("C = 3, gamma = 0.4, class_weight='balanced'", () => {
    const model = fitKernelSvm(x, y, { C: 3, gamma: 0.4, classWeight: 'balanced', tolerance: 1e-9 });
    expect(supportRows(model)).toEqual(ref.rbfWeighted.support);
    expectWithin(kernelSvmDecision(model, xNew), ref.rbfWeighted.decisionNew, 1e-6);
  });

  it('three classes, one-vs-one voting: same predictions', () => {
    const model = fitKernelSvm(x, y3, { tolerance: 1e-9 });
    expect(Array.from(predictKernelSvm(model, x))).toEqual(ref.multiclass.predictTrain);
    expect(Array.from(predictKernelSvm(model, xNew))).toEqual(ref.multiclass.predictNew);
  });
});

describe('linear SVM equals sklearn LinearSVC', () => {
  it('squared hinge, C = 0.5', () => {
    const model = fitLinearSvm(x, yLinear, { C: 0.5, tolerance: 1e-10, maxIterations: 100_000 });
    expect(model.converged).toBe(true);
    expectWithin(model.coefficients, ref.squaredHinge.coef, 1e-6);
    expectWithin(model.intercepts, ref.squaredHinge.intercept, 1e-6);
  });

  it('hinge, C = 0.5', () => {
    const model = fitLinearSvm(x, yLinear, { C: 0.5, loss: 'hinge', tolerance: 1e-10, maxIterations: 100_000 });
    expectWithin(model.coefficients, ref.hinge.coef, 1e-6);
    expectWithin(model.intercepts, ref.hinge.intercept, 1e-6);
  });

  it('three classes, one-vs-rest', () => {
    const model = fitLinearSvm(x, y3, { tolerance: 1e-10, maxIterations: 100_000 });
    expectWithin(model.coefficients, ref.ovr.coef, 1e-6);
    expectWithin(model.intercepts, ref.ovr.intercept, 1e-6);
    const dec = linearSvmDecision(model, x);
    const pred = predictLinearSvm(model, x);
    for (let i = 0; i < x.n; i++) {
      const row = Array.from(dec.subarray(i * 3, i * 3 + 3));
      expect(pred[i]).toBe(row.indexOf(Math.max(...row)));
    }
  });
});

describe('Platt calibration', () => {
  it("fits the sigmoid of sklearn's _sigmoid_calibration", () => {
    const s = fitPlattSigmoid(ref.rbf.decisionTrain, ref.y);
    expect(s.a).toBeCloseTo(ref.platt.a, 4);
    expect(s.b).toBeCloseTo(ref.platt.b, 4);
  });

  it('gives probabilities that rank like the decision values, reproducibly', () => {
    const a = fitKernelSvm(x, y, { probability: true, seed: 7 });
    const b = fitKernelSvm(x, y, { probability: true, seed: 7 });
    expect(a).toEqual(b);
    const proba = predictKernelSvmProba(a, x);
    const dec = kernelSvmDecision(a, x);
    const p1 = Array.from({ length: x.n }, (_, i) => proba.data[i * 2 + 1]);
    expect(rocAuc(y, p1)).toBeCloseTo(rocAuc(y, dec), 12);
    expect(a.machines[0].sigmoid!.a).toBeLessThan(0);
    const linear = fitLinearSvm(x, yLinear, { probability: true });
    const lp = predictLinearSvmProba(linear, x);
    for (let i = 0; i < x.n; i++) expect(lp.data[i * 2] + lp.data[i * 2 + 1]).toBeCloseTo(1, 12);
  });

  it('couples pairwise probabilities into a distribution (Wu, Lin & Weng 2004)', () => {
    // Consistent pairwise estimates of p = (0.5, 0.3, 0.2) are recovered.
    const p = [0.5, 0.3, 0.2];
    const r = new Float64Array(9);
    for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) if (i !== j) r[i * 3 + j] = p[i] / (p[i] + p[j]);
    expectWithin(pairwiseCoupling(r, 3), p, 1e-3);
    const model = fitKernelSvm(x, y3, { probability: true });
    const proba = predictKernelSvmProba(model, xNew);
    for (let i = 0; i < xNew.n; i++) expect(proba.data[i * 3] + proba.data[i * 3 + 1] + proba.data[i * 3 + 2]).toBeCloseTo(1, 9);
  });
});

describe('SVM cancellation', () => {
  it('stops with an aborted error', () => {
    const controller = new AbortController();
    controller.abort();
    const signal = controller.signal;
    expect(() => fitKernelSvm(x, y, { signal })).toThrow(expect.objectContaining({ code: 'aborted' }));
    expect(() => fitLinearSvm(x, y, { signal })).toThrow(expect.objectContaining({ code: 'aborted' }));
  });
});
