import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { csvParse } from 'd3';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accuracy } from '../../src/core/models/metrics';
import { installFastCpuKernels } from '../../src/neural/cpu-kernels';
import { predictRows } from '../../src/neural/data';
import type { TextSpec } from '../../src/neural/models';
import { buildVocabulary, encodeTexts } from '../../src/neural/text';
import { trainModel } from '../../src/neural/train';

// Amazon fine-food reviews (modeldata's small_fine_foods, copied from ../shared/datasets):
// 4,000 training and 1,000 test reviews, label 'great' or 'other' (65.8 % great). The external
// anchor is scikit-learn's TF-IDF (1-2 grams) + logistic regression: 0.808 test accuracy.
// Trained on tfjs' WASM backend (in Node it loads its binary from node_modules): an epoch takes
// ~12 s there against ~50 s on the pure-JS CPU backend on this (shared, 2-core) machine.
const read = (name: string) => csvParse(readFileSync(new URL(`../fixtures/neural/${name}`, import.meta.url), 'utf8'));

beforeAll(async () => {
  installFastCpuKernels();
  await tf.setBackend('wasm');
});

afterAll(async () => {
  await tf.setBackend('cpu');
});

describe('text classifier on fine_foods', () => {
  it('reaches the TF-IDF + logistic baseline within 0.02 (seeded embedding + 1-D CNN)', async () => {
    const train = read('fine_foods_train.csv');
    const test = read('fine_foods_test.csv');
    const vocabulary = buildVocabulary(train.map((r) => r.review ?? ''), { maxTokens: 10_000, sequenceLength: 150 });
    const spec: TextSpec = { kind: 'text', task: 'binary', encoder: 'cnn', vocabularySize: vocabulary.tokens.length, sequenceLength: 150, embeddingDim: 32, units: 64, kernelSize: 2 };
    const t0 = performance.now();
    const r = await trainModel(spec, { x: encodeTexts(train.map((r) => r.review ?? ''), vocabulary), y: Float32Array.from(train, (r) => (r.score === 'great' ? 1 : 0)), n: train.length }, {
      epochs: 5, batchSize: 64, learningRate: 0.002, seed: 1, validationSplit: 0.1, patience: 2,
    });
    const seconds = (performance.now() - t0) / 1000;
    const scores = await predictRows(spec, r.model, encodeTexts(test.map((r) => r.review ?? ''), vocabulary), test.length);
    r.model.dispose();
    const acc = accuracy(Int32Array.from(test, (r) => (r.score === 'great' ? 1 : 0)), Array.from(scores, (p) => (p >= 0.5 ? 1 : 0)));
    console.info(`[fine_foods] test accuracy ${acc.toFixed(3)} after ${r.history.length} epochs (best ${r.bestEpoch}), ${seconds.toFixed(1)} s on ${r.backend}`);
    expect(r.backend).toBe('wasm');
    expect(acc).toBeGreaterThanOrEqual(0.788);
  }, 180_000);
});
