// Logistic regression with its row passes shared across helper threads (logistic.ts
// fitLogisticRegressionShared, block-pool.ts): on data large enough for the warm start and many
// row blocks, the coefficients must be scikit-learn's (tests/fixtures/models/make-logistic-large.py,
// which generates the same rows from the same xorshift32 stream) and the same to the last bit on
// any number of threads.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BlockHelpers } from '../../../src/core/block-pool';
import { fitLogisticRegression, fitLogisticRegressionShared, type LogisticModel, type LogisticOptions } from '../../../src/core/models/logistic';
import { blockRowsFor } from '../../../src/core/models/logistic-blocks';
import type { FeatureMatrix } from '../../../src/core/models/matrix';
import { fixtureJson } from './fixtures';
import { startNodeHelpers } from '../node-helpers';

const ref = fixtureJson('logistic-large.json');

/** `count` numbers in [0, 1) from xorshift32, exactly as the Python script draws them. */
function uniforms(seed: number, count: number): Float64Array {
  let x = seed >>> 0;
  const out = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    x = (x ^ (x << 13)) >>> 0;
    x = (x ^ (x >>> 17)) >>> 0;
    x = (x ^ (x << 5)) >>> 0;
    out[i] = x / 4294967296;
  }
  return out;
}

const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

/** The script's `dense`: 5 continuous features of different scales and a 0/1 flag. */
function dense(n: number, seed: number): { x: FeatureMatrix; y: Int32Array } {
  const u = uniforms(seed, n * 7);
  const data = new Float64Array(n * 6);
  const y = new Int32Array(n);
  const w = [0.9, -0.5, 0.25, 0, -0.2, 1.1];
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < 5; j++) data[i * 6 + j] = (u[i * 7 + j] - 0.5) * (1 + j);
    data[i * 6 + 5] = u[i * 7 + 5] < 0.3 ? 1 : 0;
    let z = -0.3;
    for (let j = 0; j < 6; j++) z += data[i * 6 + j] * w[j];
    y[i] = u[i * 7 + 6] < sigmoid(z) ? 1 : 0;
  }
  return { x: { data, n, d: 6 }, y };
}

/** The script's `one_hot`: 2 continuous features and a 6-level category, one-hot (mostly zeros). */
function oneHot(n: number, seed: number): { x: FeatureMatrix; y: Int32Array } {
  const u = uniforms(seed, n * 4);
  const data = new Float64Array(n * 8);
  const y = new Int32Array(n);
  const effect = [-1, -0.5, 0, 0.3, 0.8, 1.2];
  for (let i = 0; i < n; i++) {
    data[i * 8] = u[i * 4] * 2 - 1;
    data[i * 8 + 1] = u[i * 4 + 1] * 4 - 2;
    const level = Math.min(Math.floor(u[i * 4 + 2] * 6), 5);
    data[i * 8 + 2 + level] = 1;
    y[i] = u[i * 4 + 3] < sigmoid(0.4 * data[i * 8] - 0.6 * data[i * 8 + 1] + effect[level]) ? 1 : 0;
  }
  return { x: { data, n, d: 8 }, y };
}

function expectSklearn(model: LogisticModel, expected: { coef: number[]; intercept: number }): void {
  model.coefficients.forEach((c, j) => expect(Math.abs(c - expected.coef[j])).toBeLessThan(1e-7));
  expect(Math.abs(model.intercepts[0] - expected.intercept)).toBeLessThan(1e-7);
  expect(model.converged).toBe(true);
}

function sum(a: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i];
  return s;
}

