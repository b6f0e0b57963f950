import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fitKMeans, fitKMeansShared } from '../../../src/core/mining/kmeans';
import { blockRowsFor } from '../../../src/core/mining/kmeans-hamerly';
import { helperCount } from '../../../src/core/block-pool';
import { overlappingBlobs } from './blobs';
import { startNodeHelpers } from '../node-helpers';

/** Heavily overlapping blobs (σ = 3 around centres in [-4, 4]^d, offset 50): many rows change cluster late. */
const overlapping = (n: number, d: number, k: number, seed: number) => overlappingBlobs(n, d, k, seed, 3, 50);

describe('k-means on helper threads (SharedArrayBuffer + Atomics)', () => {
  const n = 20_000;
  const d = 5;
  const data = overlapping(n, d, 6, 7);
  let helpers: Awaited<ReturnType<typeof startNodeHelpers>>;
  beforeAll(async () => {
    helpers = await startNodeHelpers(2);
  });
  afterAll(async () => {
    await helpers?.terminate();
  });

  it('cuts the rows into several blocks, so the helpers really share the work', () => {
    expect(Math.ceil(n / blockRowsFor(n))).toBeGreaterThan(4);
  });

  it('gives bit-identical labels, centres, inertia and iterations to the single-thread run', async () => {
    const options = { k: 6, nInit: 2, maxIter: 60, seed: 3 };
    const one = fitKMeans(data, n, d, options);
    const pooled = await fitKMeansShared(data, n, d, options, helpers);
    // Settles only after a good number of iterations, so the bounds and block sums are exercised.
    expect(one.iterations).toBeGreaterThan(10);
    expect(pooled.iterations).toBe(one.iterations);
    expect(pooled.inertia).toBe(one.inertia);
    expect(pooled.converged).toBe(one.converged);
    expect([one.threads, pooled.threads]).toEqual([1, 3]);
    expect(Array.from(pooled.centroids)).toEqual(Array.from(one.centroids));
    expect(pooled.labels).toEqual(one.labels);
    // The labels are an ordinary (transferable) array, not a view of the shared memory.
    expect(pooled.labels.buffer).toBeInstanceOf(ArrayBuffer);
  });

  it('is the same with one helper as with two, and the helpers serve run after run', async () => {
    const init = data.slice(0, 4 * d);
    const options = { k: 4, init, maxIter: 25, tol: 0 };
    const two = await fitKMeansShared(data, n, d, options, helpers);
    const single = await startNodeHelpers(1);
    try {
      const withOne = await fitKMeansShared(data, n, d, options, single);
      expect(withOne.threads).toBe(2);
      expect(withOne.inertia).toBe(two.inertia);
      expect(withOne.labels).toEqual(two.labels);
      expect(withOne.iterations).toBe(25);
    } finally {
      await single.terminate();
    }
    expect(fitKMeans(data, n, d, options).inertia).toBe(two.inertia);
  });

  it('runs a table of one block of rows on the calling thread alone', async () => {
    const small = data.subarray(0, 3000 * d);
    const fit = await fitKMeansShared(small, 3000, d, { k: 3, seed: 1 }, helpers);
    expect(fit.threads).toBe(1);
    expect(fit.inertia).toBe(fitKMeans(small, 3000, d, { k: 3, seed: 1 }).inertia);
  });

  it('uses at most four threads in all, the caller included', () => {
    expect([1, 2, 4, 16, undefined].map(helperCount)).toEqual([0, 1, 3, 3, 0]);
  });
});
