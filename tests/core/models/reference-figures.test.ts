// The project's models against scikit-learn 1.2.1's figures on real data
// (../shared/datasets/README.md, copied into tests/fixtures/models): same data, same protocol —
// seeded stratified k-fold, preprocessing fitted on each training part only, the mean of
// per-fold scores — within 0.02, the README's fair tolerance for a different fold split.
import { describe, expect, it } from 'vitest';
import { fitClassificationTree, predictTree, predictTreeProba } from '../../../src/core/models/cart';
import { crossValidate } from '../../../src/core/models/cross-validate';
import { fitLogisticRegression, predictLogistic, predictLogisticProba } from '../../../src/core/models/logistic';
import { takeValues } from '../../../src/core/models/matrix';
import type { FeatureMatrix } from '../../../src/core/models/matrix';
import { accuracy } from '../../../src/core/models/metrics';
import { rocAuc } from '../../../src/core/models/metrics-curves';
import { fitPreprocessor, transformFeatures } from '../../../src/core/models/preprocess';
import type { FeatureColumn, PreprocessOptions } from '../../../src/core/models/preprocess';
import { stratifiedKFold } from '../../../src/core/models/split';
import type { Fold } from '../../../src/core/models/split';
import { fitLinearSvm, predictLinearSvm } from '../../../src/core/models/svm';
import { fitKernelSvm, predictKernelSvm } from '../../../src/core/models/svm-kernel';
import { csvColumns } from './fixtures';

const TOLERANCE = 0.02;

type Model = (train: FeatureMatrix, y: Int32Array, test: FeatureMatrix) => ArrayLike<number>;

/** Mean over folds of `score(yTest, model output)`, preprocessing fitted per training part. */
function crossValidated(
  columns: FeatureColumn[], y: Int32Array, folds: Fold[], prep: PreprocessOptions, model: Model,
  score: (yTrue: Int32Array, out: ArrayLike<number>) => number,
): number {
  return crossValidate(folds, (fold) => {
    const state = fitPreprocessor(columns, prep, fold.train);
    const train = transformFeatures(state, columns, fold.train);
    const test = transformFeatures(state, columns, fold.test);
    return score(takeValues(y, fold.test), model(train, takeValues(y, fold.train), test));
  }).mean;
}

/** Column 1 (the positive class) of an n × 2 probability matrix. */
function positive(p: FeatureMatrix): Float64Array {
  return Float64Array.from({ length: p.n }, (_, i) => p.data[i * 2 + 1]);
}

describe('breast_cancer, 10-fold stratified CV accuracy', () => {
  const { columns, target } = csvColumns('breast_cancer.csv', 'target');
  const y = Int32Array.from(target, (t) => (t === 'malignant' ? 1 : 0));
  const folds = stratifiedKFold(y, { folds: 10, seed: 0 });
  const standardized: PreprocessOptions = { standardize: 'numeric' };

  it('standardized logistic regression, C = 1: sklearn 0.977', () => {
    const acc = crossValidated(columns, y, folds, standardized, (tr, yt, te) => predictLogistic(fitLogisticRegression(tr, yt, { C: 1 }), te), accuracy);
    expect(Math.abs(acc - 0.977)).toBeLessThan(TOLERANCE);
  });

  it('CART, gini, unpruned: sklearn 0.923', () => {
    const acc = crossValidated(columns, y, folds, { standardize: 'none' }, (tr, yt, te) => predictTree(fitClassificationTree(tr, yt), te), accuracy);
    expect(Math.abs(acc - 0.923)).toBeLessThan(TOLERANCE);
  });

  it('standardized linear SVM (LinearSVC defaults): sklearn 0.970', () => {
    const acc = crossValidated(columns, y, folds, standardized, (tr, yt, te) => predictLinearSvm(fitLinearSvm(tr, yt), te), accuracy);
    expect(Math.abs(acc - 0.97)).toBeLessThan(TOLERANCE);
  });

  it("standardized RBF SVM, C = 1, gamma = 'scale': sklearn 0.975", () => {
    const acc = crossValidated(columns, y, folds, standardized, (tr, yt, te) => predictKernelSvm(fitKernelSvm(tr, yt, { C: 1 }), te), accuracy);
    expect(Math.abs(acc - 0.975)).toBeLessThan(TOLERANCE);
  });
});

describe('mlc_churn, 5-fold stratified CV ROC AUC', () => {
  const { columns, target } = csvColumns('mlc_churn.csv', 'churn');
  const y = Int32Array.from(target, (t) => (t === 'yes' ? 1 : 0));
  const folds = stratifiedKFold(y, { folds: 5, seed: 0 });

  it('one-hot + standardized logistic regression: sklearn 0.821', () => {
    const auc = crossValidated(
      columns, y, folds, { standardize: 'numeric' },
      (tr, yt, te) => positive(predictLogisticProba(fitLogisticRegression(tr, yt), te)), rocAuc,
    );
    expect(Math.abs(auc - 0.821)).toBeLessThan(TOLERANCE);
  });

  it('CART, depth 6: sklearn 0.872', () => {
    const auc = crossValidated(
      columns, y, folds, { standardize: 'none' },
      (tr, yt, te) => positive(predictTreeProba(fitClassificationTree(tr, yt, { maxDepth: 6 }), te)), rocAuc,
    );
    expect(Math.abs(auc - 0.872)).toBeLessThan(TOLERANCE);
  });

  it('gives the same figure again for the same seed', () => {
    const run = () =>
      crossValidated(
        columns, y, stratifiedKFold(y, { folds: 5, seed: 42 }), { standardize: 'none' },
        (tr, yt, te) => positive(predictTreeProba(fitClassificationTree(tr, yt, { maxDepth: 6 }), te)), rocAuc,
      );
    expect(run()).toBe(run());
  });
});
