// The key/payload sort under the tree builder and the ranking curves: both the comparison path
// (short ranges) and the radix path (≥ 4096 keys), on awkward floating-point values.
import { describe, expect, it } from 'vitest';
import { argsort, sortWithPayload } from '../../../src/core/models/sort';
import { createRng } from '../../../src/core/random';

function awkwardKeys(n: number, seed: number): Float64Array {
  const rng = createRng(seed);
  return Float64Array.from({ length: n }, (_, i) => {
    switch (i % 6) {
      case 0: return Math.round(rng.normal() * 3); // many duplicates
      case 1: return rng.normal() * 1e-310; // subnormals of both signs
      case 2: return -rng.next() * 1e300;
      case 3: return i % 12 === 3 ? Infinity : -Infinity;
      default: return rng.normal();
    }
  });
}

function expectSorted(original: Float64Array, keys: Float64Array, payload: Int32Array, start: number, end: number): void {
  const expected = Float64Array.from(original.subarray(start, end)).sort();
  let wrongKeys = 0;
  let wrongPayload = 0;
  // −0 and +0 are equal keys, so compare with === rather than Object.is.
  for (let i = start; i < end; i++) {
    if (keys[i] !== expected[i - start]) wrongKeys++;
    if (original[payload[i]] !== keys[i]) wrongPayload++;
  }
  expect([wrongKeys, wrongPayload]).toEqual([0, 0]);
}

describe('sortWithPayload', () => {
  for (const n of [7, 300, 5000, 50_000]) {
    it(`sorts ${n} keys with their payload`, () => {
      const original = awkwardKeys(n, n);
      const keys = original.slice();
      const payload = Int32Array.from({ length: n }, (_, i) => i);
      sortWithPayload(keys, payload);
      expectSorted(original, keys, payload, 0, n);
    });
  }

  it('sorts a sub-range and leaves the rest alone', () => {
    const original = awkwardKeys(20_000, 1);
    const keys = original.slice();
    const payload = Int32Array.from({ length: keys.length }, (_, i) => i);
    sortWithPayload(keys, payload, 3001, 17_000);
    expectSorted(original, keys, payload, 3001, 17_000);
    expect(keys.subarray(0, 3001)).toEqual(original.subarray(0, 3001));
    expect(keys.subarray(17_000)).toEqual(original.subarray(17_000));
  });

  it('argsort orders indices by value', () => {
    expect(Array.from(argsort([3, -1, 2]))).toEqual([1, 2, 0]);
  });
});
