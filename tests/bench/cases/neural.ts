import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { installFastCpuKernels } from '../../../src/neural/cpu-kernels';
import type { ModelSpec } from '../../../src/neural/models';
import { trainModel } from '../../../src/neural/train';
import { linearProblem, activityProblem } from '../../neural/seeded-data';
import { benchLine, seconds, type BenchCase, type BenchLine } from '../harness';

/**
 * Training throughput of the neural models on each tfjs backend Node has (the pure-JS CPU backend
 * and WASM/XNNPACK), on the same seeded data in one run. "ours" is WASM, the "peer" the CPU
 * backend: the ratio says how much WASM saves (< 1: faster). No GPU backend runs in Node here;
 * see ../shared/gpu/README.md for WebGPU on a lent GPU machine.
 */
const RUNS = 3;
const EPOCHS = 2;

const problems: { name: string; spec: ModelSpec; data: () => ReturnType<typeof linearProblem> }[] = [
  { name: 'MLP 32→64→32→1, 20,000 rows', spec: { kind: 'mlp', task: 'binary', inputs: 32, hidden: [64, 32] }, data: () => linearProblem(20_000, 32, 1) },
  { name: 'GRU(32) over 12 periods × 4, 4,000 rows', spec: { kind: 'sequence', cell: 'gru', task: 'binary', periods: 12, features: 4, units: 32 }, data: () => activityProblem(4_000, 12, 4, 1) },
];

/** Seconds per epoch of each run of one problem on one backend. */
async function timeEpochs(backend: string, spec: ModelSpec, data: ReturnType<typeof linearProblem>): Promise<number[]> {
  await tf.setBackend(backend);
  const out: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    const r = await trainModel(spec, data, { epochs: EPOCHS, batchSize: 128, seed: run, validationSplit: 0 });
    r.model.dispose();
    out.push(r.history.reduce((a, h) => a + h.seconds, 0) / EPOCHS);
  }
  return out;
}

export const cases: BenchCase[] = [
  {
    name: 'neural-train',
    description: 'Training samples/s of the MLP and the GRU: tfjs WASM against the pure-JS CPU backend, same seeded data, batch 128.',
    async run(ctx) {
      installFastCpuKernels();
      const lines: BenchLine[] = [];
      for (const p of problems) {
        const data = p.data();
        ctx.log(`${p.name}: cpu`);
        const cpu = await timeEpochs('cpu', p.spec, data);
        ctx.gc();
        ctx.log(`${p.name}: wasm`);
        const wasm = await timeEpochs('wasm', p.spec, data);
        ctx.gc();
        const line = benchLine(`neural-train ${p.name} (s/epoch)`, wasm, 'tfjs 4.22 cpu backend (pure JS)', cpu);
        lines.push({ ...line, wasm_samples_per_s: Math.round(data.n / Math.min(...wasm)), cpu_samples_per_s: Math.round(data.n / Math.min(...cpu)), best_wasm_s: seconds(Math.min(...wasm)) });
      }
      await tf.setBackend('cpu');
      return lines;
    },
  },
];
