import { AppError } from '../errors';
import { logGamma } from '../models/student-t';

export { logGamma };

/**
 * Gauss's hypergeometric function ₂F₁(a, b; c; z) for 0 ≤ z < 1 by its power series
 * Σ (a)ₙ(b)ₙ/(c)ₙ zⁿ/n! (Abramowitz & Stegun 15.1.1), summed until a term is below 1e-15 of the
 * sum. The terms shrink like zⁿ, so z near 1 (horizons far longer than the customer's age) takes
 * more terms; past 200,000 terms it throws rather than return an unconverged value.
 */
export function hyp2f1(a: number, b: number, c: number, z: number): number {
  if (!(z >= 0 && z < 1)) throw new AppError('invalid-argument', `hyp2f1 needs 0 ≤ z < 1, not ${z}.`);
  let term = 1;
  let sum = 1;
  for (let n = 0; n < 200_000; n++) {
    term *= (((a + n) * (b + n)) / ((c + n) * (n + 1))) * z;
    sum += term;
    if (Math.abs(term) <= 1e-15 * Math.abs(sum)) return sum;
  }
  throw new AppError('invalid-argument', `hyp2f1(${a}, ${b}; ${c}; ${z}) did not converge; use a shorter horizon.`);
}

/** log(eᵃ + eᵇ) without overflow; −∞ arguments are allowed. */
export function logAddExp(a: number, b: number): number {
  if (a === -Infinity) return b;
  if (b === -Infinity) return a;
  return Math.max(a, b) + Math.log1p(Math.exp(-Math.abs(a - b)));
}

/**
 * The distinct values of a count column and, for each row, the index of its value: models whose
 * log-gamma terms depend only on the count (BG/NBD's x, Gamma-Gamma's x) evaluate them once per
 * distinct count instead of once per customer.
 */
export function groupCounts(x: ArrayLike<number>): { values: Float64Array; index: Int32Array } {
  const map = new Map<number, number>();
  const index = new Int32Array(x.length);
  for (let i = 0; i < x.length; i++) {
    let k = map.get(x[i]);
    if (k === undefined) {
      k = map.size;
      map.set(x[i], k);
    }
    index[i] = k;
  }
  return { values: Float64Array.from(map.keys()), index };
}
