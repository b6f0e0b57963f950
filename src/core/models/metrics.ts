import { AppError } from '../errors';

/**
 * Model-quality figures, defined as scikit-learn's `sklearn.metrics` (checked against it on
 * fixtures). Class labels are codes 0 … K−1; binary labels are 0/1 with 1 the positive class.
 * Undefined ratios (no predicted or no actual positives) are 0, as sklearn's `zero_division`.
 */

function checkSameLength(a: ArrayLike<unknown>, b: ArrayLike<unknown>, what: string): void {
  if (a.length !== b.length) throw new AppError('invalid-argument', `${what}: ${a.length} true values but ${b.length} predictions.`);
  if (a.length === 0) throw new AppError('invalid-argument', `${what} needs at least one row.`);
}

/** Share of rows predicted correctly, in [0, 1]. */
export function accuracy(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): number {
  checkSameLength(yTrue, yPred, 'accuracy');
  let hit = 0;
  for (let i = 0; i < yTrue.length; i++) if (yTrue[i] === yPred[i]) hit++;
  return hit / yTrue.length;
}

/** Confusion matrix C (K × K): C[i][j] = rows of true class i predicted as class j (sklearn's layout). */
export function confusionMatrix(yTrue: ArrayLike<number>, yPred: ArrayLike<number>, nClasses: number): number[][] {
  checkSameLength(yTrue, yPred, 'confusion matrix');
  const m = Array.from({ length: nClasses }, () => new Array<number>(nClasses).fill(0));
  for (let i = 0; i < yTrue.length; i++) m[yTrue[i]][yPred[i]]++;
  return m;
}

/** Precision, recall and F1 of one class (or an average), in [0, 1]. */
export interface PrecisionRecallF1 {
  precision: number;
  recall: number;
  f1: number;
}

/** Per-class figures with support, their macro and support-weighted averages, and accuracy. */
export interface ClassificationReport {
  perClass: (PrecisionRecallF1 & { support: number })[];
  /** Unweighted mean over classes (F1 is the mean of per-class F1, as sklearn). */
  macro: PrecisionRecallF1;
  /** Mean weighted by each class's support. */
  weighted: PrecisionRecallF1;
  accuracy: number;
}

const ratio = (a: number, b: number) => (b > 0 ? a / b : 0);

/** Precision/recall/F1 per class and averaged, as sklearn's `classification_report`. */
export function classificationReport(yTrue: ArrayLike<number>, yPred: ArrayLike<number>, nClasses: number): ClassificationReport {
  const cm = confusionMatrix(yTrue, yPred, nClasses);
  const perClass = cm.map((row, k) => {
    const tp = row[k];
    const support = row.reduce((a, b) => a + b, 0);
    let predicted = 0;
    for (let i = 0; i < nClasses; i++) predicted += cm[i][k];
    const precision = ratio(tp, predicted);
    const recall = ratio(tp, support);
    const f1 = ratio(2 * tp, predicted + support);
    return { precision, recall, f1, support };
  });
  const total = perClass.reduce((a, c) => a + c.support, 0);
  const avg = (pick: (c: PrecisionRecallF1 & { support: number }) => number, weighted: boolean) =>
    perClass.reduce((a, c) => a + pick(c) * (weighted ? c.support / total : 1 / nClasses), 0);
  const summary = (weighted: boolean): PrecisionRecallF1 => ({
    precision: avg((c) => c.precision, weighted),
    recall: avg((c) => c.recall, weighted),
    f1: avg((c) => c.f1, weighted),
  });
  return { perClass, macro: summary(false), weighted: summary(true), accuracy: accuracy(yTrue, yPred) };
}

/** 0/1 predictions: 1 where the score is at least the threshold (sklearn's curve convention). */
export function predictAtThreshold(scores: ArrayLike<number>, threshold: number): Int32Array {
  const out = new Int32Array(scores.length);
  for (let i = 0; i < scores.length; i++) out[i] = scores[i] >= threshold ? 1 : 0;
  return out;
}

