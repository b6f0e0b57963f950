import { describe, expect, it } from 'vitest';
import { errorCode } from '../../../src/core/errors';
import { fitKMeans } from '../../../src/core/mining/kmeans';
import { fitMiniBatchKMeans } from '../../../src/core/mining/kmeans-minibatch';
import { elbowCurve, suggestElbow } from '../../../src/core/mining/elbow';
import { createRng } from '../../../src/core/random';
import { readJson, readMatrix } from './load-fixtures';

interface LloydCase {
  initRows: number[];
  tol: number;
  maxIter: number;
  iterations: number;
  inertia: number;
  centroids: number[];
  labels: number[];
}
interface RelocationCase {
  data: number[];
  init: number[];
  iterations: number;
  labels: number[];
  centroids: number[];
  inertia: number;
}
const expected = readJson<{ lloyd: LloydCase[]; relocation: Record<string, RelocationCase> }>('kmeans-expected.json');
const iris = readMatrix('iris.csv', [0, 1, 2, 3]);

/** Gaussian blobs around k random centres, row-major. */
function blobs(n: number, d: number, k: number, seed: number): Float64Array {
  const rng = createRng(seed);
  const centres = Array.from({ length: k * d }, () => rng.normal() * 6);
  const out = new Float64Array(n * d);
  for (let i = 0; i < n; i++) {
    const c = rng.int(k);
    for (let j = 0; j < d; j++) out[i * d + j] = centres[c * d + j] + rng.normal();
  }
  return out;
}

describe('fitKMeans', () => {
  it('reaches scikit-learn 1.2.1 iris inertia 78.8514 (k=3, 10 k-means++ starts) within 0.01 %', () => {
    for (const seed of [0, 1, 42]) {
      const fit = fitKMeans(iris.data, iris.n, iris.d, { k: 3, nInit: 10, seed });
      expect(Math.abs(fit.inertia - 78.8514) / 78.8514).toBeLessThan(1e-4);
      expect(new Set(fit.labels).size).toBe(3);
      expect(fit.converged).toBe(true);
    }
  });

  it.each(['lloyd', 'hamerly'] as const)('%s follows scikit-learn Lloyd step for step from the same start', (algorithm) => {
    for (const c of expected.lloyd) {
      const k = c.initRows.length;
      const init = new Float64Array(k * iris.d);
      c.initRows.forEach((row, t) => init.set(iris.data.subarray(row * iris.d, (row + 1) * iris.d), t * iris.d));
      const fit = fitKMeans(iris.data, iris.n, iris.d, { k, init, tol: c.tol, maxIter: c.maxIter, algorithm });
      expect(fit.iterations, `rows ${c.initRows} tol ${c.tol}`).toBe(c.iterations);
      expect(fit.inertia).toBeCloseTo(c.inertia, 9);
      expect(Array.from(fit.labels)).toEqual(c.labels);
      fit.centroids.forEach((v, t) => expect(v).toBeCloseTo(c.centroids[t], 9));
    }
  });

  it('Hamerly bounds give the same iterations, labels and centres as plain Lloyd', () => {
    for (const [n, d, k, seed] of [
      [3000, 2, 7, 1],
      [2000, 8, 8, 2],
      [1500, 5, 20, 3],
      [800, 1, 3, 4],
      [500, 3, 1, 5],
    ]) {
      const data = blobs(n, d, Math.max(1, k - 2), seed);
      for (const tol of [0, 1e-4]) {
        const options = { k, nInit: 2, seed, tol, maxIter: 40 };
        const lloyd = fitKMeans(data, n, d, { ...options, algorithm: 'lloyd' });
        const hamerly = fitKMeans(data, n, d, { ...options, algorithm: 'hamerly' });
        expect(hamerly.iterations, `n=${n} d=${d} k=${k} tol=${tol}`).toBe(lloyd.iterations);
        expect(Array.from(hamerly.labels)).toEqual(Array.from(lloyd.labels));
        hamerly.centroids.forEach((v, t) => expect(v).toBeCloseTo(lloyd.centroids[t], 9));
        expect(hamerly.inertia).toBeCloseTo(lloyd.inertia, 6);
      }
    }
  });

  it.each(['lloyd', 'hamerly'] as const)('%s relocates an emptied cluster onto the farthest row, as scikit-learn', (algorithm) => {
    for (const [name, c] of Object.entries(expected.relocation)) {
      const fit = fitKMeans(Float64Array.from(c.data), c.data.length, 1, { k: c.init.length, init: Float64Array.from(c.init), algorithm });
      expect(fit.iterations, name).toBe(c.iterations);
      expect(Array.from(fit.labels), name).toEqual(c.labels);
      fit.centroids.forEach((v, t) => expect(v).toBeCloseTo(c.centroids[t], 12));
      expect(fit.inertia).toBeCloseTo(c.inertia, 12);
    }
  });

  it('gives the same clusters for the same seed and reports each iteration', () => {
    const data = blobs(2000, 3, 5, 7);
    const stages: string[] = [];
    const a = fitKMeans(data, 2000, 3, { k: 5, nInit: 3, seed: 9 }, undefined, (p) => stages.push(p.stage));
    const b = fitKMeans(data, 2000, 3, { k: 5, nInit: 3, seed: 9 });
    expect(Array.from(a.labels)).toEqual(Array.from(b.labels));
    expect(Array.from(a.centroids)).toEqual(Array.from(b.centroids));
    expect(a.inertia).toBe(b.inertia);
    expect(stages.at(-1)).toBe('done');
    expect(stages.some((s) => s.startsWith('start 3 of 3'))).toBe(true);
  });

  it('supports random starts, k = 1 and k = n', () => {
    const data = blobs(300, 2, 3, 1);
    const random = fitKMeans(data, 300, 2, { k: 3, init: 'random', seed: 4 });
    const plus = fitKMeans(data, 300, 2, { k: 3, seed: 4 });
    expect(random.inertia).toBeLessThan(plus.inertia * 1.5);
    const one = fitKMeans(data, 300, 2, { k: 1 });
    expect(new Set(one.labels)).toEqual(new Set([0]));
    const all = fitKMeans(data.subarray(0, 20), 10, 2, { k: 10 });
    expect(all.inertia).toBeCloseTo(0, 12);
  });

  it('does not move far-from-zero data off its answer (centring)', () => {
    const shifted = iris.data.map((v) => v + 1e6);
    const fit = fitKMeans(shifted, iris.n, iris.d, { k: 3, seed: 0 });
    expect(Math.abs(fit.inertia - 78.8514) / 78.8514).toBeLessThan(1e-4);
  });

  it('rejects a bad k or a missing value with an invalid-argument error naming it', () => {
    expect(() => fitKMeans(iris.data, iris.n, iris.d, { k: 0 })).toThrow(/got 0/);
    const holed = iris.data.slice();
    holed[5] = NaN;
    try {
      fitKMeans(holed, iris.n, iris.d, { k: 3 });
      expect.unreachable();
    } catch (err) {
      expect(errorCode(err)).toBe('invalid-argument');
      expect(String(err)).toMatch(/row 2, feature 2 is NaN/);
    }
  });

  it('stops with code "aborted" when the signal fires', () => {
    const controller = new AbortController();
    controller.abort();
    expect(() => fitKMeans(iris.data, iris.n, iris.d, { k: 3 }, controller.signal)).toThrow(
      expect.objectContaining({ code: 'aborted' }),
    );
    const mid = new AbortController();
    let iterations = 0;
    expect(() =>
      fitKMeans(iris.data, iris.n, iris.d, { k: 3, nInit: 10 }, mid.signal, () => {
        if (++iterations === 3) mid.abort();
      }),
    ).toThrow(expect.objectContaining({ code: 'aborted' }));
  });
});

