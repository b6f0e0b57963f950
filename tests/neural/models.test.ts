import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { installFastCpuKernels } from '../../src/neural/cpu-kernels';
import { predictRows } from '../../src/neural/data';
import { buildModel, type ModelSpec } from '../../src/neural/models';
import { trainModel } from '../../src/neural/train';
import { activityProblem, linearProblem } from './seeded-data';

beforeAll(async () => {
  installFastCpuKernels();
  await tf.setBackend('cpu');
});

const specs: [string, ModelSpec, number[]][] = [
  ['MLP, binary', { kind: 'mlp', task: 'binary', inputs: 6, hidden: [8] }, [5, 1]],
  ['MLP, 3 classes', { kind: 'mlp', task: 'multiclass', classes: 3, inputs: 6 }, [5, 3]],
  ['MLP, regression', { kind: 'mlp', task: 'regression', inputs: 6 }, [5, 1]],
  ['GRU over periods', { kind: 'sequence', cell: 'gru', task: 'binary', periods: 12, features: 3, units: 4 }, [5, 1]],
  ['LSTM over periods', { kind: 'sequence', cell: 'lstm', task: 'binary', periods: 12, features: 3, units: 4 }, [5, 1]],
  ['1-D CNN over periods', { kind: 'sequence', cell: 'cnn', task: 'multiclass', classes: 4, periods: 12, features: 3, units: 4 }, [5, 4]],
  ['text CNN', { kind: 'text', encoder: 'cnn', task: 'binary', vocabularySize: 50, sequenceLength: 10, embeddingDim: 4, units: 4 }, [5, 1]],
  ['text GRU', { kind: 'text', encoder: 'gru', task: 'binary', vocabularySize: 50, sequenceLength: 10, embeddingDim: 4, units: 4 }, [5, 1]],
  ['text bag with dropout, 5 classes', { kind: 'text', encoder: 'bag', task: 'multiclass', classes: 5, vocabularySize: 50, sequenceLength: 10, embeddingDim: 4, dropout: 0.3 }, [5, 5]],
];

describe('model builders', () => {
  it.each(specs)('%s maps a batch to [n, outputs]', async (_, spec, expected) => {
    const model = buildModel(spec, 3);
    const width = (model.inputs[0].shape.slice(1) as number[]).reduce((a, b) => a * b, 1);
    const x = spec.kind === 'text' ? Int32Array.from({ length: 5 * width }, (_, i) => i % 50) : Float32Array.from({ length: 5 * width }, (_, i) => Math.sin(i));
    const out = await predictRows(spec, model, x, 5);
    expect(out.length).toBe(expected[0] * expected[1]);
    expect(out.every(Number.isFinite)).toBe(true);
    if (spec.task === 'multiclass') expect(out.slice(0, expected[1]).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
    model.dispose();
  });

  it('gives the same initial weights for the same seed, different ones for another', () => {
    const spec: ModelSpec = { kind: 'sequence', cell: 'gru', task: 'binary', periods: 4, features: 2, units: 3 };
    const weights = (seed: number) => {
      const m = buildModel(spec, seed);
      const w = m.getWeights().map((t) => Array.from(t.dataSync()));
      m.dispose();
      return w;
    };
    expect(weights(7)).toEqual(weights(7));
    expect(weights(7)).not.toEqual(weights(8));
  });

  it('refuses a multiclass spec without classes', () => {
    expect(() => buildModel({ kind: 'mlp', task: 'multiclass', inputs: 3 })).toThrow(/at least 2 classes/);
  });
});

describe('seeded training', () => {
  it('the same seed gives identical predictions; another seed does not', async () => {
    const data = linearProblem(200, 5, 11);
    const spec: ModelSpec = { kind: 'mlp', task: 'binary', inputs: 5, hidden: [16] };
    const run = async (seed: number) => {
      const r = await trainModel(spec, data, { epochs: 3, batchSize: 32, seed, learningRate: 0.01 });
      const p = await predictRows(spec, r.model, data.x, data.n);
      r.model.dispose();
      return Array.from(p);
    };
    const a = await run(5);
    expect(await run(5)).toEqual(a);
    expect(await run(6)).not.toEqual(a);
  });

  it('a GRU learns a rising-activity label from activity by period', async () => {
    const train = activityProblem(300, 8, 2, 1);
    const test = activityProblem(200, 8, 2, 2);
    const spec: ModelSpec = { kind: 'sequence', cell: 'gru', task: 'binary', periods: 8, features: 2, units: 8 };
    const r = await trainModel(spec, train, { epochs: 8, batchSize: 32, learningRate: 0.02, seed: 1, validationSplit: 0 });
    const p = await predictRows(spec, r.model, test.x, test.n);
    let hit = 0;
    for (let i = 0; i < test.n; i++) if ((p[i] >= 0.5 ? 1 : 0) === test.y[i]) hit++;
    r.model.dispose();
    expect(hit / test.n).toBeGreaterThan(0.85);
  });

  it('leaves no tensor behind: 10 training runs in a row keep tf.memory().numTensors unchanged', async () => {
    const data = linearProblem(120, 4, 3);
    const spec: ModelSpec = { kind: 'mlp', task: 'binary', inputs: 4, hidden: [8] };
    const before = tf.memory().numTensors;
    for (let run = 0; run < 10; run++) {
      const r = await trainModel(spec, data, { epochs: 2, batchSize: 32, seed: run, patience: 1 });
      await predictRows(spec, r.model, data.x, data.n);
      r.model.dispose();
    }
    expect(tf.memory().numTensors).toBe(before);
  });
});
