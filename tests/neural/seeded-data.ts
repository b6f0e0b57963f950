import { createRng } from '../../src/core/random';
import type { NeuralData } from '../../src/neural/data';

/**
 * A seeded binary-classification problem for the neural tests: `d` standard-normal features,
 * label 1 when a fixed linear score plus noise is positive (so a model can learn it, not perfectly).
 */
export function linearProblem(n: number, d: number, seed: number, noise = 0.5): NeuralData {
  const rng = createRng(seed);
  const w = Array.from({ length: d }, (_, j) => (j % 2 ? -1 : 1) / Math.sqrt(j + 1));
  const x = new Float32Array(n * d);
  const y = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < d; j++) {
      const v = rng.normal();
      x[i * d + j] = v;
      s += w[j] * v;
    }
    y[i] = s + noise * rng.normal() > 0 ? 1 : 0;
  }
  return { x, y, n };
}

/** Pure noise: random features and random 0/1 labels (a model can only overfit it). */
export function noiseProblem(n: number, d: number, seed: number): NeuralData {
  const rng = createRng(seed);
  return { x: Float32Array.from({ length: n * d }, () => rng.normal()), y: Float32Array.from({ length: n }, () => (rng.next() < 0.5 ? 1 : 0)), n };
}

/** Per-customer activity by period: n × periods × features, label 1 when activity rises over time. */
export function activityProblem(n: number, periods: number, features: number, seed: number): NeuralData {
  const rng = createRng(seed);
  const x = new Float32Array(n * periods * features);
  const y = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const trend = rng.normal();
    for (let t = 0; t < periods; t++) for (let f = 0; f < features; f++) x[(i * periods + t) * features + f] = trend * (t / periods) + 0.3 * rng.normal();
    y[i] = trend > 0 ? 1 : 0;
  }
  return { x, y, n };
}
