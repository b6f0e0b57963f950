import type { MiningApi } from '../../shared/mining-api';
import { createWorkerHandle, progressProxy as progress, sendTransferred as send } from './worker-client';

/**
 * The mining worker, wrapped: every MiningApi method with `(input, options, onProgress?)`, the
 * input's typed arrays transferred (the caller's arrays are detached afterwards: pass copies you
 * no longer need), progress proxied, and `cancel()`.
 */
export interface MiningClient extends MiningApi {
  /** Stops the running job: the worker is terminated, every pending call rejects with an AbortError, and the next call starts a fresh worker. */
  cancel(): void;
}

/** Creates the mining client; the worker (workers/mining.worker.ts) starts on first use. */
export function createMiningClient(): MiningClient {
  const worker = createWorkerHandle<MiningApi>(
    () => new Worker(new URL('../../../workers/mining.worker.ts', import.meta.url), { type: 'module', name: 'mining' }),
    'mining worker',
  );
  return {
    kmeans: (input, options, onProgress) => worker.call((api) => api.kmeans(send(input), options, progress(onProgress))),
    miniBatchKMeans: (input, options, onProgress) => worker.call((api) => api.miniBatchKMeans(send(input), options, progress(onProgress))),
    elbow: (input, options, onProgress) => worker.call((api) => api.elbow(send(input), options, progress(onProgress))),
    silhouette: (input, options, onProgress) => worker.call((api) => api.silhouette(send(input), options, progress(onProgress))),
    dbscan: (input, options, onProgress) => worker.call((api) => api.dbscan(send(input), options, progress(onProgress))),
    kDistances: (input, options, onProgress) => worker.call((api) => api.kDistances(send(input), options, progress(onProgress))),
    frequentItemsets: (input, options, onProgress) => worker.call((api) => api.frequentItemsets(send(input), options, progress(onProgress))),
    mineRules: (input, options, onProgress) => worker.call((api) => api.mineRules(send(input), options, progress(onProgress))),
    cancel: () => worker.cancel(),
  };
}
