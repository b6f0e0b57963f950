// OLS and ridge against scikit-learn's LinearRegression / Ridge (tests/fixtures/models/make-linear.py).
import { describe, expect, it } from 'vitest';
import { fitLinearRegression, fitRidge, predictLinear } from '../../../src/core/models/linear';
import { matrixFromRows } from '../../../src/core/models/matrix';
import { studentTTwoSided } from '../../../src/core/models/student-t';
import { fixtureJson } from './fixtures';

const ref = fixtureJson('linear.json');
const x = matrixFromRows(ref.X);
const y = Float64Array.from(ref.y as number[]);

function expectWithin(actual: ArrayLike<number>, expected: number[], tol: number): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) expect(Math.abs(actual[i] - expected[i])).toBeLessThan(tol);
}

describe('ordinary least squares', () => {
  const model = fitLinearRegression(x, y);

  it('has the coefficients and intercept of sklearn LinearRegression to 1e-6', () => {
    expectWithin(model.coefficients, ref.ols.coef, 1e-6);
    expect(Math.abs(model.intercept - ref.ols.intercept)).toBeLessThan(1e-6);
    expect(model.rSquared).toBeCloseTo(ref.ols.r2, 10);
  });

  it('has the classical standard errors, t statistics and p-values', () => {
    const inf = model.inference!;
    expect(inf.dof).toBe(ref.ols.dof);
    expect(inf.sigma).toBeCloseTo(ref.ols.sigma, 9);
    expectWithin(inf.standardErrors, ref.ols.se, 1e-8);
    expect(inf.interceptStandardError).toBeCloseTo(ref.ols.interceptSe, 8);
    expectWithin(inf.tValues, ref.ols.t, 1e-6);
    expectWithin(inf.pValues, ref.ols.p, 1e-10);
    expect(inf.interceptPValue).toBeCloseTo(ref.ols.interceptP, 10);
  });

  it('marks a duplicated column aliased instead of failing', () => {
    const rows = (ref.X as number[][]).map((r) => [...r, r[0]]);
    const m = fitLinearRegression(matrixFromRows(rows), y);
    expect(m.aliased).toEqual([false, false, false, false, false, true]);
    expect(m.coefficients[5]).toBe(0);
    expectWithin(m.coefficients.slice(0, 5), ref.ols.coef, 1e-6);
  });
});

describe('ridge regression', () => {
  it('has the coefficients of sklearn Ridge(alpha=2.5) to 1e-6, with and without intercept', () => {
    const m = fitRidge(x, y, { alpha: ref.ridge.alpha });
    expectWithin(m.coefficients, ref.ridge.coef, 1e-6);
    expect(Math.abs(m.intercept - ref.ridge.intercept)).toBeLessThan(1e-6);
    const m0 = fitRidge(x, y, { alpha: ref.ridgeNoIntercept.alpha, fitIntercept: false });
    expectWithin(m0.coefficients, ref.ridgeNoIntercept.coef, 1e-6);
    expect(m0.intercept).toBe(0);
  });

  it('predicts intercept + coefficients · x', () => {
    const m = fitRidge(x, y, { alpha: 1 });
    const p = predictLinear(m, x);
    const row = ref.X[3] as number[];
    expect(p[3]).toBeCloseTo(m.intercept + row.reduce((s, v, j) => s + v * m.coefficients[j], 0), 10);
  });
});

describe("Student's t", () => {
  it('gives textbook two-sided p-values', () => {
    expect(studentTTwoSided(2.228138851986, 10)).toBeCloseTo(0.05, 9);
    expect(studentTTwoSided(0, 5)).toBeCloseTo(1, 12);
    expect(studentTTwoSided(1.959963984540, 1e7)).toBeCloseTo(0.05, 6);
  });
});
