import { describe, expect, it } from 'vitest';
import { fitModel } from '../../../src/core/models/pipeline';
import type { FeatureColumn } from '../../../src/core/models/preprocess';
import { trainModels } from '../../../src/core/models/train';
import type { Progress } from '../../../src/core/progress';
import { csvColumns } from './fixtures';

const { columns, target } = csvColumns('mlc_churn.csv', 'churn');
const classes = ['no', 'yes'];
const codes = Int32Array.from(target, (t) => (t === 'yes' ? 1 : 0));
const churn = { task: 'classification' as const, codes, classes };

describe('one split for every model', () => {
  it('is stratified and seeded: the same seed gives the same split and the same scores', () => {
    const a = trainModels(columns, churn, 'churn', [{ kind: 'cart', params: { maxDepth: 4 } }], { seed: 7 });
    const b = trainModels(columns, churn, 'churn', [{ kind: 'cart', params: { maxDepth: 4 } }], { seed: 7 });
    expect(a.test).toEqual(b.test);
    expect(a.runs[0].scores).toEqual(b.runs[0].scores);
    // 707 of 5,000 churn: the 1,250 test rows hold 177 churners (707 × 1250 / 5000 = 176.75, rounded up).
    expect(Array.from(a.testTruth).filter((v) => v === 1)).toHaveLength(177);
    expect(a.train.length + a.test.length).toBe(5000);
  });

  it('reports progress to 1, keeps going past a failing model, and stops when cancelled', () => {
    const seen: Progress[] = [];
    const r = trainModels(columns, churn, 'churn', [{ kind: 'ols' }, { kind: 'logistic' }], { onProgress: (p) => seen.push(p) });
    expect(r.runs[0].error).toMatch(/Linear regression \(OLS\) is for regression, not classification/);
    expect(r.runs[1].scores?.task).toBe('classification');
    expect(seen.at(-1)!.fraction).toBe(1);
    const c = new AbortController();
    c.abort();
    expect(() => trainModels(columns, churn, 'churn', [{ kind: 'logistic' }], { signal: c.signal })).toThrow(/cancelled/);
  });

  it('fits the preprocessing on the training rows only', () => {
    const minutes = columns.find((c) => c.name === 'total_day_minutes')! as Extract<FeatureColumn, { kind: 'numeric' }>;
    const train = Int32Array.from({ length: 100 }, (_, i) => i);
    const m = fitModel([minutes], churn, 'churn', { kind: 'logistic' }, train);
    const state = m.preprocess.columns[0];
    let mean = 0;
    for (const i of train) mean += minutes.values[i] as number;
    expect(state.kind === 'numeric' && state.center).toBeCloseTo(mean / 100, 10);
  });
});
