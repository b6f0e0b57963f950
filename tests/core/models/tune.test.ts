import { describe, expect, it } from 'vitest';
import { crossValidateSpecs, gridSpecs } from '../../../src/core/models/tune';
import { csvColumns } from './fixtures';

describe('grid search', () => {
  it('crosses every value of every setting', () => {
    const specs = gridSpecs('forest', { maxDepth: [3, 6], nTrees: [50, 100, 200] });
    expect(specs).toHaveLength(6);
    expect(specs[5]).toEqual({ kind: 'forest', params: { maxDepth: 6, nTrees: 200 } });
  });

  // sklearn 1.2.1: GridSearchCV(DecisionTreeClassifier(random_state=0), {'max_depth': [1, 2, 3, 5]},
  // cv=StratifiedKFold(5, shuffle=True, random_state=0), scoring='roc_auc') on breast_cancer gave
  // mean_test_score 0.8759, 0.9389, 0.9409, 0.9205. Our folds are shuffled by another generator:
  // within 0.02, as the other sklearn checks.
  it('scores each tree depth within 0.02 of GridSearchCV on breast_cancer', () => {
    const { columns, target } = csvColumns('breast_cancer.csv', 'target');
    const codes = Int32Array.from(target, (t) => (t === 'malignant' ? 1 : 0));
    const rows = crossValidateSpecs(columns, { task: 'classification', codes, classes: ['benign', 'malignant'] }, 'target', gridSpecs('cart', { maxDepth: [1, 2, 3, 5] }), { folds: 5, seed: 0 });
    const sklearn = [0.8759, 0.9389, 0.9409, 0.9205];
    rows.forEach((r, i) => expect(Math.abs(r.mean - sklearn[i])).toBeLessThan(0.02));
    expect(rows[0].scores).toHaveLength(5);
  });

  it('stops when cancelled', () => {
    const { columns, target } = csvColumns('breast_cancer.csv', 'target');
    const codes = Int32Array.from(target, (t) => (t === 'malignant' ? 1 : 0));
    const c = new AbortController();
    c.abort();
    expect(() => crossValidateSpecs(columns, { task: 'classification', codes, classes: ['b', 'm'] }, 'target', [{ kind: 'cart' }], { signal: c.signal })).toThrow(/cancelled/);
  });
});
