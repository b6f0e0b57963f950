import * as Comlink from 'comlink';
import { columnBuffers } from '../../core/models/column-codes';
import type { ModelsApi, TrainInput } from '../../shared/models-api';
import { createWorkerHandle, progressProxy } from './worker-client';

/** The models worker, wrapped; `cancel()` terminates a running job and the next call starts a fresh worker. */
export interface ModelsClient extends ModelsApi {
  cancel(): void;
}

function sendTraining(input: TrainInput): TrainInput {
  const target = input.target.task === 'classification' ? input.target.codes.buffer : input.target.values.buffer;
  return Comlink.transfer(input, [...columnBuffers(input.columns), ...(target instanceof ArrayBuffer ? [target] : [])]);
}

/**
 * Creates the models client; the worker (workers/models.worker.ts) starts on first use. Inputs'
 * typed arrays are transferred (detached afterwards: pass copies you still need).
 */
export function createModelsClient(): ModelsClient {
  const worker = createWorkerHandle<ModelsApi>(
    () => new Worker(new URL('../../../workers/models.worker.ts', import.meta.url), { type: 'module', name: 'models' }),
    'models worker',
  );
  return {
    train: (input, request, onProgress) => worker.call((api) => api.train(sendTraining(input), request, progressProxy(onProgress))),
    tune: (input, request, onProgress) => worker.call((api) => api.tune(sendTraining(input), request, progressProxy(onProgress))),
    score: (input, model, onProgress) => worker.call((api) => api.score(Comlink.transfer(input, columnBuffers(input.columns)), model, progressProxy(onProgress))),
    cancel: () => worker.cancel(),
  };
}

/** Workers a grid search uses: one per spare core (navigator.hardwareConcurrency − 1), 1 to 4. */
export function poolSize(cores = typeof navigator !== 'undefined' ? navigator.hardwareConcurrency : 2): number {
  return Math.max(1, Math.min(4, (cores || 2) - 1));
}

/** A few models workers sharing a grid search; `cancel()` stops them all. */
export interface ModelsPool {
  readonly size: number;
  /** Cross-validates the candidates, dealt round-robin to the workers (each gets its own copy of the data); rows come back in `specs` order. */
  tune(input: TrainInput, request: Parameters<ModelsApi['tune']>[1], onProgress?: (fraction: number) => void): Promise<Awaited<ReturnType<ModelsApi['tune']>>>;
  cancel(): void;
}

function copyInput(input: TrainInput): TrainInput {
  return {
    ...input,
    columns: input.columns.map((c) => (c.kind === 'numeric' ? { ...c, values: c.values.slice() } : { ...c, codes: c.codes.slice() })),
    target: input.target.task === 'classification' ? { ...input.target, codes: input.target.codes.slice() } : { ...input.target, values: input.target.values.slice() },
  };
}

/** Creates a pool of `size` models workers (started on first use). */
export function createModelsPool(size = poolSize()): ModelsPool {
  const clients = Array.from({ length: size }, () => createModelsClient());
  return {
    size,
    async tune(input, request, onProgress) {
      const shares = clients.map((_, w) => request.specs.map((spec, i) => ({ spec, i })).filter((x) => x.i % size === w));
      const done = new Float64Array(size);
      const parts = await Promise.all(
        shares.map((share, w) =>
          share.length === 0
            ? Promise.resolve([])
            : clients[w].tune(copyInput(input), { ...request, specs: share.map((x) => x.spec) }, (p) => {
                done[w] = (p.fraction ?? 0) * share.length;
                onProgress?.(done.reduce((a, b) => a + b, 0) / request.specs.length);
              }),
        ),
      );
      const out = new Array<Awaited<ReturnType<ModelsApi['tune']>>[number]>(request.specs.length);
      parts.forEach((rows, w) => rows.forEach((row, k) => (out[shares[w][k].i] = row)));
      return out;
    },
    cancel: () => clients.forEach((c) => c.cancel()),
  };
}
