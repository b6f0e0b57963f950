import { createRng, type Rng } from '../random';

/**
 * An independent random stream for one part of a generated dataset, derived from the dataset's
 * seed and a stream number (a multiplicative hash of both), so that changing how one part is
 * drawn leaves the other parts of the same seed unchanged.
 */
export function streamRng(seed: number, stream: number): Rng {
  return createRng(Math.imul((seed >>> 0) ^ Math.imul(stream, 0x9e3779b9), 0x85ebca6b) ^ stream);
}
