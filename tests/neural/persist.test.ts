import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { predictRows } from '../../src/neural/data';
import type { ModelSpec } from '../../src/neural/models';
import { loadModel, memoryModelStore, saveModel } from '../../src/neural/persist';
import { trainModel } from '../../src/neural/train';
import { buildVocabulary, encodeTexts } from '../../src/neural/text';
import { linearProblem } from './seeded-data';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('saving and loading models', () => {
  it.each<[string, ModelSpec]>([
    ['an MLP', { kind: 'mlp', task: 'binary', inputs: 5, hidden: [8] }],
    ['a text CNN (custom window convolution layer)', { kind: 'text', encoder: 'cnn', task: 'binary', vocabularySize: 20, sequenceLength: 6, embeddingDim: 4, units: 3 }],
  ])('round-trips %s through a memory store with identical predictions and its metadata', async (_, spec) => {
    const data = spec.kind === 'mlp'
      ? linearProblem(64, 5, 1)
      : (() => {
          const texts = ['good tea', 'bad tea', 'good good coffee', 'bad bad coffee', 'fine tea good', 'awful bad'];
          const v = buildVocabulary(texts, { maxTokens: 20, sequenceLength: 6 });
          return { x: encodeTexts(texts, v), y: Float32Array.from([1, 0, 1, 0, 1, 0]), n: 6 };
        })();
    const r = await trainModel(spec, data, { epochs: 2, seed: 2, validationSplit: 0 });
    const store = memoryModelStore();
    await saveModel(r.model, store.handler('churn'), { spec });
    const loaded = await loadModel(store.handler('churn'));
    expect(loaded.getUserDefinedMetadata()).toEqual({ spec });
    expect(Array.from(await predictRows(spec, loaded, data.x, data.n))).toEqual(Array.from(await predictRows(spec, r.model, data.x, data.n)));
    expect(store.names()).toEqual(['churn']);
    r.model.dispose();
    loaded.dispose();
  });

  it('refuses remote locations and unknown names', async () => {
    const r = await trainModel({ kind: 'mlp', task: 'binary', inputs: 5, hidden: [4] }, linearProblem(32, 5, 1), { epochs: 1 });
    await expect(saveModel(r.model, 'https://example.com/model')).rejects.toMatchObject({ code: 'network-blocked' });
    await expect(loadModel('http://example.com/model.json')).rejects.toMatchObject({ code: 'network-blocked' });
    await expect(loadModel(memoryModelStore().handler('none'))).rejects.toThrow(/no model named "none"/);
    r.model.dispose();
  });
});
