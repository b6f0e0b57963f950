/**
 * A network's outputs as the leaderboard's class probabilities: no tfjs here, so the main thread
 * can use it. Binary models give P(class 1) per row; multiclass ones K probabilities per row.
 */

/** Class probabilities `n × K` (row-major, Float64) from a model's `n × outputs` outputs. */
export function classProbabilities(out: ArrayLike<number>, n: number, K: number): Float64Array {
  if (K !== 2) return Float64Array.from({ length: n * K }, (_, i) => out[i]);
  return Float64Array.from({ length: n * 2 }, (_, i) => (i % 2 ? out[i >> 1] : 1 - out[i >> 1]));
}
