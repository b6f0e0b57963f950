import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fitKMeans, fitKMeansShared } from '../../../src/core/mining/kmeans';
import { HamerlyBuffers, runHamerly } from '../../../src/core/mining/kmeans-hamerly';
import { allocateHamerly, fillRowNorms } from '../../../src/core/mining/kmeans-hamerly-memory';
import { hamerlyKernel, KERNEL_MAX_KD } from '../../../src/core/mining/kmeans-kernel';
import { createRng } from '../../../src/core/random';
import { overlappingBlobs } from './blobs';
import { startNodeHelpers } from '../node-helpers';

const blobs = (n: number, d: number, k: number, seed: number) => overlappingBlobs(n, d, k, seed, 4);

/** Index of the first element where `a` and `b` differ (bit for bit, so −0 ≠ 0), or −1; a small failure message for big arrays. */
function firstDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Math.min(a.length, b.length);
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return i;
  return -1;
}

/** One Hamerly run from `start` over its own memory, with or without the WebAssembly kernel. */
function hamerly(data: Float64Array, n: number, d: number, k: number, start: Float64Array, wasm: boolean, maxIter = 200) {
  const work = new HamerlyBuffers(allocateHamerly(n, d, k, false, wasm ? hamerlyKernel : undefined));
  expect(Boolean(work.views.kernel)).toBe(wasm);
  work.views.data.set(data);
  fillRowNorms(work.views);
  const r = runHamerly(start.slice(), maxIter, 0, work);
  return { ...r, labels: Int32Array.from(r.labels), bounds: Float64Array.from([...work.views.upper, ...work.views.lower]) };
}

describe('the WebAssembly SIMD k-means kernel', () => {
  // Shapes: odd and even k (a pad lane), k = 1, one feature, k above the vector argmin's 32, many rows.
  const shapes: [n: number, d: number, k: number][] = [[20_000, 5, 6], [9_000, 3, 7], [5_000, 8, 1], [6_000, 1, 4], [8_000, 4, 40], [70_000, 8, 8]];
  it.each(shapes)('computes the same labels, bounds, centres and inertia as the TypeScript, bit for bit (n %i, d %i, k %i)', (n, d, k) => {
    const data = blobs(n, d, k, n + d + k);
    const start = data.slice(0, k * d);
    const a = hamerly(data, n, d, k, start, true);
    const b = hamerly(data, n, d, k, start, false);
    if (k > 1) expect(a.iterations).toBeGreaterThan(5);
    expect(a.iterations).toBe(b.iterations);
    expect(a.inertia).toBe(b.inertia);
    expect(firstDifference(a.labels, b.labels)).toBe(-1);
    expect(firstDifference(a.centroids, b.centroids)).toBe(-1);
    expect(firstDifference(a.bounds, b.bounds)).toBe(-1);
  });

  it('agrees with the TypeScript on whole-number data full of exact ties and midpoints', () => {
    // Small integers: rows sit exactly halfway between centres, and many rows are equal, so the
    // bound tests meet equality (u = bound) — where skipping or measuring a row decides its label.
    for (const seed of [1, 2, 3, 4]) {
      const rng = createRng(seed);
      const n = 6000;
      const d = 2;
      const k = 3 + seed;
      const data = Float64Array.from({ length: n * d }, () => rng.int(6));
      const start = Float64Array.from({ length: k * d }, () => rng.int(6));
      const a = hamerly(data, n, d, k, start, true);
      const b = hamerly(data, n, d, k, start, false);
      expect(a.iterations, `seed ${seed}`).toBe(b.iterations);
      expect(firstDifference(a.labels, b.labels)).toBe(-1);
      expect(firstDifference(a.centroids, b.centroids)).toBe(-1);
      expect(firstDifference(a.bounds, b.bounds)).toBe(-1);
    }
  });

  it('breaks exact ties as the TypeScript does: the first of two equal centres wins, the other is the runner-up', () => {
    const n = 10_000;
    const d = 3;
    const data = blobs(n, d, 3, 5);
    // Centres 1 and 2 start equal: every row scores them the same.
    const start = Float64Array.from([...data.subarray(0, d), ...data.subarray(d, 2 * d), ...data.subarray(d, 2 * d)]);
    const a = hamerly(data, n, d, 3, start, true, 1);
    const b = hamerly(data, n, d, 3, start, false, 1);
    expect(firstDifference(a.labels, b.labels)).toBe(-1);
    expect(firstDifference(a.bounds, b.bounds)).toBe(-1);
    // A wrong tie-break would put rows in centre 2 on the first pass and move every centre after it.
    expect(firstDifference(a.centroids, b.centroids)).toBe(-1);
  });

  it('is what fitKMeans runs (it reports it), and leaves shapes past its size to the TypeScript', () => {
    const data = blobs(3000, 4, 3, 1);
    expect(fitKMeans(data, 3000, 4, { k: 3, seed: 1 }).kernel).toBe('wasm-simd');
    const wide = 4097;
    expect(wide).toBeGreaterThan(KERNEL_MAX_KD);
    const x = new Float64Array(40 * wide).map((_, i) => (i * 7919) % 13);
    expect(fitKMeans(x, 40, wide, { k: 2, nInit: 1, seed: 1 }).kernel).toBe('typescript');
  });

  describe('on helper threads sharing its memory', () => {
    let helpers: Awaited<ReturnType<typeof startNodeHelpers>>;
    beforeAll(async () => {
      helpers = await startNodeHelpers(2);
    });
    afterAll(async () => {
      await helpers?.terminate();
    });

    it('gives the single-thread result to the last bit', async () => {
      const n = 60_000;
      const data = blobs(n, 6, 5, 9);
      const options = { k: 5, nInit: 2, maxIter: 80, seed: 4 };
      const one = fitKMeans(data, n, 6, options);
      const pooled = await fitKMeansShared(data, n, 6, options, helpers);
      expect([one.kernel, pooled.kernel, pooled.threads]).toEqual(['wasm-simd', 'wasm-simd', 3]);
      expect(pooled.inertia).toBe(one.inertia);
      expect(pooled.iterations).toBe(one.iterations);
      expect(firstDifference(pooled.labels, one.labels)).toBe(-1);
    });
  });
});
