import { AppError } from '../errors';
import { sortWithPayload } from './sort';

/**
 * Ranking curves of a binary score, as scikit-learn 1.2's `roc_curve`, `roc_auc_score`,
 * `precision_recall_curve` and `average_precision_score`. `yTrue` is 0/1 (1 = positive); higher
 * scores mean "more likely positive". Rows with equal scores form one point, so ties count half
 * (the Mann–Whitney convention).
 */

/** Cumulative false/true positives at each distinct score, scores descending. */
interface BinaryCurve {
  fps: Float64Array;
  tps: Float64Array;
  thresholds: Float64Array;
}

/** sklearn's `_binary_clf_curve`: one point per distinct score, from the highest down. */
function binaryCurve(yTrue: ArrayLike<number>, scores: ArrayLike<number>): BinaryCurve {
  const n = yTrue.length;
  if (scores.length !== n) throw new AppError('invalid-argument', `${n} labels but ${scores.length} scores.`);
  if (n === 0) throw new AppError('invalid-argument', 'a ranking curve needs at least one row.');
  const keys = new Float64Array(n);
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    if (Number.isNaN(scores[i])) throw new AppError('invalid-argument', `the score on row ${i + 1} is NaN.`);
    keys[i] = -scores[i];
    order[i] = i;
  }
  sortWithPayload(keys, order);
  const fps: number[] = [];
  const tps: number[] = [];
  const thresholds: number[] = [];
  let tp = 0;
  let fp = 0;
  for (let r = 0; r < n; r++) {
    if (yTrue[order[r]]) tp++;
    else fp++;
    if (r === n - 1 || keys[r + 1] !== keys[r]) {
      fps.push(fp);
      tps.push(tp);
      thresholds.push(-keys[r]);
    }
  }
  return { fps: Float64Array.from(fps), tps: Float64Array.from(tps), thresholds: Float64Array.from(thresholds) };
}

/** An ROC curve: false- and true-positive rates (in [0, 1]) as the threshold is lowered. */
export interface RocCurve {
  fpr: number[];
  tpr: number[];
  /** Score thresholds (decreasing); the first is max score + 1, giving the point (0, 0). */
  thresholds: number[];
}

/**
 * The ROC curve as sklearn's `roc_curve` (1.2): a point per distinct score, collinear points
 * dropped when `dropIntermediate` (default true), and (0, 0) prepended.
 */
export function rocCurve(yTrue: ArrayLike<number>, scores: ArrayLike<number>, dropIntermediate = true): RocCurve {
  const { fps, tps, thresholds } = binaryCurve(yTrue, scores);
  let keep = Array.from(fps, (_, i) => i);
  if (dropIntermediate && fps.length > 2) {
    keep = keep.filter(
      (i) => i === 0 || i === fps.length - 1 ||
        fps[i - 1] - 2 * fps[i] + fps[i + 1] !== 0 || tps[i - 1] - 2 * tps[i] + tps[i + 1] !== 0,
    );
  }
  const lastF = fps[fps.length - 1];
  const lastT = tps[tps.length - 1];
  const fpr = [0, ...keep.map((i) => (lastF > 0 ? fps[i] / lastF : NaN))];
  const tpr = [0, ...keep.map((i) => (lastT > 0 ? tps[i] / lastT : NaN))];
  return { fpr, tpr, thresholds: [thresholds[keep[0]] + 1, ...keep.map((i) => thresholds[i])] };
}

/** Area under a curve by the trapezoidal rule (x must be monotone), as sklearn's `auc`. */
export function trapezoidArea(x: ArrayLike<number>, y: ArrayLike<number>): number {
  let area = 0;
  for (let i = 1; i < x.length; i++) area += ((x[i] - x[i - 1]) * (y[i] + y[i - 1])) / 2;
  return Math.abs(area);
}

/**
 * Area under the ROC curve, in [0, 1]: the probability that a random positive outscores a random
 * negative, ties counting half. As sklearn's `roc_auc_score`; needs both classes present.
 */
export function rocAuc(yTrue: ArrayLike<number>, scores: ArrayLike<number>): number {
  const { fps, tps } = binaryCurve(yTrue, scores);
  const lastF = fps[fps.length - 1];
  const lastT = tps[tps.length - 1];
  if (lastF === 0 || lastT === 0) {
    throw new AppError('invalid-argument', 'ROC AUC needs both positive and negative rows; this set has only one class.');
  }
  let area = 0;
  let px = 0;
  let py = 0;
  for (let i = 0; i < fps.length; i++) {
    const x = fps[i] / lastF;
    const y = tps[i] / lastT;
    area += ((x - px) * (y + py)) / 2;
    px = x;
    py = y;
  }
  return area;
}

/**
 * Multi-class ROC AUC, one-vs-rest, macro-averaged — sklearn's
 * `roc_auc_score(multi_class='ovr', average='macro')`. `proba` is n × K row-major.
 */
export function rocAucOneVsRest(codes: ArrayLike<number>, proba: ArrayLike<number>, nClasses: number): number {
  const n = codes.length;
  let total = 0;
  for (let k = 0; k < nClasses; k++) {
    const y = new Int32Array(n);
    const s = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      y[i] = codes[i] === k ? 1 : 0;
      s[i] = proba[i * nClasses + k];
    }
    total += rocAuc(y, s);
  }
  return total / nClasses;
}

/** A precision–recall curve, recall decreasing; the last point is (recall 0, precision 1). */
export interface PrecisionRecallCurve {
  precision: number[];
  recall: number[];
  /** Thresholds (increasing), one fewer than the points. */
  thresholds: number[];
}

/** The precision–recall curve as sklearn 1.2's `precision_recall_curve`. */
export function precisionRecallCurve(yTrue: ArrayLike<number>, scores: ArrayLike<number>): PrecisionRecallCurve {
  const { fps, tps, thresholds } = binaryCurve(yTrue, scores);
  const m = fps.length;
  const lastT = tps[m - 1];
  const precision: number[] = [];
  const recall: number[] = [];
  const th: number[] = [];
  for (let i = m - 1; i >= 0; i--) {
    const ps = tps[i] + fps[i];
    precision.push(ps > 0 ? tps[i] / ps : 0);
    recall.push(lastT > 0 ? tps[i] / lastT : 1);
    th.push(thresholds[i]);
  }
  precision.push(1);
  recall.push(0);
  return { precision, recall, thresholds: th };
}

/**
 * Average precision AP = Σₙ (Rₙ − Rₙ₋₁) Pₙ over the precision–recall curve (no interpolation),
 * as sklearn's `average_precision_score`.
 */
export function averagePrecision(yTrue: ArrayLike<number>, scores: ArrayLike<number>): number {
  const { precision, recall } = precisionRecallCurve(yTrue, scores);
  let ap = 0;
  for (let i = 0; i < precision.length - 1; i++) ap -= (recall[i + 1] - recall[i]) * precision[i];
  return ap;
}