/** Binary figures of a score cut at a threshold (counts, and rates in [0, 1]). */
export interface ThresholdMetrics extends PrecisionRecallF1 {
  threshold: number;
  truePositives: number;
  falsePositives: number;
  trueNegatives: number;
  falseNegatives: number;
  accuracy: number;
  /** True-negative rate. */
  specificity: number;
}

/** Confusion counts and rates when rows scoring ≥ `threshold` are called positive. */
export function metricsAtThreshold(yTrue: ArrayLike<number>, scores: ArrayLike<number>, threshold: number): ThresholdMetrics {
  checkSameLength(yTrue, scores, 'threshold metrics');
  let tp = 0;
  let fp = 0;
  let tn = 0;
  let fn = 0;
  for (let i = 0; i < yTrue.length; i++) {
    const pos = scores[i] >= threshold;
    if (yTrue[i]) {
      if (pos) tp++;
      else fn++;
    } else if (pos) fp++;
    else tn++;
  }
  return {
    threshold, truePositives: tp, falsePositives: fp, trueNegatives: tn, falseNegatives: fn,
    accuracy: (tp + tn) / yTrue.length, precision: ratio(tp, tp + fp), recall: ratio(tp, tp + fn),
    f1: ratio(2 * tp, 2 * tp + fp + fn), specificity: ratio(tn, tn + fp),
  };
}

/**
 * Mean negative log-likelihood of the true classes (natural log), probabilities clipped to
 * [1e−15, 1 − 1e−15] and rows renormalized, as sklearn's `log_loss`. `proba` is n × K row-major.
 */
export function logLoss(yTrue: ArrayLike<number>, proba: ArrayLike<number>, nClasses: number): number {
  const n = yTrue.length;
  if (proba.length !== n * nClasses) throw new AppError('invalid-argument', `log loss: ${proba.length} probabilities for ${n} rows × ${nClasses} classes.`);
  let total = 0;
  for (let i = 0; i < n; i++) {
    let sum = 0;
    for (let k = 0; k < nClasses; k++) sum += Math.min(Math.max(proba[i * nClasses + k], 1e-15), 1 - 1e-15);
    const p = Math.min(Math.max(proba[i * nClasses + yTrue[i]], 1e-15), 1 - 1e-15) / sum;
    total -= Math.log(p);
  }
  return total / n;
}

/** Coefficient of determination R² = 1 − SS_res / SS_tot (1 or 0 for a constant target, as sklearn). */
export function r2Score(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): number {
  checkSameLength(yTrue, yPred, 'R²');
  let mean = 0;
  for (let i = 0; i < yTrue.length; i++) mean += yTrue[i];
  mean /= yTrue.length;
  let res = 0;
  let tot = 0;
  for (let i = 0; i < yTrue.length; i++) {
    res += (yTrue[i] - yPred[i]) ** 2;
    tot += (yTrue[i] - mean) ** 2;
  }
  if (tot === 0) return res === 0 ? 1 : 0;
  return 1 - res / tot;
}

/** Mean absolute error, in target units. */
export function meanAbsoluteError(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): number {
  checkSameLength(yTrue, yPred, 'MAE');
  let s = 0;
  for (let i = 0; i < yTrue.length; i++) s += Math.abs(yTrue[i] - yPred[i]);
  return s / yTrue.length;
}

/** Mean squared error, in squared target units. */
export function meanSquaredError(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): number {
  checkSameLength(yTrue, yPred, 'MSE');
  let s = 0;
  for (let i = 0; i < yTrue.length; i++) s += (yTrue[i] - yPred[i]) ** 2;
  return s / yTrue.length;
}

/** Root mean squared error, in target units. */
export function rootMeanSquaredError(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): number {
  return Math.sqrt(meanSquaredError(yTrue, yPred));
}
