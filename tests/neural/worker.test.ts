import * as tf from '@tensorflow/tfjs';
import * as Comlink from 'comlink';
import { MessageChannel } from 'node:worker_threads';
import { csvParse } from 'd3';
import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import type { Progress } from '../../src/core/progress';
import { installErrorTransfer } from '../../src/shared/comlink-errors';
import type { NeuralApi } from '../../src/shared/neural-api';
import { createNeuralWorker } from '../../workers/neural.worker';
import { linearProblem } from './seeded-data';

// The worker's API served over a real MessageChannel, as in the browser: structured cloning,
// transfers and proxied progress. Node has no WebGPU or WebGL; the WASM backend (registered by
// the worker's import of @tensorflow/tfjs-backend-wasm) loads its binary from node_modules.
installErrorTransfer();
const channel = new MessageChannel();
Comlink.expose(createNeuralWorker(), channel.port1 as unknown as Comlink.Endpoint);
const remote = Comlink.wrap<NeuralApi>(channel.port2 as unknown as Comlink.Endpoint);

afterAll(async () => {
  channel.port1.close();
  channel.port2.close();
  await tf.setBackend('cpu');
});

describe('the neural worker', () => {
  it('chooses the WASM backend in Node and says why WebGPU and WebGL were skipped', async () => {
    const report = await remote.backendReport();
    expect(report.backend).toBe('wasm');
    expect(report.skipped.map((s) => s.backend)).toEqual(['webgpu', 'webgl']);
  });

  it('trains with transferred rows and throttled progress, predicts, and frees the model', async () => {
    const data = linearProblem(200, 4, 5);
    const before = await remote.memory();
    const reports: Progress[] = [];
    const x = data.x.slice();
    const r = await remote.train({ kind: 'mlp', task: 'binary', inputs: 4, hidden: [8] }, Comlink.transfer(data, [data.x.buffer as ArrayBuffer, data.y.buffer as ArrayBuffer]), { epochs: 3, seed: 1 }, Comlink.proxy((p: Progress) => void reports.push(p)));
    expect(data.x.byteLength).toBe(0);
    expect(r.history).toHaveLength(3);
    expect(r.backend).toBe('wasm');
    // Progress travels on its own proxy port, so it may land just after the result.
    await expect.poll(() => reports.at(-1)).toMatchObject({ stage: 'epoch 3 of 3', fraction: 1 });
    const p = await remote.predict(r.modelId, Comlink.transfer({ x, n: 200 }, [x.buffer as ArrayBuffer]));
    expect(p).toBeInstanceOf(Float32Array);
    expect(p.length).toBe(200);
    await remote.dispose(r.modelId);
    expect((await remote.memory()).numTensors).toBe(before.numTensors);
    await expect(remote.predict(r.modelId, { x: new Float32Array(4), n: 1 })).rejects.toMatchObject({ code: 'not-found' });
  });

  it('trains the Predict room\'s MLP on a given split, preprocessing fitted on its training rows, near scikit-learn', async () => {
    // Breast cancer (public/samples): test = every 4th row (143), train = the rest. scikit-learn
    // 1.2.1's MLPClassifier((64, 32), adam 0.001, batch 32, 40 epochs) after a StandardScaler fitted
    // on the training rows scores accuracy 0.986–0.993 and AUC 0.9955–0.9983 over seeds 0–4.
    const rows = csvParse(readFileSync(new URL('../../public/samples/breast_cancer.csv', import.meta.url), 'utf8'));
    const names = rows.columns.filter((c) => c !== 'target');
    const columns = names.map((name) => ({ name, kind: 'numeric' as const, values: Float64Array.from(rows, (r) => Number(r[name])) }));
    const codes = Int32Array.from(rows, (r) => (r.target === 'malignant' ? 1 : 0));
    const all = Array.from({ length: rows.length }, (_, i) => i);
    const train = Int32Array.from(all.filter((i) => i % 4 !== 0));
    const test = Int32Array.from(all.filter((i) => i % 4 === 0));
    const before = await remote.memory();
    const run = await remote.trainTabular(
      { columns, target: { task: 'classification', codes, classes: ['benign', 'malignant'] }, targetName: 'target' },
      { train, test, options: { epochs: 40, batchSize: 32, learningRate: 0.001, seed: 0, validationSplit: 0.1, patience: 5 } },
    );
    expect(run.label).toBe('Neural net (MLP 64-32)');
    expect(run.testProba).toHaveLength(2 * 143);
    expect(run.scores.task).toBe('classification');
    if (run.scores.task !== 'classification') return;
    console.info(`[mlp] breast cancer: accuracy ${run.scores.accuracy.toFixed(3)}, AUC ${run.scores.auc?.toFixed(4)}, ${run.history.length} epochs (best ${run.bestEpoch}) on ${run.backend}`);
    expect(run.scores.accuracy).toBeGreaterThanOrEqual(0.97);
    expect(run.scores.auc).toBeGreaterThanOrEqual(0.99);
    expect(run.curves?.roc.length).toBeGreaterThan(2);
    // Every input gets a permutation importance; the top three a partial dependence of P(malignant).
    expect(run.importance).toHaveLength(names.length);
    expect(run.dependence.map((p) => p.feature)).toEqual(run.importance.slice(0, 3).map((i) => i.feature));
    expect(run.dependence[0].of).toBe('P(target = malignant)');
    // The net is scored and freed: nothing stays behind in the engine.
    expect((await remote.memory()).numTensors).toBe(before.numTensors);
  });

  it('the MLP on a regression target gives R² in the target\'s units', async () => {
    // y = 3·x1 − 2·x2 + 100 + small noise: the net must explain nearly all of it, MAE in y's units.
    const n = 400;
    const x1 = Float64Array.from({ length: n }, (_, i) => Math.sin(i * 1.7));
    const x2 = Float64Array.from({ length: n }, (_, i) => Math.cos(i * 0.9));
    const y = Float64Array.from({ length: n }, (_, i) => 3 * x1[i] - 2 * x2[i] + 100 + 0.05 * Math.sin(i * 13.1));
    const all = Array.from({ length: n }, (_, i) => i);
    const run = await remote.trainTabular(
      { columns: [{ name: 'x1', kind: 'numeric', values: x1 }, { name: 'x2', kind: 'numeric', values: x2 }], target: { task: 'regression', values: y }, targetName: 'y' },
      { train: Int32Array.from(all.filter((i) => i % 4 !== 0)), test: Int32Array.from(all.filter((i) => i % 4 === 0)), options: { epochs: 60, batchSize: 16, learningRate: 0.01, seed: 1, validationSplit: 0 } },
    );
    if (run.scores.task !== 'regression') throw new Error('expected regression scores');
    console.info(`[mlp] regression: R² ${run.scores.r2.toFixed(4)}, MAE ${run.scores.mae.toFixed(3)}`);
    expect(run.scores.r2).toBeGreaterThan(0.98);
    expect(run.testPredicted[0]).toBeGreaterThan(90);
    // Explained as the pipeline models are. Shuffling an input the net has learnt as b·x doubles
    // its share of the error: the drop in R² is 2·Var(b·x)/Var(y) (3·x1: 2·4.5/6.5 ≈ 1.38;
    // −2·x2: 2·2/6.5 ≈ 0.62 over these rows), and the partial dependence on x1 has slope ≈ 3.
    const test = all.filter((i) => i % 4 === 0);
    const variance = (v: number[]) => { const m = v.reduce((a, b) => a + b, 0) / v.length; return v.reduce((a, b) => a + (b - m) ** 2, 0) / v.length; };
    const varY = variance(test.map((i) => y[i]));
    console.info(`[mlp] importance ${run.importance.map((i) => `${i.feature} ${i.mean.toFixed(3)}`).join(', ')} (closed form ${((2 * variance(test.map((i) => 3 * x1[i]))) / varY).toFixed(3)}, ${((2 * variance(test.map((i) => 2 * x2[i]))) / varY).toFixed(3)})`);
    expect(run.importance.map((i) => i.feature)).toEqual(['x1', 'x2']);
    // Within 0.2: three shuffles of 100 rows, and a net that is nearly, not exactly, linear.
    expect(Math.abs(run.importance[0].mean - (2 * variance(test.map((i) => 3 * x1[i]))) / varY)).toBeLessThan(0.2);
    expect(Math.abs(run.importance[1].mean - (2 * variance(test.map((i) => 2 * x2[i]))) / varY)).toBeLessThan(0.2);
    const pd = run.dependence.find((p) => p.feature === 'x1')!;
    const xs = pd.grid as number[];
    expect((pd.mean[pd.mean.length - 1] - pd.mean[0]) / (xs[xs.length - 1] - xs[0])).toBeGreaterThan(2.5);
    expect(pd.of).toBe('predicted y');
  });
});
