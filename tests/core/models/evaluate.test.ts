import { describe, expect, it } from 'vitest';
import { binaryCurves, calibrationBins, classificationScores, thresholdView } from '../../../src/core/models/evaluate';

// Figures from scikit-learn 1.2.1 on the same 12 rows:
// calibration_curve(y, p, n_bins=5) → prob_true [0, 1, 0.6667, 0.5, 0.75],
//   prob_pred [0.1, 0.35, 0.48333, 0.665, 0.8975];
// with y_pred = p ≥ 0.6: confusion_matrix [[3, 2], [3, 4]], precision [0.5, 0.6667],
//   recall [0.6, 0.5714], F1 [0.5455, 0.6154].
const y = Int32Array.from([0, 0, 1, 1, 0, 1, 1, 0, 1, 0, 1, 1]);
const p1 = [0.05, 0.15, 0.35, 0.42, 0.48, 0.55, 0.61, 0.72, 0.81, 0.88, 0.93, 0.97];
const proba = Float64Array.from(p1.flatMap((p) => [1 - p, p]));

describe('the threshold view and the calibration chart', () => {
  it('calibration bins equal sklearn calibration_curve (uniform bins)', () => {
    const bins = calibrationBins(y, p1, 5);
    expect(bins.map((b) => b.observed)).toEqual([0, 1, 2 / 3, 0.5, 0.75].map((v) => expect.closeTo(v, 12)));
    expect(bins.map((b) => b.predicted)).toEqual([0.1, 0.35, 0.48333333333333334, 0.665, 0.8975].map((v) => expect.closeTo(v, 12)));
  });

  it('at threshold 0.6 the confusion matrix and per-class figures equal sklearn', () => {
    const v = thresholdView(y, proba, 2, 0.6);
    expect(v.confusion).toEqual([[3, 2], [3, 4]]);
    expect(v.report.perClass.map((c) => c.precision)).toEqual([0.5, 2 / 3].map((x) => expect.closeTo(x, 12)));
    expect(v.report.perClass.map((c) => c.f1)).toEqual([0.5454545454545454, 0.6153846153846154].map((x) => expect.closeTo(x, 12)));
    expect(v.point).toEqual({ fpr: 2 / 5, tpr: 4 / 7, precision: 4 / 6, recall: 4 / 7 });
  });

  it('a lower threshold never lowers recall', () => {
    let last = -1;
    for (let t = 1; t >= 0; t -= 0.05) {
      const r = thresholdView(y, proba, 2, t).point!.recall;
      expect(r).toBeGreaterThanOrEqual(last);
      last = r;
    }
  });

  it('curves keep their end points when thinned for drawing', () => {
    const c = binaryCurves(y, proba, 4)!;
    expect(c.roc[0]).toEqual({ x: 0, y: 0 });
    expect(c.roc.at(-1)).toEqual({ x: 1, y: 1 });
    expect(c.pr.at(-1)).toEqual({ x: 0, y: 1 });
    expect(c.roc.length).toBeLessThanOrEqual(5);
    expect(classificationScores(y, proba, 2).auc).toBeCloseTo(0.6857142857142857, 12); // sklearn roc_auc_score
  });
});
