import { classificationReport, confusionMatrix, meanAbsoluteError, r2Score, rootMeanSquaredError, type ClassificationReport } from './metrics';
import { averagePrecision, precisionRecallCurve, rocAuc, rocAucOneVsRest, rocCurve } from './metrics-curves';

/** Leaderboard figures of a classifier on the test part (rates in [0, 1]). */
export interface ClassificationScores {
  task: 'classification';
  accuracy: number;
  precisionMacro: number;
  recallMacro: number;
  f1Macro: number;
  precisionWeighted: number;
  recallWeighted: number;
  f1Weighted: number;
  /** ROC AUC (binary, or one-vs-rest macro for K > 2); null when the test part has one class. */
  auc: number | null;
}

/** Leaderboard figures of a regression on the test part (MAE and RMSE in target units). */
export interface RegressionScores {
  task: 'regression';
  r2: number;
  mae: number;
  rmse: number;
}

export type ModelScores = ClassificationScores | RegressionScores;

/**
 * The class codes a classifier predicts: binary → class 1 where P(class 1) ≥ `threshold`;
 * K > 2 → the most probable class (the threshold does not apply).
 */
export function classesAt(proba: ArrayLike<number>, K: number, threshold = 0.5): Int32Array {
  const n = proba.length / K;
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    if (K === 2) out[i] = proba[i * 2 + 1] >= threshold ? 1 : 0;
    else {
      let best = 0;
      for (let k = 1; k < K; k++) if (proba[i * K + k] > proba[i * K + best]) best = k;
      out[i] = best;
    }
  }
  return out;
}

function positive(proba: ArrayLike<number>): Float64Array {
  return Float64Array.from({ length: proba.length / 2 }, (_, i) => proba[i * 2 + 1]);
}

function hasBoth(codes: ArrayLike<number>, K: number): boolean {
  const seen = new Set<number>();
  for (let i = 0; i < codes.length; i++) seen.add(codes[i]);
  return seen.size === K;
}

/** Leaderboard figures of a classifier's test probabilities (`n × K`) at a threshold (binary). */
export function classificationScores(codes: Int32Array, proba: ArrayLike<number>, K: number, threshold = 0.5): ClassificationScores {
  const report = classificationReport(codes, classesAt(proba, K, threshold), K);
  let auc: number | null = null;
  if (hasBoth(codes, K)) auc = K === 2 ? rocAuc(codes, positive(proba)) : rocAucOneVsRest(codes, proba, K);
  return {
    task: 'classification', accuracy: report.accuracy,
    precisionMacro: report.macro.precision, recallMacro: report.macro.recall, f1Macro: report.macro.f1,
    precisionWeighted: report.weighted.precision, recallWeighted: report.weighted.recall, f1Weighted: report.weighted.f1, auc,
  };
}

/** Leaderboard figures of a regression's test predictions. */
export function regressionScores(truth: ArrayLike<number>, predicted: ArrayLike<number>): RegressionScores {
  return { task: 'regression', r2: r2Score(truth, predicted), mae: meanAbsoluteError(truth, predicted), rmse: rootMeanSquaredError(truth, predicted) };
}

/** Everything the detail view of a classifier shows at one threshold. */
export interface ThresholdView {
  threshold: number;
  confusion: number[][];
  report: ClassificationReport;
  /** The operating point on the ROC (false- and true-positive rate) and PR (recall, precision) curves (binary). */
  point: { fpr: number; tpr: number; precision: number; recall: number } | null;
}

/**
 * Confusion matrix, per-class figures and the curves' operating point when rows whose P(class 1)
 * is at least `threshold` are called class 1 — cheap enough to recompute as a slider moves.
 */
export function thresholdView(codes: Int32Array, proba: ArrayLike<number>, K: number, threshold: number): ThresholdView {
  const predicted = classesAt(proba, K, threshold);
  const confusion = confusionMatrix(codes, predicted, K);
  const report = classificationReport(codes, predicted, K);
  let point: ThresholdView['point'] = null;
  if (K === 2) {
    const [[tn, fp], [fn, tp]] = confusion;
    point = { fpr: fp + tn > 0 ? fp / (fp + tn) : 0, tpr: tp + fn > 0 ? tp / (tp + fn) : 0, precision: tp + fp > 0 ? tp / (tp + fp) : 1, recall: tp + fn > 0 ? tp / (tp + fn) : 0 };
  }
  return { threshold, confusion, report, point };
}

/** A curve as points to draw: (false-positive rate, true-positive rate) or (recall, precision). */
export type CurvePoints = { x: number; y: number }[];

/** Ranking curves of a binary classifier's test scores. */
export interface BinaryCurves {
  /** ROC: x = false-positive rate, y = true-positive rate. */
  roc: CurvePoints;
  /** Precision–recall: x = recall, y = precision. */
  pr: CurvePoints;
  averagePrecision: number;
}

/** The points of a curve, every k-th kept (and the last) so that at most about `most` remain. */
function points(xs: number[], ys: number[], most: number): CurvePoints {
  const step = Math.max(1, Math.ceil(xs.length / most));
  const out: CurvePoints = [];
  for (let i = 0; i < xs.length; i++) if (i % step === 0 || i === xs.length - 1) out.push({ x: xs[i], y: ys[i] });
  return out;
}

/**
 * ROC and precision–recall curves of P(class 1) (binary, both classes present), else null. For
 * drawing, each keeps at most about `most` points (default 500); average precision uses them all.
 */
export function binaryCurves(codes: Int32Array, proba: ArrayLike<number>, most = 500): BinaryCurves | null {
  if (proba.length !== codes.length * 2 || !hasBoth(codes, 2)) return null;
  const p = positive(proba);
  const roc = rocCurve(codes, p);
  const pr = precisionRecallCurve(codes, p);
  return { roc: points(roc.fpr, roc.tpr, most), pr: points(pr.recall, pr.precision, most), averagePrecision: averagePrecision(codes, p) };
}

/** One bin of a calibration (reliability) chart. */
export interface CalibrationBin {
  /** Mean predicted probability in the bin. */
  predicted: number;
  /** Share of rows in the bin that are class 1. */
  observed: number;
  count: number;
}

/**
 * Calibration bins as scikit-learn's `calibration_curve(strategy='uniform')`: P(class 1) cut into
 * `bins` equal-width bins over [0, 1], empty bins left out.
 */
export function calibrationBins(codes: ArrayLike<number>, p1: ArrayLike<number>, bins = 10): CalibrationBin[] {
  const sumP = new Float64Array(bins);
  const sumY = new Float64Array(bins);
  const count = new Float64Array(bins);
  for (let i = 0; i < codes.length; i++) {
    const b = Math.min(bins - 1, Math.max(0, Math.floor(p1[i] * bins)));
    sumP[b] += p1[i];
    sumY[b] += codes[i] === 1 ? 1 : 0;
    count[b]++;
  }
  const out: CalibrationBin[] = [];
  for (let b = 0; b < bins; b++) if (count[b] > 0) out.push({ predicted: sumP[b] / count[b], observed: sumY[b] / count[b], count: count[b] });
  return out;
}
