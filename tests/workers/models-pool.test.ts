// The models worker pool growing one random forest across several workers. Each "worker" is the
// real worker API (workers/models.worker.ts) served on a MessageChannel, so inputs are cloned or
// transferred, progress is proxied and cancellation terminates, as in the browser.
import { MessageChannel } from 'node:worker_threads';
import * as Comlink from 'comlink';
import { afterAll, describe, expect, it } from 'vitest';
import { encodeCategories, type CodedColumn } from '../../src/core/models/column-codes';
import { fitModel, predictModel } from '../../src/core/models/pipeline';
import type { FeatureColumn } from '../../src/core/models/preprocess';
import { trainingSplit, trainModels } from '../../src/core/models/train';
import { createModelsClient, createModelsPool, forestShares } from '../../src/services/workers/models-client';
import type { TrainInput } from '../../src/shared/models-api';
import { modelsWorker } from '../../workers/models.worker';
import { csvColumns } from '../core/models/fixtures';

const ports: MessageChannel[] = [];
function spawn(): Worker {
  const channel = new MessageChannel();
  ports.push(channel);
  Comlink.expose(modelsWorker, channel.port1 as unknown as Comlink.Endpoint);
  return Object.assign(channel.port2, { terminate: () => channel.port1.close() }) as unknown as Worker;
}
afterAll(() => ports.forEach((c) => c.port1.close()));

const { columns, target } = csvColumns('breast_cancer.csv', 'target');
const codes = Int32Array.from(target, (t) => (t === 'malignant' ? 1 : 0));
const classes = ['benign', 'malignant'];
const coded = (c: FeatureColumn): CodedColumn =>
  c.kind === 'numeric' ? { name: c.name, kind: 'numeric', values: Float64Array.from(c.values, (v) => v ?? NaN) } : encodeCategories(c.name, Array.from(c.values, (v) => (v === null || v === undefined ? null : String(v))));
const input = (): TrainInput => ({ columns: columns.map(coded), targetName: 'target', target: { task: 'classification', codes: codes.slice(), classes } });
const split = trainingSplit({ task: 'classification', codes, classes }, { testFraction: 0.25, seed: 7 });
const spec = { kind: 'forest' as const, params: { nTrees: 25 } };

describe('random forest across the worker pool', () => {
  it('deals the trees in contiguous shares', () => {
    expect(forestShares(10, 3)).toEqual([{ firstTree: 0, nTrees: 4 }, { firstTree: 4, nTrees: 3 }, { firstTree: 7, nTrees: 3 }]);
    expect(forestShares(2, 4)).toEqual([{ firstTree: 0, nTrees: 1 }, { firstTree: 1, nTrees: 1 }]);
  });

  it('grows the same forest on 1 and on 3 workers, and the same as one fit in one thread', async () => {
    const progress: number[] = [];
    const one = await createModelsPool(1, spawn).fitForest(input(), { spec, seed: 7, testFraction: 0.25 });
    const three = await createModelsPool(3, spawn).fitForest(input(), { spec, seed: 7, testFraction: 0.25 }, (trees, of) => {
      expect(of).toBe(25);
      progress.push(trees);
    });
    const direct = fitModel(columns, { task: 'classification', codes, classes }, 'target', spec, split.train, { seed: 7 });
    expect(three.model.kind === 'forest' && three.model.forest.trees).toHaveLength(25);
    expect(three.label).toBe('Random forest (25 trees)');
    const p1 = predictModel(one, columns, split.test);
    const p3 = predictModel(three, columns, split.test);
    expect(Array.from(p3.proba!)).toEqual(Array.from(p1.proba!));
    expect(Array.from(predictModel(direct, columns, split.test).proba!)).toEqual(Array.from(p1.proba!));
    // A real model, not a degenerate one: > 90 % accuracy on the held-out quarter.
    const correct = Array.from(split.test).filter((row, i) => p3.values[i] === codes[row]).length;
    expect(correct / split.test.length).toBeGreaterThan(0.9);
    await expect.poll(() => progress.at(-1)).toBe(25);
    // A different seed is a different forest.
    const other = await createModelsPool(3, spawn).fitForest(input(), { spec, seed: 8, testFraction: 0.25 });
    expect(Array.from(predictModel(other, columns, split.test).proba!)).not.toEqual(Array.from(p1.proba!));
  });

  it('scores and explains a forest grown by the pool without growing it again', async () => {
    const model = await createModelsPool(2, spawn).fitForest(input(), { spec, seed: 7, testFraction: 0.25 });
    const client = createModelsClient(spawn);
    const r = await client.train(input(), { specs: [spec], seed: 7, testFraction: 0.25, fitted: [{ model, seconds: 1.5 }] });
    expect(r.runs[0].error).toBeUndefined();
    expect(r.runs[0].model).toBeUndefined(); // the caller has it: not sent back
    expect(r.runs[0].seconds).toBe(1.5);
    const direct = trainModels(columns, { task: 'classification', codes, classes }, 'target', [spec], { seed: 7 });
    expect(r.runs[0].scores).toEqual(direct.runs[0].scores);
    expect(r.runs[0].importance).toEqual(direct.runs[0].importance);
    // A forest grown on another split is refused, not scored on rows it was trained on.
    const other = await createModelsPool(1, spawn).fitForest(input(), { spec, seed: 7, testFraction: 0.5 });
    const refused = await client.train(input(), { specs: [spec], seed: 7, testFraction: 0.25, fitted: [{ model: other, seconds: 1 }] });
    expect(refused.runs[0].error).toMatch(/was fitted on 284 rows, not this split's 426 training rows/);
  });

  it('stops every worker on cancel', async () => {
    const pool = createModelsPool(2, spawn);
    const running = pool.fitForest(input(), { spec: { kind: 'forest', params: { nTrees: 400 } }, seed: 1, testFraction: 0.25 });
    pool.cancel();
    await expect(running).rejects.toMatchObject({ code: 'aborted' });
  });
});
