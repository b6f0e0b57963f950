// Splitters: fold sizes as scikit-learn's (tests/fixtures/models/make-split.py), partitions that
// cover every row once, and seeded determinism.
import { describe, expect, it } from 'vitest';
import { crossValidate, outOfFold } from '../../../src/core/models/cross-validate';
import { kFold, stratifiedKFold, trainTestSplit } from '../../../src/core/models/split';
import type { Fold } from '../../../src/core/models/split';
import { fixtureJson, readCsv } from './fixtures';

const ref = fixtureJson('split.json');

function labels(file: string, column: string, positive: string): Int32Array {
  const { header, rows } = readCsv(file);
  const j = header.indexOf(column);
  return Int32Array.from(rows, (r) => (r[j] === positive ? 1 : 0));
}

function classCountsPerFold(y: Int32Array, folds: Fold[], nClasses: number): number[][] {
  return folds.map((f) => {
    const c = new Array<number>(nClasses).fill(0);
    for (const i of f.test) c[y[i]]++;
    return c;
  });
}

function expectPartition(folds: Fold[], n: number): void {
  const seen = new Int32Array(n);
  for (const f of folds) {
    expect(f.train.length + f.test.length).toBe(n);
    const inTest = new Set(f.test);
    for (const i of f.train) expect(inTest.has(i)).toBe(false);
    for (const i of f.test) seen[i]++;
  }
  expect(Array.from(seen).every((s) => s === 1)).toBe(true);
}

describe('stratified k-fold', () => {
  it('gives each fold the class counts of sklearn StratifiedKFold', () => {
    const bc = labels('breast_cancer.csv', 'target', 'malignant');
    const bcFolds = stratifiedKFold(bc, { folds: 10, seed: 0 });
    expect(classCountsPerFold(bc, bcFolds, 2)).toEqual(ref.breastCancer10);
    expectPartition(bcFolds, bc.length);
    const churn = labels('mlc_churn.csv', 'churn', 'yes');
    expect(classCountsPerFold(churn, stratifiedKFold(churn, { folds: 5, seed: 3 }), 2)).toEqual(ref.churn5);
    const three = Int32Array.from(ref.three as number[]);
    expect(classCountsPerFold(three, stratifiedKFold(three, { folds: 4, seed: 9 }), 3)).toEqual(ref.three4);
  });

  it('is the same for the same seed and different for another', () => {
    const three = Int32Array.from(ref.three as number[]);
    const a = stratifiedKFold(three, { folds: 4, seed: 1 });
    expect(stratifiedKFold(three, { folds: 4, seed: 1 })).toEqual(a);
    expect(stratifiedKFold(three, { folds: 4, seed: 2 })).not.toEqual(a);
  });

  it('rejects impossible fold counts', () => {
    expect(() => stratifiedKFold(Int32Array.from([0, 1, 0]), { folds: 5 })).toThrow(/cannot make 5 folds/);
    expect(() => stratifiedKFold(Int32Array.from([0, 1, 0, 1]), { folds: 3 })).toThrow(/fewer than 3/);
  });
});

describe('k-fold and train/test split', () => {
  it('k-fold sizes as sklearn KFold, shuffled by seed', () => {
    const folds = kFold(41, { folds: 4, seed: 5 });
    expect(folds.map((f) => f.test.length)).toEqual(ref.kfold);
    expectPartition(folds, 41);
    const plain = kFold(41, { folds: 4, shuffle: false });
    expect(Array.from(plain[0].test)).toEqual(Array.from({ length: 11 }, (_, i) => i));
  });

  it('stratified split takes the class shares of sklearn train_test_split', () => {
    const three = Int32Array.from(ref.three as number[]);
    const split = trainTestSplit(three.length, { testFraction: 0.3, stratify: three, seed: 4 });
    const counts = [0, 0, 0];
    for (const i of split.test) counts[three[i]]++;
    expect(counts).toEqual(ref.splitThree);
    expect(split.train.length + split.test.length).toBe(three.length);
    expect(new Set([...split.train, ...split.test]).size).toBe(three.length);
    const bc = labels('breast_cancer.csv', 'target', 'malignant');
    const bcSplit = trainTestSplit(bc.length, { stratify: bc });
    const pos = Array.from(bcSplit.test).reduce((a, i) => a + bc[i], 0);
    expect([bcSplit.test.length - pos, pos]).toEqual(ref.splitBreastCancer);
    expect(trainTestSplit(100, { testFraction: 0.2, seed: 1 })).toEqual(trainTestSplit(100, { testFraction: 0.2, seed: 1 }));
  });
});

describe('cross-validation helpers', () => {
  it('averages fold scores and fills out-of-fold predictions', () => {
    const folds = kFold(10, { folds: 5, seed: 0 });
    const result = crossValidate(folds, (_, f) => f);
    expect(result.scores).toEqual([0, 1, 2, 3, 4]);
    expect(result.mean).toBe(2);
    expect(result.std).toBeCloseTo(Math.sqrt(2.5), 12);
    const oof = outOfFold(10, 1, folds, (fold) => Float64Array.from(fold.test, (i) => i * 10));
    expect(Array.from(oof)).toEqual(Array.from({ length: 10 }, (_, i) => i * 10));
  });

  it('stops between folds when cancelled', () => {
    const controller = new AbortController();
    const folds = kFold(10, { folds: 5 });
    expect(() => crossValidate(folds, (_, f) => (f === 1 ? (controller.abort(), 0) : 0), { signal: controller.signal })).toThrow(
      expect.objectContaining({ code: 'aborted' }),
    );
  });
});
