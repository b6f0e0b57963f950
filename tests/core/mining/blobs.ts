import { createRng } from '../../../src/core/random';

/**
 * n rows of d features around k centres drawn uniformly from [-4, 4]^d, with Gaussian noise of
 * `sigma` and every feature shifted by `offset`: with sigma 3–4 the blobs overlap heavily, so
 * many rows change cluster late and k-means runs many iterations.
 */
export function overlappingBlobs(n: number, d: number, k: number, seed: number, sigma: number, offset = 0): Float64Array {
  const rng = createRng(seed);
  const centres = Array.from({ length: k * d }, () => rng.next() * 8 - 4);
  const out = new Float64Array(n * d);
  for (let i = 0; i < n; i++) {
    const c = rng.int(k);
    for (let j = 0; j < d; j++) out[i * d + j] = centres[c * d + j] + sigma * rng.normal() + offset;
  }
  return out;
}
