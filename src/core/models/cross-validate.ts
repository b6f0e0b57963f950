import { throwIfAborted } from '../errors';
import type { ProgressCallback } from '../progress';
import type { Fold } from './split';

/** Scores of a cross-validation: one per fold, their mean and sample standard deviation. */
export interface CrossValidationResult {
  scores: number[];
  mean: number;
  std: number;
}

/**
 * Runs `scoreFold` on every fold (fit on `fold.train`, score on `fold.test`) and summarizes the
 * scores. The figure reported is the mean of per-fold scores, as scikit-learn's
 * `cross_val_score(...).mean()`. Checks `signal` between folds; reports progress per fold.
 */
export function crossValidate(
  folds: Fold[],
  scoreFold: (fold: Fold, index: number) => number,
  options: { signal?: AbortSignal; onProgress?: ProgressCallback } = {},
): CrossValidationResult {
  const scores: number[] = [];
  folds.forEach((fold, f) => {
    throwIfAborted(options.signal);
    scores.push(scoreFold(fold, f));
    options.onProgress?.({ stage: `fold ${f + 1} of ${folds.length}`, fraction: (f + 1) / folds.length });
  });
  const mean = scores.reduce((a, b) => a + b, 0) / scores.length;
  const variance = scores.length > 1 ? scores.reduce((a, s) => a + (s - mean) ** 2, 0) / (scores.length - 1) : 0;
  return { scores, mean, std: Math.sqrt(variance) };
}

/**
 * Out-of-fold predictions: each row's value comes from the model that did not see it.
 * `predictFold` returns `width` numbers per test row (row-major, in `fold.test` order); the
 * result is `n × width`, row-major. Useful for a pooled ROC curve or a calibration plot.
 */
export function outOfFold(
  n: number,
  width: number,
  folds: Fold[],
  predictFold: (fold: Fold, index: number) => ArrayLike<number>,
  signal?: AbortSignal,
): Float64Array {
  const out = new Float64Array(n * width);
  folds.forEach((fold, f) => {
    throwIfAborted(signal);
    const values = predictFold(fold, f);
    for (let r = 0; r < fold.test.length; r++) {
      for (let c = 0; c < width; c++) out[fold.test[r] * width + c] = values[r * width + c];
    }
  });
  return out;
}
