import { AppError } from './errors';

/** A cell of a row-major matrix, numbered from 1 as the messages name it. */
export interface MatrixCell {
  row: number;
  feature: number;
  value: number;
}

/** The first cell of a row-major matrix `d` wide that holds NaN or ±Infinity, or undefined. */
export function firstNonFinite(data: ArrayLike<number>, d: number): MatrixCell | undefined {
  for (let i = 0; i < data.length; i++) {
    const v = data[i];
    // v - v is NaN for NaN and ±Infinity alone, and cheaper than Number.isFinite in the loop.
    if (v - v !== 0) return { row: Math.floor(i / d) + 1, feature: (i % d) + 1, value: v };
  }
  return undefined;
}

/**
 * Throws AppError 'invalid-argument' naming the first non-finite cell of `data`, with `advice`
 * (what to do) after it; `what` names the job ("k-means", "logistic regression").
 */
export function checkFinite(data: ArrayLike<number>, d: number, what: string, advice: string): void {
  const bad = firstNonFinite(data, d);
  if (bad) throw new AppError('invalid-argument', `${what}: row ${bad.row}, feature ${bad.feature} is ${bad.value}; ${advice}`);
}
