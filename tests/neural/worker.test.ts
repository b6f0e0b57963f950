import * as tf from '@tensorflow/tfjs';
import * as Comlink from 'comlink';
import { MessageChannel } from 'node:worker_threads';
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
});
