// Logistic regression against scikit-learn 1.2 (tests/fixtures/models/make-logistic.py): the same
// objective solved to convergence must give the same coefficients.
import { describe, expect, it } from 'vitest';
import { fitLogisticRegression, predictLogistic, predictLogisticProba } from '../../../src/core/models/logistic';
import type { LogisticModel, LogisticOptions } from '../../../src/core/models/logistic';
import { matrixFromRows } from '../../../src/core/models/matrix';
import { createRng } from '../../../src/core/random';
import { fixtureJson } from './fixtures';

const ref = fixtureJson('logistic.json');
const x = matrixFromRows(ref.X);
const codes = (name: string) => Int32Array.from(ref[name] as number[]);

function expectLike(model: LogisticModel, expected: { coef: number[]; intercept: number[]; proba: number[] }, tol: number): void {
  model.coefficients.forEach((c, i) => expect(Math.abs(c - expected.coef[i])).toBeLessThan(tol));
  // Multinomial intercepts are unpenalized and softmax ignores a common shift, so only their
  // differences are determined: compare them centred.
  const centre = (v: number[]) => (v.length > 1 ? v.map((b) => b - v.reduce((a, c) => a + c, 0) / v.length) : v);
  const ours = centre(model.intercepts);
  centre(expected.intercept).forEach((b, i) => expect(Math.abs(ours[i] - b)).toBeLessThan(tol));
  const proba = predictLogisticProba(model, { data: x.data.subarray(0, 5 * x.d), n: 5, d: x.d });
  proba.data.forEach((p, i) => expect(Math.abs(p - expected.proba[i])).toBeLessThan(tol));
}

describe('logistic regression equals sklearn', () => {
  const cases: [string, string, LogisticOptions, number][] = [
    ['L2, C = 0.5 (Newton)', 'y', { C: 0.5 }, 1e-6],
    ['L2, C = 0.5 (L-BFGS)', 'y', { C: 0.5, solver: 'lbfgs' }, 1e-6],
    ["L2, C = 2, class_weight='balanced'", 'yImbalanced', { C: 2, classWeight: 'balanced' }, 1e-6],
    ['multinomial L2, C = 1', 'y3', { C: 1 }, 1e-6],
    ['no penalty', 'y', { penalty: 'none' }, 1e-6],
    ['L1, C = 0.05 (OWL-QN vs saga)', 'y', { penalty: 'l1', C: 0.05 }, 1e-6],
    ['multinomial L1, C = 0.1', 'y3', { penalty: 'l1', C: 0.1 }, 1e-6],
  ];
  const keys: Record<string, string> = {
    'L2, C = 0.5 (Newton)': 'l2', 'L2, C = 0.5 (L-BFGS)': 'l2', "L2, C = 2, class_weight='balanced'": 'l2Balanced',
    'multinomial L2, C = 1': 'multinomial', 'no penalty': 'unpenalized', 'L1, C = 0.05 (OWL-QN vs saga)': 'l1',
    'multinomial L1, C = 0.1': 'l1Multinomial',
  };
  for (const [name, target, options, tol] of cases) {
    it(name, () => {
      const model = fitLogisticRegression(x, codes(target), options);
      expect(model.converged).toBe(true);
      expectLike(model, ref[keys[name]], tol);
    });
  }

  it('L1 sets the same coefficients exactly to zero', () => {
    const model = fitLogisticRegression(x, codes('y3'), { penalty: 'l1', C: 0.1 });
    const zeros = (ref.l1Multinomial.coef as number[]).map((c) => c === 0);
    expect(model.coefficients.map((c) => c === 0)).toEqual(zeros);
  });
});

describe('logistic regression behaviour', () => {
  it('predicts the most probable class; probabilities sum to 1', () => {
    const model = fitLogisticRegression(x, codes('y3'));
    const proba = predictLogisticProba(model, x);
    const pred = predictLogistic(model, x);
    for (let i = 0; i < x.n; i++) {
      const row = Array.from(proba.data.subarray(i * 3, i * 3 + 3));
      expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
      expect(pred[i]).toBe(row.indexOf(Math.max(...row)));
    }
  });

  it('stops with an aborted error when cancelled', () => {
    const controller = new AbortController();
    controller.abort();
    for (const solver of ['newton', 'lbfgs'] as const) {
      expect(() => fitLogisticRegression(x, codes('y'), { solver, signal: controller.signal })).toThrow(
        expect.objectContaining({ code: 'aborted' }),
      );
    }
  });

  it('is finite on separable data with no penalty (and says it did not converge)', () => {
    const rng = createRng(1);
    const rows = Array.from({ length: 40 }, (_, i) => [i < 20 ? -1 - rng.next() : 1 + rng.next()]);
    const y = Int32Array.from({ length: 40 }, (_, i) => (i < 20 ? 0 : 1));
    const model = fitLogisticRegression(matrixFromRows(rows), y, { penalty: 'none', maxIterations: 50 });
    expect(Number.isFinite(model.coefficients[0])).toBe(true);
    expect(Array.from(predictLogistic(model, matrixFromRows(rows)))).toEqual(Array.from(y));
  });
});
