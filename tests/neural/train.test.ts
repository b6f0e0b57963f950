import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { isAbort } from '../../src/core/errors';
import { evaluateLoss, predictRows } from '../../src/neural/data';
import type { ModelSpec } from '../../src/neural/models';
import { trainModel } from '../../src/neural/train';
import { linearProblem, noiseProblem } from './seeded-data';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const mlp: ModelSpec = { kind: 'mlp', task: 'binary', inputs: 5, hidden: [16] };

describe('the training loop', () => {
  it('stops early when the validation loss stops improving and restores the best epoch', async () => {
    // Random labels: the training loss falls while the validation loss rises (overfitting).
    const spec: ModelSpec = { kind: 'mlp', task: 'binary', inputs: 10, hidden: [64, 64] };
    const train = noiseProblem(80, 10, 1);
    const val = noiseProblem(80, 10, 2);
    const r = await trainModel(spec, train, { epochs: 40, batchSize: 16, learningRate: 0.01, seed: 3, validationData: val, patience: 3 });
    expect(r.stoppedEarly).toBe(true);
    expect(r.history.length).toBe(r.bestEpoch + 3);
    const losses = r.history.map((h) => h.valLoss!);
    expect(Math.min(...losses)).toBe(losses[r.bestEpoch - 1]);
    // The model holds the best epoch's weights, not the last epoch's.
    expect(await evaluateLoss(spec, r.model, val)).toBeCloseTo(losses[r.bestEpoch - 1], 5);
    expect(await evaluateLoss(spec, r.model, val)).toBeLessThan(losses[losses.length - 1]);
    r.model.dispose();
  });

  it('resumes from the last completed epoch on the next backend when one fails mid-epoch', async () => {
    const data = linearProblem(160, 5, 4);
    const options = { epochs: 4, batchSize: 32, learningRate: 0.01, seed: 9, validationSplit: 0.2 };
    const clean = await trainModel(mlp, data, options);
    let thrown = false;
    const resumed = await trainModel(mlp, data, {
      ...options,
      fallbackBackends: ['cpu'],
      beforeBatch: (epoch, batch) => {
        if (epoch === 2 && batch === 1 && !thrown) {
          thrown = true;
          throw new Error('simulated device loss');
        }
      },
    });
    expect(resumed.failures).toEqual([{ backend: 'cpu', resumedFromEpoch: 2, reason: 'simulated device loss' }]);
    expect(resumed.history.map((h) => h.epoch)).toEqual([1, 2, 3, 4]);
    // Weights and Adam state were restored, so the result is the uninterrupted run's, exactly.
    expect(resumed.history.map((h) => h.loss)).toEqual(clean.history.map((h) => h.loss));
    expect(Array.from(await predictRows(mlp, resumed.model, data.x, data.n))).toEqual(Array.from(await predictRows(mlp, clean.model, data.x, data.n)));
    clean.model.dispose();
    resumed.model.dispose();
  });

  it('resumes on another backend (CPU → WASM) with close results', async () => {
    await import('@tensorflow/tfjs-backend-wasm');
    const data = linearProblem(160, 5, 4);
    const options = { epochs: 3, batchSize: 32, learningRate: 0.01, seed: 9, validationSplit: 0.2 };
    const clean = await trainModel(mlp, data, options);
    const cleanOut = await predictRows(mlp, clean.model, data.x, data.n);
    clean.model.dispose();
    const resumed = await trainModel(mlp, data, {
      ...options,
      fallbackBackends: ['wasm'],
      beforeBatch: (epoch) => {
        if (epoch === 1 && tf.getBackend() === 'cpu') throw new Error('simulated device loss');
      },
    });
    try {
      expect(resumed.backend).toBe('wasm');
      expect(resumed.history.map((h) => h.backend)).toEqual(['cpu', 'wasm', 'wasm']);
      const out = await predictRows(mlp, resumed.model, data.x, data.n);
      for (let i = 0; i < out.length; i++) expect(out[i]).toBeCloseTo(cleanOut[i], 3);
    } finally {
      resumed.model.dispose();
      await tf.setBackend('cpu');
    }
  });

  it('fails (and frees its tensors) when the backend fails and no fallback is left', async () => {
    const before = tf.memory().numTensors;
    const run = trainModel(mlp, linearProblem(64, 5, 1), {
      epochs: 2,
      beforeBatch: (epoch) => {
        if (epoch === 1) throw new Error('simulated device loss');
      },
    });
    await expect(run).rejects.toThrow('simulated device loss');
    expect(tf.memory().numTensors).toBe(before);
  });

  it('cancels between batches with an AbortError and frees its tensors', async () => {
    const before = tf.memory().numTensors;
    const controller = new AbortController();
    const reports: number[] = [];
    const run = trainModel(mlp, linearProblem(256, 5, 1), {
      epochs: 50,
      batchSize: 16,
      signal: controller.signal,
      onEpoch: (e) => {
        reports.push(e.epoch);
        if (e.epoch === 2) controller.abort();
      },
    });
    await expect(run.catch((e) => isAbort(e))).resolves.toBe(true);
    expect(reports).toEqual([1, 2]);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('reports each epoch: loss, validation loss, seconds and backend', async () => {
    const reports: unknown[] = [];
    const r = await trainModel(mlp, linearProblem(100, 5, 2), { epochs: 2, onEpoch: (e) => reports.push(e) });
    expect(reports).toEqual(r.history);
    expect(r.history[1]).toMatchObject({ epoch: 2, epochs: 2, backend: 'cpu' });
    expect(r.history[1].valLoss).toBeGreaterThan(0);
    r.model.dispose();
  });

  it('refuses inputs whose size does not match the spec', async () => {
    await expect(trainModel(mlp, { x: new Float32Array(12), y: new Float32Array(3), n: 3 })).rejects.toThrow(/12 input values for 3 rows/);
  });

  it('reports validation accuracy each epoch for a classifier (what the live accuracy curve draws)', async () => {
    const data = linearProblem(200, 5, 6);
    const val = linearProblem(100, 5, 7);
    const r = await trainModel(mlp, data, { epochs: 3, batchSize: 32, learningRate: 0.01, seed: 2, validationData: val });
    const p = await predictRows(mlp, r.model, val.x, val.n);
    const hits = Array.from(p).filter((q, i) => (q >= 0.5 ? 1 : 0) === val.y[i]).length;
    expect(r.history.map((h) => typeof h.valAccuracy)).toEqual(['number', 'number', 'number']);
    expect(r.history[2].valAccuracy).toBeCloseTo(hits / val.n, 10);
    expect(r.history[2].valAccuracy).toBeGreaterThan(0.7);
    r.model.dispose();
  });
});
