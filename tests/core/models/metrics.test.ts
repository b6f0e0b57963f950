// Metrics against scikit-learn 1.2 on small fixtures (tests/fixtures/models/make-metrics.py).
import { describe, expect, it } from 'vitest';
import {
  accuracy, classificationReport, confusionMatrix, logLoss, meanAbsoluteError, meanSquaredError,
  metricsAtThreshold, predictAtThreshold, r2Score, rootMeanSquaredError,
} from '../../../src/core/models/metrics';
import {
  averagePrecision, precisionRecallCurve, rocAuc, rocAucOneVsRest, rocCurve,
} from '../../../src/core/models/metrics-curves';
import { fixtureJson } from './fixtures';

const ref = fixtureJson('metrics.json');

function expectClose(actual: ArrayLike<number>, expected: number[], digits = 12): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) expect(actual[i]).toBeCloseTo(expected[i], digits);
}

describe('binary metrics match sklearn', () => {
  const { y, scores, threshold } = ref.binary;

  it('counts, accuracy, precision, recall and F1 at a threshold', () => {
    const m = metricsAtThreshold(y, scores, threshold);
    expect([m.trueNegatives, m.falsePositives, m.falseNegatives, m.truePositives]).toEqual([
      ref.binary.counts.tn, ref.binary.counts.fp, ref.binary.counts.fn, ref.binary.counts.tp,
    ]);
    expect(m.accuracy).toBeCloseTo(ref.binary.accuracy, 12);
    expect(m.precision).toBeCloseTo(ref.binary.precision, 12);
    expect(m.recall).toBeCloseTo(ref.binary.recall, 12);
    expect(m.f1).toBeCloseTo(ref.binary.f1, 12);
    expect(accuracy(y, predictAtThreshold(scores, threshold))).toBeCloseTo(ref.binary.accuracy, 12);
  });

  it('ROC curve with and without intermediate points, and AUC with tied scores', () => {
    const roc = rocCurve(y, scores);
    expectClose(roc.fpr, ref.binary.roc.fpr);
    expectClose(roc.tpr, ref.binary.roc.tpr);
    expectClose(roc.thresholds, ref.binary.roc.thresholds);
    const all = rocCurve(y, scores, false);
    expectClose(all.fpr, ref.binary.rocAll.fpr);
    expectClose(all.thresholds, ref.binary.rocAll.thresholds);
    expect(rocAuc(y, scores)).toBeCloseTo(ref.binary.rocAuc, 12);
  });

  it('precision-recall curve and average precision', () => {
    const pr = precisionRecallCurve(y, scores);
    expectClose(pr.precision, ref.binary.pr.precision);
    expectClose(pr.recall, ref.binary.pr.recall);
    expectClose(pr.thresholds, ref.binary.pr.thresholds);
    expect(averagePrecision(y, scores)).toBeCloseTo(ref.binary.averagePrecision, 12);
  });

  it('AUC of all-tied scores is one half, and a single class is an error', () => {
    expect(rocAuc([0, 1, 0, 1], [0.3, 0.3, 0.3, 0.3])).toBe(0.5);
    expect(() => rocAuc([1, 1], [0.2, 0.4])).toThrow(/only one class/);
  });
});

describe('multi-class metrics match sklearn', () => {
  const { y, pred, proba } = ref.multiclass;

  it('confusion matrix, per-class and averaged precision/recall/F1', () => {
    expect(confusionMatrix(y, pred, 3)).toEqual(ref.multiclass.confusion);
    const r = classificationReport(y, pred, 3);
    expectClose(r.perClass.map((c) => c.precision), ref.multiclass.precision);
    expectClose(r.perClass.map((c) => c.recall), ref.multiclass.recall);
    expectClose(r.perClass.map((c) => c.f1), ref.multiclass.f1);
    expect(r.perClass.map((c) => c.support)).toEqual(ref.multiclass.support);
    expectClose([r.macro.precision, r.macro.recall, r.macro.f1], ref.multiclass.macro);
    expectClose([r.weighted.precision, r.weighted.recall, r.weighted.f1], ref.multiclass.weighted);
    expect(r.accuracy).toBeCloseTo(ref.multiclass.accuracy, 12);
  });

  it('log loss and one-vs-rest ROC AUC', () => {
    expect(logLoss(y, proba, 3)).toBeCloseTo(ref.multiclass.logLoss, 10);
    expect(rocAucOneVsRest(y, proba, 3)).toBeCloseTo(ref.multiclass.rocAucOvr, 12);
  });
});

describe('regression metrics match sklearn', () => {
  it('R², MAE, MSE and RMSE', () => {
    const { y, pred } = ref.regression;
    expect(r2Score(y, pred)).toBeCloseTo(ref.regression.r2, 12);
    expect(meanAbsoluteError(y, pred)).toBeCloseTo(ref.regression.mae, 12);
    expect(meanSquaredError(y, pred)).toBeCloseTo(ref.regression.mse, 12);
    expect(rootMeanSquaredError(y, pred)).toBeCloseTo(ref.regression.rmse, 12);
  });
});
