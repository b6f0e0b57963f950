import * as Comlink from 'comlink';
import { columnBuffers } from '../../core/models/column-codes';
import { mergeForestShares } from '../../core/models/train';
import type { ForestShareRequest, ModelsApi, TrainedModel, TrainInput } from '../../shared/models-api';
import { createWorkerHandle, progressProxy } from './worker-client';

/** The models worker, wrapped; `cancel()` terminates a running job and the next call starts a fresh worker. */
export interface ModelsClient extends ModelsApi {
  cancel(): void;
}

function sendTraining(input: TrainInput): TrainInput {
  const target = input.target.task === 'classification' ? input.target.codes.buffer : input.target.values.buffer;
  return Comlink.transfer(input, [...columnBuffers(input.columns), ...(target instanceof ArrayBuffer ? [target] : [])]);
}

function spawnModelsWorker(): Worker {
  return new Worker(new URL('../../../workers/models.worker.ts', import.meta.url), { type: 'module', name: 'models' });
}

/**
 * Creates the models client; the worker (workers/models.worker.ts, or what `spawn` starts: tests
 * serve the worker's API on a MessageChannel) starts on first use. Inputs' typed arrays are
 * transferred (detached afterwards: pass copies you still need).
 */
export function createModelsClient(spawn: () => Worker = spawnModelsWorker): ModelsClient {
  const worker = createWorkerHandle<ModelsApi>(spawn, 'models worker');
  return {
    train: (input, request, onProgress) => worker.call((api) => api.train(sendTraining(input), request, progressProxy(onProgress))),
    tune: (input, request, onProgress) => worker.call((api) => api.tune(sendTraining(input), request, progressProxy(onProgress))),
    fitForest: (input, request, onProgress) => worker.call((api) => api.fitForest(sendTraining(input), request, progressProxy(onProgress))),
    score: (input, model, onProgress) => worker.call((api) => api.score(Comlink.transfer(input, columnBuffers(input.columns)), model, progressProxy(onProgress))),
    cancel: () => worker.cancel(),
  };
}

/** Workers a grid search uses: one per spare core (navigator.hardwareConcurrency − 1), 1 to 4. */
export function poolSize(cores = typeof navigator !== 'undefined' ? navigator.hardwareConcurrency : 2): number {
  return Math.max(1, Math.min(4, (cores || 2) - 1));
}

/**
 * The trees of an `nTrees` forest dealt to `workers` workers as contiguous shares (the first
 * shares one tree larger), skipping empty ones.
 */
export function forestShares(nTrees: number, workers: number): { firstTree: number; nTrees: number }[] {
  const k = Math.max(1, Math.min(workers, nTrees));
  return Array.from({ length: k }, (_, w) => {
    const firstTree = w * Math.floor(nTrees / k) + Math.min(w, nTrees % k);
    return { firstTree, nTrees: Math.floor(nTrees / k) + (w < nTrees % k ? 1 : 0) };
  });
}

/** A few models workers sharing a grid search or a forest; `cancel()` stops them all. */
export interface ModelsPool {
  readonly size: number;
  /**
   * Grows a random forest with its trees split across the workers (each tree seeded by its index,
   * so the forest is the same whatever the pool's size); progress is the trees grown so far.
   */
  fitForest(input: TrainInput, request: Omit<ForestShareRequest, 'firstTree' | 'nTrees'>, onProgress?: (trees: number, of: number) => void): Promise<TrainedModel>;
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

/** Creates a pool of `size` models workers (started on first use; `spawn` as {@link createModelsClient}'s). */
export function createModelsPool(size = poolSize(), spawn?: () => Worker): ModelsPool {
  const clients = Array.from({ length: size }, () => createModelsClient(spawn));
  const cancel = () => clients.forEach((c) => c.cancel());
  return {
    size,
    async fitForest(input, request, onProgress) {
      const nTrees = request.spec.params?.nTrees ?? 100;
      const shares = forestShares(nTrees, size);
      const grown = new Float64Array(shares.length);
      const parts = await Promise.all(
        shares.map((share, w) =>
          clients[w].fitForest(copyInput(input), { ...request, ...share }, (p) => {
            grown[w] = Math.floor((p.fraction ?? 0) * share.nTrees);
            onProgress?.(grown.reduce((a, b) => a + b, 0), nTrees);
          }),
        ),
      ).catch((err: unknown) => {
        // One share failed: the others' trees are of no use.
        cancel();
        throw err;
      });
      return mergeForestShares(request.spec, parts);
    },
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
    cancel,
  };
}