describe('fitMiniBatchKMeans', () => {
  it('lands within 2 % of full k-means inertia on well-separated blobs, deterministically', () => {
    const n = 20_000;
    const data = blobs(n, 4, 6, 3);
    const full = fitKMeans(data, n, 4, { k: 6, nInit: 3, seed: 1 });
    const mini = fitMiniBatchKMeans(data, n, 4, { k: 6, seed: 1, batchSize: 512 });
    const again = fitMiniBatchKMeans(data, n, 4, { k: 6, seed: 1, batchSize: 512 });
    expect(mini.inertia / full.inertia).toBeLessThan(1.02);
    expect(Array.from(mini.labels)).toEqual(Array.from(again.labels));
    expect(mini.iterations).toBeGreaterThan(0);
  });

  it('stops with code "aborted" when the signal fires', () => {
    const controller = new AbortController();
    controller.abort();
    expect(() => fitMiniBatchKMeans(iris.data, iris.n, iris.d, { k: 3 }, controller.signal)).toThrow(
      expect.objectContaining({ code: 'aborted' }),
    );
  });
});

describe('elbowCurve', () => {
  it('returns non-increasing inertias for k = 1..6 and bends at the true number of blobs', () => {
    const data = blobs(1500, 2, 3, 12);
    const curve = elbowCurve(data, 1500, 2, { maxK: 6, nInit: 3, seed: 0 });
    expect(Array.from(curve.ks)).toEqual([1, 2, 3, 4, 5, 6]);
    for (let t = 1; t < 6; t++) expect(curve.inertias[t]).toBeLessThanOrEqual(curve.inertias[t - 1] * (1 + 1e-9));
    expect(suggestElbow(curve)).toBe(3);
    const iris3 = elbowCurve(iris.data, iris.n, iris.d, { minK: 3, maxK: 3, seed: 0 });
    expect(iris3.inertias[0]).toBeCloseTo(78.8514, 3);
  });
});
