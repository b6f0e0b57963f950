// Preprocessing: fitted on the training rows only, applied identically to any rows.
import { describe, expect, it } from 'vitest';
import { encodeLabels, classWeightValues } from '../../../src/core/models/labels';
import { fitPreprocessor, transformFeatures, MISSING_CATEGORY } from '../../../src/core/models/preprocess';
import type { FeatureColumn, PreprocessState } from '../../../src/core/models/preprocess';
import { csvColumns } from './fixtures';

const columns: FeatureColumn[] = [
  { name: 'age', kind: 'numeric', values: [20, null, 40, 1000, NaN, 30] },
  { name: 'plan', kind: 'categorical', values: ['b', 'a', null, 'a', 'c', 'zzz'] },
];
const train = [0, 1, 2, 3];

describe('preprocessing', () => {
  it('imputes with the training mean, then standardizes with population sd', () => {
    const state = fitPreprocessor(columns, {}, train);
    const age = state.columns[0];
    if (age.kind !== 'numeric') throw new Error('age should be numeric');
    // Training ages 20, 40, 1000 (row 1 missing): mean 353.33; the test row's NaN is ignored.
    expect(age.fill).toBeCloseTo(1060 / 3, 12);
    const filled = [20, 1060 / 3, 40, 1000];
    const mean = filled.reduce((a, b) => a + b) / 4;
    const sd = Math.sqrt(filled.reduce((a, v) => a + (v - mean) ** 2, 0) / 4);
    expect(age.center).toBeCloseTo(mean, 10);
    expect(age.scale).toBeCloseTo(sd, 10);
    const x = transformFeatures(state, columns, [4]);
    expect(x.data[0]).toBeCloseTo((1060 / 3 - mean) / sd, 12);
  });

  it('median imputation uses the training median', () => {
    const state = fitPreprocessor(columns, { impute: 'median', standardize: 'none' }, train);
    expect(transformFeatures(state, columns, [1]).data[0]).toBe(40);
  });

  it('one-hot encodes training categories (sorted), missing as its own, unknown as zeros', () => {
    const state = fitPreprocessor(columns, { standardize: 'none' }, train);
    expect(state.featureNames).toEqual(['age', `plan=${MISSING_CATEGORY}`, 'plan=a', 'plan=b']);
    const x = transformFeatures(state, columns);
    const plan = (i: number) => Array.from(x.data.subarray(i * 4 + 1, i * 4 + 4));
    expect(plan(0)).toEqual([0, 0, 1]);
    expect(plan(1)).toEqual([0, 1, 0]);
    expect(plan(2)).toEqual([1, 0, 0]);
    expect(plan(4)).toEqual([0, 0, 0]);
    expect(plan(5)).toEqual([0, 0, 0]);
  });

  it("standardize 'all' centres and scales the one-hot columns too; maxCategories keeps the most frequent", () => {
    const state = fitPreprocessor(columns, { standardize: 'all', maxCategories: 1 }, train);
    expect(state.featureNames).toEqual(['age', 'plan=a']);
    const x = transformFeatures(state, columns, train);
    const col = [1, 3, 5, 7].map((i) => x.data[i]);
    expect(col.reduce((a, b) => a + b)).toBeCloseTo(0, 12);
    expect(col.reduce((a, b) => a + b * b, 0) / 4).toBeCloseTo(1, 12);
  });

  it('survives JSON and fails clearly on a missing or retyped column', () => {
    const state = JSON.parse(JSON.stringify(fitPreprocessor(columns))) as PreprocessState;
    expect(transformFeatures(state, columns)).toEqual(transformFeatures(fitPreprocessor(columns), columns));
    expect(() => transformFeatures(state, [columns[0]])).toThrow(/column plan is missing/);
    expect(() => transformFeatures(state, [columns[0], { name: 'plan', kind: 'numeric', values: [1, 2, 3, 4, 5, 6] }])).toThrow(
      /plan is numeric here but was categorical/,
    );
  });

  it('prepares mlc_churn: 4 categorical columns become 51 + 3 + 2 + 2 indicators', () => {
    const { columns: churn } = csvColumns('mlc_churn.csv', 'churn');
    const state = fitPreprocessor(churn);
    expect(state.featureNames.length).toBe(15 + 51 + 3 + 2 + 2);
    const x = transformFeatures(state, churn);
    expect(x.n).toBe(5000);
    expect(x.data.every(Number.isFinite)).toBe(true);
  });
});

describe('labels', () => {
  it('sorts classes like np.unique and weighs them as class_weight="balanced"', () => {
    const { codes, classes } = encodeLabels(['yes', 'no', 'no', 'no']);
    expect(classes).toEqual(['no', 'yes']);
    expect(Array.from(codes)).toEqual([1, 0, 0, 0]);
    expect(Array.from(classWeightValues(codes, 2, 'balanced'))).toEqual([4 / 6, 2]);
    expect(encodeLabels([10, 9, 100]).classes).toEqual(['9', '10', '100']);
    expect(() => encodeLabels(['a', null])).toThrow(/missing on row 2/);
  });
});