describe('logistic regression on helper threads (SharedArrayBuffer + Atomics)', () => {
  const denseSet = dense(ref.dense.n, ref.dense.seed);
  const oneHotSet = oneHot(ref.oneHot.n, ref.oneHot.seed);
  let helpers: Awaited<ReturnType<typeof startNodeHelpers>>;
  beforeAll(async () => {
    helpers = await startNodeHelpers(2);
  });
  afterAll(async () => {
    await helpers?.terminate();
  });

  it('generates the rows the scikit-learn script fitted', () => {
    expect(sum(denseSet.y)).toBe(ref.dense.positives);
    expect(sum(denseSet.x.data)).toBeCloseTo(ref.dense.x_sum, 6);
    expect(sum(oneHotSet.y)).toBe(ref.oneHot.positives);
    expect(sum(oneHotSet.x.data)).toBeCloseTo(ref.oneHot.x_sum, 6);
    // Many blocks of rows, so the helpers really share the passes.
    expect(Math.ceil(ref.oneHot.n / blockRowsFor(ref.oneHot.n))).toBeGreaterThan(20);
  });

  const cases: [string, () => { x: FeatureMatrix; y: Int32Array }, LogisticOptions, { coef: number[]; intercept: number }][] = [
    ['dense rows, C = 1', () => denseSet, { C: 1 }, ref.dense.C1],
    ["dense rows, C = 0.5, class_weight='balanced' (weighted rows)", () => denseSet, { C: 0.5, classWeight: 'balanced' }, ref.dense.balanced],
    ['one-hot rows (the sparse Hessian kernel), C = 1', () => oneHotSet, { C: 1 }, ref.oneHot.C1],
  ];
  for (const [name, data, options, expected] of cases) {
    it(`${name}: scikit-learn's coefficients, the same bits on 1 and 3 threads`, async () => {
      const { x, y } = data();
      const one = fitLogisticRegression(x, y, options);
      expectSklearn(one, expected);
      const pooled = await fitLogisticRegressionShared(x, y, options, helpers);
      expect(pooled.threads).toBe(3);
      expect(pooled.model).toEqual(one);
    });
  }

  it('is the same with one helper, and the helpers serve fit after fit', async () => {
    const single = await startNodeHelpers(1);
    try {
      const a = await fitLogisticRegressionShared(denseSet.x, denseSet.y, { C: 1 }, single);
      const b = await fitLogisticRegressionShared(denseSet.x, denseSet.y, { C: 1 }, single);
      expect([a.threads, b.threads]).toEqual([2, 2]);
      expect(b.model).toEqual(a.model);
      expect(a.model).toEqual((await fitLogisticRegressionShared(denseSet.x, denseSet.y, { C: 1 }, helpers)).model);
    } finally {
      await single.terminate();
    }
  });

  it('stops with an aborted error when cancelled, and releases the helpers for the next fit', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(fitLogisticRegressionShared(denseSet.x, denseSet.y, { C: 1, signal: controller.signal }, helpers)).rejects.toMatchObject({ code: 'aborted' });
    const after = await fitLogisticRegressionShared(denseSet.x, denseSet.y, { C: 1 }, helpers);
    expect(after.threads).toBe(3);
    expectSklearn(after.model, ref.dense.C1);
  });

  it('refuses a value that is not finite, naming its cell, even outside the warm-start rows', async () => {
    for (const bad of [NaN, Infinity, -Infinity]) {
      const data = denseSet.x.data.slice();
      // Row 12,347 (index 12,346) is in no subsample (not a multiple of 8), feature 4.
      data[12_346 * 6 + 3] = bad;
      const x = { data, n: denseSet.x.n, d: 6 };
      const message = new RegExp(`row 12347, feature 4 is ${bad}`);
      expect(() => fitLogisticRegression(x, denseSet.y, { C: 1 })).toThrow(message);
      await expect(fitLogisticRegressionShared(x, denseSet.y, { C: 1 }, helpers)).rejects.toThrow(message);
      const small = { data: data.subarray(12_340 * 6, 12_350 * 6), n: 10, d: 6 };
      expect(() => fitLogisticRegression(small, denseSet.y.subarray(0, 10), { C: 1 })).toThrow(/row 7, feature 4/);
      expect(() => fitLogisticRegression(small, denseSet.y.subarray(0, 10), { C: 1, solver: 'lbfgs' })).toThrow(/row 7, feature 4/);
    }
  });

  it('runs alone, with the same model, when the helpers never pick the run up', async () => {
    const silent: BlockHelpers = { size: 1, post: () => {} };
    const fit = await fitLogisticRegressionShared(denseSet.x, denseSet.y, { C: 1 }, silent);
    expect(fit.threads).toBe(1);
    expectSklearn(fit.model, ref.dense.C1);
  });

  it('runs a table of one block of rows, and the L-BFGS cases, on the calling thread alone', async () => {
    const small = { data: denseSet.x.data.subarray(0, 3000 * 6), n: 3000, d: 6 };
    const fit = await fitLogisticRegressionShared(small, denseSet.y.subarray(0, 3000), { C: 1 }, helpers);
    expect(fit.threads).toBe(1);
    expect(fit.model).toEqual(fitLogisticRegression(small, denseSet.y.subarray(0, 3000), { C: 1 }));
    const l1 = await fitLogisticRegressionShared(denseSet.x, denseSet.y, { C: 1, penalty: 'l1', maxIterations: 5 }, helpers);
    expect(l1.threads).toBe(1);
  });
});
