// trainModelsShared (train-shared.ts): large binary logistic fits go to helper threads first;
// everything the leaderboard shows must be what trainModels gives on its own.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FeatureColumn } from '../../../src/core/models/preprocess';
import { trainModels, type TrainResult } from '../../../src/core/models/train';
import { SHARED_FIT_ROWS, trainModelsShared } from '../../../src/core/models/train-shared';
import type { ModelSpec } from '../../../src/core/models/pipeline';
import { csvColumns } from './fixtures';
import { startNodeHelpers } from '../node-helpers';

// The public mlc_churn table (5,000 customers, numeric and categorical columns) 14 times over:
// enough training rows for the shared path, with real one-hot columns among the features.
const copies = 14;
const base = csvColumns('mlc_churn.csv', 'churn');
const repeat = <T,>(values: ArrayLike<T>): T[] => Array.from({ length: values.length * copies }, (_, i) => values[i % values.length]);
const columns: FeatureColumn[] = base.columns.map((c) => (c.kind === 'numeric' ? { ...c, values: repeat(c.values) } : { ...c, values: repeat(c.values) }));
const codes = Int32Array.from({ length: base.target.length * copies }, (_, i) => (base.target[i % base.target.length] === 'yes' ? 1 : 0));
const churn = { task: 'classification' as const, codes, classes: ['no', 'yes'] };
const specs: ModelSpec[] = [{ kind: 'logistic' }, { kind: 'cart', params: { maxDepth: 3 } }, { kind: 'logistic', params: { C: 0.5, balanced: true } }];

const withoutTimes = (r: TrainResult) => r.runs.map(({ seconds: _s, threads: _t, ...run }) => run);

describe('training with logistic fits shared across helper threads', () => {
  let helpers: Awaited<ReturnType<typeof startNodeHelpers>>;
  beforeAll(async () => {
    helpers = await startNodeHelpers(2);
  });
  afterAll(async () => {
    await helpers?.terminate();
  });

  it('gives the models, scores and explanations trainModels gives, and says which ran on 3 threads', async () => {
    const alone = trainModels(columns, churn, 'churn', specs, { seed: 4 });
    expect(alone.train.length).toBeGreaterThanOrEqual(SHARED_FIT_ROWS);
    let asked = 0;
    const shared = await trainModelsShared(columns, churn, 'churn', specs, { seed: 4 }, async () => (asked++, helpers));
    expect(asked).toBe(1);
    expect(shared.runs.map((r) => r.threads)).toEqual([3, undefined, 3]);
    expect(withoutTimes(shared)).toEqual(withoutTimes(alone));
    expect(shared.runs[0].scores?.task === 'classification' && shared.runs[0].scores.auc).toBeGreaterThan(0.8);
  });

  it('does not start helpers for a small table, nor without helpers to be had', async () => {
    const small = { ...churn, codes: codes.subarray(0, 5000) };
    const smallColumns = base.columns;
    let asked = 0;
    const r = await trainModelsShared(smallColumns, small, 'churn', specs, { seed: 4 }, async () => (asked++, helpers));
    expect(asked).toBe(0);
    expect(r.runs.every((run) => run.threads === undefined)).toBe(true);
    const none = await trainModelsShared(columns, churn, 'churn', specs.slice(0, 1), { seed: 4 }, async () => undefined);
    expect(none.runs[0].threads).toBeUndefined();
    expect(none.runs[0].scores).toEqual(trainModels(columns, churn, 'churn', specs.slice(0, 1), { seed: 4 }).runs[0].scores);
  });

  it('stops with an aborted error when cancelled', async () => {
    const c = new AbortController();
    c.abort();
    await expect(trainModelsShared(columns, churn, 'churn', specs, { seed: 4, signal: c.signal }, async () => helpers)).rejects.toMatchObject({ code: 'aborted' });
  });
});
